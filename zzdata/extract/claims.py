"""Claims without a number (两位数, 翻番, 前列, 第一方阵, 全覆盖 …), kept out of `value`.

They are what reports say instead of figures; a researcher comparing cities wants them too,
so they get a table of their own (`claims.csv`), each traceable to its raw offsets. A word that
is read as a fact (a rank word such as 首位 or 百强, an amount such as 百万大关 where the clause
names its indicator: :mod:`.numbers`) is no claim. The counts of an outline or a slogan, which are
no figures (`五个方面`, `两个根本转变`, `三场硬仗`: :func:`.numerals.outline_counts`), are claims of kind
``outline``.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from operator import attrgetter, itemgetter

from ..core import schema
from .clean import CleanText, clean
from .numbers import all_quantities
from .numerals import OUTLINE, outline_counts
from .segment import Clause, segment

CLAIM_COLUMNS = schema.columns("claims")  # data/columns.csv

# Rows opening with a plain character (no class, group, escape, or a quantifier on it) are
# searched together: `re` then jumps in C to the places where one of their first characters
# stands. The test only decides how fast a row is searched, never what is found.
_PLAIN_START = re.compile(r"[^\\\[\](){}.^$|*+?](?![*+?{])")
_LEADING_PLUS = re.compile(r"(\\[dDwWsS]|\[[^\]\\]*\])\+(?![+?])")  # `\d+…`, `[0-9]+…`
# A row opening with a class of plain characters, taken once (`[百千]强`): it reads as one
# plain-start row per character (`百强|千强`), so it joins the plain rows' search.
_PLAIN_CLASS_START = re.compile(r"\[([^\]\\^\-\[]+)\](?![*+?{])")
# A rest with `|`, a named group, a backreference or a conditional stays whole.
_UNSPLITTABLE = re.compile(r"[|]|\(\?P|\(\?\(|\\\d")


def _plain_rows(row: str) -> list[str] | None:
    """The row as rows that open with a plain character, or None if it cannot be written so."""
    if _PLAIN_START.match(row):
        return [row]
    if (m := _PLAIN_CLASS_START.match(row)) and not _UNSPLITTABLE.search(rest := row[m.end():]):
        return [f"{re.escape(ch)}(?:{rest})" for ch in dict.fromkeys(m.group(1))]
    return None


def _scanner(row: str) -> re.Pattern:
    """One row compiled to be searched fast: `\\d+…` as `\\d\\d*…`, which means the same but opens
    with a class, so the engine jumps in C from one digit to the next."""
    return re.compile(_LEADING_PLUS.sub(r"\1\1*", row, count=1) if _LEADING_PLUS.match(row) else row)


@dataclass(frozen=True)
class _Claims:
    """The claim rows compiled: one alternation that reads a claim, and the scanners that find where one starts."""

    pattern: re.Pattern  # every row, in file order, each in a group of its own
    kinds: dict[str, str]  # group name -> the row's kind
    scanners: tuple[re.Pattern, ...]  # the same rows in alternations the engine searches fast


@lru_cache(maxsize=None)
def _claim_re() -> _Claims:
    """Compile claims.csv once."""
    with resources.files("zzdata").joinpath("data/claims.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    pattern = re.compile("|".join(f"(?P<claim{i}>{r['pattern']})" for i, r in enumerate(rows)))
    kinds = {f"claim{i}": r["kind"] for i, r in enumerate(rows)}
    plain: list[str] = []
    other: list[str] = []
    for r in rows:
        as_plain = _plain_rows(r["pattern"])
        if as_plain is None:
            other.append(r["pattern"])
        else:
            plain += as_plain
    scanners = [re.compile("|".join(f"(?:{p})" for p in plain))] if plain else []
    scanners += [_scanner(p) for p in other]  # alone, `\d+\s*强` is searched fast too
    return _Claims(pattern, kinds, tuple(scanners))


def _find_claims(text: str, claims: _Claims) -> list[re.Match] | None:
    """The matches of `claims.pattern.finditer(text)`, found without trying every position.

    The alternation matches at a position exactly when one of the scanners does, so the next
    claim starts where the leftmost scanner match starts; the alternation then reads it there,
    the row order deciding as in one `finditer`. None if a match is empty: no row matches
    the empty string today; if one ever does, finditer's own rules for that apply instead.
    """
    scanners = claims.scanners
    match = claims.pattern.match
    ahead = [s.search(text) for s in scanners]  # each scanner's next match, None past the last
    found = []
    while starts := [hit.start() for hit in ahead if hit is not None]:
        m = match(text, min(starts))
        pos = m.end()
        if pos == m.start():
            return None
        found.append(m)
        for i, hit in enumerate(ahead):
            if hit is not None and hit.start() < pos:
                ahead[i] = scanners[i].search(text, pos)  # inside the claim just read: look again
    return found


def _claims_by_clause(text: str, clauses: list[Clause], claims: _Claims) -> Iterator[tuple[Clause, re.Match]]:
    """Each clause's claims, read clause by clause (a claim never runs past its clause's end)."""
    for clause in clauses:
        for m in claims.pattern.finditer(text, clause.start, clause.end):
            yield clause, m


def _claims_in_clauses(text: str, clauses: list[Clause], claims: _Claims) -> list[tuple[Clause, re.Match]]:
    """What `_claims_by_clause` gives, from one pass over the whole text.

    The clauses are in text order and do not overlap. While every match of the whole text
    lies inside a clause or in a gap between two, reading clause by clause finds the same
    matches; when one runs across a clause end (`10\\n强`), read clause by clause instead.
    """
    matches = _find_claims(text, claims)
    if matches is None:
        return list(_claims_by_clause(text, clauses, claims))
    found = []
    clause_start = attrgetter("start")
    for m in matches:
        start, end = m.span()
        k = bisect_right(clauses, start, key=clause_start) - 1  # the last clause starting at or before
        if k >= 0 and start < clauses[k].end:
            if end > clauses[k].end:
                return list(_claims_by_clause(text, clauses, claims))
            found.append((clauses[k], m))
        elif k + 1 < len(clauses) and end > clauses[k + 1].start:  # from a gap into a clause
            return list(_claims_by_clause(text, clauses, claims))
        # else: wholly in a gap between clauses, where no clause reads it
    return found


def extract_claims(doc: str, raw: str | CleanText) -> list[dict]:
    """Every claim word in a text with its clause and raw offsets, in text order; `raw` is the raw text
    or its clean text when the caller has it already (`extract.document.read_document`)."""
    ct = raw if isinstance(raw, CleanText) else clean(raw)
    _, clauses = segment(ct.text)
    claims = _claim_re()
    facts = all_quantities(ct.text)
    fact_starts = [q.start for q in facts]
    out = []
    for clause, m in _claims_in_clauses(ct.text, clauses, claims):
        k = bisect_right(fact_starts, m.end() - 1) - 1  # the last fact starting inside or before the claim
        if k >= 0 and facts[k].end > m.start():
            continue  # the word is read as a fact (百万大关 -> 1,000,000 辆)
        # The group that matched is the first row whose pattern reads the whole word: the rows
        # have no lookarounds or anchors, so an earlier row reading it would have matched first.
        out.append(_claim(doc, ct, clause, m.start(), m.end(), claims.kinds[m.lastgroup]))
    outline = outline_counts(ct.text)
    if outline:
        clause_start = attrgetter("start")
        for start, end in outline:  # never a fact: the numerals leave these counts out
            k = bisect_right(clauses, start, key=clause_start) - 1
            if k >= 0 and start < clauses[k].end:
                out.append(_claim(doc, ct, clauses[k], start, end, OUTLINE))
        out.sort(key=itemgetter("start", "end"))
    return out


def _claim(doc: str, ct: CleanText, clause: Clause, start: int, end: int, kind: str) -> dict:
    """One row of claims.csv: the words at the clean span [start, end) of `clause`."""
    raw_start, raw_end = ct.raw_span(start, end)
    return {"doc": doc, "claim": ct.text[start:end], "kind": kind, "snippet": clause.text,
            "start": raw_start, "end": raw_end}
