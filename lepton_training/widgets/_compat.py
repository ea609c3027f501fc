"""The ipywidgets 7/8 shim: one place that decides whether a live widget can be shown, and how.

Rules every widget of the course follows, so that the same code runs on Colab (ipywidgets 7.7.1) and in
JupyterLab 4 (ipywidgets 8):

* only core widgets and traits that exist in both versions (``Play``, ``IntProgress``, ``Button``, ``HTML``,
  ``HBox``, ``VBox``, ``jslink``, ``observe``, ``on_click``); no ``Stack``, ``TagsInput``, ``tooltip`` on
  every widget, ``description_allow_html``, ``playing`` or ``repeat`` (8 only) nor ``_playing`` (7 only);
* the widget is displayed through :class:`LiveOrStatic`, which returns the widget view *and* a static HTML
  and text form in one MIME bundle. ipywidgets 7 displays through ``_ipython_display_`` and 8 through
  ``_repr_mimebundle_``; building the bundle here works the same with both, and a front end that cannot
  render widgets shows the static form instead of "Error displaying widget".
"""

from __future__ import annotations

import sys
from typing import Any

from lepton_training.render import Html

__all__ = ["LiveOrStatic", "kernel_available", "load_ipywidgets", "widget_view", "WIDGET_VIEW_MIME"]

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def kernel_available() -> bool:
    """Return True inside a running Jupyter kernel (JupyterLab, Colab, VS Code), where a widget has a front end.

    Returns
    -------
    bool
        False in a plain Python process, a terminal IPython and anything that only imports the package.
    """
    if "IPython" not in sys.modules:  # not imported: certainly no kernel, and no need to import it
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def load_ipywidgets() -> Any | None:
    """Return the ``ipywidgets`` module when a live widget can be shown here, else None.

    Returns
    -------
    module or None
        None outside a kernel or when ipywidgets is not installed.
    """
    if not kernel_available():
        return None
    try:
        import ipywidgets
    except ImportError:
        return None
    return ipywidgets


def widget_view(widget: Any) -> dict:
    """Return the MIME data that shows ``widget``; the same (protocol 2.0) in ipywidgets 7 and 8.

    Parameters
    ----------
    widget : ipywidgets.Widget
        An open widget.

    Returns
    -------
    dict
        ``{"application/vnd.jupyter.widget-view+json": {...}}``.
    """
    return {WIDGET_VIEW_MIME: {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}}


class LiveOrStatic:
    """Base of the course's widgets: a live ipywidget where possible, a static box everywhere else.

    Subclasses implement :meth:`static` (an :class:`~lepton_training.render.Html`) and :meth:`build` (the
    ipywidget, given the ``ipywidgets`` module). The widget is built on first display and reused, so
    displaying the object twice shows two views of one state.
    """

    _widget: Any = None

    def static(self) -> Html:  # pragma: no cover - abstract
        """Return the static form, shown where widgets cannot render."""
        raise NotImplementedError

    def build(self, widgets: Any) -> Any:  # pragma: no cover - abstract
        """Return the live widget, built with the given ``ipywidgets`` module."""
        raise NotImplementedError

    @property
    def widget(self) -> Any:
        """The live widget, built with the installed ipywidgets (even outside a kernel, for tests)."""
        if self._widget is None:
            import ipywidgets

            self._widget = self.build(ipywidgets)
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        static = self.static()
        bundle = {"text/plain": static.text, "text/html": static.html}
        widgets = load_ipywidgets()
        if widgets is not None:
            if self._widget is None:
                self._widget = self.build(widgets)
            bundle.update(widget_view(self._widget))
        return bundle

    def __str__(self) -> str:
        return self.static().text

    def __repr__(self) -> str:
        return self.static().text
