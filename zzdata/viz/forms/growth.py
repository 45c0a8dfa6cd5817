"""Growth rates as reported: for a few years one bar per indicator and period, all in % on one
axis (:func:`growth_bars`); for more years one line per indicator over a year axis
(:func:`growth_lines`, the year-over-year panels of :mod:`.slopes`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...core import periods
from ...series import compare
from ..book import Chart
from ..pieces import finish, format_ticks, mark_other, new
from ..style import COLORS, period_colors, styled
from ..words import Title, Words
from .slopes import slope_panels

_HATCH = "////"


def in_time_order(period_values) -> list[str]:
    """Periods oldest first (by the last year they cover, then as written)."""
    return sorted(set(period_values), key=lambda p: (periods.last_year(str(p)) or 0, str(p)))


def _rows(frame: pd.DataFrame, words: Words) -> tuple[list[float], list[tuple[float, str]], list[Any], float]:
    """The bars top to bottom: indicators with the latest year first, then by value; within one,
    its periods newest first. Returns the bars' y, the indicators' tick positions and names, the
    rows (with ``name``) and the height used."""
    g = frame.assign(name=[words.indicator(r) for _, r in frame.iterrows()])
    latest = g.sort_values("year").groupby("name").agg(year=("year", "max"), value=("value", "last"))
    order = latest.sort_values(["year", "value"], ascending=[False, False]).index.tolist()
    y, ys, ticks, rows = 0.0, [], [], []
    for name in order:
        sub = g[g["name"] == name].sort_values("year", ascending=False)
        first = y
        for r in sub.itertuples():
            rows.append(r)
            ys.append(y)
            y += 0.78
        ticks.append(((first + y - 0.78) / 2, name))
        y += 0.5
    return [-v for v in ys], ticks, rows, y


def _others_of(others: pd.DataFrame | None, r: Any) -> list[Any]:
    if others is None or others.empty:
        return []
    return list(others[(others["indicator"] == r.indicator) & (others["year"] == r.year)].itertuples())


@styled
def draw_growth(ax, frame: pd.DataFrame, *, words: Words, others: pd.DataFrame | None = None) -> list[str]:
    """Growth rates (rows of the series table, one region) on `ax`: a horizontal bar per
    indicator and period, coloured by period (:func:`~zzdata.viz.style.period_colors`), hatched
    for a period of several years; ``others`` (other texts' values, same region) are hollow
    points in the conflict colour, labelled. Returns the fact_ids drawn."""
    ps = in_time_order(frame["period"].unique())
    colour = period_colors(ps)
    ys, ticks, rows, _ = _rows(frame, words)
    fact_ids: list[str] = []
    drawn = [0.0]  # every value drawn (bars and other texts' points): the axis spans these only
    for yy, r in zip(ys, rows, strict=True):
        multi = periods.is_multi_year(r.period)
        c = colour[r.period]
        bar = ax.barh([yy], [r.value], height=0.66, color="white" if multi else c, edgecolor=c,
                      linewidth=1.2 if multi else 0, hatch=_HATCH if multi else None)
        fact_ids.append(r.fact_id)
        text = words.value(r.value, "%", digits=3, sign=True)
        alts = _others_of(others, r)
        drawn += [r.value] + [a.value for a in alts]
        if not alts:
            ax.bar_label(bar, labels=[text], padding=3, fontsize=8.5, color=COLORS["text"])
            continue
        # Another text's value: a hollow point, and the bar's label past it naming both values,
        # so neither the point nor the other value runs into the bar's own label.
        for a in alts:
            mark_other(ax, a.value, yy)
            fact_ids.append(a.fact_id)
            text += words.phrase("other_value_inline", value=words.value(a.value, "%", digits=3, sign=True))
        up = r.value >= 0
        end = max([r.value] + [a.value for a in alts]) if up else min([r.value] + [a.value for a in alts])
        ax.annotate(text, (end, yy), xytext=(9 if end != r.value else 3, 0) if up else (-9 if end != r.value else -3, 0),
                    textcoords="offset points", ha="left" if up else "right", va="center", fontsize=8.5,
                    color=COLORS["text"])
    lo, hi = min(drawn), max(drawn)
    span = (hi - lo) or 1.0
    ax.set_yticks([t[0] * -1 for t in ticks], [t[1] for t in ticks])
    ax.tick_params(axis="y", length=0, labelcolor=COLORS["text"])
    ax.axvline(0, color=COLORS["axis"], linewidth=0.8)
    ax.set_xlim(lo - (span * 0.14 if lo < 0 else span * 0.02), hi + span * 0.2)
    ax.set_ylim(min(ys) - 0.6, 0.6)
    format_ticks(ax, words, "%", axis="x")
    ax.set_xlabel(words.phrase("growth_axis"))
    from matplotlib.patches import Patch

    handles = [Patch(facecolor="white" if periods.is_multi_year(p) else colour[p], edgecolor=colour[p],
                     hatch=_HATCH if periods.is_multi_year(p) else None, label=words.period(p))
               for p in ps]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=min(len(ps), 4),
              fontsize=9, borderaxespad=0.2)
    return fact_ids


@styled
def growth_bars(series: pd.DataFrame, alternatives: pd.DataFrame | None, documents: pd.DataFrame,
                title: Title, words: Words, region: str | None = None) -> Chart | None:
    """Reported growth rates (``measure == "growth"``, status actual) of one region (default: the
    city, :func:`zzdata.series.compare.city_of`), every period in the data, drawn by
    :func:`draw_growth`. Other texts' values are written beside the bars and named in the note
    (the first :data:`~zzdata.viz.words.NAMED_UP_TO`, the rest counted)."""
    region = region or compare.city_of(series)
    g = series[(series["measure"] == "growth") & (series["status"] == "actual") & (series["region"] == region)]
    if g.empty:
        return None
    alts = alternatives if alternatives is not None else pd.DataFrame()
    if len(alts):
        alts = alts[(alts["measure"] == "growth") & (alts["region"] == region) & (alts["status"] == "actual")]
    _, _, rows, extent = _rows(g, words)
    fig, axes = new(1, 1, (8.0, max(3.6, 1.9 + 0.3 * (extent + 1))), grid="x")
    fact_ids = draw_growth(axes[0, 0], g, words=words, others=alts)

    def other(item) -> str:
        name, a = item
        return words.phrase("growth_other", name=name, chosen=words.value(a.chosen_value, "%", sign=True),
                      chosen_doc=words.doc(a.chosen_doc, documents, short=True),
                      other_doc=words.doc(a.doc, documents, short=True), period=words.period(a.period),
                      other=words.value(a.value, "%", sign=True))

    # Other texts' values in the bars' order, top first: a few named, the rest counted.
    notes = words.name_others([(r.name, a) for r in rows for a in _others_of(alts, r)], other)
    finish(fig, title, words)
    if any(periods.is_multi_year(p) for p in g["period"].unique()):
        notes.insert(0, words.phrase("growth_multi_year"))
    return Chart(fig, fact_ids, [], words.note(notes))


@styled
def growth_lines(series: pd.DataFrame, alternatives: pd.DataFrame | None, documents: pd.DataFrame,
                 title: Title, words: Words, region: str | None = None) -> list[Chart]:
    """Reported growth rates of one region (default: the city) over many years: one panel per
    indicator, a line over a year axis (:func:`~.slopes.slope_panels`; missing years dotted, a
    several-year or part-year rate not joined to a year's and named under the chart). Returns
    the charts (empty when there is no growth rate)."""
    region = region or compare.city_of(series)
    yoy = compare.year_over_year(series, region=region, measure="growth", statuses=("actual",))
    alts = alternatives if alternatives is not None else pd.DataFrame()
    if len(alts):
        alts = alts[(alts["measure"] == "growth") & (alts["region"] == region) & (alts["status"] == "actual")]
    return slope_panels(yoy, alts, documents, title, words=words,
                        min_years=1, change_labels=False)
