"""The pieces every chart form is built of, each written once: point markers and legend
handles, the figure and its grid of panels, tick locators, label wrapping and fitting, the
finishing touches (titles, room for value labels), the overlay that draws another text's
value -- a value not chosen by the rule -- as a hollow point in the conflict colour, and for
charts of many regions and years: pages of panels (a panel cap per chart, the rest in further
charts), region labels that shorten long names, and optional value labels (left out when they
would collide, :func:`zzdata.viz.overlap.declutter`).
"""

from __future__ import annotations

import textwrap
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .layout import set_titles
from .overlap import optional  # noqa: F401 - the forms mark optional labels through pieces
from .style import COLORS, new_figure
from .words import Title, Words

# --------------------------------------------------------------------------- markers


def filled(color: str) -> dict:
    return {"marker": "o", "markersize": 7, "markerfacecolor": color, "markeredgecolor": color}


def hollow(color: str) -> dict:
    return {"marker": "o", "markersize": 7, "markerfacecolor": "white", "markeredgecolor": color,
            "markeredgewidth": 1.6}


def style_color(style: dict) -> str:
    """The colour a marker style reads as: its face, or its edge when hollow."""
    face = style.get("markerfacecolor", COLORS["text"])
    return style.get("markeredgecolor", COLORS["text"]) if face in ("white", "none") else face


def legend_handles(items: list[tuple[str, dict]]) -> list[Any]:
    """Legend entries for marker styles: [(label, style), …]."""
    from matplotlib.lines import Line2D

    return [Line2D([], [], linestyle="none", label=label, **style) for label, style in items]


# --------------------------------------------------------------------------- figures and grids


def new(nrows: int, ncols: int, size: tuple[float, float], grid: str | None = "y",
        **kw) -> tuple[Any, np.ndarray]:
    """style.new_figure with a 2-D array of axes."""
    return new_figure(size, nrows=nrows, ncols=ncols, grid=grid, squeeze=False, **kw)


def stacked(rows: Sequence[int], *, per_row: float = 0.42, per_panel: float = 0.5,
            width_ratios: Sequence[float] | None = None) -> tuple[Any, np.ndarray]:
    """Panels of horizontal rows stacked top to bottom, each as tall as its number of ``rows``
    (``per_row`` inches a row, at least an inch), in a figure 8 inches wide; with
    ``width_ratios`` each panel is a row of that many axes side by side."""
    heights = [max(1.0, per_row * n + 0.5) for n in rows]
    gridspec = {"height_ratios": heights}
    if width_ratios is not None:
        gridspec["width_ratios"] = list(width_ratios)
    ncols = len(width_ratios) if width_ratios is not None else 1
    return new(len(rows), ncols, (8.0, 1.7 + sum(heights) + per_panel * len(rows)),
               gridspec_kw=gridspec, grid="x")


# --------------------------------------------------------------------------- ticks


