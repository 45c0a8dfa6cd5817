"""A figure the build missed, made a fact from its span and the fields an `add` row gives.

What the row leaves out comes from where the figure stands, as the extraction would have it:
the value, unit, qualifier and threshold from the quantity read at that span (extract.numbers),
the clause and the section's heading from the text's segments (extract.segment), the region
and the period from the report's manifest row, the label and theme from the catalog.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..core import catalog, periods
from ..extract.clean import CleanText, clean
from ..extract.numbers import all_quantities
from ..extract.quantities import Quantity
from ..extract.segment import Clause, segment
from .checks import threshold_value
from .fields import ADDED, Docs
from .rows import Row


@dataclass(frozen=True)
class _Read:
    """What an added figure takes from its text, read once per text: the clean text and its
    offsets, the clauses (and where each starts), the headings by section."""

    ct: CleanText
    clauses: list[Clause]
    starts: list[int]
    headings: dict[int, str]


@lru_cache(maxsize=8)
def _read(text: str) -> _Read:
    ct = clean(text)
    sections, clauses = segment(ct.text)
    return _Read(ct, clauses, [c.start for c in clauses], {s.number: s.heading.lstrip("# ") for s in sections})


def _quantity(read: _Read, clause: Clause, start: int, end: int) -> Quantity | None:
    """The quantity the extraction reads at raw chars start..end, if any (read in its clause
    only: a figure never spans clauses, and a whole text's quantities cost ten times more)."""
    for q in all_quantities(clause.text):
        if read.ct.raw_span(clause.start + q.start, clause.start + q.end) == (start, end):
            return q
    return None


def _doc_status(doc: dict) -> str:
    """The status a figure of the report has unless the row says: target for a plan alone."""
    review, target = doc.get("review_year"), doc.get("target_year")
    return "target" if not pd.isna(target) and pd.isna(review) else "actual"


def _doc_period(doc: dict, status: str) -> str:
    review, target = doc.get("review_year"), doc.get("target_year")
    year = target if status == "target" and not pd.isna(target) else review if not pd.isna(review) else target
    return "" if pd.isna(year) else periods.year(int(year))


def added_fact(r: Row, docs: Docs, text: str) -> tuple[dict | None, str]:
    """The fact an add row makes (its span holds its figure: checked before), or None and why not."""
    doc = docs.rows[r.file]
    read = _read(text)
    i = bisect_right(read.starts, bisect_left(read.ct.offsets, r.start)) - 1  # the clause holding the figure
    clause = read.clauses[max(i, 0)] if read.clauses else None
    q = _quantity(read, clause, r.start, r.end) if clause else None
    given = r.given()
    value = float(given["value"]) if "value" in given else q.value if q else None
    unit = given.get("unit") or (q.unit if q else "")
    if value is None or not unit:
        return None, (f"the build reads no quantity at chars {r.start}-{r.end} ({r.value_text}); give its value "
                      "and unit (--value, --unit)")
    ind = catalog.indicators().get(given.get("indicator", ""))
    measure = given.get("measure") or (ind.measure if ind is not None and unit == ind.unit else "")
    if not measure:
        return None, "give the figure's measure (level, growth, share, rank, change or multiple; --measure)"
    status = given.get("status") or _doc_status(doc)
    period = given.get("period") or _doc_period(doc, status)
    region = given.get("region") or str(doc["region"])
    level = str(doc["region_level"]) if region == doc["region"] else docs.level(region, r.file)
    snippet = clause.text if clause else ""
    section = read.headings.get(clause.section, "") if clause else ""
    fact = {
        "fact_id": f"{r.file}:{r.start}", "doc": r.file, "region": region, "region_level": level,
        "period": period, "year": periods.last_year(period), "status": status,
        "indicator": ind.id if ind is not None else "",
        "label": given.get("label") or (ind.name_zh if ind is not None else ""),
        "measure": measure, "value": value, "unit": unit, "value_text": r.value_text,
        "qualifier": given.get("qualifier") or (q.qualifier if q else "none"),
        "threshold": threshold_value(given["threshold"]) if "threshold" in given else bool(q.threshold) if q else False,
        "preliminary": periods.is_part_year(period), "theme": ind.theme if ind is not None else catalog.theme_of(snippet, section),
        "section": section, "snippet": snippet, "start": r.start, "end": r.end, "rank_group": "",
        "corrected": ADDED, "correction_note": r.note,
    }
    return fact, ""
