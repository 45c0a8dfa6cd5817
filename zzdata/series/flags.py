"""The checks that can tell a candidate of the series cannot be right, run on every candidate
before the choice (docs/flow.md), with the rules of comparison of rules.py that `make validate`
calls on the series afterwards.

Error flags (a flagged candidate loses to any candidate of its key without one):

- ``threshold``: a milestone passed (突破, 迈入, 跨越…台阶), not a level;
- ``out_of_range``: a value outside the catalog's own ``min``/``max`` (its hard range), or a
  share of a whole outside 0..100 %;
- ``district_above_city``: an additive amount of a district above its city's for the same key.
  A district's candidate is flagged when it is above every candidate of its city; a city's
  candidate when it is below a candidate of one of its districts. When a district's figure is
  above all the city's, neither side can be trusted and both are flagged.

And the soft flag ``jump``: a full-year level whose factor to every candidate of each
neighbouring year (the nearest earlier and later years with a candidate) is beyond
rules.allowed_ratio. It only decides between candidates of one key.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import catalog, vocab
from . import rules

#: The error flags, in the order they are written in ``flag`` (zzdata/data/vocab.csv, list ``flag``,
#: names them in Chinese and English).
ERRORS = vocab.values("flag")
SEP = "|"


def bounds(rows: pd.DataFrame) -> pd.DataFrame:
    """Per row, the range its value should lie in (catalog.plausible_range for its indicator,
    measure and unit; NaN: no bound), whether that range is the catalog's own ``min``/``max``
    (``own``: a hard range) and whether the figure is a share of a whole (``whole``: 0..100 %).
    Ranks, changes and figures without an indicator get no bounds."""
    inds = catalog.indicators()
    # One number per distinct (indicator, measure, unit): factorizing a MultiIndex of a hundred
    # thousand rows builds a tuple per row.
    cols = ("indicator", "measure", "unit")
    codes = rules.combination_codes(rows, cols)
    first_rows = np.unique(codes, return_index=True)[1]
    uniques = zip(*(rows[c].iloc[first_rows].tolist() for c in cols))
    table = []
    for ind_id, measure, unit in uniques:
        ind = inds.get(ind_id)
        if ind is None or measure in ("rank", "change"):
            table.append((np.nan, np.nan, False, False))
            continue
        low, high = catalog.plausible_range(ind, measure, unit)
        whole = is_share_of_whole(ind) and measure == "share" and unit == "%"
        table.append((np.nan if low is None else low, np.nan if high is None else high, (low, high) == (ind.min, ind.max), whole))
    t = pd.DataFrame(table, columns=["low", "high", "own", "whole"]) if table else \
        pd.DataFrame({"low": [], "high": [], "own": [], "whole": []})
    out = t.iloc[codes].set_axis(rows.index) if len(rows) else t.iloc[[]].set_axis(rows.index)
    return out.astype({"low": "float64", "high": "float64", "own": bool, "whole": bool})


def hard_range(rows: pd.DataFrame) -> pd.Series:
    """True where a value lies outside the catalog's own range for its indicator, measure and
    unit (:func:`bounds` ``own``), or is a share of a whole outside 0..100 %."""
    b = bounds(rows)
    value = rows["value"].astype("float64")
    low = b["low"].where(~b["whole"], b["low"].clip(lower=0).fillna(0))
    high = b["high"].where(~b["whole"], b["high"].clip(upper=100).fillna(100))
    bad = (value < low) | (value > high)
    return (bad & (b["own"] | b["whole"])).astype(bool)


def is_share_of_whole(ind: catalog.Indicator) -> bool:
    """A rate of the catalog whose values are a part of a whole (in %, at most 100)."""
    _, high = catalog.plausible_range(ind, "share", "%")
    return ind.unit == "%" and ind.measure == "share" and high is not None and high <= 100


def above_city(rows: pd.DataFrame) -> pd.Series:
    """True for the candidates that take part in a district's amount above its city's (see the
    module docstring); preliminary figures (the check calls them a warning, not an error) and
    the sub-items a text lists for one key (``mixed_in_text``, not a total) take no part."""
    pairs = rules.with_parent(rules.amounts(rows[~rules.as_bool(rows, "preliminary")]), ["value"])
    flagged = np.zeros(len(rows), dtype=bool)
    if pairs.empty:
        return pd.Series(flagged, index=rows.index)
    pairs["_top"] = pairs.groupby("sub_index")["value_parent"].transform("max")  # the city's highest
    pairs["_sub_top"] = pairs.groupby("parent_index")["value_sub"].transform("max")  # its districts' highest
    subs = pairs.loc[pairs["value_sub"] > pairs["_top"], "sub_index"]
    tops = pairs.loc[pairs["value_parent"] < pairs["_sub_top"], "parent_index"]
    pos = rows.index.get_indexer(pd.Index(subs).append(pd.Index(tops)).unique())
    flagged[pos] = True
    return pd.Series(flagged, index=rows.index)


#: The series a level belongs to across years (jumps are looked for within it).
LINE_KEY = ["indicator", "region", "status", "measure", "unit"]


def jumps(rows: pd.DataFrame, error: pd.Series) -> pd.Series:
    """True for a full-year actual level that is implausibly far (rules.implausible) from every
    candidate of each of its neighbouring years; candidates with an error flag are no neighbours,
    and a definitional break between two years is no jump."""
    sel = ((rows["measure"].astype(str) == "level") & (rows["status"].astype(str) == "actual")
           & rules.full_year(rows) & ~error)
    out = pd.Series(False, index=rows.index)
    if not sel.any():
        return out
    # Each line numbered (rules.combination_codes): the merges below join on two integers, not on
    # five text columns and the year.
    lv = rows.loc[sel, ["indicator", "year", "value"]].astype({"year": "int64"})
    lv["_line"] = rules.combination_codes(rows.loc[sel, LINE_KEY], LINE_KEY)
    lv["_row"] = lv.index
    years = lv[["_line", "year"]].drop_duplicates().sort_values(["_line", "year"])
    g = years.groupby("_line", sort=False)["year"]
    years["_prev"], years["_next"] = g.shift(1), g.shift(-1)
    lv = lv.merge(years, on=["_line", "year"], how="left")
    consistent = {}
    for side in ("_prev", "_next"):
        has = lv[lv[side].notna()].copy()
        has["_ny"] = has[side].astype("int64")
        pairs = has.merge(lv[["_line", "year", "value"]].rename(columns={"year": "_ny", "value": "_nv"}),
                          on=["_line", "_ny"])
        apart = (pairs["year"] - pairs["_ny"]).abs()
        ok = ~rules.implausible(pairs["value"], pairs["_nv"], pairs["indicator"], apart)
        ok |= rules.breaks(pairs["indicator"], pairs["year"], pairs["_ny"]) != ""
        ok |= (pairs["value"] == 0) | (pairs["_nv"] == 0)
        any_ok = ok.groupby(pairs["_row"]).any().reindex(lv["_row"], fill_value=True)
        # no neighbour on this side: nothing to be inconsistent with
        consistent[side] = pd.Series(any_ok.to_numpy(dtype=bool), index=lv.index) | lv[side].isna()
    bad = ~(consistent["_prev"] & consistent["_next"])
    out.loc[lv.loc[bad.to_numpy(), "_row"].to_numpy()] = True
    return out


#: The candidates' columns the checks read.
NEEDED = ["indicator", "region", "year", "period", "status", "measure", "unit", "value", "threshold", "preliminary",
          "mixed_in_text"]


def flag(rows: pd.DataFrame) -> pd.DataFrame:
    """The candidates with ``flag`` (their error flags, ``|``-joined in the order of ERRORS, ""
    for none), ``error`` (any) and ``jump`` (the soft flag)."""
    full = rows
    rows = rows[[c for c in NEEDED if c in rows.columns]]  # the checks read these; fewer columns to copy
    marks = {
        "threshold": rules.as_bool(rows, "threshold"),
        "out_of_range": hard_range(rows),
        "district_above_city": above_city(rows),
    }
    error = marks["threshold"] | marks["out_of_range"] | marks["district_above_city"]
    text = pd.Series("", index=rows.index, dtype=object)
    for name in ERRORS:
        text = text.where(~marks[name], text + np.where(text == "", "", SEP) + name)
    return full.assign(flag=text.astype(str), error=error.astype(bool), jump=jumps(rows, error).astype(bool))
