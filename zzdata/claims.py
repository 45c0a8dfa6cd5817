"""Claims without an Arabic number (两位数, 翻番, 前列, 首位, 全国第一 …), kept out of `value`.

They are what reports say instead of figures; a researcher comparing cities wants them too,
so they get a table of their own (`claims.csv`), each traceable to its raw offsets.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from .clean import clean
from .segment import segment

CLAIM_COLUMNS = ["doc", "claim", "kind", "snippet", "start", "end"]


@lru_cache(maxsize=None)
def _claim_re() -> tuple[re.Pattern, list[tuple[re.Pattern, str]]]:
    with resources.files("zzdata").joinpath("data/claims.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    compiled = [(re.compile(r["pattern"]), r["kind"]) for r in rows]
    return re.compile("|".join(f"(?:{r['pattern']})" for r in rows)), compiled


def extract_claims(doc: str, raw: str) -> list[dict]:
    """Every claim word in a raw text with its clause and raw offsets."""
    ct = clean(raw)
    _, clauses = segment(ct.text)
    pattern, kinds = _claim_re()
    out = []
    for clause in clauses:
        for m in pattern.finditer(ct.text, clause.start, clause.end):
            kind = next(k for p, k in kinds if p.fullmatch(m.group(0)))
            start, end = ct.raw_span(m.start(), m.end())
            out.append({"doc": doc, "claim": m.group(0), "kind": kind, "snippet": clause.text,
                        "start": start, "end": end})
    return out
