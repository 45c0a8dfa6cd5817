"""A district (or county) against its city: shares of the city for amounts, a dumbbell for rates,
an index (city = 100) for other levels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..book import Chart
from ..pieces import (
    filled,
    finish,
    format_ticks,
    hollow,
    mark_other,
    mark_others_on_rows,
    others_for,
    panel_title,
    round_ticks,
    stacked,
    wrap_label,
)
from ..style import COLORS, styled
from ..words import Title, Words
from .dumbbell import dumbbell
from .pairs import not_compared_parts


def _names(frame: pd.DataFrame, words: Words) -> tuple[str, str]:
    """The district's and the city's names, from the frame."""
    return words.region(frame["district"].iloc[0]), words.region(frame["city"].iloc[0])


@styled
def draw_region_rates(ax, frame: pd.DataFrame, *, words: Words, others: pd.DataFrame | None = None) -> list[str]:
    """Rates of a district and its city (rows of :func:`zzdata.series.compare.district_vs_city`
    in %, with a ``name`` column) on `ax`: a dumbbell, the city hollow and the district filled;
    other texts' city values (``others``) as hollow points in the conflict colour. Returns their
    fact_ids."""
    district, city = _names(frame, words)
    dumbbell(ax, frame["name"].tolist(), frame["city_value"].tolist(), frame["district_value"].tolist(),
             a_label=city, b_label=district, unit="%", words=words, a_style=hollow(COLORS["city"]),
             b_style=filled(COLORS["district"]))
    fact_ids = mark_others_on_rows(ax, [others_for(others, r.indicator, r.city, r.year, r.status, r.measure)
                                        for r in frame.itertuples()], words)
    growth = frame["measure"].eq("growth").all()
    panel_title(ax, words.phrase("growth_title" if growth else "rate_title"), fontsize=10)
    return fact_ids


def _ratio_bars(ax, frame: pd.DataFrame, col: str, *, share: bool, words: Words, documents: pd.DataFrame,
                others: pd.DataFrame | None) -> list[str]:
    """Bars of `col` (a share or an index, %) labelled with both values; other texts' city
    values move the bar's end to a hollow point in the conflict colour."""
    fact_ids: list[str] = []
    ys = np.arange(len(frame))
    ax.barh(ys, frame[col], height=0.62, color=COLORS["district"])
    for y, v, r in zip(ys, frame[col], frame.itertuples(), strict=True):
        text = (f"{words.value(v, '%' if share else '', digits=3)}  "
                f"{words.pair(r.district_value, r.city_value, r.unit)}")
        right = v
        for a in others_for(others, r.indicator, r.city, r.year, r.status, r.measure):
            alt_v = r.district_value / a.value * 100 if a.value else np.nan
            text += words.other_text(a, documents)
            fact_ids.append(a.fact_id)
            if share and not alt_v <= 100:
                continue  # the other text's city figure is below the district's: named, not drawn
            mark_other(ax, alt_v, y)
            right = max(right, alt_v)
        ax.annotate(text, (right, y), xytext=(9 if right != v else 4, 0), textcoords="offset points",
                    va="center", fontsize=8.5, color=COLORS["text"], zorder=6)
    ax.set_yticks(ys, [wrap_label(n, words) for n in frame["name"]])
    ax.set_ylim(-0.6, len(frame) - 0.4)
    return fact_ids


@styled
def draw_share(ax, frame: pd.DataFrame, *, words: Words, documents: pd.DataFrame,
               others: pd.DataFrame | None = None) -> list[str]:
    """Amounts that add up over regions (rows of :func:`zzdata.series.compare.district_vs_city`
    with a ``name`` column) on `ax`: bars of the district's share of the city (%). Returns the
    fact_ids of other texts' values drawn."""
    fact_ids = _ratio_bars(ax, frame, "district_share", share=True, words=words, documents=documents, others=others)
    ax.set_xlim(0, max(float(frame["district_share"].max()) * 1.9, 10))
    format_ticks(ax, words, "%", axis="x")
    district, city = _names(frame, words)
    panel_title(ax, words.phrase("share_title", district=district, city=city), fontsize=10)
    return fact_ids


