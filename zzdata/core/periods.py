"""The period grammar: how the time a figure covers is written in `facts.period`, built by the
extraction and read by the series, the comparisons and the charts -- here and nowhere else.

    2024                 a calendar year
    2018-2022            several calendar years (a five-year review, ``2018年以来``)
    2024-01..11          January to November of a year (``1~11月``, ``前三季度``, ``上半年``)
    2016-11..12          November to December of a year (``11-12月``)
    2024-01-01..12-21    from 1 January up to a day (``截至12月21日``)

A period with ``..`` is part of a year (and so preliminary); one with a ``-`` and no ``..``
spans several years.
"""

from __future__ import annotations

import re
from functools import lru_cache


_YEAR = re.compile(r"(\d{4})")
_YEARS = re.compile(r"(\d{4})-(\d{4})")
_MONTHS = re.compile(r"(\d{4})-(\d{2})\.\.(\d{2})")
_DAYS = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.\.(\d{2})-(\d{2})")
_LEADING_YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --------------------------------------------------------------------------- building


def year(y: int) -> str:
    """A calendar year: 2024."""
    return str(y)


def years(first: int, last: int) -> str:
    """Several calendar years: 2018-2022."""
    return f"{first}-{last}"


def months(y: int, last_month: int, first_month: int = 1) -> str:
    """January (or `first_month`) to `last_month` of a year: 2024-01..11, 2016-11..12."""
    return f"{y}-{first_month:02d}..{last_month:02d}"


def up_to_day(y: int, month: int, day: int) -> str:
    """From 1 January up to a day: 2024-01-01..12-21."""
    return f"{y}-01-01..{month:02d}-{day:02d}"


# --------------------------------------------------------------------------- reading


@lru_cache(maxsize=1024)
def last_year(period: str) -> int | None:
    """The last year a period covers: '2018-2022' -> 2022, '2024-01..11' -> 2024."""
    m = _LEADING_YEARS.match(period or "")
    if not m:
        return None
    return int(m.group(2) or m.group(1))


def is_multi_year(period: str) -> bool:
    """A period spanning several calendar years (2018-2022), not a part of one (2024-01..11)."""
    p = str(period)
    return "-" in p and ".." not in p


def is_part_year(period: str) -> bool:
    """A part of a year (2024-01..11, 2024-01-01..12-21): preliminary by nature."""
    return ".." in str(period)


def kind(period: str) -> str:
    """What kind of time a period covers: ``year``, ``years`` (several), ``part`` (part of a year)
    or ``other``. Only figures of the same kind are compared with each other."""
    p = str(period)
    if _YEAR.fullmatch(p):
        return "year"
    if _YEARS.fullmatch(p):
        return "years"
    if is_part_year(p):
        return "part"
    return "other"


def multi_year(periods):
    """`is_multi_year` for a pandas Series of periods, as a boolean Series."""
    p = periods.astype("string").fillna("")
    return (p.str.contains("-", regex=False) & ~p.str.contains("..", regex=False)).astype(bool)


def label(period: str, lang: str = "zh") -> str:
    """2024 -> 2024年; 2018-2022 -> 2018–2022年; 2024-01..11 -> 2024年1–11月; 2024-01-01..12-21 ->
    2024年1月1日–12月21日 (en: 2024, 2018–2022, Jan–Nov 2024, 1 Jan–21 Dec 2024). Anything
    else is returned as it is."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    p, zh = str(period), lang == "zh"
    if _YEAR.fullmatch(p):
        return f"{p}年" if zh else p
    if m := _YEARS.fullmatch(p):
        return f"{m[1]}–{m[2]}年" if zh else f"{m[1]}–{m[2]}"
    if m := _MONTHS.fullmatch(p):
        a, b = int(m[2]), int(m[3])
        return f"{m[1]}年{a}–{b}月" if zh else f"{_MONTHS_EN[a - 1]}–{_MONTHS_EN[b - 1]} {m[1]}"
    if m := _DAYS.fullmatch(p):
        a, d1, b, d2 = int(m[2]), int(m[3]), int(m[4]), int(m[5])
        return (f"{m[1]}年{a}月{d1}日–{b}月{d2}日" if zh else
                f"{d1} {_MONTHS_EN[a - 1]}–{d2} {_MONTHS_EN[b - 1]} {m[1]}")
    return p
