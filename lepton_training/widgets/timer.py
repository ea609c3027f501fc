"""A countdown timer for an exercise: a start/pause/stop control, a bar that fills, and the time left.

The ticking happens in the browser (an ipywidgets ``Play`` control linked to the bar with ``jslink``), so the
bar keeps moving while the learner's kernel is busy; the "time left" text is updated by the kernel and catches
up as soon as the kernel is idle. No thread is started in the kernel and nothing leaves the notebook.
"""

from __future__ import annotations

from typing import Any

from lepton_training.render import Html, callout
from lepton_training.widgets._compat import LiveOrStatic

__all__ = ["Countdown", "countdown", "duration_words", "format_left"]


def format_left(seconds: int) -> str:
    """Format a number of seconds as ``M:SS`` (or ``H:MM:SS`` from one hour on).

    Parameters
    ----------
    seconds : int
        Seconds left; negative values count as 0.

    Returns
    -------
    str

    Examples
    --------
    >>> format_left(485), format_left(0), format_left(3725)
    ('8:05', '0:00', '1:02:05')
    """
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration_words(seconds: int) -> str:
    """Say a duration in words: ``"8 minutes"``, ``"1 minute 30 seconds"``.

    Parameters
    ----------
    seconds : int
        A duration in seconds.

    Returns
    -------
    str

    Examples
    --------
    >>> duration_words(480), duration_words(90), duration_words(45)
    ('8 minutes', '1 minute 30 seconds', '45 seconds')
    """
    minutes, secs = divmod(max(int(seconds), 0), 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute" + ("s" if minutes != 1 else ""))
    if secs or not minutes:
        parts.append(f"{secs} second" + ("s" if secs != 1 else ""))
    return " ".join(parts)


class Countdown(LiveOrStatic):
    """A countdown for one exercise; see :func:`countdown`.

    Attributes
    ----------
    minutes : float
        Length of the countdown.
    label : str
        What is timed, such as ``"Exercise 3"``.
    """

    def __init__(self, minutes: float, label: str = "Exercise"):
        if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not 0 < minutes <= 240:
            raise ValueError(f"minutes must be a number above 0 and at most 240, not {minutes!r}.")
        if not isinstance(label, str) or not label.strip():
            raise ValueError("label must be a non-empty string, such as 'Exercise 3'.")
        self.minutes = minutes
        self.label = label.strip()
        self.seconds = round(minutes * 60)

    def static(self) -> Html:
        """Return the box shown where widgets cannot render (exported HTML, the site, a terminal)."""
        return callout(
            "exercise",
            f"{duration_words(self.seconds)} for this exercise. In JupyterLab or Colab this box is a timer "
            "you start with its play button; elsewhere, follow the facilitator's timer in the call.",
            title=f"Timer: {self.label}",
        )

    def status(self, elapsed: int) -> Html:
        """Return the line under the bar after ``elapsed`` seconds.

        Parameters
        ----------
        elapsed : int
            Seconds since the timer was started (pauses excluded).

        Returns
        -------
        Html
        """
        left = self.seconds - int(elapsed)
        if left <= 0:
            return callout(
                "tip",
                "Time is up. Run your check once more, then stop where you are: the facilitator goes through "
                "the exercise next. Unfinished? That is fine; the hints and the solution walk-through help.",
                title=f"{self.label}: time is up",
            )
        return Html(
            f'<div style="color: inherit; font-variant-numeric: tabular-nums"><strong>{format_left(left)}</strong>'
            f" left of {format_left(self.seconds)}</div>",
            f"{format_left(left)} left of {format_left(self.seconds)}",
        )

    def build(self, widgets: Any) -> Any:
        """Return the live timer, built with the given ``ipywidgets`` module (7 or 8).

        Parameters
        ----------
        widgets : module
            ``ipywidgets``.

        Returns
        -------
        ipywidgets.VBox
            Heading, the play control and bar side by side, and the time left; the controls are reachable
            as ``.play``, ``.bar``, ``.left`` and ``.link`` (the browser-side link) on the returned box.
        """
        heading = widgets.HTML(
            value=f"<strong>Timer: {_escape(self.label)}</strong> ({format_left(self.seconds)}). "
            "Press play to start; pause or stop at any time."
        )
        # Play counts up in the browser, once a second, from 0 to the length in seconds. Only traits that
        # ipywidgets 7 and 8 share are set (not `playing`/`repeat`, which are `_playing`/`_repeat` in 7).
        play = widgets.Play(value=0, min=0, max=self.seconds, step=1, interval=1000, description="Start")
        if "show_repeat" in play.trait_names():
            play.show_repeat = False
        bar = widgets.IntProgress(value=0, min=0, max=self.seconds, description="", bar_style="info")
        # jslink runs in the browser: the bar moves even while the kernel is busy with another cell.
        link = widgets.jslink((play, "value"), (bar, "value"))
        left = widgets.HTML(value=self.status(0).html)

        def on_tick(change: dict) -> None:
            left.value = self.status(change["new"]).html
            bar.bar_style = "success" if change["new"] >= self.seconds else "info"

        play.observe(on_tick, names="value")
        box = widgets.VBox([heading, widgets.HBox([play, bar]), left])
        box.add_class("lepton-countdown")
        box.play, box.bar, box.left, box.link = play, bar, left, link
        return box


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def countdown(minutes: float, label: str = "Exercise") -> Countdown:
    """Show a countdown timer for an exercise (JupyterLab and Colab); a static box elsewhere.

    Parameters
    ----------
    minutes : float
        Length of the exercise, as the facilitator notes plan it (above 0, at most 240).
    label : str, default "Exercise"
        What is timed, such as ``"Exercise 3"``.

    Returns
    -------
    Countdown
        Displayed as the last expression of a cell.

    Raises
    ------
    ValueError
        If ``minutes`` is not a positive number of at most 240 or ``label`` is empty.

    Examples
    --------
    >>> timer = countdown(8, "Exercise 3")
    >>> timer.seconds
    480
    >>> str(timer).splitlines()[0][:40]
    '[Exercise] Timer: Exercise 3: 8 minutes '
    """
    return Countdown(minutes, label)