@styled
def draw_index(ax, frame: pd.DataFrame, *, words: Words, documents: pd.DataFrame,
               others: pd.DataFrame | None = None) -> list[str]:
    """Other levels (days, per-capita figures; rows of
    :func:`zzdata.series.compare.district_vs_city` with a ``name`` column) on `ax`: bars of the
    district as an index of the city (city = 100). Returns the fact_ids of other texts' values."""
    fact_ids = _ratio_bars(ax, frame, "ratio", share=False, words=words, documents=documents, others=others)
    ax.axvline(100, color=COLORS["text"], linewidth=1.0, linestyle=(0, (3, 2)))
    ax.set_xlim(0, max(float(frame["ratio"].max()) * 1.9, 150))
    round_ticks(ax)
    district, city = _names(frame, words)
    panel_title(ax, words.phrase("index_title", district=district, city=city), fontsize=10)
    return fact_ids


@styled
def district_panels(dvc: pd.DataFrame, documents: pd.DataFrame, title: Title,
                    words: Words, alternatives: pd.DataFrame | None = None,
                    extra_notes: Sequence[str] = ()) -> Chart | None:
    """A district against the city (a frame from :func:`zzdata.series.compare.district_vs_city`):
    amounts that add up as shares of the city (:func:`draw_share`), growth rates and other rates
    as dumbbells (:func:`draw_region_rates`), other levels as an index (:func:`draw_index`).
    Pairs not compared (``reason``: a district figure larger than the city's, a part-year or
    several-year figure beside a year's …) are named in the note with the reason."""
    if dvc.empty:
        return None
    d = dvc.copy()
    d["name"] = d.apply(lambda r: words.indicator(r) + (" *" if r["city_conflict"] else ""), axis=1)
    ok = d[d["comparable"].astype(bool)]
    share = ok[ok["additive"]].sort_values("district_share")
    rates = ok[ok["gap_points"].notna()].sort_values("gap_points")
    index = ok[~ok["additive"] & ok["gap_points"].isna() & ok["ratio"].notna()].sort_values("ratio")
    odd = d[~d["comparable"].astype(bool)]
    panels = [p for p in (("share", share), ("rate", rates[rates["measure"] == "growth"]),
                          ("rate", rates[rates["measure"] != "growth"]), ("index", index)) if len(p[1])]
    if not panels:
        return None
    fig, axes = stacked([len(frame) for _, frame in panels])
    _district, city = _names(ok if len(ok) else d, words)
    fact_ids: list[str] = []
    for (kind, frame), ax in zip(panels, axes[:, 0], strict=True):
        fact_ids += frame["district_fact_id"].tolist() + frame["city_fact_id"].tolist()
        if kind == "rate":
            fact_ids += draw_region_rates(ax, frame, words=words, others=alternatives)
            continue
        draw = draw_share if kind == "share" else draw_index
        fact_ids += draw(ax, frame, words=words, documents=documents, others=alternatives)
        ax.tick_params(axis="y", length=0, labelcolor=COLORS["text"])
    finish(fig, title, words)
    notes = []
    if d["status"].eq("cumulative").any():
        notes.append(words.phrase("district_cumulative"))
    if d["city_conflict"].any():
        parts = [words.indicator(r, status=False) for r in d[d["city_conflict"]].itertuples()]
        notes.append(words.phrase("district_other", city=city, names=words.join(parts)))
    if len(odd):
        notes += not_compared_parts(dvc, words)
        fact_ids += odd["district_fact_id"].tolist() + odd["city_fact_id"].tolist()
    return Chart(fig, fact_ids, [], words.note([*notes, *extra_notes]))
