"""The report's figures, drawn as inline SVG: no image file, no plotting library, light and dark alike.

Each function returns an ``<svg>`` element for the page. Text and axes take the page's own colours
(``currentColor`` and the CSS custom properties of :data:`lepton_training.report.page.CSS`), so one drawing reads on
the light page, the dark page and the printout; data colours are the course's colour-blind-safe palette
(:data:`lepton_training.plotting.OKABE_ITO`). Drawing them by hand costs microseconds where matplotlib cost most of
a second of the report (its import and two drawing passes per figure), and the shapes are simple: bars, points,
intervals. Every figure has a ``<title>`` (read by screen readers) and the page gives it a caption.
"""

from __future__ import annotations

import html
import math
from typing import Any

__all__ = ["nice_ticks", "score_histograms", "item_map", "ratings_chart", "gain_chart"]

_FONT = 'font-family="system-ui, sans-serif"'


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Return round tick values covering ``low`` to ``high`` (about ``count`` of them: steps of 1, 2 or 5 x 10^k).

    Examples
    --------
    >>> nice_ticks(0, 87)
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        high = low + 1
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _label(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e4 else f"{value:,.0f}"


class _Plot:
    """One panel: data coordinates to SVG coordinates, axes with ticks, and the shapes drawn in it."""

    def __init__(self, x: float, y: float, width: float, height: float, xlim: tuple, ylim: tuple):
        self.x, self.y, self.w, self.h = x, y, width, height
        self.xlim, self.ylim = xlim, ylim
        self.parts: list[str] = []

    def px(self, value: float) -> float:
        lo, hi = self.xlim
        return self.x + (value - lo) / (hi - lo) * self.w

    def py(self, value: float) -> float:
        lo, hi = self.ylim
        return self.y + self.h - (value - lo) / (hi - lo) * self.h

    def axes(self, xticks: list, yticks: list, xlabel: str = "", ylabel: str = "", ytick_labels: list | None = None):
        """Grid lines, tick labels and axis labels."""
        bottom = self.y + self.h
        for value in yticks:
            y = self.py(value)
            self.parts.append(
                f'<line x1="{self.x:.1f}" x2="{self.x + self.w:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                'stroke="var(--line)" stroke-width="0.7"/>'
            )
        labels = ytick_labels or [_label(v) for v in yticks]
        for value, text in zip(yticks, labels, strict=True):
            self.parts.append(
                f'<text x="{self.x - 4:.1f}" y="{self.py(value) + 3.5:.1f}" text-anchor="end" font-size="10">'
                f"{_e(text)}</text>"
            )
        for value in xticks:
            x = self.px(value)
            self.parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom:.1f}" y2="{bottom + 4:.1f}" stroke="currentColor" '
                'stroke-width="0.8"/>'
                f'<text x="{x:.1f}" y="{bottom + 15:.1f}" text-anchor="middle" font-size="10">{_label(value)}</text>'
            )
        self.parts.append(
            f'<line x1="{self.x:.1f}" x2="{self.x + self.w:.1f}" y1="{bottom:.1f}" y2="{bottom:.1f}" '
            'stroke="currentColor" stroke-width="0.8"/>'
        )
        if xlabel:
            self.parts.append(
                f'<text x="{self.x + self.w / 2:.1f}" y="{bottom + 30:.1f}" text-anchor="middle" '
                f'font-size="10.5">{_e(xlabel)}</text>'
            )
        if ylabel:
            cx, cy = self.x - 36, self.y + self.h / 2
            self.parts.append(
                f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" font-size="10.5" '
                f'transform="rotate(-90 {cx:.1f} {cy:.1f})">{_e(ylabel)}</text>'
            )

    def title(self, text: str, size: float = 11.5) -> None:
        self.parts.append(
            f'<text x="{self.x + self.w / 2:.1f}" y="{self.y - 8:.1f}" text-anchor="middle" font-size="{size}" '
            f'font-weight="600">{_e(text)}</text>'
        )


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" style="max-width:100%;height:auto" fill="currentColor" '
        f"{_FONT}><title>{_e(title)}</title>" + "".join(body) + "</svg>"
    )


