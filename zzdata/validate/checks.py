"""The checks a statistician runs on the built tables, region by region and year by year.

Each check reads the facts (one row per printed number) or the series (one chosen value per
indicator, region, year, status and measure) and returns findings: a level (``error``: cannot be
right; ``warning``: probably wrong, look at it; ``info``: worth knowing), the region, year and
indicator it is about, a message with the values compared, and the facts involved (fact_id).
The bounds come from the catalog (zzdata/data/indicators.csv: ``min``, ``max``, ``max_ratio``,
``replaces``, ``break_year``; the defaults in ``core.catalog``), never from a region or a year
typed here.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..core import catalog, vocab
from ..core.runs import grouped
from ..series import flags, rules

LEVELS = ("error", "warning", "info")

#: Stated growth against the growth implied by two reported levels: a gap above GROWTH_GAP
#: percentage points is a warning (above INFO_GAP an info); growth stated at comparable prices
#: (REAL_GROWTH) is allowed REAL_GROWTH_GAP. The numbers: zzdata/data/check_limits.csv; the
#: indicators: vocab.csv, list real_growth.
GROWTH_GAP = catalog.check_limit("growth_gap")
INFO_GAP = catalog.check_limit("info_gap")
REAL_GROWTH = frozenset(vocab.values("real_growth"))
REAL_GROWTH_GAP = catalog.check_limit("real_growth_gap")


@dataclass
class Finding:
    check: str
    level: str
    region: str
    year: int | None
    indicator: str
    message: str
    fact_ids: list[str] = field(default_factory=list)


def _fmt(v: float) -> str:
    return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"


def _year(v) -> int | None:
    return None if pd.isna(v) else int(v)


def row_tuples(frame: pd.DataFrame, cols: list[str] | None = None):
    """`frame[cols].itertuples(index=False)` (default: every column) from each column's list: row
    access on Arrow columns is slow, and the checks and the report walk thousands of rows."""
    cols = list(frame.columns) if cols is None else cols
    row = namedtuple("Row", cols)
    return map(row._make, zip(*(frame[c].tolist() for c in cols)))


def fact_rows(facts: pd.DataFrame, ids: Sequence[str]) -> np.ndarray:
    """The row of `facts` of each fact id in `ids` (the first where an id repeats, -1 where there is
    none), in Arrow, without a Python step a fact: the facts named are found by a hash of `ids`,
    then each id among them (the rows in order, so the first row of an id is found)."""
    wanted = pa.array(list(ids), type=pa.string())
    all_ids = pa.array(facts["fact_id"], type=pa.string())
    named = np.flatnonzero(pc.is_in(all_ids, value_set=wanted).to_numpy(zero_copy_only=False))
    at = pc.fill_null(pc.index_in(wanted, value_set=all_ids.take(named)), -1).to_numpy(zero_copy_only=False)
    rows = np.full(len(at), -1, dtype=np.int64)
    hit = at >= 0
    rows[hit] = named[at[hit]]
    return rows


#: The series' columns the checks across years read (each filter takes every column it keeps).
_YEAR_COLUMNS = ["indicator", "region", "year", "period", "status", "measure", "unit", "value", "preliminary",
                 "mixed_in_text", "fact_id"]


def _full_year_actual(series: pd.DataFrame) -> pd.DataFrame:
    """The series' results for one whole year (rules.full_year), the rows held against each other
    across years (the columns those checks read)."""
    actual = series.loc[series["status"] == "actual", [c for c in _YEAR_COLUMNS if c in series.columns]]
    return actual[rules.full_year(actual)]


# --- stated growth against two levels -------------------------------------------------------------
def growth_vs_levels(series: pd.DataFrame, rows: pd.DataFrame | None = None) -> list[Finding]:
    """A growth rate (or absolute change) stated for a year, against the one implied by the levels
    of that year and the year before; a definitional break between the two years is reported
    instead of a comparison. `rows`: the series' full-year results, when the caller has them."""
    rows = _full_year_actual(series) if rows is None else rows
    key = ["indicator", "region", "year"]
    lv = rows.loc[rows["measure"] == "level", key + ["value", "unit", "fact_id"]]
    lv = lv.drop_duplicates(key, keep="last").assign(year=lambda d: d["year"].astype("int64"))
    stated = rows[rows["measure"].isin(["growth", "change"])].assign(year=lambda d: d["year"].astype("int64"))
    stated = stated.drop_duplicates(key + ["measure"], keep="last")
    m = stated.merge(lv.add_suffix("_now").rename(columns={f"{k}_now": k for k in key}), on=key)
    m = m.merge(lv.assign(year=lv["year"] + 1).add_suffix("_before").rename(columns={f"{k}_before": k for k in key}),
                on=key)
    m = m[(m["value_before"] > 0) & (m["unit_now"] == m["unit_before"])]
    m = m.sort_values(["indicator", "region", "measure", "year"], kind="stable")
    m["reason"] = rules.breaks(m["indicator"], m["year"] - 1, m["year"])
    out = []
    cols = ["indicator", "region", "year", "reason", "measure", "value", "value_now", "value_before", "fact_id",
            "fact_id_before", "fact_id_now"]
    for r in row_tuples(m, cols):
        ind, region, year = r.indicator, r.region, int(r.year)
        ids = [r.fact_id, r.fact_id_before, r.fact_id_now]
        if r.reason:
            out.append(Finding("definition_break", "info", region, year, ind,
                               f"levels of {year - 1} and {year} straddle a break, not compared: {r.reason}", ids))
            continue
        now, before, value = r.value_now, r.value_before, r.value
        if r.measure == "growth":
            implied = (now / before - 1) * 100
            gap = value - implied
            limit = REAL_GROWTH_GAP if ind in REAL_GROWTH else GROWTH_GAP
            what = (f"stated growth {value:g}% but the levels {_fmt(before)} ({year - 1}) "
                    f"and {_fmt(now)} ({year}) imply {implied:.1f}%")
        else:
            implied = now - before
            gap = (value - implied) / max(abs(implied), abs(value), 1) * 100
            limit = GROWTH_GAP
            what = (f"stated change {_fmt(value)} but the levels {_fmt(before)} ({year - 1}) "
                    f"and {_fmt(now)} ({year}) differ by {_fmt(implied)}")
        if abs(gap) > limit:
            out.append(Finding("growth_vs_levels", "warning", region, year, ind, what, ids))
        elif abs(gap) > INFO_GAP and r.measure == "growth":
            note = " (growth at comparable prices, levels at current prices)" if ind in REAL_GROWTH else ""
            out.append(Finding("growth_vs_levels", "info", region, year, ind, what + note, ids))
    return out


