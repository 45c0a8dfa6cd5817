"""Value labels: at the ends of bars, and beside points with colliding labels nudged apart.
Imports neither pandas nor the rest of zzdata: the caller says how a value is written (a chart:
``words.value``, in its language).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .style import COLORS


def label_bars(
    ax: Any,
    bars: Any,
    fmt: str | Callable[[float], str],
    *,
    inside: bool = False,
    padding: float = 3,
    **text_kw: Any,
) -> list[Any]:
    """Write each bar's value at its end (or centred inside) and return the Text objects.

    ``fmt`` is a ``str.format`` pattern (``"{:.1f}%"``) or a callable (a chart's
    ``lambda v: words.value(v, unit)``: 13.93万元 / 139,300 yuan). NaN gives no label.
    """
    formatter = fmt.format if isinstance(fmt, str) else fmt
    labels = []
    for value in bars.datavalues:
        value = float(value)
        labels.append("" if math.isnan(value) else formatter(value))
    text_kw.setdefault("fontsize", 9.5)
    text_kw.setdefault("color", "white" if inside else COLORS["text"])
    return ax.bar_label(
        bars,
        labels=labels,
        label_type="center" if inside else "edge",
        padding=0 if inside else padding,
        **text_kw,
    )


def _overlap(a: Any, b: Any, gap: float) -> bool:
    return a.x0 < b.x1 + gap and b.x0 < a.x1 + gap and a.y0 < b.y1 + gap and b.y0 < a.y1 + gap


def _nudge_apart(annotations: list[Any], gap_pt: float, max_iter: int) -> None:
    """Move colliding labels apart vertically (in offset points) until none overlap."""
    if len(annotations) < 2:
        return
    fig = annotations[0].get_figure(root=True)
    px_per_pt = fig.dpi / 72.0
    gap = gap_pt * px_per_pt
    # Labels of points outside the axes are not drawn (their extent is the unit box).
    annotations = [a for a in annotations if a.get_window_extent().width > 1]
    for _ in range(max_iter):
        boxes = [a.get_window_extent() for a in annotations]
        order = sorted(range(len(annotations)), key=lambda i: ((boxes[i].y0 + boxes[i].y1) / 2, i))
        moved = False
        for pos, i in enumerate(order):
            for j in order[pos + 1 :]:
                lower, upper = boxes[i], boxes[j]
                if not _overlap(lower, upper, gap):
                    continue
                shift_pt = (lower.y1 + gap - upper.y0) / px_per_pt / 2 + 0.01
                for k, sign in ((i, -1), (j, +1)):
                    dx, dy = annotations[k].xyann
                    annotations[k].xyann = (dx, dy + sign * shift_pt)
                    boxes[k] = annotations[k].get_window_extent()
                moved = True
        if not moved:
            return


def label_points(
    ax: Any,
    xs: Iterable[float],
    ys: Iterable[float],
    texts: Iterable[str],
    *,
    offset: float = 6,
    where: str = "auto",
    color: str | Sequence[str] | None = None,
    fontsize: float = 9.5,
    ha: str = "center",
    avoid_overlap: bool = True,
    min_gap: float = 1.0,
    max_iter: int = 100,
    **text_kw: Any,
) -> list[Any]:
    """Label points ``offset`` points above (or below) them; colliding labels are nudged
    vertically apart.

    ``where`` is ``"above"``, ``"below"`` or ``"auto"`` (below for a point lower than
    both neighbours in x order, so a line does not run through its label). Overlaps are
    resolved in display space at call time, so call this after the data, limits and
    figure size are final. Returns the Annotation objects.
    """
    xs, ys, texts = list(xs), list(ys), list(texts)
    if not len(xs) == len(ys) == len(texts):
        raise ValueError("xs, ys and texts must have the same length")
    if where not in ("above", "below", "auto"):
        raise ValueError(f"where must be 'above', 'below' or 'auto', not {where!r}")
    colors = [color] * len(xs) if color is None or isinstance(color, str) else list(color)
    below = [where == "below"] * len(xs)
    if where == "auto":
        order = sorted(range(len(xs)), key=lambda i: (xs[i], i))
        for pos, i in enumerate(order):
            neighbours = [ys[order[p]] for p in (pos - 1, pos + 1) if 0 <= p < len(order)]
            below[i] = bool(neighbours) and all(ys[i] < n for n in neighbours)
    annotations = []
    for x, y, text, c, down in zip(xs, ys, texts, colors, below, strict=True):
        annotations.append(
            ax.annotate(
                text,
                (x, y),
                xytext=(0, -offset if down else offset),
                textcoords="offset points",
                ha=ha,
                va="top" if down else "bottom",
                fontsize=fontsize,
                color=c if c is not None else COLORS["text"],
                **text_kw,
            )
        )
    if avoid_overlap:
        _nudge_apart(annotations, min_gap, max_iter)
    return annotations
