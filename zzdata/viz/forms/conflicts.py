"""Where texts disagree: per row, the value used and another text's, as dots on an axis beside the
two values written out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..book import Chart

from ..pieces import filled, finish, hollow, legend_handles, pages, panel_title, region_labels, stacked, style_color
from ..style import COLORS, styled
from ..words import Title, Words
from .dumbbell import dumbbell

#: A disagreement of two texts: the key of a series value (the views join on it too).
KEY = ["indicator", "region", "year", "status", "measure"]
CHOSEN_STYLE, OTHER_STYLE = filled(COLORS["actual"]), hollow(COLORS["conflict"])
#: Rows (disagreements) a chart holds; more go to further charts.
MAX_ROWS = 18


def _row_name(r: pd.Series, words: Words, labels: dict[str, str] | None = None) -> str:
    """The indicator and year, with the region unless it is the city: 中原区 GDP（2024）; a long
    region name in its short form (``labels``, :func:`~zzdata.viz.pieces.region_labels`)."""
    name = (labels or {}).get(r["region"]) or words.region(r["region"])
    region = "" if r["region_level"] == "city" else name + " "
    return words.phrase("conflict_row", region=region, name=words.indicator(r), year=int(r["year"]))


def _value_from(value: float, unit: str, doc: str, period: str | None, documents: pd.DataFrame, words: Words) -> str:
    """A value and the kind of text it comes from, with its period when one is given:
    13.1万人（年终综述）, 112.9%（年终综述，2024年1–11月）."""
    fields = {"value": words.value(value, unit), "kind": words.doc_kind(doc, documents)}
    if period is None:
        return words.phrase("value_from", **fields)
    return words.phrase("value_from_period", period=words.period(period), **fields)


@styled
def draw_conflict_rows(ax, frame: pd.DataFrame, *, words: Words, documents: pd.DataFrame,
                       table_ax=None) -> list[str]:
    """Disagreements (rows of :func:`zzdata.series.choice.alternatives` with a ``row`` name) on
    `ax`, one row each: the value used filled, the other text's hollow in the conflict colour.
    Amounts (with an ``index`` column: the other value as an index of the one used) on an axis
    where the value used is 100, rates in %. ``table_ax`` (beside `ax`) gets both values written
    out with the kind of text each comes from. Returns the fact_ids drawn."""
    levels = "index" in frame.columns
    fact_ids = frame["chosen_fact_id"].tolist() + frame["fact_id"].tolist()
    chosen_text = [_value_from(r.chosen_value, r.unit, r.chosen_doc, None, documents, words) for r in frame.itertuples()]
    other_text = [_value_from(r.value, r.unit, r.doc, None if r.period == str(r.year) else r.period, documents, words)
                  for r in frame.itertuples()]
    blank = [""] * len(frame)
    if levels:
        dumbbell(ax, frame["row"].tolist(), [100.0] * len(frame), frame["index"].tolist(),
                 a_label="", b_label="", unit="", words=words, a_style=CHOSEN_STYLE, b_style=OTHER_STYLE,
                 a_text=blank, b_text=blank, legend=False)
        ax.axvline(100, color=COLORS["text"], linewidth=0.8, linestyle=(0, (3, 2)), zorder=0)
        panel_title(ax, words.phrase("conflict_levels_title"), fontsize=10)
    else:
        dumbbell(ax, frame["row"].tolist(), frame["chosen_value"].tolist(), frame["value"].tolist(),
                 a_label="", b_label="", unit="%", words=words, a_style=CHOSEN_STYLE, b_style=OTHER_STYLE,
                 a_text=blank, b_text=blank, legend=False)
        panel_title(ax, words.phrase("conflict_rates_title"), fontsize=10)
    if table_ax is None:
        return fact_ids
    # The table column: value used (filled) and the other text's value (hollow), per row.
    import matplotlib.transforms as mtransforms

    tx = table_ax
    tx.set_axis_off()
    tx.set_ylim(ax.get_ylim())
    where = mtransforms.blended_transform_factory(tx.transAxes, tx.transData)
    for y, c, o in zip(np.arange(len(frame))[::-1], chosen_text, other_text, strict=True):
        for dy, text, marker in ((0.17, c, CHOSEN_STYLE), (-0.2, o, OTHER_STYLE)):
            tx.plot([0.02], [y + dy], transform=where, linestyle="none", clip_on=False, **{**marker, "markersize": 5})
            tx.text(0.05, y + dy, text, transform=where, va="center", fontsize=8.5, color=style_color(marker))
    items = [(words.phrase("value_used"), CHOSEN_STYLE), (words.phrase("other_value"), OTHER_STYLE)]
    tx.legend(handles=legend_handles(items), loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, fontsize=9,
              handletextpad=0.3, borderaxespad=0.2)
    return fact_ids


@styled
def conflict_panels(alternatives: pd.DataFrame, series: pd.DataFrame, documents: pd.DataFrame,
                    title: Title, words: Words, max_rows: int = MAX_ROWS) -> list[Chart]:
    """Where texts disagree (a frame from :func:`zzdata.series.choice.alternatives`): one row per
    indicator, region, year, status and measure (:func:`draw_conflict_rows`), amounts and rates
    in panels of their own, at most ``max_rows`` rows a chart (the rest in further charts). The
    note gives the choice rule (:func:`zzdata.series.choice.describe`). Returns the charts."""
    if alternatives is None or alternatives.empty:
        return []
    a = alternatives.merge(series[KEY + ["name_zh", "name_en", "region_level"]], on=KEY, how="left")
    labels, abbreviations = region_labels(sorted(a.loc[a["region_level"] != "city", "region"].unique()), words, width=99)
    a["row"] = a.apply(lambda r: _row_name(r, words, labels), axis=1)
    levels = a[a["unit"] != "%"].copy()
    rates = a[a["unit"] == "%"].copy()
    levels["index"] = levels["value"] / levels["chosen_value"] * 100
    levels = levels.sort_values("index", ascending=False)
    rates = rates.sort_values("value", ascending=False)
    rows = [("levels", i) for i in levels.index] + [("rates", i) for i in rates.index]
    chunks = pages(rows, max_rows)
    charts = []
    for page, chunk in enumerate(chunks, start=1):
        panels = [p for p in (levels.loc[[i for k, i in chunk if k == "levels"]],
                              rates.loc[[i for k, i in chunk if k == "rates"]]) if len(p)]
        # Left: the dots on their axis; right: the values as text, row by row (a chart and a table).
        fig, axes = stacked([len(p) for p in panels], per_row=0.48 if words.zh else 0.6, per_panel=0.6,
                            width_ratios=[1.0, 1.25])  # English row names may take three lines
        fact_ids: list[str] = []
        for frame, ax, tx in zip(panels, axes[:, 0], axes[:, 1], strict=True):
            fact_ids += draw_conflict_rows(ax, frame, words=words, documents=documents, table_ax=tx)
            ax.tick_params(axis="y", labelsize=9)
        finish(fig, title.page(page), words)
        first = (page - 1) * max_rows + 1
        notes = [words.phrase("page_rows", page=page, pages=len(chunks), first=first, last=first + len(chunk) - 1,
                        n=len(rows)) if len(chunks) > 1 else None,
                 words.choice_rule("short"), abbreviations]
        charts.append(Chart(fig, fact_ids, [], words.note(notes)))
    return charts
