"""The comparison layer: one value per indicator, region, year, status and measure, and the
tidy frames the charts draw (year over year, target against actual, district against city).

The choice rule, when several figures are printed for the same key (indicator, region, year,
status, measure) -- written once, here, and in the README:

0. a text that gives a single value for the key beats one that prints several different values
   for it (sub-items such as kindergarten, school and high-school places, not a total:
   series.mixed_in_text);
1. a figure for the full period beats a partial or preliminary one (``1~11月``, ``截至12月21日``,
   ``预计``: facts.preliminary);
2. a figure for the single year beats one for several years ending in it (``2022`` beats
   ``2018-2022``);
3. a work report beats a year-end review, which beats a news story (documents.doc_type);
4. a later text beats an earlier one (documents.delivered);
5. within one text, the first figure printed.

So the final work report delivered in January beats the preliminary year-end review of December.
Texts that disagree are not hidden: ``conflict`` is True when the documents' own choices differ,
and ``other_values`` lists every other value with its document; :func:`candidates` returns every
figure with its place in this order, so charts can plot the values that were not chosen.

Nothing here parses text: the inputs are the facts and documents tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import catalog

SERIES_KEY = ["indicator", "region", "year", "status", "measure"]
DOC_RANK = {"work_report": 0, "year_review": 1, "news": 2}
SERIES_COLUMNS = [
    "indicator", "name_zh", "name_en", "theme", "region", "region_level", "year", "period", "status",
    "measure", "unit", "value", "qualifier", "preliminary", "doc", "fact_id", "n_docs", "n_values",
    "conflict", "mixed_in_text", "other_values",
]
#: Units whose levels do not add up over regions (a district cannot be a "share" of the city).
NON_ADDITIVE_UNITS = frozenset({"天", "%", "位"})
#: Words in an indicator's Chinese name that make it a ratio, not an additive amount.
NON_ADDITIVE_WORDS = ("人均", "每千", "每万", "率", "强度", "占比", "比重")


def _fmt(v: float) -> str:
    return np.format_float_positional(v, trim="-")


def is_multi_year(period: pd.Series) -> pd.Series:
    """True for periods that span several calendar years (``2018-2022``, ``2022-2024``)."""
    p = period.astype("string").fillna("")
    return p.str.contains("-", regex=False) & ~p.str.contains("..", regex=False)


def _better_map() -> dict[str, str]:
    return {r["id"]: (r.get("better") or "higher") for r in catalog.indicator_rows()}


def candidates(facts: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Every fact with a catalog indicator, ordered by the choice rule within its key.

    Adds ``doc_type``, ``delivered``, ``multi_year``, ``rank`` (1 = the chosen figure of the key),
    ``doc_rank`` (1 = the first figure of its document within the key, the document's own
    choice) and ``chosen``.
    """
    f = facts[facts["indicator"].astype("string").fillna("") != ""].copy()
    docs = documents.set_index("file")
    f["doc_type"] = f["doc"].map(docs["doc_type"]).fillna("")
    f["delivered"] = f["doc"].map(docs["delivered"]).fillna("").astype(str)
    f["multi_year"] = is_multi_year(f["period"]).astype(bool)
    f["_prelim"] = f["preliminary"].astype(bool)
    f["_type_rank"] = f["doc_type"].map(DOC_RANK).fillna(9)
    # A text that gives several different values for one key lists sub-items (kindergarten,
    # school and high-school places), not the total: any text with a single value beats it.
    f["mixed_in_text"] = f.groupby(SERIES_KEY + ["doc"], sort=False, dropna=False)["value"].transform("nunique") > 1
    f = f.sort_values(
        ["mixed_in_text", "_prelim", "multi_year", "_type_rank", "delivered", "doc", "start"],
        ascending=[True, True, True, True, False, True, True], kind="stable",
    )
    g = f.groupby(SERIES_KEY, sort=False, dropna=False)
    f["rank"] = g.cumcount() + 1
    f["doc_rank"] = f.groupby(SERIES_KEY + ["doc"], sort=False, dropna=False).cumcount() + 1
    f["chosen"] = f["rank"] == 1
    f = f.drop(columns=["_prelim", "_type_rank"])
    return f.sort_values(SERIES_KEY + ["rank"], kind="stable").reset_index(drop=True)


