"""The rules of comparison, written once: what stands for a full year, what adds up over regions,
how far two levels may lie apart, which region a figure is compared with (its parent), and when
a part is above its whole.

The checks of `make validate` (zzdata/validate/checks.py), the flags the choice reads
(flags.py), the comparisons the charts draw (compare.py) and the panel (zzdata/tables/panel.py)
all call these functions, so that a pair the checks call impossible is one the charts do not
compare, and the other way round. Every function works on whole columns (no loop over rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import catalog, periods


def per_value(column: pd.Series, fn, dtype=object) -> pd.Series:
    """`column.map(fn)`, `fn` called once per distinct value (a collection has a few hundred
    indicators and regions in a hundred thousand rows)."""
    # Factorized as it is stored (Arrow text by its own hashing, without a Python str a row); a
    # missing value reaches `fn` as NaN whatever the column's dtype, as an object column gives it.
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    values = np.array([fn(np.nan if u is pd.NA else u) for u in uniques.tolist()], dtype=dtype)
    return pd.Series(values[codes] if len(values) else np.array([], dtype=dtype), index=column.index)


def combination_codes(frame: pd.DataFrame, cols: list[str] | tuple[str, ...]) -> np.ndarray:
    """One number per distinct combination of `cols` (a missing value is a value), numbered in the
    order each first appears: from each column's codes, without a tuple or a string per row."""
    key = np.zeros(len(frame), dtype="int64")
    for col in cols:
        codes, uniques = pd.factorize(frame[col], use_na_sentinel=False)
        key = key * (len(uniques) + 1) + codes
    return pd.factorize(key)[0]


def as_bool(frame: pd.DataFrame, col: str) -> pd.Series:
    """A flag column as plain bools (False where the column is missing or empty)."""
    if col not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[col].astype("boolean").fillna(False).astype(bool)


# --------------------------------------------------------------------------- periods


def single_year(rows: pd.DataFrame) -> pd.Series:
    """True where the figure covers exactly its year (period ``2024``, not ``2024-01..11`` nor
    ``2020-2024``): the figures the panel holds."""
    return rows["year"].notna() & (rows["period"].astype(str) == rows["year"].astype("Int64").astype("string").fillna(""))


def full_year(rows: pd.DataFrame) -> pd.Series:
    """True where the figure stands for one whole year: a single year, not preliminary (预计), and
    not one of several sub-items a text lists for the key (``mixed_in_text``). Only such figures
    are held against each other across years or regions by the checks."""
    return single_year(rows) & ~as_bool(rows, "preliminary") & ~as_bool(rows, "mixed_in_text")


# --------------------------------------------------------------------------- adding up


def additive(indicator: pd.Series, measure: pd.Series, unit: pd.Series) -> pd.Series:
    """True where the figure is an amount that adds up over regions (so a district can be a
    share of the city, and never above it): a level, in a unit that adds up (units.csv
    ``additive``: not days, %, ranks), of an indicator whose amounts add up (indicators.csv
    ``additive``: not a ratio such as 人均, 每千, 率)."""
    inds = catalog.indicators()
    by_indicator = per_value(indicator, lambda i: i in inds and inds[i].additive, bool)
    return (measure.astype(str) == "level") & ~unit.astype(str).isin(catalog.non_additive_units()) & by_indicator


# --------------------------------------------------------------------------- levels over years


def allowed_ratio(indicator: pd.Series, years_apart: pd.Series | int) -> pd.Series:
    """The largest plausible factor between two levels of an indicator `years_apart` apart: the
    catalog's ``max_ratio`` (a factor per year, default catalog.DEFAULT_MAX_RATIO) to the power of
    the years between them; figures of the same year (district and city, target and result) get
    one year's factor."""
    inds = catalog.indicators()
    per_year = per_value(indicator, lambda i: catalog.max_ratio(inds[i]) if i in inds else catalog.DEFAULT_MAX_RATIO,
                         "float64")
    years = pd.Series(years_apart, index=indicator.index).astype("float64").fillna(1).clip(lower=1)
    return per_year ** years