def format_ticks(ax, words: Words, unit: str | None = None, axis: str = "y", digits: int = 3) -> None:
    """Label an axis' ticks as `words` writes values (5000亿, 1万亿, 1.5万亿 / 500 billion)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: words.value(v, unit, digits=digits))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def NonNegativeLocator():  # noqa: N802 - reads like the matplotlib locator it returns
    """MaxNLocator that drops ticks below zero (the axis extends below zero only for labels)."""
    from matplotlib.ticker import MaxNLocator

    class _Loc(MaxNLocator):
        def tick_values(self, vmin, vmax):
            return [t for t in super().tick_values(vmin, vmax) if t >= 0]

    return _Loc(nbins=5)


def round_ticks(ax, axis: str = "x") -> None:
    """Ticks on 1, 2, 5 steps (no 2.5 steps that a 3-digit label would round to 103%)."""
    from matplotlib.ticker import MaxNLocator

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))


# --------------------------------------------------------------------------- labels


def wrap_title(text: str, width_in: float, fontsize: float, words: Words) -> str:
    """Wrap a panel title to the panel width (character counts: CJK about 1 em, Latin 0.55 em)."""
    per_line = max(6, int(width_in * 72 / (fontsize * (1.0 if words.zh else 0.55))))
    if words.zh:
        return "\n".join(text[i:i + per_line] for i in range(0, len(text), per_line))
    return "\n".join(textwrap.wrap(text, per_line)) or text


def panel_title(ax, text: str, **kwargs: Any) -> None:
    """A panel's title, left-aligned above the axes. Where the x axis keeps its ticks and label at
    the bottom (every form but the overview's table), the title's place is fixed at the axes' top:
    matplotlib would otherwise look for room above the tick labels at every draw (some 6 % of a
    chart's work, measured), to find that same place. Its own search stays where the ticks are on
    top."""
    on_top = ax.xaxis.get_ticks_position() in ("top", "unknown") or ax.xaxis.get_label_position() == "top"
    ax.set_title(text, loc="left", **({} if on_top else {"y": 1.0}), **kwargs)


def wrap_label(text: str, words: Words, width: int = 24) -> str:
    """Wrap long English row labels on two lines (Chinese names are short enough)."""
    if words.zh or len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width))


#: Axes whose x limits are a year axis: value labels never widen them (see :func:`keep_x`).
_KEEP_X: weakref.WeakSet = weakref.WeakSet()


def keep_x(ax) -> None:
    """Keep the x limits of `ax` as drawn (a year axis): :func:`fit_x` leaves them alone."""
    _KEEP_X.add(ax)


def fit_x(ax, max_iter: int = 8, pad_px: float = 6.0) -> None:
    """Widen the x limits until every value label of the axes lies inside it (labels are kept
    out of the layout, so long labels do not squeeze the plot; the data range makes room)."""
    if ax in _KEEP_X:
        return
    fig = ax.get_figure(root=True)
    renderer = fig.canvas.get_renderer()
    may_go_left = ax.get_xlim()[0] != 0  # an axis starting at 0 (shares, counts) stays there
    for _ in range(max_iter):
        texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
        if not texts:
            return
        box = ax.get_window_extent(renderer)
        ext = [t.get_window_extent(renderer) for t in texts]
        over_r = max(e.x1 for e in ext) + pad_px - box.x1
        over_l = box.x0 - (min(e.x0 for e in ext) - pad_px)
        if over_r <= 0.5 and over_l <= 0.5:
            return
        x0, x1 = ax.get_xlim()
        scale = (x1 - x0) / max(box.width, 1.0)
        if over_r > 0.5:
            x1 += over_r * scale * 1.2
        if over_l > 0.5 and may_go_left:
            x0 -= over_l * scale * 1.2
        elif over_r <= 0.5:
            return
        ax.set_xlim(x0, x1)


def finish(fig, title: Title, words: Words) -> None:
    """Titles (the title in the words' language, a Chinese chart's English one under it), then keep
    value labels out of the layout and make room for them in the axes."""
    for ax in fig.axes:
        for t in ax.texts:
            t.set_in_layout(False)
    set_titles(fig, *title.shown(words))
    for ax in fig.axes:
        if ax.get_visible() and ax.axison:
            fit_x(ax)


# --------------------------------------------------------------------------- other texts' values


def others_for(others: pd.DataFrame | None, indicator: str, region: str, year: int, status: str | None,
               measure: str) -> list[Any]:
    """The values other texts give for one key (rows of :func:`zzdata.series.choice.alternatives`)."""
    return others_by_row(others, indicator, status, measure).get((region, year), [])


def others_by_row(others: pd.DataFrame | None, indicator: str, status: str | None,
                  measure: str) -> dict[tuple[Any, Any], list[Any]]:
    """The values other texts give for one indicator, status and measure, by (region, year): a
    panel of many regions looks them up row by row, not by filtering all of them once a row."""
    if others is None or others.empty or status is None:
        return {}
    m = others[(others["indicator"] == indicator) & (others["status"] == status) & (others["measure"] == measure)]
    found: dict[tuple[Any, Any], list[Any]] = {}
    for r in m.itertuples():
        found.setdefault((r.region, r.year), []).append(r)
    return found


def mark_other(ax, x: float, y: float, zorder: float = 5) -> None:
    """Another text's value: a hollow point in the conflict colour."""
    ax.plot([x], [y], linestyle="none", zorder=zorder, **hollow(COLORS["conflict"]))


def mark_others_on_rows(ax, others_per_row: Sequence[list[Any]], words: Words) -> list[str]:
    """Other texts' values on the rows of a dumbbell of rates (rows top to bottom, as
    :func:`~zzdata.viz.forms.dumbbell.dumbbell` draws them), each labelled below its point.
    Returns their fact_ids."""
    fact_ids: list[str] = []
    for y, others in zip(np.arange(len(others_per_row))[::-1], others_per_row, strict=True):
        for a in others:
            mark_other(ax, a.value, y)
            ax.annotate(words.value(a.value, "%"), (a.value, y), xytext=(0, -7), textcoords="offset points",
                        ha="center", va="top", fontsize=8, color=COLORS["conflict"])
            fact_ids.append(a.fact_id)
    return fact_ids


# --------------------------------------------------------------------------- many panels, many regions


def pages(items: Sequence[Any], per_page: int) -> list[list[Any]]:
    """Items in chunks of ``per_page`` (the panels of one chart; the rest go to further charts)."""
    per_page = max(1, int(per_page))
    return [list(items[i:i + per_page]) for i in range(0, len(items), per_page)] or [[]]


def page_note(page: int, n_pages: int, first: int, last: int, total: int, words: Words) -> str | None:
    """Which panels of how many a chart shows, when a view needs more than one chart."""
    if n_pages <= 1:
        return None
    key = "page_note" if last > first else "page_note_one"  # "indicator 7 of 8", not "indicators 7–7 of 8"
    return words.phrase(key, page=page, pages=n_pages, first=first, last=last, n=total)


#: Names longer than this (characters) are shortened in crowded charts: Chinese, English.
_MAX_NAME = {"zh": 6, "en": 18}


def region_labels(regions: Sequence[str], words: Words, width: int | None = None) -> tuple[dict[str, str], str | None]:
    """The labels of regions in a chart of many: the full name when it is short, else the short
    name (:meth:`~zzdata.viz.words.Words.short_region`), English ones wrapped on two lines of
    ``width`` characters. Returns the labels and a note part naming the short names (None when
    every name is written in full)."""
    from .words import abbreviate_words

    limit = _MAX_NAME["zh" if words.zh else "en"]
    labels, shortened = {}, []
    for r in dict.fromkeys(regions):
        full = words.region(r)
        label = full if len(full) <= limit else words.short_region(r)
        if label != full and label != abbreviate_words(full):  # Dist. for District needs no key
            shortened.append(words.phrase("abbreviation_item", short=label, name=full))
        if not words.zh and len(label) > (width or limit):
            label = "\n".join(textwrap.wrap(label, width or limit, break_on_hyphens=False)[:2])
        labels[r] = label
    return labels, (words.phrase("abbreviations", items=words.join(shortened)) if shortened else None)


def two_lines(labels: Sequence[str]) -> bool:
    return any("\n" in x for x in labels)
