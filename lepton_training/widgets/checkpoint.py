"""A checkpoint: learners click "Done" or "Stuck" after an exercise, and raise a hand when the facilitator asks.

The state stays in the learner's own notebook (the widget, and the saved widget state if the notebook is saved):
there is no server, no poll service and nothing is sent. In a video call the facilitator asks for a show of
hands ("who is done?", "who is stuck?"), and the checkpoint tells each learner what to do in both cases.
"""

from __future__ import annotations

import html
from typing import Any

from lepton_training.render import Html, callout
from lepton_training.widgets._compat import LiveOrStatic

__all__ = ["Checkpoint", "checkpoint", "CHECKPOINT_STATES"]

CHECKPOINT_STATES = ("done", "stuck")
"""What a learner can report."""


class Checkpoint(LiveOrStatic):
    """A "done or stuck" checkpoint after one exercise; see :func:`checkpoint`.

    Attributes
    ----------
    label : str
        The exercise, such as ``"Exercise 3"``.
    hint : str or None
        The call that shows the next hint, such as ``"q3.hint()"``, suggested to a learner who is stuck.
    state : {"done", "stuck"} or None
        What the learner clicked last (None before any click).
    """

    def __init__(self, label: str = "this exercise", hint: str | None = None):
        if not isinstance(label, str) or not label.strip():
            raise ValueError("label must be a non-empty string, such as 'Exercise 3'.")
        if hint is not None and (not isinstance(hint, str) or not hint.strip()):
            raise ValueError("hint must be None or the call that shows a hint, such as 'q3.hint()'.")
        self.label = label.strip()
        self.hint = hint.strip() if hint else None
        self.state: str | None = None

    def static(self) -> Html:
        """Return the box shown where widgets cannot render (exported HTML, the site, a terminal)."""
        return callout(
            "note",
            f"Done with {self.label}, or stuck? Nothing is sent anywhere: when the facilitator asks for a show "
            "of hands in the call, raise your hand (or use the call's raise-hand reaction) if you are done, and "
            "say in the chat where you are stuck if you are stuck.",
            title=f"Checkpoint: {self.label}",
        )

    def message(self, state: str | None) -> Html:
        """Return what the checkpoint says after the learner clicked ``state``.

        Parameters
        ----------
        state : {"done", "stuck"} or None
            The learner's report; None before any click.

        Returns
        -------
        Html

        Raises
        ------
        ValueError
            If ``state`` is not one of :data:`CHECKPOINT_STATES` or None.
        """
        if state is None:
            return Html(
                '<div style="color: inherit">Click <strong>Done</strong> or <strong>Stuck</strong>. Only you see '
                "this: nothing is sent. The facilitator asks for a show of hands in the call.</div>",
                "Click Done or Stuck. Only you see this: nothing is sent. The facilitator asks for a show of hands "
                "in the call.",
            )
        if state == "done":
            return callout(
                "tip",
                "When the facilitator asks who is done, raise your hand in the call. Finished early? Try another "
                "way to write your answer and check it too, or offer to help someone who is stuck.",
                title=f"You marked {self.label} as done",
            )
        if state == "stuck":
            hint = f"Run `{self.hint}` for the next hint, then r" if self.hint else "R"
            return callout(
                "warning",
                f"{hint}aise your hand in the call or write in the chat which exercise and what the feedback "
                "says. Being stuck is normal: the facilitator or a colleague will pair with you.",
                title=f"You marked {self.label} as stuck",
            )
        raise ValueError(f"Unknown checkpoint state {state!r}; valid states are: {', '.join(CHECKPOINT_STATES)}.")

    def build(self, widgets: Any) -> Any:
        """Return the live checkpoint, built with the given ``ipywidgets`` module (7 or 8).

        Parameters
        ----------
        widgets : module
            ``ipywidgets``.

        Returns
        -------
        ipywidgets.VBox
            The heading, a "Done" and a "Stuck" button, and the message; the buttons are reachable as
            ``.done`` and ``.stuck``, the message as ``.message``.
        """
        heading = widgets.HTML(value=f"<strong>Checkpoint: {html.escape(self.label)}</strong>")
        # Button's `tooltip` exists in 7 and 8 alike (in 8 it moved to every widget, in 7 only Button has it).
        done = widgets.Button(description="Done", button_style="success", tooltip="I have finished this exercise")
        stuck = widgets.Button(description="Stuck", button_style="warning", tooltip="I need help with this exercise")
        message = widgets.HTML(value=self.message(None).html)

        def report(state: str) -> Any:
            def on_click(_button: Any) -> None:
                self.state = state
                message.value = self.message(state).html

            return on_click

        done.on_click(report("done"))
        stuck.on_click(report("stuck"))
        box = widgets.VBox([heading, widgets.HBox([done, stuck]), message])
        box.add_class("lepton-checkpoint")
        box.done, box.stuck, box.message = done, stuck, message
        return box


def checkpoint(label: str = "this exercise", hint: str | None = None) -> Checkpoint:
    """Show a "Done / Stuck" checkpoint after an exercise (JupyterLab and Colab); a static box elsewhere.

    Parameters
    ----------
    label : str, default "this exercise"
        The exercise, such as ``"Exercise 3"``.
    hint : str, optional
        The call that shows the next hint, such as ``"q3.hint()"``, suggested to a learner who is stuck.

    Returns
    -------
    Checkpoint
        Displayed as the last expression of a cell.

    Raises
    ------
    ValueError
        If ``label`` is empty or ``hint`` is not a non-empty string.

    Examples
    --------
    >>> checkpoint("Exercise 3").message("done").text.startswith("[Tip] You marked Exercise 3 as done")
    True
    """
    return Checkpoint(label, hint)
