"""Year over year: one small panel per series on a real year axis, for 2 to 20 years and more.

A year the texts do not give is a visible gap: the line between the years on either side is
dotted, never drawn as if the years were adjacent. A pair that is not comparable (a multi-year
or part-year figure beside a year's, a definition break, see ``reason`` in
:mod:`zzdata.series.compare`) is not joined at all, and named under the chart. Values are
written where they fit: the last and first year's, the highest and lowest, then the others while
a series is short; the change on each segment while there are few (optional labels that would
collide are left out when the chart is saved). A chart holds at most :data:`MAX_PANELS`
panels; further panels go to further charts. The note under a chart names at most
:data:`~zzdata.viz.words.NAMED_UP_TO` values of other texts and as many pairs not compared, and
counts the rest, so it keeps its length over 20 years and many texts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from ...core import periods
from ..book import Chart
from ..numbers import pct
from ..overlap import OPTIONAL, numeric_locator
from ..pieces import (
    NonNegativeLocator,
    filled,
    finish,
    format_ticks,
    hollow,
    keep_x,
    mark_other,
    new,
    optional,
    page_note,
    pages,
    panel_title,
    wrap_title,
)
from ..style import COLORS, styled
from ..words import Title, Words, name_first

KEY = ["indicator", "region", "status", "measure", "unit"]
_OTHER_KEY = ["indicator", "region", "status", "measure", "year"]
#: Panels per chart (3 x 3); every value labelled up to this many years, segment changes up to
#: this many segments.
MAX_PANELS, ALL_LABELS_UP_TO, CHANGES_UP_TO = 9, 6, 4
DOTTED = (0, (1.2, 1.6))
CHANGE_PRIORITY = 4  # the change written on a segment: after the values


def pair_reason(row) -> str | None:
    """Why a row is not compared with the year before it: None when there is no year before, ""
    when it is comparable, else the reason's code (``reason`` column, or ``comparable`` alone)."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    if pd.isna(get("prev_value")):
        return None
    reason = get("reason", None)
    if isinstance(reason, str):
        return reason
    return "" if bool(get("comparable", True)) else "multi_year"


