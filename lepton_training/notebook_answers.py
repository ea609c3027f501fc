"""The learner's answers in the running notebook: find one by name, and let a cell that uses one wait for it.

A learner who opens a notebook and chooses "Run all" before answering anything must see every cell run: Colab
stops at the first cell that raises, and a red traceback teaches nothing. So a cell that runs a learner's answer
(a worked example, a figure of the learner's results) is written inside ``with qN.needs_answer():``. While the
exercise is unanswered (its function still raises ``NotImplementedError``, or its variable is not defined), the
cell shows a box that names the exercise to do first, and the notebook runs on.

This module is imported by the questions and by the grading recorder alike (the grading sandbox keeps it), so
it holds nothing that knows an answer.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["MISSING", "NeedsAnswer", "lookup_answer"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: Placeholder for "no answer given": ``check()`` and ``grade()`` then look the answer up by name in the notebook.
MISSING: Any = _Missing()


def lookup_answer(name: str) -> Any:
    """Find a learner's variable by name in the running notebook.

    Parameters
    ----------
    name : str
        Variable or function name.

    Returns
    -------
    object
        Its value, or :data:`MISSING` when it is not defined.
    """
    namespace: dict[str, Any] = {}
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        namespace = shell.user_ns
    else:
        main = sys.modules.get("__main__")
        namespace = vars(main) if main is not None else {}
    return namespace.get(name, MISSING)


# Exercises found unanswered by a ``needs_answer()`` cell in this kernel, by "<module>:<id>". A later cell that
# uses a result of that cell (a NameError for the result's name) then waits too, instead of failing.
_unanswered: set[str] = set()


class NeedsAnswer:
    """Context manager of a cell that runs a learner's answer: an unanswered exercise shows a box, not an error.

    Parameters
    ----------
    full_id : str
        ``"<module>:<id>"`` of the question.
    title : str
        The question's title, named in the box.
    answer_name : str
        The notebook variable that holds the answer.

    Notes
    -----
    It swallows only ``NotImplementedError`` (the stub of an unwritten function) and ``NameError`` when the answer
    itself is not defined, or when this exercise was already found unanswered in this kernel (a result of an
    earlier waiting cell is missing). Any other error is the learner's to see.
    """

    def __init__(self, full_id: str, title: str, answer_name: str):
        self.full_id = full_id
        self.title = title
        self.answer_name = answer_name

    def __enter__(self) -> NeedsAnswer:
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, traceback: Any) -> bool:
        if kind is None:
            if lookup_answer(self.answer_name) is not MISSING:
                _unanswered.discard(self.full_id)
            return False
        waiting = issubclass(kind, NotImplementedError) or (
            issubclass(kind, NameError)
            and (
                getattr(error, "name", None) == self.answer_name
                or lookup_answer(self.answer_name) is MISSING
                or self.full_id in _unanswered
            )
        )
        if not waiting:
            return False
        _unanswered.add(self.full_id)
        self._show()
        return True

    def _show(self) -> None:
        from lepton_training.render import callout

        box = callout(
            "note",
            f"This cell runs your answer to **{self.title}**, which is not written yet. Do that exercise first, "
            "then run this cell again.",
            title="Waiting for your answer",
        )
        try:
            from IPython.display import display
        except ImportError:
            print(box)
            return
        display(box)