def score_histograms(shares: dict[str, Any]) -> str:
    """One histogram per module of the learners' score shares (0 to 100%, ten bins), three panels a row."""
    import numpy as np

    from lepton_training.plotting import OKABE_ITO

    n = max(1, len(shares))
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    cell_w, cell_h = 300, 210
    body: list[str] = []
    edges = np.linspace(0, 100, 11)
    for k, (module, values) in enumerate(shares.items()):
        values = np.asarray(values, dtype=float)
        counts, _ = np.histogram(100 * values[~np.isnan(values)], bins=edges)
        yticks = nice_ticks(0, max(1, int(counts.max())), 4)
        plot = _Plot(
            60 + (k % cols) * cell_w, 28 + (k // cols) * cell_h, cell_w - 80, cell_h - 80, (0, 100), (0, yticks[-1])
        )
        plot.axes([0, 50, 100], yticks, "score (% of points)", "learners")
        plot.title(module, 11)
        for count, left in zip(counts, edges[:-1], strict=True):
            x0, x1 = plot.px(left) + 0.6, plot.px(left + 10) - 0.6
            y = plot.py(count)
            body_height = plot.py(0) - y
            plot.parts.append(
                f'<rect x="{x0:.1f}" y="{y:.1f}" width="{x1 - x0:.1f}" height="{body_height:.1f}" '
                f'fill="{OKABE_ITO[0]}"><title>{left:.0f}–{left + 10:.0f}%: {int(count)} learners</title></rect>'
            )
        body += plot.parts
    return _svg(cols * cell_w, rows * cell_h, "Score distribution per module", body)


_MARKERS = ("circle", "square", "diamond", "triangle", "triangle-down", "plus")


def _marker(kind: str, x: float, y: float, colour: str, tip: str) -> str:
    r = 4.2
    tip = f"<title>{_e(tip)}</title>"
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}">{tip}</circle>'
    if kind == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}">{tip}</rect>'
    points = {
        "diamond": [(0, -1.25), (1.1, 0), (0, 1.25), (-1.1, 0)],
        "triangle": [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)],
        "triangle-down": [(0, 1.2), (1.1, -0.8), (-1.1, -0.8)],
        "plus": [(-0.35, -1.2), (0.35, -1.2), (0.35, -0.35), (1.2, -0.35), (1.2, 0.35), (0.35, 0.35), (0.35, 1.2)]
        + [(-0.35, 1.2), (-0.35, 0.35), (-1.2, 0.35), (-1.2, -0.35), (-0.35, -0.35)],
    }[kind]
    path = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in points)
    return f'<polygon points="{path}" fill="{colour}">{tip}</polygon>'


def item_map(items: Any) -> str:
    """Difficulty against discrimination for every question; the flag zones shaded; one marker per module."""
    from lepton_training.plotting import OKABE_ITO
    from lepton_training.report.items import FLAGS

    low = float(items["discrimination"].min(skipna=True)) if items["discrimination"].notna().any() else 0.0
    yticks = nice_ticks(min(-0.4, low - 0.05), 1, 6)
    ylow = yticks[0]
    plot = _Plot(70, 34, 470, 250, (0, 1.02), (ylow, 1))
    plot.parts.append(
        f'<rect x="{plot.px(0):.1f}" y="{plot.py(1):.1f}" width="{plot.px(FLAGS["hard"]) - plot.px(0):.1f}" '
        f'height="{plot.h:.1f}" fill="#D55E00" fill-opacity="0.12"/>'
        f'<rect x="{plot.px(0):.1f}" y="{plot.py(FLAGS["weak"]):.1f}" width="{plot.w:.1f}" '
        f'height="{plot.py(ylow) - plot.py(FLAGS["weak"]):.1f}" fill="#D55E00" fill-opacity="0.12"/>'
    )
    plot.axes(
        [0, 0.2, 0.4, 0.6, 0.8, 1.0],
        yticks,
        "difficulty: share of points earned",
        "discrimination (corrected r)",
    )
    plot.title("Questions in the shaded zones are flagged")
    legend = []
    for i, (module, group) in enumerate(items.groupby("module", sort=True)):
        colour, kind = OKABE_ITO[i % 6], _MARKERS[i % len(_MARKERS)]
        for row in group.to_dict("records"):
            d = row["discrimination"]
            d = 0.0 if d != d else d  # a question without a correlation sits on 0
            tip = f"{module} {row['question']}: difficulty {row['difficulty']:.2f}, discrimination {d:.2f}"
            plot.parts.append(_marker(kind, plot.px(row["difficulty"]), plot.py(max(min(d, 1), ylow)), colour, tip))
        y = 44 + 16 * i
        legend.append(_marker(kind, 566, y - 3.5, colour, module))
        legend.append(f'<text x="576" y="{y:.0f}" font-size="10">{_e(module)}</text>')
    return _svg(720, 330, "Difficulty against discrimination for every question", plot.parts + legend)


