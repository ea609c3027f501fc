"""The course's figure style: readable in JupyterLab's light and dark themes, in Colab and in exported pages.

Matplotlib draws white panels with black text by default, which sit as glaring white boxes in a dark theme.
The course's style makes figure and axes backgrounds transparent and draws text, ticks and spines in a grey that
keeps a readable contrast on both a white and a near-black page; data colours come from the Okabe-Ito palette,
which stays distinguishable with every common form of colour blindness.

Transparent figures meet one more obstacle: matplotlib-inline tags a figure whose background is transparent and
whose tick labels all share one lightness with ``needs_background: light`` (or ``dark``), and JupyterLab then
paints a white box behind it in the dark theme. The course's grey is meant for both backgrounds, so the tick
labels of the y axis are drawn in :data:`INK_LIGHT`, a grey as readable as :data:`INK` and indistinguishable from
it by eye, but on the other side of matplotlib-inline's lightness threshold: the labels no longer share one
lightness and the figure is shown as drawn, on the theme's own background.

Matplotlib is imported when the style is applied, not when this module is imported.
"""

from __future__ import annotations

__all__ = ["OKABE_ITO", "INK", "INK_LIGHT", "course_style", "use_course_style"]

#: Okabe-Ito colours, in the order the course uses them for series.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow (fills only: too light for lines on white)
    "#000000",
)

#: Grey for text, ticks and spines: contrast about 4.5:1 on white and 4.2:1 on a near-black background.
INK = "#767676"

#: The y tick labels' grey: lightness 0.502, just above matplotlib-inline's 0.5 (``INK`` is 0.463); contrast about
#: 3.9:1 on white and 4.8:1 on a near-black background.
INK_LIGHT = "#808080"


def course_style() -> dict[str, object]:
    """Return the course's matplotlib settings (rcParams).

    Returns
    -------
    dict
        Settings to pass to ``matplotlib.rcParams.update`` or ``matplotlib.pyplot.style.context``.

    Examples
    --------
    >>> course_style()["figure.facecolor"]
    'none'
    """
    return {
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "text.color": INK,
        "axes.labelcolor": INK,
        "axes.edgecolor": INK,
        "axes.titlecolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "ytick.labelcolor": INK_LIGHT,
        "grid.color": INK,
        "grid.alpha": 0.3,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": _cycler(),
        "figure.dpi": 100,
    }


def _cycler():
    from cycler import cycler

    return cycler(color=list(OKABE_ITO[:6]))


def use_course_style() -> None:
    """Apply :func:`course_style` to every figure drawn from now on in this kernel.

    Examples
    --------
    >>> use_course_style()
    >>> import matplotlib
    >>> matplotlib.rcParams["axes.facecolor"]
    'none'
    """
    import matplotlib

    matplotlib.rcParams.update(course_style())