# --- a district above its city --------------------------------------------------------------------
def district_above_city(series: pd.DataFrame) -> list[Finding]:
    """An amount of a district or county above the city's for the same indicator, year, status,
    unit and period (rules.above_parent: impossible for an amount that adds up over regions): an
    error when both figures are firm, a warning when one is preliminary."""
    out = []
    pairs = rules.above_parent(series)
    cols = ["region_sub", "region_parent", "year", "indicator", "value_sub", "value_parent", "unit", "status", "period",
            "preliminary_sub", "preliminary_parent", "fact_id_sub", "fact_id_parent"]
    for r in row_tuples(pairs.sort_values(["region_sub", "year"], kind="stable"), cols):
        firm = not (bool(r.preliminary_sub) or bool(r.preliminary_parent))
        out.append(Finding(
            "district_above_city", "error" if firm else "warning", r.region_sub, _year(r.year), r.indicator,
            f"{r.region_sub} {_fmt(r.value_sub)} {r.unit} is more than {r.region_parent}'s {_fmt(r.value_parent)} "
            f"({r.status}, {r.period}), though its amounts add up over regions",
            [r.fact_id_sub, r.fact_id_parent]))
    return out


# --- shares and plausible ranges -----------------------------------------------------------------
def ranges(facts: pd.DataFrame) -> list[Finding]:
    """`share_above_100`: a share in % above 100 or below 0 (an error for a rate of the catalog
    that is a part of a whole, a warning for any other share: `完成年度计划的105%` can be right);
    `out_of_range`: a figure of an indicator outside its plausible range (an error outside the
    catalog's own `min`/`max`, its hard range -- the candidates' flag of the same name, which the
    choice reads --, an info outside a default range: a growth above 100 % is rare, not wrong)."""
    out = []
    inds = catalog.indicators()
    value = facts["value"].astype("float64")
    share = (facts["measure"] == "share") & (facts["unit"] == "%")
    outside = share & ~value.between(0, 100)
    b = flags.bounds(facts)
    low, high, own = b["low"], b["high"], b["own"]
    beyond = ~outside & ((value < low) | (value > high))
    idx = np.flatnonzero((outside | beyond).to_numpy())
    cols = ["indicator", "region", "year", "label", "value", "unit", "measure", "fact_id"]
    rows = facts.iloc[idx][cols]
    lists = [rows[c].to_numpy(dtype=object).tolist() for c in cols]  # row access on Arrow columns is slow
    is_out, lows, highs, owns = (x.to_numpy()[idx].tolist() for x in (outside, low, high, own))
    for k, (ind_id, region, year, label, v, unit, measure, fid) in enumerate(zip(*lists)):
        ind = inds.get(ind_id) if ind_id else None
        where = (region, _year(year), ind_id)
        v = float(v)
        if is_out[k]:
            level = "error" if ind is not None and flags.is_share_of_whole(ind) else "warning"
            out.append(Finding("share_above_100", level, *where, f"{label} {v:g}% is a share outside 0..100", [fid]))
            continue
        lo, hi = lows[k], highs[k]
        bounds = f"{'' if pd.isna(lo) else _fmt(lo)}..{'' if pd.isna(hi) else _fmt(hi)}"
        source = "the catalog's min/max" if owns[k] else "the default range (zzdata/core/catalog.py)"
        out.append(Finding("out_of_range", "error" if owns[k] else "info", *where,
                           f"{ind.name_zh} ({measure}) {_fmt(v)} {unit} outside the plausible range {bounds} "
                           f"{unit} ({source})", [fid]))
    return out