def ratings_chart(ratings: Any) -> str:
    """Stacked shares of ratings 1 to 5 per module."""
    table = ratings.pivot_table(index="module", columns="rating", values="learner", aggfunc="count", fill_value=0)
    table = table.reindex(columns=range(1, 6), fill_value=0)
    shares = table.div(table.sum(axis=1), axis=0)
    colours = ["#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2"]
    bar = 22
    plot = _Plot(170, 34, 460, bar * len(shares) + 6, (0, 1), (0, 1))
    body = []
    for j, (module, row) in enumerate(shares.iterrows()):
        y = plot.y + 3 + j * bar
        left = 0.0
        for rating, colour in zip(range(1, 6), colours, strict=True):
            share = float(row[rating])
            if share > 0:
                body.append(
                    f'<rect x="{plot.px(left):.1f}" y="{y:.1f}" width="{plot.px(left + share) - plot.px(left):.1f}" '
                    f'height="{bar - 5}" fill="{colour}"><title>{_e(module)}: rating {rating}, {share:.0%}</title>'
                    "</rect>"
                )
            left += share
        body.append(
            f'<text x="{plot.x - 6:.1f}" y="{y + bar / 2 + 1:.1f}" text-anchor="end" font-size="10">{_e(module)}</text>'
        )
    plot.axes([0, 0.25, 0.5, 0.75, 1], [], "share of learners who rated the module")
    plot.title("Ratings from 1 (poor) to 5 (excellent)")
    bottom = plot.y + plot.h + 48
    for rating, colour in zip(range(1, 6), colours, strict=True):
        x = plot.x + (rating - 1) * 70
        body.append(
            f'<rect x="{x:.0f}" y="{bottom - 9:.0f}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.0f}" y="{bottom:.0f}" font-size="10">{rating}</text>'
        )
    return _svg(660, bottom + 10, "Share of each rating per module", plot.parts + body)


def gain_chart(gains: Any) -> str:
    """Each module's normalized gain with its 95% interval (a point and a bar; a missing bound draws no bar)."""
    data = gains.dropna(subset=["gain"])
    values = [v for col in ("gain", "low", "high") for v in data[col] if v == v]
    ticks = nice_ticks(min(0.0, *values) if values else 0.0, max(1.0, *values) if values else 1.0, 6)
    row_h = 24
    plot = _Plot(170, 34, 460, row_h * max(1, len(data)), (ticks[0], ticks[-1]), (0, 1))
    body = []
    for j, r in enumerate(data.to_dict("records")):
        y = plot.y + row_h * j + row_h / 2
        if r["low"] == r["low"] and r["high"] == r["high"]:
            x0, x1 = plot.px(r["low"]), plot.px(r["high"])
            body.append(
                f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#0072B2" stroke-width="1.6"/>'
                f'<line x1="{x0:.1f}" x2="{x0:.1f}" y1="{y - 4:.1f}" y2="{y + 4:.1f}" stroke="#0072B2"/>'
                f'<line x1="{x1:.1f}" x2="{x1:.1f}" y1="{y - 4:.1f}" y2="{y + 4:.1f}" stroke="#0072B2"/>'
            )
        tip = f"{r['module']}: gain {r['gain']:.2f} ({r['low']:.2f} to {r['high']:.2f})"
        body.append(
            f'<circle cx="{plot.px(r["gain"]):.1f}" cy="{y:.1f}" r="4" fill="#0072B2"><title>{_e(tip)}</title></circle>'
        )
        body.append(
            f'<text x="{plot.x - 6:.1f}" y="{y + 3.5:.1f}" text-anchor="end" font-size="10">{_e(r["module"])}</text>'
        )
    zero = plot.px(0)
    body.append(
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{plot.y:.1f}" y2="{plot.y + plot.h:.1f}" '
        'stroke="var(--muted)" stroke-width="0.8"/>'
    )
    plot.axes(ticks, [], "normalized learning gain (95% bootstrap interval)")
    plot.title("Share of the possible improvement achieved")
    return _svg(660, plot.y + plot.h + 44, "Normalized learning gain per module", plot.parts + body)
