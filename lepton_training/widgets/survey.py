"""The closing training survey: a rating from 1 to 5 and a comment per module, saved inside the notebook.

A kernel cannot write its notebook, so the answers travel the way the event record of ``check()`` does: the form
keeps them in the kernel and shows them in one small output whose MIME bundle carries them as JSON
(:data:`SURVEY_MIME`) beside a readable summary. Every change updates that output (``update_display``), and
saving the notebook saves it; the submitted notebook then holds the answers, and ``lepton-training report``
reads them from there. Nothing is sent anywhere.

The form uses only ipywidgets that exist in versions 7 (Google Colab) and 8 (JupyterLab 4): ``Dropdown``,
``Textarea``, ``HTML``, ``VBox``, ``observe``. Where widgets cannot run (a front end without widget support, an
exported page) the same answers can be typed as two dictionaries and passed to :meth:`SurveyForm.record`.
"""

from __future__ import annotations

import html
import time
import uuid
from typing import Any

from lepton_training.render import Html, callout
from lepton_training.widgets._compat import LiveOrStatic

__all__ = ["SURVEY_MIME", "SurveyForm"]

#: MIME type of the survey answers saved in the notebook.
SURVEY_MIME = "application/vnd.lepton-training.survey+json"

_LABELS = {1: "1: poor", 2: "2: fair", 3: "3: good", 4: "4: very good", 5: "5: excellent"}
_MAX_COMMENT = 2000


class SurveyForm(LiveOrStatic):
    """A rating and a comment for each module, plus a comment on the course as a whole.

    Parameters
    ----------
    modules : sequence of (str, str), optional
        ``(module id, title)`` pairs; by default the modules of the course manifest.

    Attributes
    ----------
    ratings : dict of str to int
        Module id -> rating from 1 (poor) to 5 (excellent); unanswered modules are absent.
    comments : dict of str to str
        Module id (or ``"course"``) -> comment.
    """

    def __init__(self, modules: Any = None):
        if modules is None:
            from lepton_training.manifest import load_course

            modules = [(m.id, m.title) for m in load_course().modules]
        self.modules = [(str(i), str(t)) for i, t in modules]
        self.ratings: dict[str, int] = {}
        self.comments: dict[str, str] = {}
        self._display_id = f"lepton-survey-{uuid.uuid4().hex[:8]}"
        self._shown = False

    # --- the answers -------------------------------------------------------------------------------------------

    def payload(self) -> dict:
        """Return the answers as the notebook saves them (JSON-ready)."""
        return {
            "version": 1,
            "saved": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "ratings": dict(self.ratings),
            "comments": {k: v for k, v in self.comments.items() if v.strip()},
        }

    def summary(self) -> Html:
        """Return what the learner sees of the saved answers."""
        rated = len(self.ratings)
        commented = sum(1 for v in self.comments.values() if v.strip())
        text = (
            f"Your answers so far: {rated} of {len(self.modules)} modules rated, {commented} comment(s). They are "
            "saved in this notebook when you save it (Ctrl+S or File > Save); submit it like a module."
        )
        return Html(f'<div style="color: inherit"><em>{html.escape(text)}</em></div>', text)

    def _bundle(self) -> dict:
        shown = self.summary()
        return {"text/plain": shown.text, "text/html": shown.html, SURVEY_MIME: self.payload()}

    def _publish(self) -> None:
        from IPython.display import display, update_display

        if self._shown:
            update_display(self._bundle(), raw=True, display_id=self._display_id)
        else:
            display(self._bundle(), raw=True, display_id=self._display_id)
            self._shown = True

    def record(self, ratings: dict | None = None, comments: dict | None = None) -> None:
        """Set answers typed by hand (where the form cannot show), and show the saved answers.

        Parameters
        ----------
        ratings : dict, optional
            Module id -> 1 to 5 (``None`` removes a rating).
        comments : dict, optional
            Module id or ``"course"`` -> text.

        Raises
        ------
        ValueError
            For an unknown module id, a rating outside 1 to 5, or a comment that is not text.
        """
        known = {m for m, _ in self.modules}
        for module, rating in (ratings or {}).items():
            if module not in known:
                raise ValueError(f"{module!r} is not a module of the course; use one of: {', '.join(sorted(known))}.")
            if rating is None:
                self.ratings.pop(module, None)
            elif isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
                raise ValueError(f"The rating of {module} should be a whole number from 1 to 5, not {rating!r}.")
            else:
                self.ratings[module] = int(rating)
        for module, comment in (comments or {}).items():
            if module not in known | {"course"}:
                raise ValueError(f"{module!r} is not a module of the course (or 'course' for the whole course).")
            if not isinstance(comment, str):
                raise ValueError(f"The comment on {module} should be text in quotes, not {type(comment).__name__}.")
            self.comments[module] = comment[:_MAX_COMMENT]
        # A new display in this cell too: the answers are saved beside the cell that set them.
        self._shown = False
        self._publish()

    def show(self) -> None:
        """Show the form (a live form in a notebook, its static form elsewhere) and the saved answers under it."""
        from IPython.display import display

        display(self)
        self._publish()

    # --- LiveOrStatic ------------------------------------------------------------------------------------------

    def static(self) -> Html:
        """Return the text shown where widgets cannot render."""
        return callout(
            "note",
            "The survey form needs a running notebook with widgets. If you see this text and no menus or text "
            "boxes, type your answers in the cell below the form instead and run it.",
            title="Training survey",
        )

    def build(self, widgets: Any) -> Any:
        """Return the live form, built with the given ``ipywidgets`` module (7 or 8)."""
        rows = []
        options = [("No answer", 0)] + [(label, value) for value, label in _LABELS.items()]
        for module, title in [*self.modules, ("course", "The course as a whole")]:
            heading = widgets.HTML(value=f"<strong>{html.escape(title)}</strong>")
            parts = [heading]
            if module != "course":
                rating = widgets.Dropdown(options=options, value=self.ratings.get(module, 0), description="Rating")
                rating.observe(self._on_rating(module), names="value")
                parts.append(rating)
            comment = widgets.Textarea(
                value=self.comments.get(module, ""),
                placeholder="What worked for you, what did not? (optional)",
                description="Comment",
                continuous_update=False,
                layout=widgets.Layout(width="95%"),
            )
            comment.observe(self._on_comment(module), names="value")
            parts.append(comment)
            rows.append(widgets.VBox(parts))
        box = widgets.VBox(rows)
        box.add_class("lepton-survey")
        return box

    def _on_rating(self, module: str) -> Any:
        def changed(change: dict) -> None:
            if change["new"]:
                self.ratings[module] = int(change["new"])
            else:
                self.ratings.pop(module, None)
            self._publish()

        return changed

    def _on_comment(self, module: str) -> Any:
        def changed(change: dict) -> None:
            self.comments[module] = str(change["new"])[:_MAX_COMMENT]
            self._publish()

        return changed
