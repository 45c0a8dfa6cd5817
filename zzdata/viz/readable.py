"""Tables shown to a reader: the same frame, its numbers printed as the reports print them.

A notebook table of raw floats shows ``9.318000e+10`` and ``2023.0``. :func:`readable` wraps a
frame in a pandas Styler that prints each amount with its row's unit in 万/亿 (or million/billion
in English: the notebook's :class:`~zzdata.viz.words.Words`), rates with a sign and one decimal,
years as years; the values underneath stay exact (``.data`` is the frame), and the CSV, Parquet and Excel
files are never touched by it.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from .words import Words

#: Columns holding an amount in the row's ``unit`` (the value, the two sides of a pair, a target).
UNIT_COLUMNS = ("value", "prev_value", "change", "district_value", "city_value", "target", "actual", "gap",
                "chosen_value")
#: Columns holding a per cent of something (a change, a share, a target reached).
PERCENT_COLUMNS = ("pct_change", "district_share", "attainment", "share")
#: Columns holding a difference of two rates, in percentage points.
POINT_COLUMNS = ("gap_points",)
#: Differences, shown with a sign.
SIGNED_COLUMNS = ("change", "gap")


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _number(v: object, unit: str | None, words: Words, sign: bool = False, digits: int = 4) -> str:
    """An amount in 万/亿 with its unit; a change of rank (-2) is written as a plain number."""
    if _missing(v):
        return ""
    if v in (float("inf"), float("-inf")):
        return "∞" if v > 0 else "-∞"
    try:
        return words.value(float(v), unit or None, sign=sign, digits=digits)
    except ValueError:  # a rank's change is not itself a rank
        return words.value(float(v), None, sign=sign, digits=digits)


def _fixed(v: object, suffix: str, sign: bool = False) -> str:
    """A per cent: one decimal (6.4%, +1.4%)."""
    if _missing(v):
        return ""
    return f"{float(v):{'+' if sign else ''},.1f}{suffix}"


def _points(v: object, words: Words) -> str:
    """A gap of two rates in points, one decimal and a sign (+1.4个百分点 / +1.4 pp)."""
    return "" if _missing(v) else words.phrase("points", n=_fixed(v, "", sign=True))


def _numeric_if_numbers(column: pd.Series) -> pd.Series:
    """An object column holding only numbers and gaps (a result not found: NaN) as a float column."""
    if column.dtype != object or column.isna().all():
        return column
    values = column.dropna()
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return pd.to_numeric(column)
    return column


def _is_year(column: str) -> bool:
    return column == "year" or column.endswith("_year") or column == "years_apart"


def readable(frame: pd.DataFrame, words: Words, unit_column: str = "unit") -> Styler:
    """`frame` for reading in `words`' language: amounts with their unit (万/亿), per cents and
    points with a sign and one decimal, years as whole numbers, no index. Columns not numeric are
    shown as they are."""
    data = frame.reset_index(drop=True)
    data = data.apply(_numeric_if_numbers)
    styler = data.style.hide(axis="index").format(na_rep="")
    numeric = [c for c in data.columns
               if pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])]
    units = data[unit_column].astype("string").fillna("") if unit_column in data.columns else None
    for column in numeric:
        name = str(column)
        if _is_year(name):
            styler = styler.format(lambda v: "" if pd.isna(v) else f"{int(v)}", subset=[column])
        elif name in PERCENT_COLUMNS:
            styler = styler.format(lambda v: _fixed(v, "%"), subset=[column])
        elif name in POINT_COLUMNS:
            styler = styler.format(lambda v: _points(v, words), subset=[column])
        elif name in UNIT_COLUMNS and units is not None:
            for unit in units.unique():
                rows = pd.IndexSlice[units.index[units == unit], [column]]
                if unit == "%" and name in SIGNED_COLUMNS:  # a difference of two rates is in points
                    styler = styler.format(lambda v: _points(v, words), subset=rows)
                else:
                    signed = name in SIGNED_COLUMNS  # bound now: the formatter runs when the table is drawn
                    styler = styler.format(lambda v, u=unit, s=signed: _number(v, u, words, sign=s), subset=rows)
        else:
            styler = styler.format(lambda v: _number(v, None, words, digits=3), subset=[column])
    return styler
