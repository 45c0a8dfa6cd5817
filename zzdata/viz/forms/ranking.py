"""Every district and county against the city, one panel per indicator: rates and levels that do
not add up as a ranking of the regions (sorted dots) with the city as a dashed reference line,
amounts that add up as each region's share of the city (sorted bars). Panels are sized by the
number of regions (2 to 16 and more) and a chart holds as many as fit a page; the rest go to
further charts (:func:`region_panels` returns them all).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...core import vocab
from ..book import Chart
from ..pieces import (
    filled,
    finish,
    format_ticks,
    mark_other,
    new,
    optional,
    others_by_row,
    page_note,
    pages,
    panel_title,
    region_labels,
    two_lines,
    wrap_title,
)
from ..style import COLORS, styled
from ..words import Title, Words
from .district import district_panels
from .pairs import KEY, not_compared_parts, unit_word
#: Row height in inches (one line of labels; two-line English labels get more), figure limits.
ROW_IN, ROW2_IN, MAX_HEIGHT_IN, WIDTH_IN = 0.19, 0.3, 11.0, 8.0


def panel_kind(frame: pd.DataFrame) -> str:
    """``share`` for amounts that add up over regions, ``rank`` for everything else."""
    return "share" if bool(frame["additive"].iloc[0]) else "rank"


def _value_text(v: float, unit: str, measure: str, words: Words) -> str:
    if unit == "%":
        return f"{v:+.1f}%" if measure == "growth" else f"{v:.1f}%"
    return words.value(v, unit, digits=3)


def _fit_limits(ax, values: Sequence[float], lo_zero: bool) -> None:
    vals = [v for v in values if not pd.isna(v)]
    lo, hi = min(vals), max(vals)
    span = (hi - lo) or abs(hi) or 1.0
    left = 0.0 if lo_zero and lo >= 0 else lo - span * 0.12
    ax.set_xlim(left, hi + span * 0.12)


@styled
def draw_ranking(ax, frame: pd.DataFrame, *, words: Words, labels: dict[str, str] | None = None,
                 others: pd.DataFrame | None = None, title_width: float = 2.4) -> list[str]:
    """One indicator (rows of :func:`zzdata.series.compare.district_vs_city` for one indicator,
    status, measure and unit, comparable pairs only) on `ax`: the regions sorted by value, highest
    on top, as dots with their values, the city as a dashed line named at the bottom. Other texts'
    values of a region (``others``) are hollow points in the conflict colour. Returns the
    fact_ids drawn."""
    f = frame.sort_values(["district_value", "district"], ascending=[True, False])
    unit, measure = f["unit"].iloc[0], f["measure"].iloc[0]
    ys = np.arange(len(f))
    city_value = float(f["city_value"].iloc[0])
    city = words.region(f["city"].iloc[0])
    ax.axvline(city_value, color=COLORS["city"], linewidth=1.2, linestyle=(0, (4, 2)), zorder=1)
    ax.hlines(ys, [city_value] * len(f), f["district_value"], color=COLORS["neutral"], linewidth=1.0, zorder=1)
    ax.plot(f["district_value"], ys, linestyle="none", zorder=3, **{**filled(COLORS["district"]), "markersize": 5.5})
    fact_ids = f["district_fact_id"].tolist() + [f["city_fact_id"].iloc[0]]
    xs = list(f["district_value"]) + [city_value]
    first = f.iloc[0]
    by_row = others_by_row(others, first["indicator"], first["status"], measure)
    for y, r in zip(ys, f.itertuples(), strict=True):
        mine = by_row.get((r.district, r.year), [])
        for a in mine:
            mark_other(ax, a.value, y)
            fact_ids.append(a.fact_id)
            xs.append(a.value)
        # The value on the side away from the city line and from another text's point.
        right = r.district_value >= city_value
        if any(a.value > r.district_value for a in mine):
            right = False
        elif any(a.value < r.district_value for a in mine):
            right = True
        t = ax.annotate(_value_text(r.district_value, unit, measure, words), (r.district_value, y),
                        xytext=(5 if right else -5, 0), textcoords="offset points", ha="left" if right else "right",
                        va="center", fontsize=7.5, color=COLORS["text"], zorder=6,
                        bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"})
        optional(t, 3)
    names = labels or {}
    ax.set_yticks(ys, [names.get(d, words.region(d)) for d in f["district"]])
    ax.set_ylim(-1.5, len(f) - 0.4)
    ax.annotate(words.phrase("city_line", city=city, value=_value_text(city_value, unit, measure, words)),
                (city_value, -1.05), xytext=(3, 0), textcoords="offset points", ha="left", va="center",
                fontsize=7.5, color=COLORS["city"], zorder=6)
    _fit_limits(ax, xs, lo_zero=unit != "%")
    format_ticks(ax, words, "%" if unit == "%" else unit, axis="x", digits=3)
    _frame_panel(ax, f, words, title_width)
    return fact_ids


@styled
def draw_region_shares(ax, frame: pd.DataFrame, *, words: Words, labels: dict[str, str] | None = None,
                       title_width: float = 2.4) -> list[str]:
    """One amount that adds up over regions (rows of :func:`zzdata.series.compare.district_vs_city`,
    comparable pairs only) on `ax`: each region's share of the city in %, sorted, as bars with
    their values. Returns the fact_ids drawn."""
    f = frame.sort_values(["district_share", "district"], ascending=[True, False])
    ys = np.arange(len(f))
    ax.barh(ys, f["district_share"], height=0.66, color=COLORS["district"], zorder=2)
    for y, v in zip(ys, f["district_share"], strict=True):
        t = ax.annotate(words.value(v, "%", digits=3), (v, y), xytext=(3, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=7.5, color=COLORS["text"], zorder=6)
        optional(t, 3)
    names = labels or {}
    ax.set_yticks(ys, [names.get(d, words.region(d)) for d in f["district"]])
    ax.set_ylim(-0.6, len(f) - 0.4)
    ax.set_xlim(0, max(float(f["district_share"].max()) * 1.25, 1.0))
    format_ticks(ax, words, "%", axis="x", digits=3)
    _frame_panel(ax, f, words, title_width)
    return f["district_fact_id"].tolist() + f["city_fact_id"].tolist()


def _frame_panel(ax, f: pd.DataFrame, words: Words, title_width: float) -> None:
    ax.grid(False)
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0, labelsize=7.5, labelcolor=COLORS["text"], pad=2)
    ax.tick_params(axis="x", labelsize=7.5)
    ax.xaxis.set_major_locator(_locator())
    r = f.iloc[0]
    title = words.indicator(r)
    if r["measure"] == "growth":
        title = words.growth(title)
    elif r["unit"] != "%" and r["measure"] == "level" and not bool(r["additive"]):
        title = words.phrase("panel_unit", name=title, unit=unit_word(r["unit"], words))
    panel_title(ax, wrap_title(title, title_width, 9, words), fontsize=9, pad=4)


def _locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10])


def _others_in(others: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """Other texts' values of the regions and indicators a chart ranks."""
    keys = shown[["indicator", "district", "year", "status", "measure"]].rename(columns={"district": "region"})
    return others.merge(keys, on=["indicator", "region", "year", "status", "measure"])


