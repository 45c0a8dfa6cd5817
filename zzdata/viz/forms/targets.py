"""Results against targets: attainment bars for amounts, a dumbbell for rates."""

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
    stacked,
    wrap_label,
)
from ..style import COLORS, styled
from ..words import Title, Words
from .dumbbell import dumbbell

#: Attainment bars are cut here so one outlier does not squash the rest.
CAP_ATTAINMENT = 200.0
_GOOD, _BAD = COLORS["cumulative"], COLORS["conflict"]


def _met_colors(frame: pd.DataFrame) -> list[str]:
    """Green where the target was met (in the indicator's direction), red where missed."""
    return [_GOOD if bool(m) else _BAD for m in frame["met"]]


@styled
def draw_attainment(ax, frame: pd.DataFrame, *, words: Words, documents: pd.DataFrame,
                    others: pd.DataFrame | None = None) -> list[str]:
    """Amounts against their targets (rows of :func:`zzdata.series.compare.target_vs_actual`
    with a ``name`` column) on `ax`: a bar of attainment (result / target, %) per row with the
    100% line, cut at :data:`CAP_ATTAINMENT`, labelled with the result and the target; green met,
    red missed, hatched when the result is preliminary. Other texts' results (``others``) are
    hollow points in the conflict colour, named in the label. Returns their fact_ids."""
    fact_ids: list[str] = []
    colors = _met_colors(frame)
    ys = np.arange(len(frame))
    shown = frame["attainment"].clip(upper=CAP_ATTAINMENT)
    hatch = ["////" if p else None for p in frame["actual_preliminary"].astype(bool)]
    for y, v, c, h in zip(ys, shown, colors, hatch, strict=True):
        ax.barh([y], [v], height=0.62, color="white" if h else c, edgecolor=c, linewidth=1.2 if h else 0,
                hatch=h)
    ax.axvline(100, color=COLORS["text"], linewidth=1.0, linestyle=(0, (3, 2)))
    ax.annotate(words.phrase("target_line"), (100, len(frame) - 0.45), xytext=(3, 0),
                textcoords="offset points", fontsize=8.5, color=COLORS["muted"], va="bottom")
    for y, r, v in zip(ys, frame.itertuples(), shown, strict=True):
        cut = "»" if r.attainment > CAP_ATTAINMENT else ""
        text = (f"{words.value(r.attainment, '%', digits=3)}{cut}  "
                f"{words.pair(r.actual, r.target, r.unit, r.target_qualifier)}")
        right = v
        for a in others_for(others, r.indicator, r.region, r.year, r.actual_status, r.measure):
            x = min(a.value / r.target * 100, CAP_ATTAINMENT) if r.target else np.nan
            mark_other(ax, x, y)
            text += words.other_text(a, documents)
            fact_ids.append(a.fact_id)
            right = max(right, x)
        ax.annotate(text, (right, y), xytext=(9 if right != v else 4, 0), textcoords="offset points",
                    va="center", fontsize=8.5,
                    color=COLORS["text"], zorder=6,
                    bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    ax.set_yticks(ys, [wrap_label(n, words) for n in frame["name"]])
    ax.set_ylim(-0.6, len(frame) - 0.2)
    ax.set_xlim(0, CAP_ATTAINMENT * 1.6)
    ax.set_xticks([0, 50, 100, 150, 200])
    format_ticks(ax, words, "%", axis="x")
    panel_title(ax, words.phrase("attainment_title"), fontsize=10)
    return fact_ids


@styled
def draw_target_rates(ax, frame: pd.DataFrame, *, words: Words, others: pd.DataFrame | None = None) -> list[str]:
    """Rates against their targets (rows of :func:`zzdata.series.compare.target_vs_actual` in %,
    with a ``name`` column) on `ax`: a dumbbell from the hollow target to the result, green met,
    red missed; other texts' results as hollow points in the conflict colour. Growth rates and
    other rates are titled apart (draw them on separate axes). Returns their fact_ids."""
    dumbbell(ax, frame["name"].tolist(), frame["target"].tolist(), frame["actual"].tolist(),
             a_label=words.phrase("target"), b_label=words.phrase("result"), unit="%", words=words,
             a_text=[words.qualified(r.target, "%", r.target_qualifier) for r in frame.itertuples()],
             b_colors=_met_colors(frame),
             legend_items=[(words.phrase("target"), hollow(COLORS["target"])),
                           (words.phrase("met"), filled(_GOOD)),
                           (words.phrase("missed"), filled(_BAD))])
    fact_ids = mark_others_on_rows(ax, [others_for(others, r.indicator, r.region, r.year, r.actual_status,
                                                   r.measure) for r in frame.itertuples()], words)
    growth = frame["measure"].eq("growth").all()
    panel_title(ax, words.phrase("growth_title" if growth else "rate_title"), fontsize=10)
    return fact_ids


@styled
def target_panels(tva: pd.DataFrame, documents: pd.DataFrame, title: Title,
                  words: Words, alternatives: pd.DataFrame | None = None,
                  extra_notes: Sequence[str] = ()) -> Chart | None:
    """Results against targets (a frame from :func:`zzdata.series.compare.target_vs_actual`):
    amounts as attainment bars (:func:`draw_attainment`), growth rates and other rates -- both %,
    on very different scales -- as two dumbbells (:func:`draw_target_rates`). A result on which
    texts disagree is starred; targets with no reported result are listed in the note, and so are
    ``extra_notes`` (the pairs not compared)."""
    if tva.empty:
        return None
    have = tva[tva["actual"].notna()].copy()
    missing = tva[tva["actual"].isna()]
    if have.empty:
        return None
    have["name"] = have.apply(lambda r: words.indicator(r) + (" *" if r["actual_conflict"] else ""), axis=1)
    levels = have[have["measure"] == "level"].sort_values("attainment")
    rates = have[(have["unit"] == "%") & (have["measure"] != "level")].sort_values("gap")
    panels = [p for p in (("level", levels), ("growth", rates[rates["measure"] == "growth"]),
                          ("share", rates[rates["measure"] != "growth"])) if len(p[1])]
    fig, axes = stacked([len(frame) for _, frame in panels])
    fact_ids: list[str] = []
    for (kind, frame), ax in zip(panels, axes[:, 0], strict=True):
        fact_ids += frame["target_fact_id"].tolist() + frame["actual_fact_id"].tolist()
        if kind == "level":
            fact_ids += draw_attainment(ax, frame, words=words, documents=documents, others=alternatives)
        else:
            fact_ids += draw_target_rates(ax, frame, words=words, others=alternatives)
        ax.tick_params(axis="y", length=0, labelcolor=COLORS["text"])
    finish(fig, title, words)
    notes = [words.phrase("targets_colours")]
    if have["actual_preliminary"].astype(bool).any():
        notes.append(words.phrase("targets_preliminary"))
    if have["actual_conflict"].astype(bool).any():
        notes.append(words.phrase("targets_other"))
    if (levels["attainment"] > CAP_ATTAINMENT).any():
        notes.append(words.phrase("targets_cut", cap=f"{CAP_ATTAINMENT:.0f}"))
    if (have["actual_status"] == "cumulative").any():
        notes.append(words.phrase("targets_cumulative"))
    if len(missing):
        unique = list(dict.fromkeys(words.indicator(r) for _, r in missing.iterrows()))
        notes.append(words.phrase("targets_missing", names=words.join(unique)))
        fact_ids += missing["target_fact_id"].tolist()
    return Chart(fig, fact_ids, [], words.note([*notes, *extra_notes]))
