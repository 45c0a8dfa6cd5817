"""Amounts written in Chinese numerals (`两批`, `三场`, `十多轮`, `一千亿元`), amounts of a
multiplier alone (`近亿元`, `超千亿元`, `突破百万大关`) and multiples (`三倍`, `翻一番`).

The units are those of the Arabic amounts (`data/units.csv`, `data/people_nouns.csv`); the words
that make a numeral part of a name rather than an amount are data (cues.csv kinds
``numeral_name_before``, ``numeral_name_after``, ``numeral_ordinal_unit``, ``amount_lead``,
``threshold_after``). Left out: `一` alone (an article: `一批`, `一个缩影`), ordinals and session
names (`第二批`, `二期`, `十二届三次全会`), numerals inside a short quoted name (`“三个一批”`),
a multiplier alone with no verb or qualifier word before it (`万元GDP`, `千家万户`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core import catalog
from ..core.numerals import NUMERAL_CHARS, cn_number
from ..core.patterns import alternation
from .quantities import (QUALIFIER_BEFORE, Quantity, qualifier_before, make_quantity, unit_is_quantity, unit_readings,
                         people_nouns, units)

MULTIPLIER_CHARS = frozenset("百千万亿")  # a numeral made of these alone is a round milestone
_CLAUSE_BREAKS = "，。；：,;:\n"
_NUMERAL = NUMERAL_CHARS


def cn_value(numeral: str) -> float | None:
    """`三千五百` -> 3500.0 (core.numerals.cn_number as a float); None if not well formed."""
    n = cn_number(numeral)
    return None if n is None else float(n)


@lru_cache(maxsize=None)
def _cues(kind: str) -> tuple[str, ...]:
    return catalog.cues().get(kind, ())


@lru_cache(maxsize=None)
def _amount_re() -> re.Pattern:
    """A Chinese numeral, 多/余, then a unit, a noun for people, or a threshold noun (大关)."""
    unit_alt = alternation(u for u in units() if u != "位")
    noun_alt = alternation(people_nouns())
    after = alternation(_cues("threshold_after"))
    # A lone 一 is an article (一批), never read: the numeral opens with another character or 一 before one.
    first = f"(?:[{_NUMERAL.replace('一', '')}]|一(?=[{_NUMERAL}]))"
    return re.compile(
        rf"(?P<num>{first}[{_NUMERAL}]*)(?P<more>多|余|)(?:(?P<unit>{unit_alt})|(?P<noun>{noun_alt})|(?=(?P<bare>{after})))")


_DOUBLINGS = re.compile(r"翻([一两二三四五六七八九十]|\d+)番")


def in_short_quote(text: str, start: int, end: int, limit: int = 10) -> bool:
    """True if [start, end) stands inside a short quoted name (`“三个一批”`, `“双第一”`): a quotation
    of at most `limit` characters without clause punctuation (a quoted sentence is no name)."""
    opened = text.rfind("“", max(0, start - limit), start)
    if opened < 0 or "”" in text[opened:start]:
        return False
    closed = text.find("”", end, opened + limit + 2)
    return closed >= 0 and not any(c in _CLAUSE_BREAKS or c == "," for c in text[opened:closed])


def _unit_of_indicator(text: str, start: int) -> tuple[str, str] | None:
    """(unit, kind) of the catalog indicator named in the clause before `start` (`汽车产量…百万大关`)."""
    cut = max(text.rfind(c, 0, start) for c in _CLAUSE_BREAKS)
    hit = catalog.match_indicator(text[cut + 1 : start])
    if hit is None:
        return None
    unit = catalog.indicators()[hit[0]].unit
    reading = unit_readings().get(unit)
    return (unit, reading[1]) if reading else None


def _is_name(text: str, s: int, e: int, unit_printed: str) -> bool:
    """Is the numeral at [s, e) part of a name or an ordinal rather than an amount?"""
    before = text[s - 1 : s]
    if before and (before.isdigit() or before in "." + _NUMERAL or before in "".join(_cues("numeral_name_before"))):
        return True  # 第二, 届三次, 每万人, 几十个
    if unit_printed in _cues("numeral_ordinal_unit"):
        return True  # 二期: a phase
    if text.startswith(_cues("numeral_name_after"), e):
        return True  # 三次全会, 四次会议
    return in_short_quote(text, s, e)


SMALL_WORD_COUNT = 10  # a count in words below this is phrasing, not a figure (docs/conventions.md)


def _outline_count(text: str, end: int, value: float, unit: str) -> bool:
    """Is a count written in words one of an outline or a slogan rather than a figure? A count below
    ten in words is (`两个确保`, `三场硬仗`, `五个方面`, `两批`: reports print their statistics in
    digits), unless its unit is one of cues.csv kind ``word_count_kept`` (`连续四季度`); so is any
    count in words of what cues.csv kind ``outline_after`` names (`十项重点工作`)."""
    if text.startswith(_cues("outline_after"), end):
        return True
    return value < SMALL_WORD_COUNT and unit not in _cues("word_count_kept")


#: What `_read_amount` says of a count of an outline or a slogan (`五个方面`): no figure, a claim.
OUTLINE = "outline"


def _read_amount(text: str, m: re.Match, readings: dict, nouns: dict) -> Quantity | str | None:
    """The amount a match of `_amount_re` prints, `OUTLINE` for a count of an outline or a slogan, else None."""
    num, more, unit_printed, noun = m.group("num", "more", "unit", "noun")
    s, e = m.span()
    if num == "一":
        return None  # an article: 一批, 一个缩影
    value = cn_value(num)
    if not value or _is_name(text, s, e, unit_printed or ""):  # 零部件: no amount
        return None
    lead = qualifier_before(text, s) or ""
    milestone = set(num) <= MULTIPLIER_CHARS
    if milestone and not (lead or text[max(0, s - 4) : s].endswith(_cues("amount_lead") + _cues("threshold"))):
        return None  # `万元GDP`, `千家万户`: no amount without a verb or a qualifier word before it
    if unit_printed:
        unit, kind = readings[unit_printed]
        if not unit_is_quantity(text, unit_printed, kind, text[s - 1 : s], e, None):
            return None
        if kind == "count" and _outline_count(text, e, value, unit):
            return OUTLINE  # 五个方面工作, 两个根本转变, 三场硬仗, 分四个批次: a count of a slogan or an outline
    elif noun:
        unit, kind = nouns[noun], "people"
        e -= len(noun)
    else:  # `百万大关`, `千亿俱乐部`: the unit of the indicator the clause names
        if not milestone:
            return None
        reading = _unit_of_indicator(text, s - len(lead))
        if reading is None:
            return None
        unit, kind = reading
    qualifier = "over" if more else "none"
    if lead:
        qualifier = QUALIFIER_BEFORE[lead]
    value_text = text[s:e].replace("多", "").replace("余", "") if more else text[s:e]
    return make_quantity(s, e, num, value, unit, kind, qualifier, value_text, lead)


def find_numeral_amounts(text: str) -> list[Quantity]:
    """The amounts written with Chinese numerals in a clean text, in order."""
    if not any(c in text for c in _NUMERAL):
        return []
    readings, nouns = unit_readings(), people_nouns()
    found = []
    for m in _amount_re().finditer(text):
        q = _read_amount(text, m, readings, nouns)
        if q is not None and q is not OUTLINE:
            found.append(q)
    return found


@lru_cache(maxsize=None)
def _outline_words_re() -> re.Pattern:
    """The words of an outline or a slogan after a count (cues.csv kind ``outline_after``; one, 方面, is a
    unit too: `五方面工作`)."""
    return re.compile(alternation(_cues("outline_after")))


@lru_cache(maxsize=None)
def _count_before_re() -> re.Pattern:
    """A count in words, with its unit if any, that ends where the search ends (its `endpos`)."""
    return re.compile(rf"[{_NUMERAL}]+(?:多|余)?(?:{alternation(units())})?$")


def outline_counts(text: str) -> list[tuple[int, int]]:
    """The clean spans of the counts of an outline or a slogan, which are no figures (docs/conventions.md):
    the count, its unit and the outline's words (`突出抓好【五个方面】工作`, `实现【两个根本转变】`, `打好【三场硬仗】`,
    `分【四个批次】推进`, `抓好【十项重点工作】`) — the counts that `find_numeral_amounts` leaves out for naming one.
    Found from the outline's words back, so a text without them costs one search."""
    if not any(c in text for c in _NUMERAL):
        return []
    readings, nouns = unit_readings(), people_nouns()
    found: list[tuple[int, int]] = []
    for hit in _outline_words_re().finditer(text):
        i, j = hit.span()
        before = _count_before_re().search(text, max(0, i - 12), i)
        m = _amount_re().match(text, before.start()) if before else None
        if m is None or not i <= m.end() <= j or (found and found[-1][1] > m.start()):
            continue
        if _read_amount(text, m, readings, nouns) is OUTLINE:
            found.append((m.start(), j))
    return found


def find_doublings(text: str) -> list[Quantity]:
    """`翻一番` (2), `翻两番` (4): multiples, unit 倍. (`三倍`, `2.5倍` are amounts in 倍.)"""
    if "番" not in text:
        return []
    found = []
    for m in _DOUBLINGS.finditer(text):
        turns = m.group(1)
        n = float(turns) if turns.isdigit() else cn_value(turns)
        if n:
            s, e = m.span()
            found.append(make_quantity(s, e, m.group(0), 2.0 ** n, "倍", "multiple", "none", m.group(0), ""))
    return found
