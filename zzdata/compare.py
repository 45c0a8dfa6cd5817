"""The comparison layer: one value per indicator, region, year, status and measure, and the
tidy frames the charts draw (year over year, target against actual, district against city).

The choice rule, when several texts give a value for the same key (written once, here, and in
the README):

1. a figure for the full period beats a partial or preliminary one (1~11月, 截至12月21日, 预计);
2. a work report beats a year-end review or a news story;
3. a later text (by `delivered`) beats an earlier one;
4. within one text, the first figure printed.

Texts that disagree are not hidden: `conflict` is True and `other_values` lists every other
value with its document.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import catalog

SERIES_KEY = ["indicator", "region", "year", "status", "measure"]
_DOC_RANK = {"work_report": 0, "year_review": 1, "news": 2}
SERIES_COLUMNS = [
    "indicator", "name_zh", "name_en", "theme", "region", "region_level", "year", "period", "status",
    "measure", "unit", "value", "qualifier", "preliminary", "doc", "fact_id", "n_docs", "n_values",
    "conflict", "other_values",
]


def _fmt(v: float) -> str:
    return np.format_float_positional(v, trim="-")


def build_series(facts: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The series table: the chosen value per key, how many texts gave one, and conflicts."""
    f = facts[facts["indicator"] != ""].copy()
    if f.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    docs = documents.set_index("file")
    f["_partial"] = f["preliminary"].astype(bool)
    f["_doc_rank"] = f["doc"].map(docs["doc_type"]).map(_DOC_RANK).fillna(9)
    f["_delivered"] = f["doc"].map(docs["delivered"]).fillna("")
    f = f.sort_values(["_partial", "_doc_rank", "_delivered", "doc", "start"],
                      ascending=[True, True, False, True, True], kind="stable")
    rows = []
    names = catalog.indicators()
    for key, group in f.groupby(SERIES_KEY, sort=True, dropna=False):
        best = group.iloc[0]
        # One representative per document (its first figure), then compare across documents.
        per_doc = group.drop_duplicates("doc", keep="first")
        other = group.iloc[1:]
        other_desc = "; ".join(
            f"{_fmt(r.value)} ({r.doc}, {r.period}{', same text' if r.doc == best.doc else ''})"
            for r in other.itertuples()
            if r.value != best.value or r.doc != best.doc
        )
        ind = names.get(best.indicator)
        rows.append({
            "indicator": best.indicator,
            "name_zh": ind.name_zh if ind else best.label,
            "name_en": ind.name_en if ind else "",
            "theme": best.theme,
            "region": best.region,
            "region_level": best.region_level,
            "year": best.year,
            "period": best.period,
            "status": best.status,
            "measure": best.measure,
            "unit": best.unit,
            "value": best.value,
            "qualifier": best.qualifier,
            "preliminary": bool(best.preliminary),
            "doc": best.doc,
            "fact_id": best.fact_id,
            "n_docs": int(group["doc"].nunique()),
            "n_values": int(group["value"].nunique()),
            "conflict": bool(per_doc["value"].nunique() > 1),
            "other_values": other_desc,
        })
    out = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    out["value"] = out["value"].astype("float64")
    return out.sort_values(["theme", "indicator", "region", "year", "status", "measure"], kind="stable").reset_index(drop=True)


def year_over_year(series: pd.DataFrame, indicator: str | None = None, region: str | None = None,
                   measure: str | None = None, statuses: tuple[str, ...] = ("actual",)) -> pd.DataFrame:
    """Change between consecutive years present, per indicator, region, status and measure.

    `change` is the absolute difference from the previous available year and `pct_change` the
    relative one in percent (levels only; for rates use `change`, in percentage points).
    """
    s = series[series["status"].isin(statuses)]
    if indicator is not None:
        s = s[s["indicator"] == indicator]
    if region is not None:
        s = s[s["region"] == region]
    if measure is not None:
        s = s[s["measure"] == measure]
    s = s.sort_values(["indicator", "region", "status", "measure", "year"]).copy()
    g = s.groupby(["indicator", "region", "status", "measure"], sort=False)
    s["prev_year"] = g["year"].shift(1)
    s["prev_value"] = g["value"].shift(1)
    s["change"] = s["value"] - s["prev_value"]
    s["pct_change"] = np.where(
        (s["measure"] == "level") & (s["prev_value"] != 0), s["change"] / s["prev_value"] * 100, np.nan
    )
    s["n_years"] = g["year"].transform("count")
    return s.reset_index(drop=True)