# --- one clause, two indicators -----------------------------------------------------------------
def _clause_key(facts: pd.DataFrame) -> pd.Series:
    """A number per clause (document, section and the clause's text), from each column's codes."""
    return pd.Series(rules.combination_codes(facts, ("doc", "section", "snippet")), index=facts.index)


def _groups(frame: pd.DataFrame, keys: list[str]) -> list[dict[str, list]]:
    """The groups of `frame` by `keys` (rows with a missing key left out, as pandas' groupby does),
    in the order each first appears, each as its rows' columns in lists: one pass over the frame,
    not pandas' work (and Arrow's slow row access) per group."""
    gid = frame.groupby(keys, sort=False).ngroup().to_numpy(dtype="float64")
    keep = ~np.isnan(gid)
    order, starts, ends = grouped(gid[keep])
    cols = {c: frame[c].to_numpy(dtype=object)[keep][order].tolist() for c in frame.columns}
    return [{c: v[a:b] for c, v in cols.items()} for a, b in zip(starts, ends)]


def same_clause(facts: pd.DataFrame) -> list[Finding]:
    """`one_indicator_two_values`: two different values filed under the same indicator and
    measure in one clause, the sign that a list lent one item's name to another (a warning for
    rates; an info for amounts, which are often the stages of one programme: 新开工, 建成, 交付);
    `same_value_two_indicators`: one value and unit under two indicators in one clause (an info:
    two targets of 100 can both be right)."""
    cols = ["doc", "section", "snippet", "indicator", "value", "unit", "measure", "status", "region", "year", "fact_id"]
    f = facts.loc[facts["indicator"] != "", cols]
    clause = _clause_key(f)
    many = clause.groupby(clause).transform("size") > 1
    f = f[many.to_numpy()].assign(_clause=clause[many])
    f["_order"] = np.arange(len(f))
    first_seen = f.groupby("_clause", sort=False)["_order"].transform("min")
    f = f.assign(_clause_order=first_seen)
    found: list[tuple] = []
    same = f.groupby(["_clause", "value", "unit"], sort=False)
    hit = (same["indicator"].transform("nunique") > 1) & (same["measure"].transform("nunique") == 1)
    for g in _groups(f[hit], ["_clause", "value", "unit"]):
        found.append((g["_clause_order"][0], 0, min(g["_order"]), Finding(
            "same_value_two_indicators", "info", g["region"][0], int(g["year"][0]), "|".join(g["indicator"]),
            f"{_fmt(g['value'][0])} {g['unit'][0]} is filed under {', '.join(g['indicator'])} in one clause "
            f"«{g['snippet'][0]}»", g["fact_id"])))
    key = ["_clause", "indicator", "measure", "status", "region"]
    two = (f["measure"] != "rank") & (f.groupby(key, sort=False)["value"].transform("nunique") > 1)
    for g in _groups(f[two], key):
        ind, measure = g["indicator"][0], g["measure"][0]
        found.append((g["_clause_order"][0], 1, min(g["_order"]), Finding(
            "one_indicator_two_values", "warning" if measure in ("growth", "share") else "info", g["region"][0],
            int(g["year"][0]), ind,
            f"{', '.join(_fmt(v) for v in g['value'])} all filed as {ind} ({measure}) in one clause "
            f"«{g['snippet'][0]}»", g["fact_id"])))
    return [x[-1] for x in sorted(found, key=lambda x: x[:3])]


