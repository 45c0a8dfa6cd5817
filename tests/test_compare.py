"""Tests of zzdata.series.compare: the choice rule and the tidy comparison frames.

Small frames built by hand check the logic; the real data (the session build of conftest) is checked
for properties, with every expected number looked up in facts rather than typed here.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from zzdata.core import catalog

from zzdata.series import choice, compare

# --------------------------------------------------------------------------- hand-built frames

DOCS = pd.DataFrame([
    {"file": "city_2023_report.txt", "region": "郑州市", "region_level": "city", "doc_type": "work_report", "delivered": "2023-01-04"},
    {"file": "city_2024_targets.txt", "region": "郑州市", "region_level": "city", "doc_type": "work_report", "delivered": "2024-02-03"},
    {"file": "city_2024_review.txt", "region": "郑州市", "region_level": "city", "doc_type": "year_review", "delivered": "2024-12"},
    {"file": "city_2025_report.txt", "region": "郑州市", "region_level": "city", "doc_type": "work_report", "delivered": "2025-01"},
    {"file": "district_2025_report.txt", "region": "中原区", "region_level": "district", "doc_type": "work_report", "delivered": "2025-02-14"},
    {"file": "news_2025.txt", "region": "郑州市", "region_level": "city", "doc_type": "news", "delivered": "2025-03"},
])

_counter = iter(range(1_000_000))


def fact(indicator="new_urban_jobs", value=1.0, doc="city_2025_report.txt", year=2024, period=None,
         status="actual", measure="level", unit="人", region=None, preliminary=False, qualifier="none",
         start=None, theme=None):
    region = region or ("中原区" if doc.startswith("district") else "郑州市")
    start = next(_counter) if start is None else start
    ind = catalog.indicators().get(indicator)
    return {
        "fact_id": f"{doc}:{start}", "doc": doc, "region": region,
        "region_level": "district" if region == "中原区" else "city",
        "period": period or str(year), "year": year, "status": status, "indicator": indicator,
        "label": ind.name_zh if ind else indicator, "measure": measure, "value": float(value), "unit": unit,
        "value_text": str(value), "qualifier": qualifier, "preliminary": preliminary,
        "theme": theme or (ind.theme if ind else "economy"), "section": "", "snippet": "", "start": start,
        "end": start + 1,
    }


def frame(*rows) -> pd.DataFrame:
    f = pd.DataFrame(list(rows))
    f["year"] = f["year"].astype("Int64")
    return f


def series_of(*rows) -> pd.DataFrame:
    return choice.build_series(frame(*rows), DOCS)


def one(df: pd.DataFrame, **where) -> pd.Series:
    m = df
    for k, v in where.items():
        m = m[m[k] == v]
    assert len(m) == 1, f"expected one row for {where}, got {len(m)}"
    return m.iloc[0]


# --------------------------------------------------------------------------- choice rule


def test_final_work_report_beats_earlier_year_review_and_conflict_is_flagged():
    s = series_of(fact(value=131000, doc="city_2024_review.txt"), fact(value=139300, doc="city_2025_report.txt"))
    row = one(s, indicator="new_urban_jobs", year=2024)
    assert row["value"] == 139300 and row["doc"] == "city_2025_report.txt"
    assert row["conflict"] and row["n_docs"] == 2 and row["n_values"] == 2
    assert "131000" in row["other_values"] and "city_2024_review.txt" in row["other_values"]


def test_same_value_in_two_texts_is_not_a_conflict():
    s = series_of(fact(value=5, doc="city_2024_review.txt"), fact(value=5, doc="city_2025_report.txt"))
    row = one(s, year=2024)
    assert not row["conflict"] and row["n_docs"] == 2 and row["n_values"] == 1


def test_full_period_beats_preliminary_even_from_a_lesser_text():
    s = series_of(
        fact(value=225, doc="city_2025_report.txt", period="2024-01-01..12-21", preliminary=True, unit="天",
             indicator="good_air_days"),
        fact(value=231, doc="news_2025.txt", unit="天", indicator="good_air_days"),
    )
    row = one(s, indicator="good_air_days")
    assert row["value"] == 231 and not row["preliminary"] and row["conflict"]


def test_single_year_beats_multi_year_for_the_same_year():
    s = series_of(fact(value=79.1, period="2018-2022", year=2022, doc="city_2023_report.txt", measure="share", unit="%",
                       indicator="urbanization_rate", start=10),
                  fact(value=79.4, period="2022", year=2022, doc="city_2023_report.txt", measure="share", unit="%",
                       indicator="urbanization_rate", start=20))
    row = one(s, indicator="urbanization_rate")
    assert row["value"] == 79.4 and row["period"] == "2022"


def test_later_text_beats_earlier_of_the_same_type_and_first_printed_within_a_text():
    # Both texts print two values for the key (rule 0 does not separate them), so the later
    # text wins, and within it the figure printed first.
    s = series_of(fact(value=1, doc="city_2024_targets.txt", start=5), fact(value=4, doc="city_2024_targets.txt", start=6),
                  fact(value=2, doc="city_2025_report.txt", start=9), fact(value=3, doc="city_2025_report.txt", start=7))
    row = one(s, year=2024)
    assert row["doc"] == "city_2025_report.txt" and row["value"] == 3  # start 7 was printed before start 9
    assert row["n_values"] == 4 and row["conflict"] and row["mixed_in_text"]


def test_a_text_with_one_value_beats_a_text_listing_sub_items():
    s = series_of(fact(value=6600, doc="city_2025_report.txt", start=5), fact(value=27000, doc="city_2025_report.txt", start=9),
                  fact(value=42500, doc="city_2024_review.txt", start=7))
    row = one(s, year=2024)
    assert row["value"] == 42500 and not row["mixed_in_text"] and row["conflict"]


def test_two_figures_in_one_text_only_are_not_a_conflict_between_texts():
    s = series_of(fact(value=1, start=1), fact(value=2, start=2))
    row = one(s, year=2024)
    assert row["value"] == 1 and not row["conflict"] and row["n_values"] == 2
    assert "same text" in row["other_values"]


def test_status_and_measure_are_separate_series():
    s = series_of(fact(value=10, status="target", doc="city_2024_targets.txt"), fact(value=12),
                  fact(value=5.5, measure="growth", unit="%"))
    assert len(s) == 3 and not s["conflict"].any()


def test_facts_without_indicator_are_left_out_and_empty_input_gives_the_columns():
    s = series_of(fact(indicator="", value=1))
    assert s.empty and list(s.columns) == choice.SERIES_COLUMNS


def test_candidates_rank_and_alternatives():
    f = frame(fact(value=131000, doc="city_2024_review.txt"), fact(value=139300, doc="city_2025_report.txt"))
    c = choice.candidates(f, DOCS)
    assert c.loc[c["chosen"], "doc"].tolist() == ["city_2025_report.txt"]
    assert sorted(c["rank"]) == [1, 2]
    alts = choice.alternatives(choice.build_series(f, DOCS), c)
    assert len(alts) == 1
    a = alts.iloc[0]
    assert a["value"] == 131000 and a["doc"] == "city_2024_review.txt" and a["chosen_value"] == 139300


# --------------------------------------------------------------------------- year over year


def test_year_over_year_uses_every_year_present():
    s = series_of(fact(value=100, year=2020, doc="city_2023_report.txt"), fact(value=120, year=2022, doc="city_2023_report.txt"),
                  fact(value=90, year=2024))
    y = compare.year_over_year(s).sort_values("year")
    assert y["year"].tolist() == [2020, 2022, 2024]
    assert y["prev_year"].isna().tolist() == [True, False, False]
    last = y.iloc[-1]
    assert last["prev_year"] == 2022 and last["years_apart"] == 2
    assert last["change"] == pytest.approx(-30) and last["pct_change"] == pytest.approx(-25)
    assert (y["n_years"] == 3).all()


def test_year_over_year_rates_change_in_points_and_min_years():
    s = series_of(fact(indicator="urbanization_rate", measure="share", unit="%", value=78, year=2022, doc="city_2023_report.txt"),
                  fact(indicator="urbanization_rate", measure="share", unit="%", value=80, year=2024),
                  fact(indicator="parks", unit="个", value=30, year=2024))
    y = compare.year_over_year(s, min_years=2)
    assert set(y["indicator"]) == {"urbanization_rate"}
    last = y.sort_values("year").iloc[-1]
    assert last["change"] == pytest.approx(2) and math.isnan(last["pct_change"]) and last["change_unit"] == "points"


def test_year_over_year_multi_year_growth_is_not_comparable():
    s = series_of(fact(measure="growth", unit="%", value=21, period="2018-2022", year=2022, doc="city_2023_report.txt"),
                  fact(measure="growth", unit="%", value=5, year=2024))
    y = compare.year_over_year(s).sort_values("year")
    assert not y.iloc[-1]["comparable"]


def test_year_over_year_filters():
    s = series_of(fact(value=1, year=2022, doc="city_2023_report.txt"), fact(value=2),
                  fact(value=3, doc="district_2025_report.txt"), fact(value=4, status="cumulative"))
    assert set(compare.year_over_year(s, region="中原区")["region"]) == {"中原区"}
    assert set(compare.year_over_year(s, statuses=("actual", "cumulative"))["status"]) == {"actual", "cumulative"}
    assert compare.year_over_year(s, theme="environment").empty


# --------------------------------------------------------------------------- targets


def test_target_vs_actual_direction_and_tolerance():
    s = series_of(
        fact(indicator="new_urban_jobs", value=126500, status="target", doc="city_2024_targets.txt"),
        fact(indicator="new_urban_jobs", value=139300),
        fact(indicator="cpi", measure="growth", unit="%", value=3, status="target", qualifier="about", doc="city_2024_targets.txt"),
        fact(indicator="cpi", measure="growth", unit="%", value=3.3),
        fact(indicator="gdp", measure="growth", unit="%", value=7, status="target", qualifier="about", doc="city_2024_targets.txt"),
        fact(indicator="gdp", measure="growth", unit="%", value=5.7),
        fact(indicator="parks", unit="个", value=30, status="target", doc="city_2024_targets.txt"),
    )
    t = compare.target_vs_actual(s, 2024)
    jobs = one(t, indicator="new_urban_jobs")
    assert jobs["met"] and jobs["gap"] == pytest.approx(12800)
    assert jobs["attainment"] == pytest.approx(139300 / 126500 * 100)
    cpi = one(t, indicator="cpi")  # lower is better; "about 3%" is met within 0.5 points
    assert cpi["better"] == "lower" and cpi["met"]
    gdp = one(t, indicator="gdp")
    assert not gdp["met"]
    assert math.isnan(gdp["attainment"])  # no attainment ratio for rates
    parks = one(t, indicator="parks")
    assert pd.isna(parks["met"]) and pd.isna(parks["actual"])
    assert str(t["met"].dtype) == "boolean"


def test_target_vs_actual_lower_is_better_missed_and_prefers_actual_over_cumulative():
    s = series_of(
        fact(indicator="cpi", measure="growth", unit="%", value=3, status="target", doc="city_2024_targets.txt"),
        fact(indicator="cpi", measure="growth", unit="%", value=3.6),
        fact(indicator="parks", unit="个", value=30, status="target", doc="city_2024_targets.txt"),
        fact(indicator="parks", unit="个", value=1200, status="cumulative"),
        fact(indicator="parks", unit="个", value=35),
    )
    t = compare.target_vs_actual(s, 2024)
    assert not one(t, indicator="cpi")["met"]
    parks = one(t, indicator="parks")
    assert parks["actual"] == 35 and parks["actual_status"] == "actual" and parks["met"]


# --------------------------------------------------------------------------- district vs city


def test_district_vs_city_share_gap_and_comparability():
    s = series_of(
        fact(indicator="new_urban_jobs", value=23000, doc="district_2025_report.txt"),
        fact(indicator="new_urban_jobs", value=139300),
        fact(indicator="gdp", measure="growth", unit="%", value=5.4, doc="district_2025_report.txt"),
        fact(indicator="gdp", measure="growth", unit="%", value=5.7),
        fact(indicator="good_air_days", unit="天", value=237, doc="district_2025_report.txt"),
        fact(indicator="good_air_days", unit="天", value=231),
        fact(indicator="pipeline_renovation", unit="公里", value=90, doc="district_2025_report.txt"),
        fact(indicator="pipeline_renovation", unit="公里", value=15.7),
        fact(indicator="parks", unit="个", value=1, doc="district_2025_report.txt"),
        fact(indicator="parks", unit="处", value=35),  # different unit: no pair
    )
    d = compare.district_vs_city(s, 2024, district="中原区")
    jobs = one(d, indicator="new_urban_jobs")
    assert jobs["additive"] and jobs["district_share"] == pytest.approx(23000 / 139300 * 100) and jobs["comparable"]
    assert math.isnan(jobs["gap_points"])
    gdp = one(d, indicator="gdp")
    assert gdp["gap_points"] == pytest.approx(-0.3) and math.isnan(gdp["district_share"])
    air = one(d, indicator="good_air_days")  # days do not add up over regions
    assert not air["additive"] and math.isnan(air["district_share"]) and air["ratio"] == pytest.approx(237 / 231 * 100)
    pipes = one(d, indicator="pipeline_renovation")
    assert not pipes["comparable"]
    assert "parks" not in set(d["indicator"])


def test_years_helpers():
    s = series_of(fact(value=1, status="target", doc="city_2024_targets.txt"), fact(value=2),
                  fact(value=3, doc="district_2025_report.txt"), fact(value=1, year=2022, doc="city_2023_report.txt"))
    assert compare.target_years(s) == [2024]
    assert compare.district_years(s, district="中原区") == [2024]


# --------------------------------------------------------------------------- the real data


@pytest.fixture(scope="module")
def real(built, facts):
    """The session build of data/raw (conftest), not data/processed: the suite never depends on it."""
    from zzdata.tables.load import load_documents, load_series

    return {"facts": facts, "series": load_series(built), "documents": load_documents(built)}


def test_series_csv_is_what_build_series_gives(real):
    rebuilt = choice.build_series(real["facts"], real["documents"])
    s = real["series"]
    assert len(rebuilt) == len(s)
    key = choice.SERIES_KEY
    m = s.merge(rebuilt, on=key, suffixes=("", "_new"))
    assert len(m) == len(s)
    assert (m["fact_id"] == m["fact_id_new"]).all()
    assert (m["conflict"] == m["conflict_new"]).all()


def test_every_chosen_value_is_its_fact(real):
    facts = real["facts"].set_index("fact_id")
    s = real["series"]
    assert s["fact_id"].isin(facts.index).all()
    chosen = facts.loc[s["fact_id"]]
    assert (chosen["value"].to_numpy() == s["value"].to_numpy()).all()
    assert (chosen["doc"].to_numpy() == s["doc"].to_numpy()).all()
    assert not s.duplicated(choice.SERIES_KEY).any()


def test_choice_rule_holds_on_the_real_data(real):
    c = choice.candidates(real["facts"], real["documents"])
    rank = {"work_report": 0, "year_review": 1, "news": 2}
    for _, g in c.groupby(choice.SERIES_KEY):
        best = g[g["chosen"]].iloc[0]
        # Rule 0: a text with one value for the key beats a text listing several.
        pool = g[~g["mixed_in_text"]] if not g["mixed_in_text"].all() else g
        assert not best["mixed_in_text"] or g["mixed_in_text"].all()
        if not pool["preliminary"].all():
            assert not best["preliminary"]
        full = pool[~pool["preliminary"]] if not pool["preliminary"].all() else pool
        full = full[~full["multi_year"]] if not full["multi_year"].all() else full
        assert rank[best["doc_type"]] <= min(rank[t] for t in full["doc_type"])


def test_new_urban_jobs_2024_conflict_picks_the_work_report(real):
    facts, docs, s = real["facts"], real["documents"], real["series"]
    city = docs.loc[docs["region_level"] == "city"]
    review = city.loc[city["doc_type"] == "year_review", "file"]
    report = city.loc[(city["doc_type"] == "work_report") & (city["review_year"] == 2024), "file"]
    jobs = facts[(facts["indicator"] == "new_urban_jobs") & (facts["region"] == "郑州市") & (facts["year"] == 2024)
                 & (facts["status"] == "actual")]
    in_review = jobs[jobs["doc"].isin(review)]
    in_report = jobs[jobs["doc"].isin(report)]
    assert len(in_review) and len(in_report), "both texts give new urban jobs for 2024"
    assert set(in_review["value"]) != set(in_report["value"])
    row = one(s, indicator="new_urban_jobs", region="郑州市", year=2024, status="actual", measure="level")
    assert row["conflict"]
    assert row["doc"] in set(report)
    assert row["value"] == in_report.sort_values("start")["value"].iloc[0]
    for v in in_review["value"]:
        assert choice._fmt(v) in row["other_values"]
    alts = choice.alternatives(s, choice.candidates(facts, docs))
    mine = alts[(alts["indicator"] == "new_urban_jobs") & (alts["year"] == 2024) & (alts["region"] == "郑州市")]
    assert set(mine["doc"]) <= set(review) and len(mine) >= 1


def test_conflicts_have_two_texts_with_different_values(real):
    c = choice.candidates(real["facts"], real["documents"])
    s = real["series"]
    for r in s[s["conflict"]].itertuples():
        g = c[(c["indicator"] == r.indicator) & (c["region"] == r.region) & (c["year"] == r.year)
              & (c["status"] == r.status) & (c["measure"] == r.measure) & (c["doc_rank"] == 1)]
        assert g["doc"].nunique() >= 2 and g["value"].nunique() >= 2


def test_year_over_year_on_the_real_data(real):
    y = compare.year_over_year(real["series"], statuses=("actual", "cumulative"))
    has_prev = y[y["prev_year"].notna()]
    assert len(has_prev) > 0, "some indicator has two years"
    assert ((has_prev["year"] > has_prev["prev_year"])).all()
    assert (has_prev["change"] - (has_prev["value"] - has_prev["prev_value"])).abs().max() < 1e-9
    levels = has_prev[(has_prev["measure"] == "level") & (has_prev["prev_value"] != 0)]
    expected = (levels["value"] - levels["prev_value"]) / levels["prev_value"] * 100
    assert (levels["pct_change"] - expected).abs().max() < 1e-9


def test_target_vs_actual_on_the_real_data(real):
    s = real["series"]
    years = compare.target_years(s, region="郑州市")
    assert years, "the city has a year with targets and results"
    t = compare.target_vs_actual(s, years[-1], region="郑州市")
    better = {r["id"]: r["better"] for r in catalog.indicator_rows()}
    assert t["met"].notna().any()
    for r in t[t["met"].notna()].itertuples():
        assert r.better == better.get(r.indicator, "higher")
        if r.target_qualifier != "about":
            assert bool(r.met) == (r.actual >= r.target if r.better == "higher" else r.actual <= r.target)


def test_district_vs_city_on_the_real_data(real):
    s = real["series"]
    years = compare.district_years(s, district="中原区")
    assert years
    d = compare.district_vs_city(s, years[-1], district="中原区")
    assert len(d) and set(d["district"]) == {"中原区"} and set(d["city"]) == {"郑州市"}
    add = d[d["additive"]]
    assert ((add["district_share"] - add["district_value"] / add["city_value"] * 100).abs() < 1e-9).all()
    rates = d[d["gap_points"].notna()]
    assert (rates["unit"] == "%").all()


# --------------------------------------------------------------------------- like with like


def test_year_over_year_reason_for_each_unlike_pair():
    """Each pair that is not like with like says why; a plausible pair of full years has no reason."""
    s = series_of(
        fact(indicator="new_urban_jobs", value=120000, year=2022, doc="city_2023_report.txt"),
        fact(indicator="new_urban_jobs", value=131000, year=2024),                        # plausible
        fact(indicator="parks", unit="个", value=30, year=2022, doc="city_2023_report.txt"),
        fact(indicator="parks", unit="个", value=900, year=2024),                          # 30x: a part against a whole
        fact(indicator="cpi", measure="growth", unit="%", value=2.0, year=2022, doc="city_2023_report.txt"),
        fact(indicator="cpi", measure="growth", unit="%", value=2.1, period="2024-01..11", year=2024,
             doc="city_2024_review.txt", preliminary=True),                              # part of a year
    )
    y = compare.year_over_year(s)
    y = y[y["year"] == 2024].set_index("indicator")
    assert y.loc["new_urban_jobs", "reason"] == "" and y.loc["new_urban_jobs", "comparable"]
    assert y.loc["parks", "reason"] == "implausible" and not y.loc["parks", "comparable"]
    assert y.loc["cpi", "reason"] == "part_year"


def test_no_comparison_across_a_definitional_break():
    breaks = [i for i in catalog.indicators().values() if i.break_year and i.measure == "level"]
    ind = breaks[0]
    before, after = ind.break_year - 1, ind.break_year + 1
    s = series_of(fact(indicator=ind.id, unit=ind.unit, value=100, year=before, doc="city_2023_report.txt"),
                  fact(indicator=ind.id, unit=ind.unit, value=110, year=after))
    y = compare.year_over_year(s).sort_values("year")
    assert y.iloc[-1]["reason"] == "definition_break"


def test_target_vs_actual_reasons():
    s = series_of(
        fact(indicator="guaranteed_delivery_units", unit="套", value=40000, status="target", doc="city_2024_targets.txt"),
        fact(indicator="guaranteed_delivery_units", unit="套", value=127000),             # 318 %: not one year's task
        fact(indicator="new_urban_jobs", value=126500, status="target", doc="city_2024_targets.txt"),
        fact(indicator="new_urban_jobs", value=139300),
        fact(indicator="parks", unit="个", value=30, status="target", doc="city_2024_targets.txt"),
        fact(indicator="parks", unit="个", value=31, status="cumulative"),                # a running total
    )
    t = compare.target_vs_actual(s, 2024).set_index("indicator")
    assert t.loc["guaranteed_delivery_units", "reason"] == "implausible"
    assert t.loc["new_urban_jobs", "reason"] == "" and t.loc["new_urban_jobs", "comparable"]
    assert t.loc["parks", "reason"] == "cumulative"
    odd = compare.not_compared(t.reset_index())
    assert set(odd["indicator"]) == {"guaranteed_delivery_units", "parks"} and "why" not in odd  # words: the charts'
    assert compare.not_compared(t.reset_index()[["indicator"]]).empty  # a frame without reasons


def test_district_vs_city_reasons():
    s = series_of(
        fact(indicator="new_urban_jobs", value=23000, doc="district_2025_report.txt"),
        fact(indicator="new_urban_jobs", value=139300),
        fact(indicator="parks", unit="个", value=40, doc="district_2025_report.txt"),
        fact(indicator="parks", unit="个", value=30),                                       # the district above its city
    )
    d = compare.district_vs_city(s, 2024, city="郑州市").set_index("indicator")
    assert d.loc["new_urban_jobs", "reason"] == "" and d.loc["new_urban_jobs", "comparable"]
    assert d.loc["parks", "reason"] == "exceeds_city" and not d.loc["parks", "comparable"]
    assert compare.not_compared(d.reset_index())["reason"].tolist() == ["exceeds_city"]
