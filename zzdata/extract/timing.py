"""When a figure is: the period cues of a clause or section (``2018年以来``, ``五年来``,
``1~11月``, ``前三季度``, ``上半年``, ``截至12月21日``, an explicit ``2023年``), read against the
document's years from the manifest. The period strings are written by :mod:`zzdata.core.periods`.
"""

from __future__ import annotations

import re

from ..core import periods

_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SINCE_YEAR = re.compile(r"(\d{4})年以来")
_YEARS_SINCE = re.compile(r"(?:过去|近)?([一二两三四五六七八九十]|\d{1,2})年(?:来|以来|累计|间)")
_MONTH_RANGE = re.compile(r"(?:(\d{4})年)?(?:1|一)\s*[~～\-—至到]\s*(\d{1,2})月")
_FIRST_MONTHS = re.compile(r"前(\d{1,2}|[一二三四五六七八九十]{1,2})个月")
_QUARTERS = re.compile(r"前([一二三])季度")
_HALF = re.compile(r"上半年")
_UNTIL_DAY = re.compile(r"截至(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_EXPLICIT_YEAR = re.compile(r"(?<![比较与和同])(\d{4})年(?:度)?(?!以来|工作|以前|前|起|底前)")

def cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN_DIGIT[text[1]]
    return _CN_DIGIT[text]


def since_period(ctext: str, meta) -> tuple[str, str] | None:
    """(period, scope) for `2018年以来` (section), `五年来` (section), `三年累计` (clause)."""
    end_year = meta.review_year or meta.target_year
    if not end_year or "年" not in ctext:
        return None  # both patterns below need 年
    m = _SINCE_YEAR.search(ctext)
    if m and int(m.group(1)) < end_year:
        return periods.years(int(m.group(1)), end_year), "section"
    m = _YEARS_SINCE.search(ctext)
    if m:
        n = cn_number(m.group(1))
        if 1 < n <= 10:
            scope = "section" if n == 5 and m.group(0).endswith("来") else "sentence"
            return periods.years(end_year - n + 1, end_year), scope
    return None


def partial_period(ctext: str, meta) -> str | None:
    """A part of a year named in the clause: 截至11月30日, 1-11月, 前三季度, 上半年 …"""
    if "月" not in ctext and "季度" not in ctext and "上半年" not in ctext:
        return None  # every pattern below needs one of these
    year = meta.review_year or meta.target_year
    m = _UNTIL_DAY.search(ctext)
    if m:
        y = int(m.group(1) or year)
        return periods.up_to_day(y, int(m.group(2)), int(m.group(3)))
    m = _MONTH_RANGE.search(ctext)
    if m:
        y = int(m.group(1) or year)
        return periods.months(y, int(m.group(2)))
    m = _FIRST_MONTHS.search(ctext)
    if m and cn_number(m.group(1)) < 12:
        return periods.months(year, cn_number(m.group(1)))
    m = _QUARTERS.search(ctext)
    if m:
        return periods.months(year, cn_number(m.group(1)) * 3)
    if _HALF.search(ctext):
        return periods.months(year, 6)
    return None


def explicit_year(ctext: str) -> str | None:
    m = _EXPLICIT_YEAR.search(ctext)
    return m.group(1) if m else None
