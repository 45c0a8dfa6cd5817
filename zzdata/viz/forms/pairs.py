"""Pairs of a region and its city, in words: the pairs a chart does not compare, named in its note
with the reason, and the words a panel title takes. Shared by the forms of every region against the
city (:mod:`.ranking`, :mod:`.overview`) and of one district (:mod:`.district`), so none of them
imports another for it."""

from __future__ import annotations

import pandas as pd

from ..numbers import units_en
from ..pieces import region_labels
from ..words import Words, name_first

#: A pair's indicator series: one panel, one row of the overview.
KEY = ["indicator", "status", "measure", "unit"]


def unit_word(unit: str, words: Words) -> str:
    """A unit in words for a panel title: 亿元 as printed, "yuan" in English (units_en.csv)."""
    if words.zh:
        return unit
    names = units_en().get(unit)
    return names[1] if names else unit


def pair_name(r, words: Words) -> str:
    """The indicator of a pair, without its status; a growth rate named as one."""
    name = words.indicator(r, status=False)
    return words.growth(name) if r["measure"] == "growth" else name


def not_compared_parts(dvc: pd.DataFrame, words: Words) -> list[str]:
    """The pairs not compared, by reason and indicator, with the reason in words:
    未比较：固定资产投资：合成上街区、合成中原区（部分期间与全年） (long region names shortened, as
    in the chart). The first :data:`~zzdata.viz.words.NAMED_UP_TO` pairs are named, the rest
    counted with their reasons (the table of pairs lists every one, column ``reason``)."""
    odd = dvc[dvc["reason"].astype(str) != ""] if "reason" in dvc else dvc.iloc[0:0]
    if odd.empty:
        return []
    # In the order written: by reason, then indicator (as first met), then region.
    odd = odd.assign(_group=odd.groupby(["indicator", "measure", "status"], sort=False).ngroup())
    odd = odd.sort_values(["reason", "_group"], kind="stable")
    named, rest = name_first(range(len(odd)))
    shown = odd.iloc[named]
    labels, _ = region_labels(sorted(shown["district"].unique()), words, width=99)
    parts = []
    for (reason,), g in shown.groupby(["reason"], sort=True):
        items = [words.phrase("indicator_regions", name=pair_name(rows.iloc[0], words),
                        regions=words.join([labels[d] for d in rows["district"]]))
                 for _, rows in g.groupby(["indicator", "measure", "status"], sort=False)]
        parts.append(words.phrase("not_compared_item", items=words.join(items, "list_sep"),
                            reason=words.reason(reason)))
    out = [words.phrase("not_compared", items=words.join(parts, "list_sep"))]
    if rest:
        out.append(words.more_not_compared("more_region_pairs", odd["reason"].iloc[rest]))
    return out
