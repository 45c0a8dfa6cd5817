"""When a figure is: the period cues of a clause or section (``2018年以来``, ``五年来``,
``过去五年``, ``近三年``, ``1~11月``, ``前三季度``, ``上半年``, ``截至12月21日``, an explicit
``2023年``, a baseline ``由2015年的2.3%``), read against the document's years from the manifest.
Relative years (``今年``, ``去年``, ``上年``, ``明年``: cues.csv kinds ``year_this``,
``year_last``, ``year_next``) are read against the date the text was delivered, not in
``比上年``/``较上年``/``同比``. How far a multi-year phrase reaches (its clause, its sentence, its
paragraph, its section) is decided once, by :func:`since_reach`. The period strings are written by
:mod:`zzdata.core.periods`.
"""

from __future__ import annotations

import re

from functools import lru_cache
from typing import NamedTuple

from ..core import catalog, periods
from ..core.numerals import cn_number

_SINCE_YEAR = re.compile(r"(\d{4})年以来")
_MAX_YEARS_SINCE = 30  # `十二年来` counts twelve years; a larger count names no period of a report
#: The years of a government's term: `五年来`, `过去五年` in a report at a new term review that term.
_TERM_YEARS = 5
# `1~11月`, `11-12月` (November to December), `一至三月`: the first and the last month.
_MONTH_RANGE = re.compile(r"(?:(\d{4})年)?(?<![\d一二三四五六七八九十])(\d{1,2}|[一二三四五六七八九十]{1,2})\s*[~～\-—至到]\s*"
                          r"(\d{1,2}|[一二三四五六七八九十]{1,3})月")
