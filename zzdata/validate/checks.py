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

from dataclasses import dataclass, field

import pandas as pd

from ..core import catalog

LEVELS = ("error", "warning", "info")

#: Stated growth against the growth implied by two reported levels: a gap above this many
#: percentage points is a warning (above INFO_GAP an info). Growth of output is stated at
#: comparable prices, levels at current prices, so a gap of the size of inflation is normal.
GROWTH_GAP = 3.0
INFO_GAP = 1.5
REAL_GROWTH = frozenset({"gdp", "primary_value_added", "secondary_value_added", "tertiary_value_added",
                         "industry_value_added", "industrial_value_added"})  # growth at comparable prices
REAL_GROWTH_GAP = 6.0


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


def _full_year(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows that stand for one whole year: period is the year, not preliminary, no sub-items."""
    single = rows["period"].astype(str) == rows["year"].astype("Int64").astype(str)
    keep = single & ~rows["preliminary"].astype(bool)
    if "mixed_in_text" in rows:
        keep &= ~rows["mixed_in_text"].astype(bool)
    return rows[keep]


def _by_year(rows: pd.DataFrame) -> dict[int, pd.Series]:
    return {int(r["year"]): r for _, r in rows.iterrows()}


# --- stated growth against two levels -------------------------------------------------------------
def growth_vs_levels(series: pd.DataFrame) -> list[Finding]:
    """A growth rate (or absolute change) stated for a year, against the one implied by the levels
    of that year and the year before; a definitional break between the two years is reported
    instead of a comparison."""
    out = []
    actual = _full_year(series[series["status"] == "actual"])
    for (ind, region), rows in actual.groupby(["indicator", "region"], sort=True):
        levels = _by_year(rows[rows["measure"] == "level"])
        for measure in ("growth", "change"):
            for year, stated in _by_year(rows[rows["measure"] == measure]).items():
                now, before = levels.get(year), levels.get(year - 1)
                if now is None or before is None or before["value"] <= 0 or now["unit"] != before["unit"]:
                    continue
                ids = [stated["fact_id"], before["fact_id"], now["fact_id"]]
                reason = catalog.break_between(ind, year - 1, year)
                if reason:
                    out.append(Finding("definition_break", "info", region, year, ind,
                                       f"levels of {year - 1} and {year} straddle a break, not compared: {reason}", ids))
                    continue
                if measure == "growth":
                    implied = (now["value"] / before["value"] - 1) * 100
                    gap = stated["value"] - implied
                    limit = REAL_GROWTH_GAP if ind in REAL_GROWTH else GROWTH_GAP
                    what = (f"stated growth {stated['value']:g}% but the levels {_fmt(before['value'])} ({year - 1}) "
                            f"and {_fmt(now['value'])} ({year}) imply {implied:.1f}%")
                else:
                    implied = now["value"] - before["value"]
                    gap = (stated["value"] - implied) / max(abs(implied), abs(stated["value"]), 1) * 100
                    limit = GROWTH_GAP
                    what = (f"stated change {_fmt(stated['value'])} but the levels {_fmt(before['value'])} ({year - 1}) "
                            f"and {_fmt(now['value'])} ({year}) differ by {_fmt(implied)}")
                if abs(gap) > limit:
                    out.append(Finding("growth_vs_levels", "warning", region, year, ind, what, ids))
                elif abs(gap) > INFO_GAP and measure == "growth":
                    note = " (growth at comparable prices, levels at current prices)" if ind in REAL_GROWTH else ""
                    out.append(Finding("growth_vs_levels", "info", region, year, ind, what + note, ids))
    return out


# --- a district above its city --------------------------------------------------------------------
def district_above_city(series: pd.DataFrame) -> list[Finding]:
    """An amount of a district or county above the city's for the same indicator, year, status and
    period: impossible for an indicator that adds up over regions (an error when both figures
    cover the same full period, else a warning)."""
    out = []
    regions = catalog.regions()
    inds = catalog.indicators()
    levels = series[(series["measure"] == "level") & series["indicator"].map(lambda i: i in inds and inds[i].additive)]
    key = ["indicator", "year", "status", "period"]
    parents = {name: r.parent for name, r in regions.items()}
    for _, sub in levels[levels["region_level"] != "city"].iterrows():
        parent = parents.get(sub["region"])
        if not parent:
            continue
        city = levels[(levels["region"] == parent) & (levels[key] == sub[key]).all(axis=1)]
        if city.empty:
            continue
        top = city.iloc[0]
        if sub["value"] <= top["value"]:
            continue
        firm = not (bool(sub["preliminary"]) or bool(top["preliminary"]))
        out.append(Finding(
            "district_above_city", "error" if firm else "warning", sub["region"], int(sub["year"]), sub["indicator"],
            f"{sub['region']} {_fmt(sub['value'])} {sub['unit']} is more than {parent}'s {_fmt(top['value'])} "
            f"({sub['status']}, {sub['period']}), though its amounts add up over regions",
            [sub["fact_id"], top["fact_id"]]))
    return out


# --- shares and plausible ranges -----------------------------------------------------------------
def _is_share_of_whole(ind: catalog.Indicator) -> bool:
    """A rate of the catalog whose values are a part of a whole (in %, at most 100)."""
    low, high = catalog.plausible_range(ind, "share", "%")
    return ind.unit == "%" and ind.measure == "share" and high is not None and high <= 100


def ranges(facts: pd.DataFrame) -> list[Finding]:
    """`share_above_100`: a share in % above 100 or below 0 (an error for a rate of the catalog
    that is a part of a whole, a warning for any other share: `完成年度计划的105%` can be right);
    `out_of_range`: a figure of an indicator outside its plausible range (a warning outside the
    catalog's own `min`/`max`, an info outside a default range: a growth above 100 % is rare, not
    wrong)."""
    out = []
    inds = catalog.indicators()
    for _, f in facts.iterrows():
        value, unit, measure = float(f["value"]), f["unit"], f["measure"]
        ind = inds.get(f["indicator"]) if f["indicator"] else None
        where = (f["region"], int(f["year"]) if not pd.isna(f["year"]) else None, f["indicator"])
        if measure == "share" and unit == "%" and not 0 <= value <= 100:
            level = "error" if ind is not None and _is_share_of_whole(ind) else "warning"
            out.append(Finding("share_above_100", level, *where,
                               f"{f['label']} {value:g}% is a share outside 0..100", [f["fact_id"]]))
            continue
        if ind is None or measure in ("rank", "change"):
            continue
        low, high = catalog.plausible_range(ind, measure, unit)
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"{'' if low is None else _fmt(low)}..{'' if high is None else _fmt(high)}"
            own = (low, high) == (ind.min, ind.max)  # the catalog's range, not a default
            source = "the catalog's min/max" if own else "the default range (zzdata/core/catalog.py)"
            out.append(Finding("out_of_range", "warning" if own else "info", *where,
                               f"{ind.name_zh} ({measure}) {_fmt(value)} {unit} outside the plausible range {bounds} "
                               f"{unit} ({source})", [f["fact_id"]]))
    return out


# --- one clause, two indicators -----------------------------------------------------------------
def _clause_key(facts: pd.DataFrame) -> pd.Series:
    return facts["doc"].astype(str) + "\u0000" + facts["section"].astype(str) + "\u0000" + facts["snippet"].astype(str)


def same_clause(facts: pd.DataFrame) -> list[Finding]:
    """`one_indicator_two_values`: two different values filed under the same indicator and
    measure in one clause, the sign that a list lent one item's name to another (a warning for
    rates; an info for amounts, which are often the stages of one programme: 新开工, 建成, 交付);
    `same_value_two_indicators`: one value and unit under two indicators in one clause (an info:
    two targets of 100 can both be right)."""
    out = []
    f = facts[facts["indicator"] != ""].copy()
    f["_clause"] = _clause_key(f)
    for _, clause in f.groupby("_clause", sort=False):
        if len(clause) < 2:
            continue
        for (value, unit), same in clause.groupby(["value", "unit"], sort=False):
            if same["indicator"].nunique() > 1 and same["measure"].nunique() == 1:
                first = same.iloc[0]
                out.append(Finding(
                    "same_value_two_indicators", "info", first["region"], int(first["year"]), "|".join(same["indicator"]),
                    f"{_fmt(value)} {unit} is filed under {', '.join(same['indicator'])} in one clause «{first['snippet']}»",
                    list(same["fact_id"])))
        for (ind, measure, status, region), same in clause.groupby(["indicator", "measure", "status", "region"], sort=False):
            if measure != "rank" and same["value"].nunique() > 1:
                first = same.iloc[0]
                out.append(Finding(
                    "one_indicator_two_values", "warning" if measure in ("growth", "share") else "info", region, int(first["year"]), ind,
                    f"{', '.join(_fmt(v) for v in same['value'])} all filed as {ind} ({measure}) in one clause "
                    f"«{first['snippet']}»", list(same["fact_id"])))
    return out


# --- a level that jumps --------------------------------------------------------------------------
def level_jumps(series: pd.DataFrame) -> list[Finding]:
    """A level that changes between two reported years by more than the catalog's plausible
    factor (`max_ratio`, per year of the gap); across a definitional break an info instead."""
    out = []
    inds = catalog.indicators()
    levels = _full_year(series[(series["measure"] == "level") & (series["status"] == "actual")])
    for (ind_id, region), rows in levels.groupby(["indicator", "region"], sort=True):
        ind = inds.get(ind_id)
        if ind is None:
            continue
        years = sorted(_by_year(rows).items())
        for (y1, a), (y2, b) in zip(years, years[1:]):
            if a["value"] <= 0 or b["value"] <= 0 or a["unit"] != b["unit"]:
                continue
            ratio = max(a["value"] / b["value"], b["value"] / a["value"])
            allowed = catalog.max_ratio(ind) ** (y2 - y1)
            reason = catalog.break_between(ind_id, y1, y2)
            ids = [a["fact_id"], b["fact_id"]]
            if reason:
                out.append(Finding("definition_break", "info", region, y2, ind_id,
                                   f"{_fmt(a['value'])} ({y1}) and {_fmt(b['value'])} ({y2}) straddle a break, "
                                   f"not one series: {reason}", ids))
            elif ratio > allowed:
                out.append(Finding("level_jump", "warning", region, y2, ind_id,
                                   f"{ind.name_zh} goes from {_fmt(a['value'])} ({y1}) to {_fmt(b['value'])} ({y2}) "
                                   f"{a['unit']}, a factor of {ratio:.2f} (plausible: {allowed:.2f})", ids))
    return out


# --- definitional breaks between linked indicators ------------------------------------------------
def linked_breaks(series: pd.DataFrame) -> list[Finding]:
    """A region with values of an indicator and of the one it replaced (农民人均纯收入 before, 农村
    居民人均可支配收入 after): an info that the two are separate series, never one line."""
    out = []
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
    """Texts that give different values for one key (info: the series shows the chosen one)."""
    out = []
    key = ["indicator", "region", "year", "status", "measure"]
    for _, s in series[series["conflict"].astype(bool)].iterrows():
        same = facts[(facts[key] == s[key]).all(axis=1)]
        others = same[same["value"] != s["value"]]
        out.append(Finding("conflict", "info", s["region"], int(s["year"]), s["indicator"],
                           f"texts disagree: chosen {_fmt(s['value'])} {s['unit']} ({s['doc']}); other values "
                           f"{s['other_values']}", [s["fact_id"], *others["fact_id"].head(4)]))
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
    found = (growth_vs_levels(series) + district_above_city(series) + ranges(facts) + same_clause(facts)
             + level_jumps(series) + linked_breaks(series) + conflicts(series, facts) + corrections(corrected))
    order = {lv: i for i, lv in enumerate(LEVELS)}
    return sorted(found, key=lambda f: (order[f.level], f.region, f.year or 0, f.check, f.indicator))
