"""The course's notebook widgets: a countdown timer for exercises and a "done or stuck" checkpoint.

Both are built from core ipywidgets only, with code valid for ipywidgets 7 (Google Colab pins 7.7.1) and 8
(JupyterLab 4), and both degrade to a static box (HTML and plain text) wherever widgets cannot render: a
terminal, exported HTML, the knowledge-base site, nbval. Nothing is sent anywhere: a checkpoint's state lives
in the learner's notebook only, and the facilitator asks for a show of hands in the call.

Importing this package imports neither ipywidgets nor IPython; a widget is only created when a notebook
displays one, so a learner's kernel stays light.

Examples
--------
In a notebook cell::

    from lepton_training.widgets import checkpoint, countdown

    countdown(8, "Exercise 3")
"""

from lepton_training.widgets.checkpoint import Checkpoint, checkpoint
from lepton_training.widgets.static import static_widget_outputs
from lepton_training.widgets.timer import Countdown, countdown

__all__ = ["Checkpoint", "Countdown", "checkpoint", "countdown", "static_widget_outputs"]