_FIRST_MONTHS = re.compile(r"前(\d{1,2}|[一二三四五六七八九十]{1,2})个月")
_QUARTERS = re.compile(r"前([一二三])季度")
_HALF = re.compile(r"上半年")
_UNTIL_DAY = re.compile(r"截至(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_EXPLICIT_YEAR = re.compile(r"(\d{4})年(?:度)?(?!以来|工作|以前|前|起|底前|(?:底|末)?的[\d一二两三四五六七八九十百千])")
# A baseline: the figure right after `(由)2015年(底)的` is that year's (`由2015年的2.3%提高到2.8%`).
_BASELINE = re.compile(r"(\d{4})年(?:底|末)?的$")
_RELATIVE_KINDS = {"year_this": 0, "year_last": -1, "year_next": 1}

def delivered_year(meta) -> int | None:
    """The year the text was delivered (manifest `delivered`, YYYY-MM or YYYY-MM-DD)."""
    delivered = str(getattr(meta, "delivered", "") or "")
    return int(delivered[:4]) if delivered[:4].isdigit() else None


@lru_cache(maxsize=None)
def _relative_re() -> re.Pattern | None:
    """The relative-year words of cues.csv (kinds year_this, year_last, year_next)."""
    words = [w for kind in _RELATIVE_KINDS for w in catalog.cues().get(kind, ())]
    if not words:
        return None
    alt = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(f"({alt})")


@lru_cache(maxsize=None)
def _comparison_words() -> tuple[str, ...]:
    """The words after which a year is what a figure is compared with, not its period (cues.csv
    kind ``comparison``: 比, 较, 同, 由, 是, 高于, 低于, 超过, 快于 …)."""
    return catalog.cues().get("comparison", ())


def compared(text: str, start: int) -> bool:
    """Does a comparison word end right before `start` (`高于【去年】`, `超过【2020年】水平`, `比上年`)?"""
    return text.endswith(_comparison_words(), 0, start)


@lru_cache(maxsize=None)
def _relative_offsets() -> dict[str, int]:
    return {w: off for kind, off in _RELATIVE_KINDS.items() for w in catalog.cues().get(kind, ())}


def relative_year(ctext: str, meta) -> int | None:
    """The year `今年`, `去年`, `上年` or `明年` in the clause names, read against the delivery date."""
    pattern = _relative_re()
    if pattern is None or "年" not in ctext:
        return None
    m = next((m for m in pattern.finditer(ctext) if not compared(ctext, m.start())), None)
    year = delivered_year(meta) if m else None
    return year + _relative_offsets()[m.group(1)] if year else None


class Since(NamedTuple):
    """A span of several years named in a clause, ending with the report's year."""

    period: str  # `2012-2016`
    review: bool  # a review of the years (`2018年以来`, `五年来`, `过去五年`), not a span named in passing (`近三年`)
    at: int  # where the phrase starts in the clause


@lru_cache(maxsize=None)
def _years_since_re() -> re.Pattern:
    """`五年来`, `三年累计`, `过去五年`, `近三年`: a count of years with a word of cues.csv kind
    ``since_before`` before it or ``since_after`` after it (a count with neither is a name: `三年行动`)."""
    cues = catalog.cues()
    before, after = ("|".join(map(re.escape, cues.get(k, ()))) for k in ("since_before", "since_after"))
    return re.compile(f"(?<![\\d一二两三四五六七八九十])({before})?([一二两三四五六七八九十]{{1,3}}|\\d{{1,2}})年({after})?")


@lru_cache(maxsize=None)
def _review_words() -> frozenset[str]:
    """The words that make a term's years a review of them (cues.csv kind ``review_since``: 过去, 来, 以来)."""
    return frozenset(catalog.cues().get("review_since", ()))


def since_period(ctext: str, meta) -> Since | None:
    """The span of years the clause names: `2018年以来`, `五年来`, `过去五年` (a review), `三年累计`,
    `近三年`, `连续三年`, `十二年来` (named in passing); how far it reaches is :func:`since_reach`'s."""
    if "年" not in ctext:
        return None  # both patterns below need 年
    end_year = meta.review_year or meta.target_year
    if not end_year:
        delivered = delivered_year(meta)
        end_year = delivered - 1 if delivered and "过去" in ctext else delivered
    if not end_year:
        return None
    m = _SINCE_YEAR.search(ctext)
    if m and int(m.group(1)) < end_year:
        return Since(periods.years(int(m.group(1)), end_year), True, m.start())
    for m in _years_since_re().finditer(ctext):
        before, number, after = m.groups()
        if not (before or after):
            continue  # `三年行动`: a name, no period
        n = cn_number(number)
        if n is not None and 1 < n <= _MAX_YEARS_SINCE:
            review = n == _TERM_YEARS and bool({before, after} & _review_words())
            return Since(periods.years(end_year - n + 1, end_year), review, m.start())
        return None
    return None


def since_reach(since: Since, in_heading: bool, opens_sentence: bool, opens_paragraph: bool, dated_section: bool) -> str:
    """How far a span of years reaches (docs/conventions.md, `period`): ``section`` in a heading
    (`一、过去五年工作回顾`: the section reviews those years), and for a review that opens a paragraph of a
    section whose heading names no year, review or plan (a report's opening, a summary in the news: the
    text up to the next heading reviews those years); ``paragraph`` for another review that opens its
    sentence (`…。五年来，…`, or in `一、2016年工作回顾`): up to the paragraph's end, never past it;
    ``sentence`` for another span that opens its sentence (`三年累计…`, `近三年…`, `新冠疫情发生三年来，`; alone
    in its clause it also holds over the sentences joined by ；); ``clause`` for a span inside a later
    clause or after the first words of its own (`…，十二年来累计完成1980亿元，…`).
    `opens_sentence`: the phrase's clause is its sentence's first and the phrase begins it or the clause
    holds no figure; `opens_paragraph`: that sentence is its paragraph's first."""
    if in_heading:
        return "section"
    if not opens_sentence:
        return "clause"
    if not since.review:
        return "sentence"
    return "section" if opens_paragraph and not dated_section else "paragraph"


def partial_period(ctext: str, meta) -> str | None:
    """A part of a year named in the clause: 截至11月30日, 1-11月, 前三季度, 上半年 …"""
    if "月" not in ctext and "季度" not in ctext and "上半年" not in ctext:
        return None  # every pattern below needs one of these
    year = relative_year(ctext, meta) or meta.review_year or meta.target_year
    m = _UNTIL_DAY.search(ctext)
    if m:
        y = int(m.group(1) or year)
        return periods.up_to_day(y, int(m.group(2)), int(m.group(3)))
    m = _MONTH_RANGE.search(ctext)
    if m:
        y = int(m.group(1) or year)
        first, last = cn_number(m.group(2)), cn_number(m.group(3))
        if first and last and first <= last <= 12:
            return periods.months(y, last, first)
    m = _FIRST_MONTHS.search(ctext)
    if m and (cn_number(m.group(1)) or 12) < 12:
        return periods.months(year, cn_number(m.group(1)))
    m = _QUARTERS.search(ctext)
    if m:
        return periods.months(year, cn_number(m.group(1)) * 3)
    if _HALF.search(ctext):
        return periods.months(year, 6)
    return None


def explicit_year(ctext: str, meta=None) -> str | None:
    """The year the clause names for the figures from here to the end of its sentence: `2023年`
    (not a comparison `比2023年`, nor a baseline `由2015年的`), else `今年`, `去年`, `明年`."""
    for m in _EXPLICIT_YEAR.finditer(ctext):
        if not compared(ctext, m.start()):
            return m.group(1)
    year = relative_year(ctext, meta) if meta is not None else None
    return periods.year(year) if year else None


def baseline(span: str, measure: str) -> str | None:
    """The period of a baseline figure: the words before it end with `2015年的` (`由2015年的2.3%`).
    A multiple (`是2015年的三倍`) is today's figure measured against that year: no baseline."""
    if measure == "multiple":
        return None
    m = _BASELINE.search(span)
    return periods.year(int(m.group(1))) if m else None
