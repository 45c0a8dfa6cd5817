"""Year over year: one small panel per series, its values in every year present joined by a line,
the change from the previous year written on each segment."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from ..annotate import label_points
from ..book import Chart
from ..numbers import format_ticks, format_value, pct
from ..pieces import NonNegativeLocator, filled, finish, hollow, mark_other, new, wrap_title
from ..style import COLORS
from ..words import doc_label, indicator_name, is_zh, note, phrase, points, region_name

KEY = ["indicator", "region", "status", "measure", "unit"]
_OTHER_KEY = ["indicator", "region", "status", "measure", "year"]


def draw_slope(ax, frame: pd.DataFrame, *, lang: str = "zh", others: pd.DataFrame | None = None,
               years: Sequence[int] | None = None, title_width: float = 2.2) -> list[str]:
    """One series (one indicator, region, status, measure and unit; rows of
    :func:`zzdata.series.compare.year_over_year`) on `ax`: its values joined by a line and
    labelled, the change on each segment, in the city's colour or a district's (``region_level``).
    Values of ``others`` (other texts' values of the same keys) are hollow points in the conflict
    colour; a preliminary value is hollow. Levels start at zero. The x axis spans ``years``
    (default: the series' own). Returns the fact_ids drawn."""
    g = frame.sort_values("year")
    unit, measure = g["unit"].iloc[0], g["measure"].iloc[0]
    city = g["region_level"].iloc[0] == "city"
    xs = g["year"].astype(int).tolist()
    vals = g["value"].astype(float).tolist()
    all_years = sorted(years) if years is not None else xs
    color = COLORS["city"] if city else COLORS["district"]
    ax.plot(xs, vals, color=color, linewidth=2.0, zorder=2)
    prelim = g["preliminary"].astype(bool).tolist()
    for x, v, p in zip(xs, vals, prelim, strict=True):
        ax.plot([x], [v], linestyle="none", zorder=3, **(hollow(color) if p else filled(color)))
    fact_ids = g["fact_id"].tolist()
    texts = [format_value(v, unit, lang) for v in vals]
    extra_x, extra_y, extra_t = [], [], []
    for a in (others.itertuples() if others is not None else []):
        mark_other(ax, int(a.year), a.value, zorder=4)
        fact_ids.append(a.fact_id)
        extra_x.append(int(a.year))
        extra_y.append(a.value)
        extra_t.append(format_value(a.value, unit, lang))
    # Axis: levels from zero (an honest slope); rates around their values.
    allv = vals + extra_y
    lo, hi = min(allv), max(allv)
    if measure == "level" and lo >= 0:
        top = hi * 1.32 if hi > 0 else 1
        ax.set_ylim(-0.16 * top, top)  # room for labels under low points; ticks start at zero
        ax.yaxis.set_major_locator(NonNegativeLocator())
        ax.spines["bottom"].set_visible(False)
        ax.axhline(0, color=COLORS["axis"], linewidth=0.8, zorder=1)
        ax.tick_params(axis="x", length=0)
    else:
        span = (hi - lo) or abs(hi) or 1
        ax.set_ylim(min(lo, 0) - span * 0.25, max(hi, 0) + span * 0.35)
    ax.set_xlim(all_years[0] - 0.6, all_years[-1] + 0.6)
    ax.set_xticks(all_years, [str(y) for y in all_years])
    # Chinese ticks carry the unit compactly (5000亿元); English ones only the number.
    format_ticks(ax, unit if is_zh(lang) else "", lang, digits=3)
    ax.tick_params(axis="y", labelsize=8)
    # Labels: chosen values in the series colour, other texts' values in the conflict colour;
    # where two values share a year, the larger is labelled above and the smaller below.
    above: list[tuple[float, float, str, str]] = []
    below: list[tuple[float, float, str, str]] = []
    for i, (x, v, t) in enumerate(zip(xs, vals, texts, strict=True)):
        same_year = [ev for ex, ev in zip(extra_x, extra_y, strict=True) if ex == x]
        neighbours = [vals[k] for k in (i - 1, i + 1) if 0 <= k < len(vals)]
        if same_year:
            down = v < min(same_year)
        else:  # below where the line runs above the point, so the line never crosses its label
            down = bool(neighbours) and all(n > v for n in neighbours)
        (below if down else above).append((x, v, t, color))
    for x, v, t in zip(extra_x, extra_y, extra_t, strict=True):
        chosen_v = vals[xs.index(x)] if x in xs else v
        (above if v > chosen_v else below).append((x, v, t, COLORS["conflict"]))
    for where, items in (("above", above), ("below", below)):
        if items:
            xs_, ys_, ts_, cs_ = zip(*items, strict=True)
            label_points(ax, xs_, ys_, ts_, color=list(cs_), fontsize=8.5, where=where, offset=6)
    # The change on each segment, on a white ground at the segment's middle.
    for r in g.itertuples():
        if pd.isna(r.prev_value):
            continue
        if measure == "level" and not pd.isna(r.pct_change):
            ch = pct(r.pct_change)
        else:
            ch = points(r.change, lang)
        xm, ym = (r.prev_year + r.year) / 2, (r.prev_value + r.value) / 2
        ax.annotate(ch, (xm, ym), ha="center", va="center", fontsize=8, color=COLORS["muted"], zorder=5,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"})
    title = indicator_name(g.iloc[0], lang)
    if not city:
        title = f"{region_name(g['region'].iloc[0], lang)} {title}"
    ax.set_title(wrap_title(title, title_width, 9.5, lang), fontsize=9.5, loc="left", pad=4)
    return fact_ids


def slope_panels(yoy: pd.DataFrame, alternatives: pd.DataFrame | None, documents: pd.DataFrame,
                 title_zh: str, title_en: str, lang: str = "zh", ncols: int = 3,
                 min_years: int = 2) -> Chart | None:
    """One panel per indicator series (indicator, region, status, measure, unit) with at least
    `min_years` years (:func:`draw_slope`), each on its own axis, so indicators with different
    units never share one. Values of other texts that disagree with the chosen one
    (``alternatives`` from :func:`zzdata.series.choice.alternatives`) are hollow points in the
    conflict colour, named in the note."""
    rows = yoy[yoy["n_years"] >= min_years]
    if rows.empty:
        return None
    groups = [g for _, g in rows.groupby(KEY, sort=False)]
    groups.sort(key=lambda g: (g["measure"].iloc[0] != "level", str(g["indicator"].iloc[0])))
    n = len(groups)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    width = {1: 5.5, 2: 7.0}.get(ncols, 8.0)
    fig, axes = new(nrows, ncols, (width, 1.0 + 2.6 * nrows), lang=lang)
    alts = alternatives if alternatives is not None else pd.DataFrame(columns=KEY + ["year", "value", "doc"])
    fact_ids: list[str] = []
    notes: list[str] = []
    all_years = sorted(rows["year"].dropna().astype(int).unique())
    for idx, g in enumerate(groups):
        mine = alts.merge(g.sort_values("year")[_OTHER_KEY], on=_OTHER_KEY) if len(alts) else alts
        fact_ids += draw_slope(axes.flat[idx], g, lang=lang, others=mine, years=all_years,
                               title_width=width / ncols - 0.5)
        unit = g["unit"].iloc[0]
        name = indicator_name(g.iloc[0], lang, status=False)
        for a in mine.itertuples():
            notes.append(phrase("slope_other", lang, name=name, year=int(a.year),
                                chosen=format_value(a.chosen_value, unit, lang),
                                chosen_doc=doc_label(a.chosen_doc, documents, lang, short=True),
                                other_doc=doc_label(a.doc, documents, lang, short=True),
                                other=format_value(a.value, unit, lang)))
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    finish(fig, title_zh, title_en, lang)
    notes.insert(0, phrase("slope_legend", lang))
    if rows["preliminary"].astype(bool).any():
        notes.insert(1, phrase("slope_preliminary", lang))
    return Chart(fig, fact_ids, [], note(notes, lang))

