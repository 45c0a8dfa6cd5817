"""The comparisons the charts draw, as tidy frames: year over year, targets against results,
districts and counties against the city. They work on the series table (one chosen value per
key, see :mod:`zzdata.series.choice`) and name no region: the city is the region the caller
gives, or the collection's one region at level ``city``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import catalog, periods, vocab
from . import rules

#: The levels below the city (districts, counties): the regions compared with it.
LOCAL_LEVELS = tuple(level for level in vocab.REGION_LEVELS if level != "city")


def levels(series: pd.DataFrame) -> pd.DataFrame:
    """The series without its thresholds (``突破2万亿元``, ``迈入千亿俱乐部``: a milestone passed, not
    a level), the rows a chart may draw as values."""
    if "threshold" not in series:
        return series
    return series[~series["threshold"].astype("boolean").fillna(False).astype(bool)]


def _better_map() -> dict[str, str]:
    return {i.id: i.better for i in catalog.indicators().values()}


def city_of(series: pd.DataFrame) -> str:
    """The collection's city: the one region at level ``city`` (an error naming what to pass when
    there is none, or several)."""
    cities = sorted(set(series.loc[series["region_level"] == "city", "region"]))
    if len(cities) != 1:
        found = ", ".join(cities) if cities else "none"
        raise ValueError(f"cannot tell which region is the city (regions at level city: {found}); pass city=")
    return cities[0]


# --------------------------------------------------------------------------- like with like

#: The reasons a pair is not compared, in the order they are tested (zzdata/data/vocab.csv, list `reason`).
REASONS = vocab.values("reason")


def pair_reasons(indicator: pd.Series, measure: pd.Series, period_a: pd.Series, period_b: pd.Series,
                 status_a: pd.Series, status_b: pd.Series, value_a: pd.Series, value_b: pd.Series,
                 threshold_a: pd.Series, threshold_b: pd.Series, check_ratio: pd.Series | bool = True) -> pd.Series:
    """Why each pair of figures of the same indicator, measure and unit is not compared like with
    like, or "" when it is, tested in this order: a threshold or milestone; a multi-year figure
    against a single year (or any multi-year growth rate); part of a year against a full year (or
    other months); a running total against a year's figure; a definitional break between their
    years (catalog `break_year`); levels further apart than rules.allowed_ratio for the years
    between them (`check_ratio` False for a district's share of its city, which may be small).
    The checks of `make validate` call the same rules (zzdata/series/rules.py)."""
    idx = indicator.index
    col = lambda x: x if isinstance(x, pd.Series) else pd.Series(x, index=idx)  # noqa: E731
    pa_, pb = col(period_a).astype(str), col(period_b).astype(str)
    ka, kb = pa_.map(periods.kind), pb.map(periods.kind)
    sa, sb = col(status_a).astype(str), col(status_b).astype(str)
    ya, yb = pa_.map(periods.last_year).astype("Int64"), pb.map(periods.last_year).astype("Int64")
    years = (ka == "years") | (kb == "years")
    part = (ka == "part") | (kb == "part")
    apart = (ya - yb).abs()
    broke = (ya.notna() & yb.notna() & (ya != yb)).fillna(False).astype(bool)
    broke &= rules.breaks(indicator, ya, yb) != ""
    ratio = (col(check_ratio).astype(bool) & (measure.astype(str) == "level")
             & rules.implausible(col(value_a), col(value_b), indicator, apart))
    conditions = [
        col(threshold_a).astype(bool) | col(threshold_b).astype(bool),
        years & ((ka != kb) | (measure.astype(str) == "growth")),
        part & ((ka != kb) | (pa_.str[4:] != pb.str[4:])),
        ((sa == "cumulative") | (sb == "cumulative")) & (sa != sb),
        broke,
        ratio,
    ]
    names = ["threshold", "multi_year", "part_year", "cumulative", "definition_break", "implausible"]
    return pd.Series(np.select([c.to_numpy(dtype=bool) for c in conditions], names, default=""), index=idx, dtype=object)


def pair_reason(indicator: str, measure: str, periods_ab: tuple[str, str], statuses_ab: tuple[str, str],
                values_ab: tuple[float, float], thresholds_ab: tuple[bool, bool] = (False, False),
                check_ratio: bool = True) -> str:
    """:func:`pair_reasons` for one pair."""
    one = lambda v: pd.Series([v])  # noqa: E731
    return str(pair_reasons(one(indicator), one(measure), one(periods_ab[0]), one(periods_ab[1]), one(statuses_ab[0]),
                            one(statuses_ab[1]), one(values_ab[0]), one(values_ab[1]), one(bool(thresholds_ab[0])),
                            one(bool(thresholds_ab[1])), check_ratio).iloc[0])


def _thresholds(frame: pd.DataFrame, suffix: str = "") -> pd.Series:
    """The frame's threshold flags (all False where the series has no `threshold` column)."""
    col = f"threshold{suffix}"
    if col in frame.columns:
        return frame[col].astype("boolean").fillna(False).astype(bool)
    return pd.Series(False, index=frame.index)


def not_compared(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a comparison frame that were not compared (a non-empty ``reason``: the list a
    chart prints under itself as "not compared"). The reason in words is the charts' business
    (:func:`zzdata.viz.views.not_compared`, in the notebook's language)."""
    if "reason" not in frame.columns:
        return frame.iloc[0:0]
    return frame[frame["reason"].astype(str) != ""].reset_index(drop=True)


# --------------------------------------------------------------------------- year over year


def year_over_year(series: pd.DataFrame, indicator: str | None = None, region: str | None = None,
                   measure: str | None = None, statuses: tuple[str, ...] = ("actual",),
                   theme: str | None = None, min_years: int = 1) -> pd.DataFrame:
    """Change between consecutive years present, per indicator, region, status, measure and unit.

    Works for any years present: with 2022 and 2024 only, the 2024 row compares with 2022
    (``years_apart`` = 2). ``change`` is the absolute difference from the previous available year
    (for rates in percentage points); ``pct_change`` the relative change in percent, for levels
    only. ``n_years`` is how many years the series has; ``min_years`` drops shorter series.
    ``reason`` says why a pair is not compared like with like (:func:`pair_reason`: a multi-year
    figure or growth rate, part of a year, a definitional break, an implausible jump …) and is ""
    when it is; ``comparable`` is True for a pair with a previous year and no reason.
    """
    s = levels(series)
    s = s[s["status"].isin(statuses)]
    for col, val in (("indicator", indicator), ("region", region), ("measure", measure), ("theme", theme)):
        if val is not None:
            s = s[s[col] == val]
    s = s.sort_values(["indicator", "region", "status", "measure", "unit", "year"]).copy()
    s["multi_year"] = periods.multi_year(s["period"])
    if "rank_group" not in s:
        s["rank_group"] = ""
    g = s.groupby(["indicator", "region", "status", "measure", "rank_group", "unit"], sort=False)
    s["prev_year"] = g["year"].shift(1).astype("Int64")
    s["prev_value"] = g["value"].shift(1).astype("float64")
    s["prev_period"] = g["period"].shift(1)
    s["prev_doc"] = g["doc"].shift(1)
    s["prev_fact_id"] = g["fact_id"].shift(1)
    s["years_apart"] = (s["year"] - s["prev_year"]).astype("Int64")
    s["change"] = s["value"] - s["prev_value"]
    level = (s["measure"] == "level") & (s["prev_value"] != 0) & s["prev_value"].notna()
    s["pct_change"] = np.where(level, s["change"] / s["prev_value"].where(level) * 100, np.nan)
    s["change_unit"] = np.where(s["unit"] == "%", "points", s["unit"])
    s["threshold"] = _thresholds(s)
    s["prev_threshold"] = g["threshold"].shift(1).astype("boolean").fillna(False).astype(bool)
    s["reason"] = pair_reasons(s["indicator"], s["measure"], s["prev_period"].astype(object).fillna(""), s["period"],
                               s["status"], s["status"], s["value"], s["prev_value"], s["prev_threshold"],
                               s["threshold"]).where(s["prev_year"].notna(), "")
    s["comparable"] = s["prev_year"].notna() & (s["reason"] == "")
    s["n_years"] = g["year"].transform("nunique").astype(int)
    s = s[s["n_years"] >= min_years]
    return s.reset_index(drop=True)


# --------------------------------------------------------------------------- targets


def _met(actual: float, target: float, better: str, qualifier: str, unit: str, tolerance: float) -> bool:
    tol = 0.0
    if qualifier == "about":
        tol = 0.5 if unit == "%" else abs(target) * tolerance
    if better == "lower":
        return bool(actual <= target + tol)
    return bool(actual >= target - tol)


def target_vs_actual(series: pd.DataFrame, year: int, region: str | None = None,
                     about_tolerance: float = 0.025,
                     statuses: tuple[str, ...] = ("actual", "cumulative")) -> pd.DataFrame:
    """Each target of `year` beside the result for the same indicator, region, measure and unit.

    A result with status ``actual`` is preferred to a ``cumulative`` one. ``met`` follows the
    indicator's direction (catalog column ``better``): for higher-is-better a result at or above
    the target meets it, for lower-is-better (prices, unemployment) at or below; a target "about"
    x (左右) is met within ``about_tolerance`` of x (relative; for percentages 0.5 points).
    ``met`` is <NA> where no result was reported. ``gap`` is actual - target in the unit
    (points for rates), ``gap_pct`` the gap relative to the target (levels only) and
    ``attainment`` actual / target in percent (levels only).
    """
    s = series[series["year"] == year]
    if region is not None:
        s = s[s["region"] == region]
    targets = s[s["status"] == "target"]  # a threshold target (突破140万辆) is a target all the same
    actuals = levels(s[s["status"].isin(statuses)]).copy()  # a threshold result is no level to compare
    actuals["_order"] = actuals["status"].map({st: i for i, st in enumerate(statuses)})
    actuals = actuals.sort_values("_order", kind="stable").drop(columns="_order")
    key = ["indicator", "region", "measure", "unit"] + (["rank_group"] if "rank_group" in s else [])
    merged = targets.merge(actuals, on=key, how="left", suffixes=("_target", "_actual"))
    merged = merged.drop_duplicates(key, keep="first")
    better_of = _better_map()
    rows = []
    for r in merged.itertuples():
        tgt, act = r.value_target, r.value_actual
        has = not pd.isna(act)
        better = better_of.get(r.indicator, "higher")
        rows.append({
            "indicator": r.indicator, "name_zh": r.name_zh_target, "name_en": r.name_en_target,
            "theme": r.theme_target, "region": r.region, "year": year, "measure": r.measure, "unit": r.unit,
            "target": tgt, "target_qualifier": r.qualifier_target, "target_doc": r.doc_target,
            "target_fact_id": r.fact_id_target,
            "actual": act, "actual_status": r.status_actual if has else None,
            "actual_qualifier": r.qualifier_actual if has else None,
            "actual_doc": r.doc_actual if has else None,
            "actual_fact_id": r.fact_id_actual if has else None,
            "actual_preliminary": bool(r.preliminary_actual) if has else None,
            "actual_conflict": bool(r.conflict_actual) if has else None,
            "actual_other_values": (r.other_values_actual or "") if has and isinstance(r.other_values_actual, str) else "",
            "better": better,
            "met": _met(act, tgt, better, r.qualifier_target, r.unit, about_tolerance) if has else pd.NA,
            "gap": (act - tgt) if has else np.nan,
            "gap_pct": ((act - tgt) / tgt * 100) if (has and tgt and r.measure == "level") else np.nan,
            "attainment": (act / tgt * 100) if (has and tgt and r.measure == "level") else np.nan,
            "reason": pair_reason(r.indicator, r.measure, (r.period_actual, r.period_target),
                                  (r.status_actual, "actual"), (act, tgt),
                                  (bool(getattr(r, "threshold_actual", False) or False),
                                   bool(getattr(r, "threshold_target", False) or False))) if has else "",
        })
    out = pd.DataFrame(rows, columns=[
        "indicator", "name_zh", "name_en", "theme", "region", "year", "measure", "unit", "target",
        "target_qualifier", "target_doc", "target_fact_id", "actual", "actual_status", "actual_qualifier",
        "actual_doc", "actual_fact_id", "actual_preliminary", "actual_conflict", "actual_other_values",
        "better", "met", "gap", "gap_pct", "attainment", "reason",
    ])
    out["comparable"] = out["actual"].notna() & (out["reason"] == "")
    out["met"] = out["met"].astype("boolean")
    for col in ("target", "actual", "gap", "gap_pct", "attainment"):
        out[col] = out[col].astype("float64")
    return out.sort_values(["theme", "indicator", "region", "measure"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- district vs city


def district_vs_city(series: pd.DataFrame, year: int, district: str | None = None,
                     city: str | None = None) -> pd.DataFrame:
    """District and city values side by side for `year` (same indicator, status, measure, unit).

    ``additive`` levels (amounts and counts) get ``district_share``, the district's share of the
    city in %; rates (growth, share: unit %) get ``gap_points``, district minus city in percentage
    points. ``gap`` is district minus city in the unit for every row and ``ratio`` district / city
    in %. ``reason`` says why a pair is not compared like with like (``exceeds_city``: an additive
    amount larger for the district than for its city, the texts count different things; or
    :func:`pair_reason`'s kinds of period and plausible ratio) and ``comparable`` is True where it
    is empty.
    """
    city = city or city_of(series)
    s = levels(series[series["year"] == year])
    dist = s[s["region_level"].isin(LOCAL_LEVELS)]
    if district is not None:
        dist = dist[dist["region"] == district]
    cit = s[s["region"] == city]
    key = ["indicator", "status", "measure", "unit"] + (["rank_group"] if "rank_group" in s else [])
    m = dist.merge(cit, on=key, suffixes=("_district", "_city"))
    out = pd.DataFrame({
        "indicator": m["indicator"], "name_zh": m["name_zh_district"], "name_en": m["name_en_district"],
        "theme": m["theme_district"], "year": year, "status": m["status"], "measure": m["measure"],
        "unit": m["unit"],
        "district": m["region_district"], "district_value": m["value_district"],
        "district_doc": m["doc_district"], "district_fact_id": m["fact_id_district"],
        "district_qualifier": m["qualifier_district"],
        "city": city, "city_value": m["value_city"], "city_doc": m["doc_city"],
        "city_fact_id": m["fact_id_city"], "city_qualifier": m["qualifier_city"],
        "city_preliminary": m["preliminary_city"].astype(bool),
        "city_conflict": m["conflict_city"].astype(bool), "city_other_values": m["other_values_city"].fillna(""),
    })
    out["additive"] = rules.additive(out["indicator"], out["measure"], out["unit"]).astype(bool)
    rate = out["measure"].isin(["growth", "share"]) & (out["unit"] == "%")
    nonzero = out["city_value"] != 0
    out["gap"] = out["district_value"] - out["city_value"]
    out["ratio"] = np.where(nonzero & (out["measure"] == "level"), out["district_value"] / out["city_value"].where(nonzero) * 100, np.nan)
    out["district_share"] = np.where(out["additive"], out["ratio"], np.nan)
    out["gap_points"] = np.where(rate, out["gap"], np.nan)
    th_d, th_c = _thresholds(m, "_district"), _thresholds(m, "_city")
    reason = pair_reasons(out["indicator"], out["measure"], m["period_district"], m["period_city"], out["status"],
                          out["status"], out["district_value"], out["city_value"], th_d, th_c, ~out["additive"])
    # an amount that adds up, above the city's for the same period (rules.above_parent, which the checks call)
    mixed = pd.Series(False, index=m.index)
    for side in ("_district", "_city"):
        if f"mixed_in_text{side}" in m.columns:
            mixed |= m[f"mixed_in_text{side}"].astype("boolean").fillna(False).astype(bool)
    exceeds = (out["additive"] & ~mixed & (m["period_district"].astype(str) == m["period_city"].astype(str))
               & (out["district_value"] > out["city_value"]))
    out["reason"] = reason.where(~(exceeds & (reason == "")), "exceeds_city")
    out["comparable"] = out["reason"] == ""
    return out.sort_values(["theme", "indicator", "status", "measure"]).reset_index(drop=True)


# --------------------------------------------------------------------------- years in the data


def target_years(series: pd.DataFrame, region: str | None = None, theme: str | None = None) -> list[int]:
    """Years that have both a target and a result (actual or cumulative), oldest first."""
    s = series
    if region is not None:
        s = s[s["region"] == region]
    if theme is not None:
        s = s[s["theme"] == theme]
    t = set(s.loc[s["status"] == "target", "year"].dropna().astype(int))
    a = set(s.loc[s["status"].isin(["actual", "cumulative"]), "year"].dropna().astype(int))
    return sorted(t & a)


def district_years(series: pd.DataFrame, district: str | None = None, city: str | None = None) -> list[int]:
    """Years in which a district (or the given one) and the city both have values, oldest first."""
    city = city or city_of(series)
    d = series[series["region_level"].isin(LOCAL_LEVELS)]
    if district is not None:
        d = d[d["region"] == district]
    c = series[series["region"] == city]
    return sorted(set(d["year"].dropna().astype(int)) & set(c["year"].dropna().astype(int)))
