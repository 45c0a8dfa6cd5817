"""Every quantity of a clean text, however it is written, and which of them are thresholds.

The amounts in Arabic digits (:mod:`.quantities`), in Chinese numerals and multiples
(:mod:`.numerals`) and the rank words (:mod:`.ranks`), in text order. Where a rank word and an
amount share characters (`前10名`: a rank, not ten people), the rank is kept.

A threshold is a milestone passed, not a level (`突破2万亿元`, `跨越500亿元、600亿元两个台阶`,
`迈入千亿俱乐部`, `有望突破300亿元`): its qualifier is ``over`` and ``threshold`` is True, so
that the series choice rule prefers a precise figure of the same key and charts never draw it
as a level. It is read from cues.csv: a threshold verb before the figure (kind ``threshold``),
a threshold noun after it (kind ``threshold_after``: 台阶, 大关, 俱乐部), a figure listed right
after a threshold (`、600亿元`), or a round amount of a multiplier alone with ``over`` (`超千亿元`).
Facts and claims read the same list (the claims that share characters with one are dropped).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache

from ..core import catalog
from .numerals import MULTIPLIER_CHARS, find_doublings, find_numeral_amounts
from .quantities import Quantity, find_quantities
from .ranks import find_rank_words

_NOT_THRESHOLD = frozenset(("rank", "multiple", "points"))
_LISTED = re.compile(r"^[、和及与]$")
_COUNT_BEFORE_NOUN = re.compile(r"^[\d一二两三四五六七八九十]*个?")


@lru_cache(maxsize=None)
def _cues(kind: str) -> tuple[str, ...]:
    return catalog.cues().get(kind, ())


@lru_cache(maxsize=None)
def _firsts(kind: str) -> frozenset[str]:
    return frozenset(w[:1] for w in _cues(kind))


@lru_cache(maxsize=None)
def _lasts(kind: str) -> frozenset[str]:
    return frozenset(w[-1:] for w in _cues(kind))


_COUNT_CHARS = frozenset("0123456789一二两三四五六七八九十个")


def _threshold(text: str, q: Quantity, prev: Quantity | None) -> bool:
    """Is the quantity a threshold? (Each test opens with a one-character check: most are not.)"""
    if q.kind in _NOT_THRESHOLD:
        return False
    if q.lead and q.lead in _cues("threshold"):
        return True  # 突破
    at = q.start - len(q.lead)
    if text[at - 1 : at] in _lasts("threshold") and text[max(0, at - 6) : at].endswith(_cues("threshold")):
        return True  # 跨越, 迈入, 站上
    if prev is not None and prev.threshold and _LISTED.match(text[prev.end : q.start]):
        return True  # 跨越500亿元、【600亿元】
    after = text[q.end : q.end + 1]
    if after in _firsts("threshold_after"):
        if text.startswith(_cues("threshold_after"), q.end):
            return q.unit not in catalog.GENERIC_COUNTERS  # 百万大关, 千亿俱乐部; but 两个【台阶】 counts them
    elif after in _COUNT_CHARS:
        rest = text[q.end : q.end + 8]
        if rest[_COUNT_BEFORE_NOUN.match(rest).end():].startswith(_cues("threshold_after")):
            return True  # 600亿元两个台阶
    return q.qualifier == "over" and set(q.number) <= MULTIPLIER_CHARS  # 超千亿元


def _merge(amounts: list[Quantity], ranks: list[Quantity]) -> list[Quantity]:
    """Amounts and ranks in text order; an amount sharing characters with a rank is dropped."""
    if not ranks:
        return amounts
    starts = [r.start for r in ranks]
    kept = []
    for a in amounts:
        k = bisect_left(starts, a.end) - 1  # the last rank starting before the amount ends
        if k < 0 or ranks[k].end <= a.start:
            kept.append(a)
    return sorted(kept + ranks, key=lambda q: q.start)


@lru_cache(maxsize=4)
def all_quantities(text: str) -> tuple[Quantity, ...]:
    """Every quantity of a clean text in text order, thresholds marked (cached: the facts and the
    claims of a text read the same list)."""
    amounts = find_quantities(text)
    words = find_numeral_amounts(text) + find_doublings(text)
    if words:
        amounts = sorted(amounts + words, key=lambda q: q.start)
    out: list[Quantity] = []
    prev = None
    for q in _merge(amounts, find_rank_words(text)):
        if _threshold(text, q, prev):
            q = replace(q, threshold=True, qualifier="over" if q.qualifier == "none" else q.qualifier)
        out.append(q)
        prev = q
    return tuple(out)