def build_series(facts: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The series table: the chosen value per key, how many texts gave one, and conflicts.

    Whole-table operations (no loop over keys), so a collection of a thousand reports with
    tens of thousands of keys takes seconds.
    """
    c = candidates(facts, documents)
    if c.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    c = c.sort_values(SERIES_KEY + ["rank"], kind="stable").reset_index(drop=True)
    c["_gid"] = c.groupby(SERIES_KEY, sort=True, dropna=False).ngroup()
    by = c.groupby("_gid", sort=True)
    best = c[c["rank"] == 1].set_index("_gid").sort_index()
    c["_best_value"] = c["_gid"].map(best["value"])
    c["_best_doc"] = c["_gid"].map(best["doc"])
    others = c[(c["rank"] > 1) & ((c["value"] != c["_best_value"]) | (c["doc"] != c["_best_doc"]))]
    desc = (others["value"].map(_fmt).astype(str) + " (" + others["doc"].astype(str) + ", " + others["period"].astype(str)
            + np.where(others["doc"] == others["_best_doc"], ", same text", "") + ")")
    other_desc = desc.groupby(others["_gid"]).agg("; ".join)
    per_doc = c[c["doc_rank"] == 1]
    names = catalog.indicators()
    out = pd.DataFrame({
        "indicator": best["indicator"],
        "name_zh": [names[i].name_zh if i in names else lab for i, lab in zip(best["indicator"], best["label"])],
        "name_en": [names[i].name_en if i in names else "" for i in best["indicator"]],
        "theme": best["theme"],
        "region": best["region"],
        "region_level": best["region_level"],
        "year": best["year"],
        "period": best["period"],
        "status": best["status"],
        "measure": best["measure"],
        "unit": best["unit"],
        "value": best["value"],
        "qualifier": best["qualifier"],
        "preliminary": best["preliminary"].astype(bool),
        "doc": best["doc"],
        "fact_id": best["fact_id"],
        "n_docs": by["doc"].nunique().astype("int64"),
        "n_values": by["value"].nunique().astype("int64"),
        "conflict": per_doc.groupby("_gid")["value"].nunique().reindex(best.index).fillna(0) > 1,
        "mixed_in_text": best["mixed_in_text"].astype(bool),
        "other_values": other_desc.reindex(best.index).fillna(""),
    }, columns=SERIES_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    out["value"] = out["value"].astype("float64")
    return out.sort_values(["theme", "indicator", "region", "year", "status", "measure"], kind="stable").reset_index(drop=True)


def alternatives(series: pd.DataFrame, cands: pd.DataFrame) -> pd.DataFrame:
    """For the conflicting keys of `series`: each other document's own figure (its first one in
    the choice order) that differs from the chosen value, with its document and flags.

    Columns: the series key, ``value``, ``unit``, ``period``, ``doc``, ``doc_type``, ``delivered``,
    ``preliminary``, ``fact_id``, ``chosen_value``, ``chosen_doc``.
    """
    conflicts = series.loc[series["conflict"].astype(bool), SERIES_KEY + ["value", "doc", "fact_id"]]
    conflicts = conflicts.rename(columns={"value": "chosen_value", "doc": "chosen_doc", "fact_id": "chosen_fact_id"})
    own = cands[(cands["doc_rank"] == 1) & ~cands["chosen"]]
    m = own.merge(conflicts, on=SERIES_KEY, how="inner")
    m = m[(m["doc"] != m["chosen_doc"]) & (m["value"] != m["chosen_value"])]
    cols = SERIES_KEY + ["value", "unit", "period", "qualifier", "doc", "doc_type", "delivered", "preliminary",
                         "fact_id", "chosen_value", "chosen_doc", "chosen_fact_id"]
    return m[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- year over year


def year_over_year(series: pd.DataFrame, indicator: str | None = None, region: str | None = None,
                   measure: str | None = None, statuses: tuple[str, ...] = ("actual",),
                   theme: str | None = None, min_years: int = 1) -> pd.DataFrame:
    """Change between consecutive years present, per indicator, region, status, measure and unit.

    Works for any years present: with 2022 and 2024 only, the 2024 row compares with 2022
    (``years_apart`` = 2). ``change`` is the absolute difference from the previous available year
    (for rates in percentage points); ``pct_change`` the relative change in percent, for levels
    only. ``n_years`` is how many years the series has; ``min_years`` drops shorter series.
    ``comparable`` is False when one of the two figures covers several years (``2018-2022``) and
    the measure is a growth rate (an average annual rate is not one year's rate).
    """
    s = series[series["status"].isin(statuses)]
    for col, val in (("indicator", indicator), ("region", region), ("measure", measure), ("theme", theme)):
        if val is not None:
            s = s[s[col] == val]
    s = s.sort_values(["indicator", "region", "status", "measure", "unit", "year"]).copy()
    s["multi_year"] = is_multi_year(s["period"]).astype(bool)
    g = s.groupby(["indicator", "region", "status", "measure", "unit"], sort=False)
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
    prev_multi = g["multi_year"].shift(1).astype("boolean").fillna(False).astype(bool)
    s["comparable"] = s["prev_year"].notna() & ~((s["measure"] == "growth") & (s["multi_year"] | prev_multi))
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
    targets = s[s["status"] == "target"]
    actuals = s[s["status"].isin(statuses)].copy()
    actuals["_order"] = actuals["status"].map({st: i for i, st in enumerate(statuses)})
    actuals = actuals.sort_values("_order", kind="stable").drop(columns="_order")
    key = ["indicator", "region", "measure", "unit"]
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
        })
    out = pd.DataFrame(rows, columns=[
        "indicator", "name_zh", "name_en", "theme", "region", "year", "measure", "unit", "target",
        "target_qualifier", "target_doc", "target_fact_id", "actual", "actual_status", "actual_qualifier",
        "actual_doc", "actual_fact_id", "actual_preliminary", "actual_conflict", "actual_other_values",
        "better", "met", "gap", "gap_pct", "attainment",
    ])
    out["met"] = out["met"].astype("boolean")
    for col in ("target", "actual", "gap", "gap_pct", "attainment"):
        out[col] = out[col].astype("float64")
    return out.sort_values(["theme", "indicator", "region", "measure"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- district vs city


def is_additive(name_zh: pd.Series, measure: pd.Series, unit: pd.Series) -> pd.Series:
    """True where the figure is an amount that adds up over regions (so a district can be a
    share of the city): a level, not in days/%/rank, and not a ratio by its name (人均, 每千, 率)."""
    names = name_zh.astype("string").fillna("")
    ratio = names.apply(lambda n: any(w in n for w in NON_ADDITIVE_WORDS)).astype(bool)
    return (measure == "level") & ~unit.isin(NON_ADDITIVE_UNITS) & ~ratio


def district_vs_city(series: pd.DataFrame, year: int, district: str | None = None,
                     city: str = "郑州市") -> pd.DataFrame:
    """District and city values side by side for `year` (same indicator, status, measure, unit).

    ``additive`` levels (amounts and counts) get ``district_share``, the district's share of the
    city in %; rates (growth, share: unit %) get ``gap_points``, district minus city in percentage
    points. ``gap`` is district minus city in the unit for every row and ``ratio`` district / city
    in %. ``comparable`` is False for an additive level whose district figure exceeds the city's
    (the two texts count different things).
    """
    s = series[series["year"] == year]
    dist = s[s["region_level"].isin(["district", "county"])]
    if district is not None:
        dist = dist[dist["region"] == district]
    cit = s[s["region"] == city]
    key = ["indicator", "status", "measure", "unit"]
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
    out["additive"] = is_additive(out["name_zh"], out["measure"], out["unit"]).astype(bool)
    rate = out["measure"].isin(["growth", "share"]) & (out["unit"] == "%")
    nonzero = out["city_value"] != 0
    out["gap"] = out["district_value"] - out["city_value"]
    out["ratio"] = np.where(nonzero & (out["measure"] == "level"), out["district_value"] / out["city_value"].where(nonzero) * 100, np.nan)
    out["district_share"] = np.where(out["additive"], out["ratio"], np.nan)
    out["gap_points"] = np.where(rate, out["gap"], np.nan)
    out["comparable"] = ~(out["additive"] & (out["district_share"] > 100))
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


def district_years(series: pd.DataFrame, district: str | None = None, city: str = "郑州市") -> list[int]:
    """Years in which a district (or the given one) and the city both have values, oldest first."""
    d = series[series["region_level"].isin(["district", "county"])]
    if district is not None:
        d = d[d["region"] == district]
    c = series[series["region"] == city]
    return sorted(set(d["year"].dropna().astype(int)) & set(c["year"].dropna().astype(int)))