def _groups(dvc: pd.DataFrame) -> list[pd.DataFrame]:
    """One frame per indicator, status, measure and unit; in theme order, then by name."""
    themes = vocab.rank("theme")
    groups = [g for _, g in dvc.groupby(KEY, sort=False)]
    groups.sort(key=lambda g: (themes.get(g["theme"].iloc[0], 99), str(g["indicator"].iloc[0]),
                               g["measure"].iloc[0], g["status"].iloc[0]))
    return groups


@styled
def region_panels(dvc: pd.DataFrame, documents: pd.DataFrame, title: Title, words: Words,
                  alternatives: pd.DataFrame | None = None, max_height: float = MAX_HEIGHT_IN,
                  extra_notes: Sequence[str] = ()) -> list[Chart]:
    """Every region against the city for one year (a frame from
    :func:`zzdata.series.compare.district_vs_city` with ``reason``/``comparable``): a panel per
    indicator, rankings (:func:`draw_ranking`) or shares (:func:`draw_region_shares`); pairs not
    compared are named with their reason in the note. As many panels as fit ``max_height``
    inches go in one chart; the rest in further charts. Returns the charts (empty: nothing to
    draw)."""
    if dvc.empty:
        return []
    drawn = dvc[dvc["comparable"].astype(bool)]
    groups = _groups(drawn)
    if not groups:
        return []
    if drawn["district"].nunique() == 1:  # one region: nothing to rank, its indicators side by side
        chart = district_panels(dvc, documents, title, words=words, alternatives=alternatives,
                                extra_notes=extra_notes)
        return [chart] if chart is not None else []
    labels, abbreviations = region_labels(sorted(drawn["district"].unique()), words, width=16)
    n_rows = max(len(g) for g in groups)
    row = ROW2_IN if two_lines(list(labels.values())) else ROW_IN
    ncols = 3 if words.zh else 2
    ncols = min(ncols, len(groups))
    panel_h = 0.95 + row * (n_rows + 1.2)
    rows_per_chart = max(1, int((max_height - 1.9) // panel_h))
    chunks = pages(groups, rows_per_chart * ncols)
    others = alternatives
    charts = []
    total = len(groups)
    done = 0
    for page, chunk in enumerate(chunks, start=1):
        nrows = math.ceil(len(chunk) / ncols)
        fig, axes = new(nrows, ncols, (WIDTH_IN, 1.9 + panel_h * nrows), grid="x")
        fact_ids: list[str] = []
        width = WIDTH_IN / ncols - 0.4
        for ax, g in zip(axes.flat, chunk, strict=False):
            if panel_kind(g) == "share":
                fact_ids += draw_region_shares(ax, g, words=words, labels=labels, title_width=width)
            else:
                fact_ids += draw_ranking(ax, g, words=words, labels=labels, others=others, title_width=width)
        for ax in list(axes.flat)[len(chunk):]:
            ax.set_axis_off()
        finish(fig, title.page(page), words)
        kinds = {panel_kind(g) for g in chunk}
        city = words.region(dvc["city"].iloc[0])
        notes = [page_note(page, len(chunks), done + 1, done + len(chunk), total, words)]
        if "rank" in kinds:
            notes.append(words.phrase("ranking_legend", city=city))
        if "share" in kinds:
            notes.append(words.phrase("shares_legend", city=city))
        if others is not None and len(others) and len(_others_in(others, pd.concat(chunk))):
            notes.append(words.phrase("ranking_other"))
        if (drawn["status"] == "cumulative").any():
            notes.append(words.phrase("district_cumulative"))
        conflicts = drawn[drawn["city_conflict"].astype(bool)]
        if len(conflicts):
            names = words.join(dict.fromkeys(words.indicator(r, status=False) for r in conflicts.itertuples()))
            notes.append(words.phrase("city_other", city=city, names=names))
        notes += [abbreviations, *extra_notes]
        if page == len(chunks):
            notes += not_compared_parts(dvc, words)
            odd = dvc[~dvc["comparable"].astype(bool)]
            fact_ids += odd["district_fact_id"].tolist() + odd["city_fact_id"].tolist()
        done += len(chunk)
        charts.append(Chart(fig, fact_ids, [], words.note(notes)))
    return charts