def implausible(a: pd.Series, b: pd.Series, indicator: pd.Series, years_apart: pd.Series | int) -> pd.Series:
    """True where two levels of an indicator lie further apart than :func:`allowed_ratio` allows
    (or have opposite signs); False where either is missing or zero."""
    a, b = a.astype("float64"), b.astype("float64")
    known = a.notna() & b.notna() & (a != 0) & (b != 0)
    ratio = (a / b.where(known)).abs()
    factor = np.maximum(ratio, 1 / ratio)
    opposite = (a * b) < 0
    return known & (opposite | (factor > allowed_ratio(indicator, years_apart)))


def factor(a: pd.Series, b: pd.Series) -> pd.Series:
    """max(a/b, b/a): how many times the larger of two levels is the smaller."""
    ratio = a.astype("float64") / b.astype("float64")
    return np.maximum(ratio, 1 / ratio)


def breaks(indicator: pd.Series, year_a: pd.Series, year_b: pd.Series) -> pd.Series:
    """Why two years of an indicator are not one series (catalog.break_between: a definitional
    break between them), "" where they are; looked up only for the indicators with a break."""
    out = pd.Series("", index=indicator.index, dtype=object)
    broken = {i.id for i in catalog.indicators().values() if i.break_year is not None}
    sel = per_value(indicator, lambda i: i in broken, bool).to_numpy().copy()
    sel &= (pd.Series(year_a).notna() & pd.Series(year_b).notna()).to_numpy()
    if sel.any():
        ya, yb = pd.Series(year_a)[sel].astype("int64"), pd.Series(year_b)[sel].astype("int64")
        out[sel] = [catalog.break_between(i, a, b) or "" for i, a, b in
                    zip(indicator[sel].tolist(), ya.tolist(), yb.tolist())]
    return out


# --------------------------------------------------------------------------- regions


def parent_of(region: pd.Series) -> pd.Series:
    """Each region's parent in the gazetteer (a district's city), "" for one it does not know."""
    regions = catalog.regions()
    return per_value(region, lambda r: regions[r].parent if r in regions else "")


#: The key on which a region's figure is held against its parent's: the same indicator, year,
#: status, measure, unit and period.
PARENT_KEY = ["indicator", "year", "status", "measure", "unit", "period"]


def with_parent(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Every row of a region below its city beside each row of its parent with the same
    :data:`PARENT_KEY` (an inner join; the row's own index kept as ``sub_index`` and the
    parent's as ``parent_index``); `columns` are taken from both sides with suffixes ``_sub``
    and ``_parent``."""
    key = [c for c in PARENT_KEY if c in rows.columns]
    base = rows[key + ["region"] + columns].copy()
    base["_parent"] = parent_of(base["region"])
    base["_index"] = rows.index
    subs = base[base["_parent"] != ""]
    tops = base[base["region"].isin(subs["_parent"].unique())]
    m = subs.merge(tops.drop(columns="_parent"), left_on=key + ["_parent"], right_on=key + ["region"],
                   suffixes=("_sub", "_parent"))
    return m.rename(columns={"_index_sub": "sub_index", "_index_parent": "parent_index"})


def amounts(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows that may be held against their parent's as amounts: additive levels
    (:func:`additive`), neither a threshold (a milestone passed, a lower bound) nor one of several
    sub-items a text lists for one key (``mixed_in_text``, not a total)."""
    keep = additive(rows["indicator"], rows["measure"], rows["unit"])
    return rows[keep & ~as_bool(rows, "threshold") & ~as_bool(rows, "mixed_in_text")]


def above_parent(rows: pd.DataFrame) -> pd.DataFrame:
    """The pairs in which a district's or county's amount is above its city's for the same
    :data:`PARENT_KEY`, though the amounts add up over regions (:func:`amounts`): one of the two
    cannot be right. Columns of :func:`with_parent` for value, fact_id and preliminary."""
    cols = [c for c in ("value", "fact_id", "preliminary") if c in rows.columns]
    read = [c for c in dict.fromkeys([*PARENT_KEY, "region", "threshold", "mixed_in_text", *cols]) if c in rows.columns]
    m = with_parent(amounts(rows[read]), cols)  # the columns read: a filter takes every column it keeps
    return m[m["value_sub"] > m["value_parent"]].reset_index(drop=True)
