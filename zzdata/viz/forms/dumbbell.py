"""Two values per row on one shared axis, joined by a line: a target and its result, the city
and a district, the value used and another text's. The building block of the rate panels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..pieces import filled, format_ticks, hollow, legend_handles, round_ticks, style_color, wrap_label
from ..style import COLORS, styled


@styled
def dumbbell(ax, labels: Sequence[str], a: Sequence[float], b: Sequence[float], *,
             a_label: str, b_label: str, unit: str = "%", words: Words,
             a_style: dict | None = None, b_style: dict | None = None,
             a_text: Sequence[str] | None = None, b_text: Sequence[str] | None = None,
             b_colors: Sequence[str] | None = None, legend: bool = True,
             legend_items: list[tuple[str, dict]] | None = None,
             right_text: Sequence[str] | None = None) -> None:
    """Two values per row on one shared axis (same unit), joined by a line, each labelled.

    Rows are drawn top to bottom in the order given. ``a`` is drawn hollow by default (e.g. a
    target or the city), ``b`` filled (the result, the district). Labels sit outside the pair:
    the smaller value's label on its left, the larger's on its right, so they never overlap.
    With ``right_text`` one label per row goes right of the rightmost point instead.
    """
    n = len(labels)
    ys = np.arange(n)[::-1]
    a_style = a_style or hollow(COLORS["target"])
    b_style = b_style or filled(COLORS["actual"])
    a_text = list(a_text) if a_text is not None else [words.value(v, unit) for v in a]
    b_text = list(b_text) if b_text is not None else [words.value(v, unit) for v in b]
    for i, y in enumerate(ys):
        va, vb = a[i], b[i]
        if not (pd.isna(va) or pd.isna(vb)):
            ax.plot([va, vb], [y, y], color=COLORS["neutral"], linewidth=2.4, zorder=1,
                    solid_capstyle="round")
        style_b = dict(b_style)
        if b_colors is not None:
            style_b.update(markerfacecolor=b_colors[i], markeredgecolor=b_colors[i])
        if not pd.isna(va):
            ax.plot([va], [y], linestyle="none", zorder=3, **a_style)
        if not pd.isna(vb):
            ax.plot([vb], [y], linestyle="none", zorder=4, **style_b)
        pairs = [(va, a_text[i], style_color(a_style)), (vb, b_text[i], style_color(style_b))]
        pairs = [p for p in pairs if not pd.isna(p[0])]
        pairs.sort(key=lambda p: p[0])
        if right_text is not None and pairs:
            ax.annotate(right_text[i], (pairs[-1][0], y), xytext=(8, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=9, color=COLORS["text"])
            continue
        if len(pairs) == 2 and pairs[0][0] == pairs[1][0]:
            # Same value: one label on the right naming both.
            ax.annotate(f"{pairs[1][1]}", (pairs[1][0], y), xytext=(8, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=9, color=COLORS["text"])
            continue
        for k, (v, text, color) in enumerate(pairs):
            left = k == 0 and len(pairs) == 2
            ax.annotate(text, (v, y), xytext=(-8 if left else 8, 0), textcoords="offset points",
                        ha="right" if left else "left", va="center", fontsize=9, color=color)
    ax.set_yticks(ys, [wrap_label(str(x), words) for x in labels])
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(False)
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0, labelcolor=COLORS["text"])
    format_ticks(ax, words, unit, axis="x")
    round_ticks(ax)
    vals = [v for v in list(a) + list(b) if not pd.isna(v)]
    if vals:
        lo, hi = min(vals), max(vals)
        span = max(hi - lo, abs(hi) * 0.25, 1.0)
        left, right = lo - span * 0.35, hi + span * 0.35
        if lo >= 0 > left and lo < span * 0.6:
            left = min(0.0, lo - span * 0.35)  # start at zero when the values are near it
        ax.set_xlim(left, right)
        if left < 0 < right:
            ax.axvline(0, color=COLORS["axis"], linewidth=0.8, zorder=0)
    if legend:
        items = legend_items if legend_items is not None else [(a_label, a_style), (b_label, b_style)]
        ax.legend(handles=legend_handles(items), loc="lower right",
                  bbox_to_anchor=(1.0, 1.0), ncols=len(items), fontsize=9, handletextpad=0.3, borderaxespad=0.2,
                  columnspacing=1.2)
