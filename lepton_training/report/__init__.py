"""The results report: did the training work, and where did learners struggle.

Instructor-only: imported by ``lepton-training report``, never by a learner's notebook. Importing this package
imports nothing heavy; pandas, scikit-learn and SQLAlchemy are imported inside the functions.

- :mod:`.gradebook`: the whole gradebook as tables (SQL through SQLAlchemy, any URL nbgrader accepts);
- :mod:`.items`: difficulty, corrected item-total correlation, Cronbach's alpha, the author's flags;
- :mod:`.events`: the event record of ``check()`` and ``hint()`` read back from the submitted notebooks;
- :mod:`.survey`: the survey's ratings and comments, scored by :mod:`.sentiment`, the report's model for English,
  Chinese and mixed comments, with its error measured on labelled comments kept apart from its training;
- :mod:`.gain`: the normalized learning gain per module from the pre- and post-course quizzes;
- :mod:`.figures`, :mod:`.page`: the self-contained HTML page (inline SVG figures); :mod:`.build`: all of it, and
  the CSV;
- :mod:`.synthetic`: a synthetic gradebook of any size (benchmark and tests) and the sample report
  (``lepton-training report --demo``).
"""

from lepton_training.report.build import Report, build_report

__all__ = ["Report", "build_report"]
