"""What a corrected field sets in a fact: the field, and the columns that follow from it (an
indicator's label and theme from the catalog, a period's year, a region's level)."""

from __future__ import annotations

import pandas as pd

from ..core import catalog, periods
from .checks import threshold_value

#: The facts columns the corrections add (data/columns.csv): the fields a correction set, its note.
CORRECTION_COLUMNS = ("corrected", "correction_note")
ADDED = "add"  # `corrected` of a figure added by hand


def derived(name: str, value: str, fact: pd.Series, docs: pd.DataFrame, label_given: bool = False) -> dict[str, object]:
    """The facts columns a field sets: the field itself and what follows from it (an indicator's
    label and theme from the catalog, a period's year, a region's level)."""
    if name == "indicator":
        ind = catalog.indicators()[value]
        return {"indicator": value, "theme": ind.theme, **({} if label_given else {"label": ind.name_zh})}
    if name == "period":
        was_part = periods.is_part_year(str(fact["period"]))
        prelim = bool(fact["preliminary"]) and not was_part  # 预计: kept; a part year's: follows the period
        return {"period": value, "year": periods.last_year(value), "preliminary": prelim or periods.is_part_year(value)}
    if name == "region":
        return {"region": value, "region_level": region_level(value, docs, str(fact["doc"]))}
    if name == "value":
        return {"value": float(value)}
    if name == "threshold":
        return {"threshold": threshold_value(value)}
    return {name: value}


def region_level(region: str, docs: pd.DataFrame, doc: str) -> str:
    """A region's level: the gazetteer's, else that of a document about it (the manifest's)."""
    regions = catalog.regions()
    if region in regions:
        return regions[region].level
    about = docs[docs["region"] == region] if len(docs) else docs
    if len(about):
        return str(about["region_level"].iloc[0])
    return str(docs.loc[doc, "region_level"]) if doc in docs.index else ""