def year_ticks(ax, first: int, last: int, max_ticks: int = 5) -> None:
    """Year ticks on round steps (1, 2, 5, 10 years) with a small mark on every year."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    span = last - first
    step = next((s for s in (1, 2, 5, 10, 20, 50) if span / s < max_ticks), 100)
    start = first if step == 1 else math.ceil(first / step) * step
    ax.xaxis.set_major_locator(numeric_locator(range(start, last + 1, step)))  # thinned if crowded
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{int(round(v))}"))
    ax.xaxis.set_minor_locator(FixedLocator(list(range(first, last + 1))))
    ax.tick_params(axis="x", which="minor", length=2, color=COLORS["axis"])
    ax.set_xlim(first - 0.6, last + 0.6)


def _label_priority(n: int, i: int, vals: Sequence[float]) -> int | None:
    """How important the value label of point i is (0 first), None for no label."""
    if i == n - 1:
        return 0
    if i == 0:
        return 1
    if vals[i] == max(vals) or vals[i] == min(vals):
        return 2
    return 5 if n <= ALL_LABELS_UP_TO else None


@styled
def draw_slope(ax, frame: pd.DataFrame, *, words: Words, others: pd.DataFrame | None = None,
               years: Sequence[int] | None = None, title_width: float = 2.2,
               change_labels: bool | None = None) -> list[str]:
    """One series (one indicator, region, status, measure and unit; rows of
    :func:`zzdata.series.compare.year_over_year`) on `ax` over a year axis spanning ``years``
    (default: the series' own): its values as points, consecutive years joined by a line, a gap
    of missing years by a dotted line, a pair not compared not joined; the city's colour or a
    district's (``region_level``). A preliminary value is hollow; values of ``others`` (other
    texts' values of the same keys) are hollow points in the conflict colour. Levels start at
    zero. ``change_labels`` (default: for levels and rates, not growth) writes the change on the
    segments of a short series. Returns the fact_ids drawn."""
    g = frame.sort_values("year")
    unit, measure = g["unit"].iloc[0], g["measure"].iloc[0]
    city = g["region_level"].iloc[0] == "city"
    xs = g["year"].astype(int).tolist()
    vals = g["value"].astype(float).tolist()
    all_years = sorted(set(years) | set(xs)) if years is not None else xs
    color = COLORS["city"] if city else COLORS["district"]
    rows = list(g.itertuples())
    reasons = [pair_reason(r) for r in rows]
    span = max(all_years) - min(all_years) + 1
    size, width = (5.5, 2.0) if span <= 8 else (3.6, 1.5)  # a long series: smaller points, thinner lines
    for i in range(1, len(rows)):
        if reasons[i] != "" or rows[i].prev_year != xs[i - 1]:
            continue
        gap = xs[i] - xs[i - 1] > 1
        ax.plot(xs[i - 1:i + 1], vals[i - 1:i + 1], color=color, zorder=2,
                linewidth=width * 0.7 if gap else width, linestyle=DOTTED if gap else "-")
    for x, v, p, period in zip(xs, vals, g["preliminary"].astype(bool), g["period"].astype(str), strict=True):
        if periods.is_multi_year(period):  # several years: a hollow square, a line over its years
            first = int(period.split("-", 1)[0])  # "2018-2022": the first year of the span
            ax.plot([first, x], [v, v], color=color, linewidth=1.0, alpha=0.6, zorder=2)
            ax.plot([x], [v], linestyle="none", zorder=3, **{**hollow(color), "marker": "s", "markersize": size})
            continue
        ax.plot([x], [v], linestyle="none", zorder=3, **{**(hollow(color) if p else filled(color)), "markersize": size})
    fact_ids = g["fact_id"].tolist()
    extra = []
    for a in (others.itertuples() if others is not None else []):
        mark_other(ax, int(a.year), a.value, zorder=4)
        fact_ids.append(a.fact_id)
        extra.append((int(a.year), float(a.value)))
    # Axis: levels from zero (an honest slope); rates around their values, zero in view.
    allv = vals + [v for _, v in extra]
    lo, hi = min(allv), max(allv)
    if measure == "level" and lo >= 0:
        top = hi * 1.3 if hi > 0 else 1
        ax.set_ylim(-0.14 * top, top)  # room for labels under low points; ticks start at zero
        ax.yaxis.set_major_locator(NonNegativeLocator())
        ax.spines["bottom"].set_visible(False)
        ax.axhline(0, color=COLORS["axis"], linewidth=0.8, zorder=1)
    else:
        span = (hi - lo) or abs(hi) or 1
        ax.set_ylim(min(lo, 0) - span * 0.25, max(hi, 0) + span * 0.35)
        if measure == "growth" and lo < 0 < hi:
            ax.axhline(0, color=COLORS["axis"], linewidth=0.8, zorder=1)
    year_ticks(ax, all_years[0], all_years[-1], max_ticks=5 if title_width > 2 else 4)
    keep_x(ax)  # the years stay where they are; a label that does not fit is left out
    ax.tick_params(axis="x", which="major", length=0, labelsize=8)
    # Chinese ticks carry the unit compactly (5000亿元); English ones only the number.
    format_ticks(ax, words, unit if words.zh or unit == "%" else "", digits=3)
    ax.tick_params(axis="y", labelsize=8)
    # Value labels: below a point the line runs above, else above; the less important ones are
    # optional (left out when they would collide).
    n = len(xs)
    for i, (x, v) in enumerate(zip(xs, vals, strict=True)):
        priority = _label_priority(n, i, vals)
        if priority is None:
            continue
        same_year = [ev for ex, ev in extra if ex == x]
        neighbours = [vals[k] for k in (i - 1, i + 1) if 0 <= k < n]
        down = v < min(same_year) if same_year else bool(neighbours) and all(nb > v for nb in neighbours)
        # The first and last labels run inwards from their points, so they stay inside the panel.
        ha = "center" if n == 1 or 0 < i < n - 1 else ("left" if i == 0 else "right")
        t = ax.annotate(words.value(v, unit), (x, v), xytext=(0, -6 if down else 6), textcoords="offset points",
                        ha=ha, va="top" if down else "bottom", fontsize=8, color=color, zorder=6)
        optional(t, priority)
    for x, v in extra:
        chosen = vals[xs.index(x)] if x in xs else v
        t = ax.annotate(words.value(v, unit), (x, v), xytext=(0, 6 if v > chosen else -6),
                        textcoords="offset points", ha="center", va="bottom" if v > chosen else "top", fontsize=8,
                        color=COLORS["conflict"], zorder=6)
        optional(t, 2)
    # The change on each segment, on a white ground, while there are few segments.
    if change_labels is None:
        change_labels = measure != "growth"
    joined = [r for r, why in zip(rows, reasons, strict=True) if why == ""]
    if change_labels and 0 < len(joined) <= CHANGES_UP_TO:
        for r in joined:
            ch = pct(r.pct_change) if measure == "level" and not pd.isna(r.pct_change) else words.points(r.change)
            if int(r.years_apart) > 1:
                ch += words.phrase("years_apart", n=int(r.years_apart))
            t = ax.annotate(ch, ((r.prev_year + r.year) / 2, (r.prev_value + r.value) / 2), ha="center", va="center",
                            fontsize=7.5, color=COLORS["muted"], zorder=5,
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
            optional(t, CHANGE_PRIORITY)
    title = words.indicator(g.iloc[0])
    if measure == "growth":
        title = words.growth(title)
    if not city:
        title = f"{words.region(g['region'].iloc[0])} {title}"
    panel_title(ax, wrap_title(title, title_width, 9.5, words), fontsize=9.5, pad=4)
    return fact_ids


def not_compared_pairs(yoy: pd.DataFrame, words: Words) -> list[str]:
    """The year pairs not compared, with the reason in words, for the note: the first
    :data:`~zzdata.viz.words.NAMED_UP_TO` named, the rest counted with their reasons (the chart
    does not join any of them)."""
    pairs = []
    for r in yoy.itertuples():
        why = pair_reason(r)
        if why:
            name = words.indicator(r, status=False)
            if r.measure == "growth":
                name = words.growth(name)
            pairs.append((why, words.phrase("year_pair", name=name, prev=int(r.prev_year), year=int(r.year))))
    named, rest = name_first(pairs)
    parts: dict[str, list[str]] = {}
    for why, text in named:
        parts.setdefault(why, []).append(text)
    items = [words.phrase("not_compared_item", items=words.join(v), reason=words.reason(k)) for k, v in parts.items()]
    out = [words.phrase("not_compared", items=words.join(items, "list_sep"))] if items else []
    if rest:
        out.append(words.more_not_compared("more_year_pairs", [why for why, _ in rest]))
    return out


def _other_note(name: str, unit: str, a, documents: pd.DataFrame, words: Words) -> str:
    """One value of another text beside the value used (a row of
    :func:`zzdata.series.choice.alternatives`), both with their texts."""
    return words.phrase("slope_other", name=name, year=int(a.year), chosen=words.value(a.chosen_value, unit),
                  chosen_doc=words.doc(a.chosen_doc, documents, short=True),
                  other_doc=words.doc(a.doc, documents, short=True), other=words.value(a.value, unit))


@styled
def slope_panels(yoy: pd.DataFrame, alternatives: pd.DataFrame | None, documents: pd.DataFrame,
                 title: Title, words: Words, ncols: int = 3,
                 min_years: int = 2, max_panels: int = MAX_PANELS,
                 change_labels: bool | None = None) -> list[Chart]:
    """One panel per indicator series (indicator, region, status, measure, unit) with at least
    `min_years` years (:func:`draw_slope`), each on its own axis, so indicators with different
    units never share one; at most ``max_panels`` a chart, the rest in further charts (each note
    says which of how many it shows). Values of other texts that disagree with the chosen one
    (``alternatives`` from :func:`zzdata.series.choice.alternatives`) are hollow points in the
    conflict colour, named in the note; pairs not compared are named with their reason (at most
    :data:`~zzdata.viz.words.NAMED_UP_TO` of each named, the rest counted).
    Returns the charts (empty when no series has `min_years` years)."""
    rows = yoy[yoy["n_years"] >= min_years]
    if rows.empty:
        return []
    groups = [g for _, g in rows.groupby(KEY, sort=False)]
    groups.sort(key=lambda g: (g["measure"].iloc[0] != "level", str(g["indicator"].iloc[0])))
    alts = alternatives if alternatives is not None else pd.DataFrame(columns=KEY + ["year", "value", "doc"])
    all_years = sorted(rows["year"].dropna().astype(int).unique())
    chunks = pages(groups, max_panels)
    charts = []
    for page, chunk in enumerate(chunks, start=1):
        n = len(chunk)
        cols = max(1, min(ncols, n))
        nrows = math.ceil(n / cols)
        width = {1: 5.5, 2: 7.0}.get(cols, 8.0)
        fig, axes = new(nrows, cols, (width, 1.2 + 2.5 * nrows))
        fact_ids: list[str] = []
        others: list[tuple[str, str, object]] = []  # (name, unit, row): the values of other texts drawn
        for idx, g in enumerate(chunk):
            mine = alts.merge(g.sort_values("year")[_OTHER_KEY], on=_OTHER_KEY) if len(alts) else alts
            fact_ids += draw_slope(axes.flat[idx], g, words=words, others=mine, years=all_years,
                                   title_width=width / cols - 0.5, change_labels=change_labels)
            unit = g["unit"].iloc[0]
            name = words.indicator(g.iloc[0], status=False)
            if len(mine):
                others += [(name, unit, a) for a in mine.sort_values("year", kind="stable").itertuples()]
        for ax in list(axes.flat)[n:]:
            ax.set_axis_off()
        finish(fig, title.page(page), words)
        shown = pd.concat(chunk)
        notes = [page_note(page, len(chunks), (page - 1) * max_panels + 1, (page - 1) * max_panels + n,
                           len(groups), words), words.phrase("slope_legend")]
        if any(t.get_gid() == f"{OPTIONAL}{CHANGE_PRIORITY}" for a in fig.axes for t in a.texts):
            notes.append(words.phrase("slope_changes"))
        if shown["preliminary"].astype(bool).any():
            notes.append(words.phrase("slope_preliminary"))
        gaps = [r for r in shown.itertuples() if pair_reason(r) == "" and int(r.years_apart) > 1]
        if gaps:
            notes.append(words.phrase("slope_gap"))
        if shown["period"].astype(str).map(periods.is_multi_year).any():
            notes.append(words.phrase("slope_multi_year"))
        notes += words.name_others(others, lambda o: _other_note(*o, documents, words))
        notes += not_compared_pairs(shown, words)
        charts.append(Chart(fig, fact_ids, [], words.note(notes)))
    return charts
