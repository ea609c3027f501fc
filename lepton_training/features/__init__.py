"""Feature engineering of the course (module 03): the talent model's features, text features, the sentiment model.

Import it explicitly (``from lepton_training import features``): it pulls in scikit-learn and pandas, which
``import lepton_training`` alone must not.

- :mod:`.tabular`: :data:`FEATURE_GROUPS` (the columns known at application time), :func:`skill_indicators`,
  :func:`date_features`, :class:`DateFeatures`, :func:`talent_preprocessor` and :func:`talent_model` (one
  ``ColumnTransformer`` / ``Pipeline``), :func:`time_folds` (validation on later applications), :func:`cv_auc`,
  :func:`group_values`.
- :mod:`.text`: :func:`tokenize`, :func:`lexicon_scores`, :class:`LexiconScore`, :func:`comment_model`,
  :func:`cv_comment_auc`.
- :mod:`.sentiment`: :func:`train_sentiment_model`, the course's one sentiment model, with its cross-validated
  error rate.
"""

from .sentiment import SENTIMENT_SETTINGS, SentimentModel, train_sentiment_model
from .tabular import (
    AS_OF,
    FEATURE_GROUPS,
    DateFeatures,
    cv_auc,
    date_features,
    group_values,
    hired,
    skill_indicators,
    split_skills,
    talent_model,
    talent_preprocessor,
    time_folds,
)
from .text import (
    NEGATIONS,
    LexiconScore,
    comment_model,
    cv_comment_auc,
    english_comments,
    lexicon_scores,
    positive,
    tokenize,
)

__all__ = [
    "AS_OF",
    "FEATURE_GROUPS",
    "NEGATIONS",
    "DateFeatures",
    "LexiconScore",
    "SENTIMENT_SETTINGS",
    "SentimentModel",
    "comment_model",
    "cv_auc",
    "cv_comment_auc",
    "date_features",
    "english_comments",
    "group_values",
    "hired",
    "lexicon_scores",
    "positive",
    "skill_indicators",
    "split_skills",
    "talent_model",
    "talent_preprocessor",
    "time_folds",
    "tokenize",
    "train_sentiment_model",
]
