"""A real nbgrader round trip in a temporary course root: release, submissions, autograde, gradebook, feedback.

Submissions: correct, other correct answers, the common mistakes, hard-coded answers, blank, a broken file,
edited and deleted test cells, and one that never finishes; one autograde call grades them all. The expected
scores come from the question definitions (the same ones the test cells call), evaluated here
in-process on each submission's answers with the seeds of the instructor's hidden tests.
"""

import html
import json
import re

import pytest
from conftest import cell_source, copy_course_root, expected_points, nbgrader, nbgrader_meta, submit, with_answers

from lepton_training.questions import orientation

pytestmark = pytest.mark.slow

MODULE = "00-orientation"

# Answer cells of a learner who hard-coded the public checks' answers: they pass check() and lose points in grading.
HARD_CODED = {
    "q1-answer": "def completion_rate(enrolled, completed):\n    return 0.75\n",
    "q2-answer": "def mean_rating(sessions):\n    return 3.872093023255814\n",
    "q3-answer": "def hours_per_team(sessions):\n    table = training_sessions(30, seed=11)\n"
    "    return table.groupby('team').agg(participants=('participant', 'nunique'), "
    "total_hours=('hours', 'sum')).reset_index()\n",
    "q4-answer": "def ready_to_submit(counts, errors, saved):\n"
    "    return counts == [1, 2, 3, 4, 5, 6] and errors == 0 and saved\n",
}

# Other correct answers: other libraries, another order of columns, another way to state the rule.
ALTERNATIVES = {
    "q1-answer": "import numpy as np\n\n"
    "def completion_rate(enrolled, completed):\n    return np.divide(completed, enrolled)\n",
    "q2-answer": "import numpy as np\n\n"
    "def mean_rating(sessions):\n    return np.nanmean(sessions['rating'].to_numpy())\n",
    "q3-answer": "def hours_per_team(sessions):\n    by_team = sessions.groupby('team', as_index=False)\n"
    "    people = by_team['participant'].nunique().rename(columns={'participant': 'participants'})\n"
    "    hours = by_team['hours'].sum().rename(columns={'hours': 'total_hours'})\n"
    "    return hours.merge(people)\n",
    "q4-answer": "def ready_to_submit(counts, errors, saved):\n"
    "    return saved and not errors and all(c == i + 1 for i, c in enumerate(counts))\n",
}

# The common mistakes, one per exercise: each loses points (tests/test_orientation_mutants.py names them).
MISTAKES = {
    "q1-answer": "def completion_rate(enrolled, completed):\n    return 100 * completed / enrolled\n",
    "q2-answer": "def mean_rating(sessions):\n    ratings = sessions['rating'].to_numpy()\n"
    "    return ratings.sum() / len(ratings)\n",
    "q3-answer": "def hours_per_team(sessions):\n    return sessions.groupby('team').agg(participants=('participant', "
    "'size'), total_hours=('hours', 'sum')).reset_index()\n",
    "q4-answer": "def ready_to_submit(counts, errors, saved):\n"
    "    return None not in counts and counts == sorted(counts) and errors == 0 and saved\n",
}


def test_release_submit_autograde_feedback(tmp_path, jupyter_env):
    root = copy_course_root(tmp_path, [MODULE])
    jupyter_env.pop("LEPTON_GRADEBOOK_URL", None)

    generated = nbgrader(root, jupyter_env, "generate_assignment", MODULE, "--force")
    assert generated.returncode == 0, generated.stderr[-3000:]
    release_path = root / "course" / MODULE / f"{MODULE}.ipynb"
    assert release_path.exists(), "release_directory=course from jupyter_config.py was not applied"
    release = json.loads(release_path.read_text())
    source = json.loads((root / "solutions" / MODULE / f"{MODULE}.ipynb").read_text())

    solutions = {
        nbgrader_meta(c)["grade_id"]: cell_source(c) for c in source["cells"] if nbgrader_meta(c).get("solution")
    }
    tampered = with_answers(release, solutions)
    for cell in tampered["cells"]:
        if nbgrader_meta(cell).get("grade_id") == "q2-tests":
            cell["source"] = "1.0  # a learner who edited the locked test cell"
    tampered["cells"] = [c for c in tampered["cells"] if nbgrader_meta(c).get("grade_id") != "q3-tests"]

    submit(root, MODULE, "alice", with_answers(release, solutions))  # correct
    submit(root, MODULE, "bob", release)  # blank
    submit(root, MODULE, "carol", with_answers(release, HARD_CODED))  # hard-coded answers
    submit(root, MODULE, "grace", with_answers(release, ALTERNATIVES))  # other correct answers
    submit(root, MODULE, "heidi", with_answers(release, MISTAKES))  # the common mistakes
    submit(root, MODULE, "dave", "{ this is not a notebook")  # broken file
    submit(root, MODULE, "erin", tampered)  # correct answers, edited and deleted test cells
    looping = {"q1-answer": "def completion_rate(enrolled, completed):\n    while True:\n        pass\n"}
    submit(root, MODULE, "frank", with_answers(release, looping))  # never finishes

    # c.Execute.timeout comes from jupyter_config.py (60 s); lowered here so the hanging submission costs
    # the test seconds, not a minute.
    graded = nbgrader(root, jupyter_env, "autograde", MODULE, "--create", "--Execute.timeout=8")
    log = graded.stdout + graded.stderr

    from nbgrader.api import Gradebook

    total = orientation.exercises.total_points
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="lepton-training") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(MODULE)}
        max_score = gb.find_assignment(MODULE).max_score

    assert max_score == total
    assert scores["alice"] == pytest.approx(total), log[-3000:]
    assert scores["bob"] == 0
    assert scores["carol"] == pytest.approx(expected_points(HARD_CODED, source, orientation.exercises), abs=1e-3)
    assert 0 < scores["carol"] < total
    assert scores["grace"] == pytest.approx(total), "alternative correct answers earn full marks"
    assert scores["heidi"] == pytest.approx(expected_points(MISTAKES, source, orientation.exercises), abs=1e-3)
    assert 0 < scores["heidi"] < total / 2, "the common mistakes lose most of the points"
    assert scores["erin"] == pytest.approx(total), "edited or deleted test cells must be restored and graded"
    # The unreadable file scores 0 (nbgrader may or may not record it) without stopping the batch: the
    # submissions graded after it above got their scores.
    assert scores.get("dave", 0) == 0
    assert "dave" in log, "the broken submission is reported"
    assert scores.get("frank", 0) == 0, "a submission that never finishes is stopped and scores 0"

    feedback = nbgrader(root, jupyter_env, "generate_feedback", MODULE, "--student=alice")
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    page = (root / "feedback" / "alice" / MODULE / f"{MODULE}.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # code is syntax-highlighted into many spans
    assert "BEGIN HIDDEN TESTS" not in text, "hidden tests leaked into the feedback"
    assert not re.search(r"\.grade\((?:\w+, )?hidden=\d+", text), "hidden test seeds leaked into the feedback"
    assert "Completion rate: 1 of 1 point" in text, "the test cells' explanations are in the feedback"