# --- a level that jumps --------------------------------------------------------------------------
def level_jumps(series: pd.DataFrame, rows: pd.DataFrame | None = None) -> list[Finding]:
    """A level that changes between two reported years by more than the catalog's plausible
    factor (rules.implausible: `max_ratio` per year of the gap); across a definitional break an
    info instead. `rows`: the series' full-year results, when the caller has them."""
    out = []
    inds = catalog.indicators()
    rows = _full_year_actual(series) if rows is None else rows
    lv = rows[(rows["measure"] == "level") & rows["indicator"].isin(list(inds))]
    lv = lv.drop_duplicates(["indicator", "region", "year"], keep="last").sort_values(["indicator", "region", "year"])
    g = lv.groupby(["indicator", "region"], sort=False)
    pairs = lv.assign(y1=g["year"].shift(1), v1=g["value"].shift(1), u1=g["unit"].shift(1), f1=g["fact_id"].shift(1))
    pairs = pairs[pairs["y1"].notna() & (pairs["v1"] > 0) & (pairs["value"] > 0) & (pairs["u1"] == pairs["unit"])]
    apart = pairs["year"].astype("int64") - pairs["y1"].astype("int64")
    pairs = pairs.assign(apart=apart, reason=rules.breaks(pairs["indicator"], pairs["y1"], pairs["year"]),
                         bad=rules.implausible(pairs["value"], pairs["v1"], pairs["indicator"], apart),
                         allowed=rules.allowed_ratio(pairs["indicator"], apart),
                         factor=rules.factor(pairs["value"], pairs["v1"]))
    cols = ["indicator", "region", "year", "y1", "value", "v1", "unit", "f1", "fact_id", "reason", "allowed", "factor"]
    for r in row_tuples(pairs[(pairs["reason"] != "") | pairs["bad"]], cols):
        y1, y2, ids = int(r.y1), int(r.year), [r.f1, r.fact_id]
        if r.reason:
            out.append(Finding("definition_break", "info", r.region, y2, r.indicator,
                               f"{_fmt(r.v1)} ({y1}) and {_fmt(r.value)} ({y2}) straddle a break, "
                               f"not one series: {r.reason}", ids))
        else:
            out.append(Finding("level_jump", "warning", r.region, y2, r.indicator,
                               f"{inds[r.indicator].name_zh} goes from {_fmt(r.v1)} ({y1}) to {_fmt(r.value)} ({y2}) "
                               f"{r.unit}, a factor of {r.factor:.2f} (plausible: {r.allowed:.2f})", ids))
    return out


