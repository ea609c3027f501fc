"""Item analysis and Cronbach's alpha against a textbook example, and the gradebook reader against nbgrader's API.

The textbook example: D. J. Denis, *Applied Univariate, Bivariate, and Multivariate Statistics* (Wiley, 2016),
section on Cronbach's alpha: ten people, five items (the table below), analysed with SPSS ``RELIABILITY``. Printed
values: alpha 0.633; item standard deviations 2.71006, 5.05085, 4.74810, 2.71621, 3.80058; inter-item correlations
(Item_1 with Item_2 0.679, Item_2 with Item_5 -0.463); for Item_1, scale mean if deleted 34.3000, scale variance if
deleted 108.900, corrected item-total correlation 0.712.
"""

import numpy as np
import pytest

from lepton_training.report.items import alpha_sentence, cronbach_alpha, item_analysis

DENIS = np.array(
    [
        [10, 12, 15, 11, 12],
        [12, 18, 12, 12, 1],
        [8, 16, 14, 14, 4],
        [6, 8, 16, 8, 6],
        [4, 7, 8, 7, 5],
        [6, 6, 3, 7, 3],
        [3, 4, 6, 5, 8],
        [7, 3, 7, 9, 9],
        [8, 9, 4, 10, 10],
        [9, 5, 6, 11, 12],
    ],
    dtype=float,
)


def test_alpha_and_item_statistics_match_the_textbook():
    assert cronbach_alpha(DENIS) == pytest.approx(0.633, abs=5e-4)
    np.testing.assert_allclose(DENIS.std(axis=0, ddof=1), [2.71006, 5.05085, 4.74810, 2.71621, 3.80058], atol=5e-6)
    corr = np.corrcoef(DENIS, rowvar=False)
    assert corr[0, 1] == pytest.approx(0.679, abs=5e-4) and corr[1, 4] == pytest.approx(-0.463, abs=5e-4)
    rest = DENIS.sum(axis=1) - DENIS[:, 0]
    assert rest.mean() == pytest.approx(34.3) and rest.var(ddof=1) == pytest.approx(108.9)
    items = item_analysis(DENIS, [20] * 5).items
    assert items.loc[0, "discrimination"] == pytest.approx(0.712, abs=5e-4)
    # Item_5 runs against the others (its correlations are negative): the item analysis flags it.
    assert items.loc[4, "discrimination"] < 0 and "negative discrimination" in items.loc[4, "flags"]
    # Alpha without an item, from the covariance matrix, equals alpha computed on the other four columns.
    for j in range(5):
        assert items.loc[j, "alpha_if_deleted"] == pytest.approx(cronbach_alpha(np.delete(DENIS, j, axis=1)))


def test_degenerate_tables_and_the_sentence():
    assert np.isnan(cronbach_alpha([[1], [0]])) and np.isnan(cronbach_alpha([[1, 1], [1, 1]]))
    result = item_analysis(np.ones((4, 3)), [1, 1, 1])
    assert result.items["difficulty"].tolist() == [1.0, 1.0, 1.0]
    assert all("nearly everyone" in f for f in result.items["flags"])
    assert "cannot be computed" in alpha_sentence(float("nan"), 1)
    assert "(acceptable)" in alpha_sentence(0.75, 6) and "(poor)" in alpha_sentence(0.55, 6)
    with pytest.raises(ValueError, match="one positive maximum per question"):
        item_analysis(np.ones((3, 2)), [1])


def test_gradebook_tables_agree_with_nbgrader_api(tmp_path):
    from nbgrader.api import Gradebook

    from lepton_training.report.gradebook import read_gradebook
    from lepton_training.report.synthetic import write_synthetic_gradebook

    url = write_synthetic_gradebook(tmp_path / "gb.db", learners=40, questions=5, seed=3)
    tables = read_gradebook(url)
    with Gradebook(url, course_id="lepton-training") as gb:
        for assignment in ("00-orientation", "quiz-pre"):
            expected = {s.student.id: s.score for s in gb.assignment_submissions(assignment)}
            got = tables.scores[assignment].sum(axis=1).to_dict()
            assert got == pytest.approx(expected)
    # Planted questions: q1 almost nobody passes, q2 runs against ability, q3 everybody passes.
    items = item_analysis(tables.scores["00-orientation"].to_numpy(), [1] * 5).items
    assert "most learners fail" in items.loc[0, "flags"]
    assert items.loc[1, "discrimination"] < 0
    assert "nearly everyone" in items.loc[2, "flags"]
