"""What a corrected field sets in a fact: the field, and the columns that follow from it (an
indicator's label and theme from the catalog, a period's year, a region's level)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..core import catalog, periods
from .checks import FIELDS, threshold_value
from .rows import Row

ADDED = "add"  # `corrected` of a figure added by hand
NOTES = "; "  # between the notes of the corrections of one fact
#: The facts columns `changes` reads of a fact.
READ = ("doc", "period", "preliminary", "corrected", "correction_note")


@dataclass(frozen=True)
class Docs:
    """What the corrections read of the documents table: each report's row (by file), and the
    level of each region (the gazetteer's, else that of the first report about it)."""

    rows: dict[str, dict]
    levels: dict[str, str]

    @classmethod
    def of(cls, documents: pd.DataFrame) -> Docs:
        cols = [c for c in ("file", "region", "region_level", "review_year", "target_year") if c in documents]
        rows = {r["file"]: r for r in documents[cols].to_dict("records")} if len(documents) else {}
        levels = {name: region.level for name, region in catalog.regions().items()}
        for r in rows.values():
            levels.setdefault(str(r["region"]), str(r["region_level"]))
        return cls(rows, levels)

    def level(self, region: str, doc: str) -> str:
        """A region's level (for a region nobody knows: the report's own)."""
        return self.levels.get(region) or str(self.rows.get(doc, {}).get("region_level", ""))


def derived(name: str, value: str, fact: Mapping, docs: Docs, label_given: bool = False) -> dict[str, object]:
    """The facts columns a field sets: the field itself and what follows from it."""
    if name == "indicator":
        if not value:  # unfiled: its label and theme stay as read
            return {"indicator": ""}
        ind = catalog.indicators()[value]
        return {"indicator": value, "theme": ind.theme, **({} if label_given else {"label": ind.name_zh})}
    if name == "period":
        was_part = periods.is_part_year(str(fact["period"]))
        prelim = bool(fact["preliminary"]) and not was_part  # 预计: kept; a part year's: follows the period
        return {"period": value, "year": periods.last_year(value), "preliminary": prelim or periods.is_part_year(value)}
    if name == "region":
        return {"region": value, "region_level": docs.level(value, str(fact["doc"]))}
    if name == "value":
        return {"value": float(value)}
    if name == "threshold":
        return {"threshold": threshold_value(value)}
    return {name: value}


def changes(fact: Mapping, rows: list[Row], docs: Docs) -> dict[str, object]:
    """Every column the set rows `rows` change in `fact` (a mapping with READ), `corrected` and
    `correction_note` included: the fields in FIELDS order after `add` for an added figure, the
    notes in line order."""
    given: dict[str, str] = {}
    for r in rows:
        given.update(r.given())
    out: dict[str, object] = {}
    for name, value in given.items():
        out.update(derived(name, value, fact, docs, label_given="label" in given))
    was_added = str(fact["corrected"] or "").split("|")[0] == ADDED
    out["corrected"] = "|".join(([ADDED] if was_added else []) + [f for f in FIELDS if f in given])
    before = [n for n in str(fact["correction_note"] or "").split(NOTES) if n] if was_added else []
    out["correction_note"] = NOTES.join(dict.fromkeys(before + [r.note for r in rows]))
    return out