# --- definitional breaks between linked indicators ------------------------------------------------
def linked_breaks(series: pd.DataFrame) -> list[Finding]:
    """A region with values of an indicator and of the one it replaced (农民人均纯收入 before, 农村
    居民人均可支配收入 after): an info that the two are separate series, never one line."""
    out = []
    series = series[["indicator", "region", "year", "fact_id"]]
    for ind in catalog.indicators().values():
        if not ind.replaces:
            continue
        new = series[series["indicator"] == ind.id]
        old = series[series["indicator"] == ind.replaces]
        for region in sorted(set(new["region"]) & set(old["region"])):
            n, o = new[new["region"] == region], old[old["region"] == region]
            out.append(Finding(
                "definition_break", "info", region, int(n["year"].min()), ind.id,
                f"{ind.name_zh} ({ind.id}, {', '.join(map(str, sorted(set(n['year']))))}) replaced "
                f"{ind.replaces} ({', '.join(map(str, sorted(set(o['year']))))}) from {ind.break_year}: "
                f"two series, not compared. {ind.break_note}",
                [*o["fact_id"].head(3), *n["fact_id"].head(3)]))
    return out


# --- texts that disagree --------------------------------------------------------------------------
def conflicts(series: pd.DataFrame, facts: pd.DataFrame) -> list[Finding]:
    """Texts that give different values for one key (info: the series shows the chosen one); the
    other values are the choice's own (the series' ``other_fact_ids``, choice.other_values), the
    first four that differ from the chosen value named."""
    out = []
    cols = ["region", "year", "indicator", "value", "unit", "doc", "other_values", "fact_id"]
    chosen = series.loc[series["conflict"].astype(bool), cols + ["other_fact_ids"]]
    if chosen.empty:
        return out
    # Each other fact's value, looked up by its id (a fact_id names one fact).
    named = [text.split("|") for text in chosen["other_fact_ids"].astype(str).tolist()]
    flat = [fid for ids in named for fid in ids if fid]
    values = facts["value"].to_numpy(dtype="float64", na_value=np.nan)
    value_of = {fid: (values[i] if i >= 0 else np.nan) for fid, i in zip(flat, fact_rows(facts, flat).tolist())}
    ids: dict[str, list[str]] = {}
    chosen_values = chosen["value"].to_numpy(dtype="float64", na_value=np.nan).tolist()
    for chosen_id, chosen_value, names in zip(chosen["fact_id"].tolist(), chosen_values, named):
        differ = [fid for fid in names if fid and value_of[fid] != chosen_value]
        if differ:
            ids[chosen_id] = differ[:4]
    for region, year, ind, value, unit, doc, other, fid in zip(*(chosen[c].tolist() for c in cols)):
        out.append(Finding("conflict", "info", region, int(year), ind,
                           f"texts disagree: chosen {_fmt(value)} {unit} ({doc}); other values {other}",
                           [fid, *ids.get(fid, [])]))
    return out


# --- hand corrections that did not apply ---------------------------------------------------------
def corrections(table: pd.DataFrame | None) -> list[Finding]:
    """The rows of data/raw/corrections.csv that applied to nothing (data/processed/corrections.csv):
    stale (the text changed under them) or refused (the row is wrong). A warning: the figure
    they meant is charted as the build read it."""
    if table is None or table.empty:
        return []
    out = []
    for r in table[table["outcome"] != "applied"].itertuples():
        out.append(Finding(f"{r.outcome}_correction", "warning", str(r.region), None, str(r.indicator),
                           f"data/raw/corrections.csv line {r.line} ({r.action} {r.file}:{r.start} "
                           f"{r.value_text}): {r.problem}", []))
    return out


CHECKS = ("growth_vs_levels", "district_above_city", "ranges", "same_clause", "level_jumps", "linked_breaks",
          "conflicts", "corrections")


def run_checks(facts: pd.DataFrame, series: pd.DataFrame, corrected: pd.DataFrame | None = None) -> list[Finding]:
    """Every check on the built tables (`corrected`: the corrections table, when there is one),
    errors first, then warnings, then infos (each in the order region, year, check)."""
    full_year = _full_year_actual(series)
    found = (growth_vs_levels(series, full_year) + district_above_city(series) + ranges(facts) + same_clause(facts)
             + level_jumps(series, full_year) + linked_breaks(series) + conflicts(series, facts) + corrections(corrected))
    order = {lv: i for i, lv in enumerate(LEVELS)}
    return sorted(found, key=lambda f: (order[f.level], f.region, f.year or 0, f.check, f.indicator))
