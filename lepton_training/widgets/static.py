"""Static forms of widget outputs, for pages that cannot run a kernel: slides, the knowledge-base site.

A saved widget output holds a widget *view* (a reference to a model that only a live kernel, or saved widget
state plus a widget manager loaded from a CDN, can render) and a static fallback. Offline pages keep the
fallback: the course's own widgets carry a static HTML box, and for any other widget (such as
``ipywidgets.interact``, whose fallback is only its repr) a short note says where to use it; the authoring
guide asks for a static figure of the same thing just before every widget.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from lepton_training.render import callout
from lepton_training.widgets._compat import WIDGET_VIEW_MIME

__all__ = ["static_widget_outputs", "INTERACTIVE_NOTE"]

INTERACTIVE_NOTE = callout(
    "note",
    "An interactive widget is shown here when the notebook runs in JupyterLab or Colab; the figure above shows "
    "the same thing.",
    title="Interactive widget",
)
"""What replaces a widget that has no static form of its own."""


def static_widget_outputs(nb: MutableMapping) -> int:
    """Replace every widget view in a notebook by its static form, and drop the saved widget state.

    Parameters
    ----------
    nb : dict or nbformat.NotebookNode
        A notebook (nbformat 4), changed in place.

    Returns
    -------
    int
        The number of outputs changed.

    Examples
    --------
    >>> nb = {"metadata": {"widgets": {}}, "cells": [{"cell_type": "code", "outputs": [{"output_type":
    ...       "display_data", "metadata": {}, "data": {WIDGET_VIEW_MIME: {}, "text/plain": "IntSlider()"}}]}]}
    >>> static_widget_outputs(nb), "widgets" in nb["metadata"]
    (1, False)
    >>> sorted(nb["cells"][0]["outputs"][0]["data"])
    ['text/html', 'text/plain']
    """
    nb.get("metadata", {}).pop("widgets", None)
    changed = 0
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data")
            if not data or WIDGET_VIEW_MIME not in data:
                continue
            del data[WIDGET_VIEW_MIME]
            if "text/html" not in data:
                # Only a repr such as "interactive(children=(IntSlider(...": say what is there instead.
                data["text/html"] = INTERACTIVE_NOTE.html
                data["text/plain"] = INTERACTIVE_NOTE.text
            changed += 1
    return changed
