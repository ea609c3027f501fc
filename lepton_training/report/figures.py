"""The report's figures: matplotlib with the course's style, embedded as PNG data URIs.

The course's style (:mod:`lepton_training.plotting`) draws on a transparent background with a grey ink that
reads on a white and a near-black page, so one image serves the light and the dark page and the printout.
"""

from __future__ import annotations

import base64
import io
from typing import Any

__all__ = ["data_uri", "score_histograms", "item_map", "ratings_chart", "gain_chart"]


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lepton_training.plotting import course_style

    plt.rcParams.update(course_style())
    return plt


def data_uri(fig: Any) -> str:
    """Return the figure as a PNG ``data:`` URI and close it."""
    plt = _plt()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight", transparent=True)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def score_histograms(shares: dict[str, Any]) -> str:
    """One histogram per module of the learners' score shares (0 to 100%)."""
    import numpy as np

    plt = _plt()
    n = max(1, len(shares))
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.3 * rows), squeeze=False)
    for ax, (module, values) in zip(axes.flat, shares.items(), strict=False):
        ax.hist(100 * np.asarray(values), bins=np.linspace(0, 100, 11), color="#0072B2", edgecolor="white")
        ax.set_title(module, fontsize=9)
        ax.set_xlabel("score (% of points)", fontsize=8)
        ax.set_ylabel("learners", fontsize=8)
    for ax in list(axes.flat)[len(shares) :]:
        ax.axis("off")
    fig.tight_layout()
    return data_uri(fig)


def item_map(items: Any) -> str:
    """Difficulty against discrimination for every question; the flag zones shaded."""
    from lepton_training.plotting import OKABE_ITO
    from lepton_training.report.items import FLAGS

    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.axvspan(0, FLAGS["hard"], color="#D55E00", alpha=0.10, lw=0)
    ax.axhspan(-1, FLAGS["weak"], color="#D55E00", alpha=0.10, lw=0)
    markers = "osD^vP*X"
    for i, (module, group) in enumerate(items.groupby("module", sort=True)):
        ax.scatter(
            group["difficulty"],
            group["discrimination"].fillna(0),
            s=28,
            label=module,
            color=OKABE_ITO[i % 6],
            marker=markers[i % len(markers)],
        )
    ax.set_xlim(0, 1.02)
    ax.set_ylim(min(-0.4, float(items["discrimination"].min(skipna=True) or 0) - 0.05), 1)
    ax.set_xlabel("difficulty: share of points earned")
    ax.set_ylabel("discrimination (corrected r)")
    ax.set_title("Questions in the shaded zones are flagged")
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    return data_uri(fig)


def ratings_chart(ratings: Any) -> str:
    """Stacked shares of ratings 1 to 5 per module."""
    import numpy as np

    plt = _plt()
    table = ratings.pivot_table(index="module", columns="rating", values="learner", aggfunc="count", fill_value=0)
    table = table.reindex(columns=range(1, 6), fill_value=0)
    shares = table.div(table.sum(axis=1), axis=0)
    fig, ax = plt.subplots(figsize=(6.4, 0.5 + 0.42 * len(shares)))
    left = np.zeros(len(shares))
    colours = ["#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2"]
    for rating, colour in zip(range(1, 6), colours, strict=True):
        ax.barh(shares.index, shares[rating], left=left, color=colour, label=str(rating), edgecolor="white")
        left += shares[rating].to_numpy()
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("share of learners who rated the module")
    ax.set_title("Ratings from 1 (poor) to 5 (excellent)")
    ax.legend(ncol=5, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.35), frameon=False)
    return data_uri(fig)


def gain_chart(gains: Any) -> str:
    """Each module's normalized gain with its 95% interval."""
    import numpy as np

    plt = _plt()
    data = gains.dropna(subset=["gain"])
    fig, ax = plt.subplots(figsize=(6.4, 0.6 + 0.42 * max(1, len(data))))
    y = np.arange(len(data))
    ax.errorbar(
        data["gain"],
        y,
        xerr=[data["gain"] - data["low"], data["high"] - data["gain"]],
        fmt="o",
        color="#0072B2",
        capsize=3,
    )
    ax.axvline(0, color="#767676", lw=0.8)
    ax.set_yticks(y, data["module"])
    ax.invert_yaxis()
    ax.set_xlabel("normalized learning gain (95% bootstrap interval)")
    ax.set_title("Share of the possible improvement achieved")
    return data_uri(fig)