def target_vs_actual(series: pd.DataFrame, year: int, region: str | None = None,
                     about_tolerance: float = 0.025) -> pd.DataFrame:
    """Each target of `year` beside the result for the same indicator, region and measure.

    `met` follows the indicator's direction (catalog column `better`): for higher-is-better a
    result at or above the target meets it; a target "about" x (左右) is met within
    `about_tolerance` of x (relative; for percentages 0.5 points). `gap` is actual - target.
    """
    s = series[series["year"] == year]
    if region is not None:
        s = s[s["region"] == region]
    targets = s[s["status"] == "target"]
    actuals = s[s["status"].isin(["actual", "cumulative"])]
    key = ["indicator", "region", "measure"]
    merged = targets.merge(actuals, on=key, how="left", suffixes=("_target", "_actual"))
    merged = merged.drop_duplicates(key, keep="first")
    direction = {i.id: i_better for i, i_better in ((ind, _better(ind.id)) for ind in catalog.indicators().values())}
    rows = []
    for r in merged.itertuples():
        tgt, act = r.value_target, r.value_actual
        better = direction.get(r.indicator, "higher")
        met = None
        if not pd.isna(act):
            tol = 0.5 if r.unit_target == "%" else abs(tgt) * about_tolerance
            if better == "lower":
                met = act <= tgt + (tol if r.qualifier_target == "about" else 0)
            else:
                met = act >= tgt - (tol if r.qualifier_target == "about" else 0)
        rows.append({
            "indicator": r.indicator, "name_zh": r.name_zh_target, "name_en": r.name_en_target,
            "theme": r.theme_target, "region": r.region, "measure": r.measure, "unit": r.unit_target,
            "target": tgt, "target_qualifier": r.qualifier_target, "target_doc": r.doc_target,
            "actual": act, "actual_doc": r.doc_actual if not pd.isna(act) else None,
            "actual_preliminary": r.preliminary_actual if not pd.isna(act) else None,
            "actual_conflict": r.conflict_actual if not pd.isna(act) else None,
            "better": better, "met": met, "gap": (act - tgt) if not pd.isna(act) else np.nan,
            "gap_pct": ((act - tgt) / tgt * 100) if (not pd.isna(act) and tgt and r.measure == "level") else np.nan,
        })
    return pd.DataFrame(rows)


def _better(indicator_id: str) -> str:
    rows = {r["id"]: r for r in catalog.indicator_rows()}
    return rows.get(indicator_id, {}).get("better", "higher") or "higher"


def district_vs_city(series: pd.DataFrame, year: int, district: str | None = None,
                     city: str = "郑州市") -> pd.DataFrame:
    """District and city values side by side for `year` (same indicator, status and measure).

    For levels in the same unit, `district_share` is the district's share of the city in %;
    for rates (growth, share) `gap_points` is district minus city in percentage points.
    """
    s = series[series["year"] == year]
    regions = catalog.regions()
    dist = s[s["region_level"].isin(["district", "county"])]
    if district is not None:
        dist = dist[dist["region"] == district]
    cit = s[s["region"] == city]
    key = ["indicator", "status", "measure"]
    m = dist.merge(cit, on=key, suffixes=("_district", "_city"))
    m = m[m["unit_district"] == m["unit_city"]]
    out = pd.DataFrame({
        "indicator": m["indicator"], "name_zh": m["name_zh_district"], "name_en": m["name_en_district"],
        "theme": m["theme_district"], "status": m["status"], "measure": m["measure"], "unit": m["unit_district"],
        "district": m["region_district"], "district_value": m["value_district"], "district_doc": m["doc_district"],
        "city": city, "city_value": m["value_city"], "city_doc": m["doc_city"],
        "city_preliminary": m["preliminary_city"], "city_conflict": m["conflict_city"],
    })
    out["district_share"] = np.where(out["measure"] == "level", out["district_value"] / out["city_value"] * 100, np.nan)
    out["gap_points"] = np.where(out["measure"].isin(["growth", "share"]), out["district_value"] - out["city_value"], np.nan)
    _ = regions
    return out.sort_values(["theme", "indicator", "status", "measure"]).reset_index(drop=True)
