"""The rules of comparison have one home (zzdata/series/rules.py): the checks of `make validate`,
the candidates' flags that the choice reads and the comparisons the charts draw agree on every
kind of pair; and a figure a check rules out loses the choice."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from zzdata.core import catalog, schema
from zzdata.series import choice, compare, flags
from zzdata.validate import checks

CITY = next(r.name for r in catalog.regions().values() if r.level == "city")
DISTRICT = next(r.name for r in catalog.regions().values() if r.level == "district" and r.parent == CITY)
GDP = next(i for i in catalog.indicators().values() if i.additive and i.unit == "元" and i.measure == "level")
PER_HEAD = next(i for i in catalog.indicators().values() if not i.additive and i.unit == "元")


def _series_row(region: str, year: int, value: float, *, ind=GDP, period: str | None = None, unit: str | None = None,
                status: str = "actual", preliminary: bool = False, fid: str = "") -> dict:
    level = catalog.regions()[region].level
    return {"indicator": ind.id, "name_zh": ind.name_zh, "name_en": ind.name_en, "theme": ind.theme,
            "region": region, "region_level": level, "year": year, "period": period or str(year), "status": status,
            "measure": "level", "rank_group": "", "unit": unit or ind.unit, "value": float(value), "qualifier": "none",
            "threshold": False, "preliminary": preliminary, "doc": f"{fid or region}.txt",
            "fact_id": fid or f"{region}.txt:{year}:{value}", "n_docs": 1, "n_values": 1, "conflict": False,
            "mixed_in_text": False, "other_values": "", "flag": ""}


def _series(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=schema.columns("series"))
    df["year"] = df["year"].astype("Int64")
    return df


# --------------------------------------------------------------------------- checks and charts agree

YEAR_PAIRS = list(itertools.product(
    [1.5, 2.9, 3.1, 8.0, 9.5, 30.0],  # factor between the two levels
    [1, 2, 3],  # years apart
    [(GDP, None), (GDP, "%"), (PER_HEAD, None)],  # indicator and unit
))


@pytest.mark.parametrize("ratio,apart,ind_unit", YEAR_PAIRS)
def test_a_level_jump_is_what_the_year_over_year_chart_calls_implausible(ratio, apart, ind_unit):
    ind, unit = ind_unit
    a, b = _series_row(CITY, 2010, 100.0, ind=ind, unit=unit), _series_row(CITY, 2010 + apart, 100.0 * ratio, ind=ind, unit=unit)
    s = _series([a, b])
    jump = any(f.check == "level_jump" for f in checks.level_jumps(s))
    yoy = compare.year_over_year(s)
    chart = (yoy["reason"] == "implausible").any()
    assert jump == chart, (ratio, apart, ind.id, unit, yoy[["year", "reason"]].to_dict("records"))
    assert jump == (ratio > catalog.max_ratio(ind) ** apart)  # the catalog's factor per year of the gap


CITY_PAIRS = list(itertools.product(
    [0.5, 1.0, 1.2, 20.0],  # district / city
    [("2020", "2020"), ("2020", "2020-01..11"), ("2020-01..11", "2020-01..11"), ("2016-2020", "2020")],
    [(GDP, None), (GDP, "天"), (PER_HEAD, None)],
    [(False, False), (True, False)],  # preliminary district, city
))


@pytest.mark.parametrize("ratio,periods_dc,ind_unit,prelim", CITY_PAIRS)
def test_a_district_above_its_city_is_what_the_district_chart_calls_exceeding(ratio, periods_dc, ind_unit, prelim):
    ind, unit = ind_unit
    d = _series_row(DISTRICT, 2020, 100.0 * ratio, ind=ind, unit=unit, period=periods_dc[0], preliminary=prelim[0])
    c = _series_row(CITY, 2020, 100.0, ind=ind, unit=unit, period=periods_dc[1], preliminary=prelim[1])
    s = _series([d, c])
    found = checks.district_above_city(s)
    dvc = compare.district_vs_city(s, 2020, city=CITY)
    exceeds = (dvc["reason"] == "exceeds_city").any()
    assert bool(found) == bool(exceeds), (ratio, periods_dc, ind.id, unit, dvc[["reason"]].to_dict("records"))
    additive = ind.additive and unit != "天"
    assert bool(found) == (additive and ratio > 1 and periods_dc[0] == periods_dc[1])
    if found:
        assert found[0].level == ("warning" if any(prelim) else "error")


# --------------------------------------------------------------------------- the checks decide the choice


def _fact(region: str, year: int, value: float, doc: str, start: int, *, ind=GDP, threshold: bool = False) -> dict:
    row = {c: "" for c in schema.columns("facts")}
    row.update({"fact_id": f"{doc}:{start}", "doc": doc, "region": region, "region_level": catalog.regions()[region].level,
                "period": str(year), "year": year, "status": "actual", "indicator": ind.id, "label": ind.name_zh,
                "measure": "level", "value": float(value), "unit": ind.unit, "value_text": f"{value:g}",
                "qualifier": "over" if threshold else "none", "threshold": threshold, "preliminary": False,
                "theme": ind.theme, "start": start, "end": start + 4, "rank_group": ""})
    return row


def _docs(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"file": f, "doc_type": t, "delivered": d} for f, t, d in rows])


def _facts(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["year"] = df["year"].astype("Int64")
    return df


def test_a_city_figure_below_its_district_loses_to_the_citys_own():
    # The zone's report (a later work report) files its own GDP under the city: by the old rule
    # (work report, later) it would be chosen over the city's year review.
    docs = _docs(("zone.txt", "work_report", "2021-02-01"), ("city.txt", "year_review", "2020-12-20"))
    facts = _facts([_fact(CITY, 2020, 1.1e11, "zone.txt", 10), _fact(DISTRICT, 2020, 1.2e11, "zone.txt", 50),
                    _fact(CITY, 2020, 1.2e12, "city.txt", 30)])
    series = choice.build_series(facts, docs)
    city = series[series["region"] == CITY].iloc[0]
    assert city["value"] == 1.2e12 and city["flag"] == ""
    cands = choice.candidates(facts, docs)
    lost = cands[cands["fact_id"] == "zone.txt:10"].iloc[0]
    assert lost["flag"] == "district_above_city" and not lost["chosen"]
    assert choice.CHOICE_RULE[lost["decided_by"]].columns == ("error",)
    assert series[series["region"] == DISTRICT].iloc[0]["flag"] == ""  # below the city's own figure: fine


def test_when_every_figure_is_ruled_out_the_series_says_so():
    docs = _docs(("zone.txt", "work_report", "2021-02-01"))
    facts = _facts([_fact(CITY, 2020, 1.1e11, "zone.txt", 10), _fact(DISTRICT, 2020, 1.2e11, "zone.txt", 50)])
    series = choice.build_series(facts, docs).set_index("region")
    assert series.loc[CITY, "flag"] == series.loc[DISTRICT, "flag"] == "district_above_city"


def test_a_milestone_loses_to_a_level_and_is_flagged_when_alone():
    docs = _docs(("a.txt", "work_report", "2021-02-01"), ("b.txt", "year_review", "2020-12-01"))
    facts = _facts([_fact(CITY, 2020, 1e12, "a.txt", 10, threshold=True), _fact(CITY, 2020, 1.2e12, "b.txt", 5),
                    _fact(CITY, 2019, 1e12, "a.txt", 90, threshold=True)])
    series = choice.build_series(facts, docs).set_index("year")
    assert series.loc[2020, "value"] == 1.2e12 and series.loc[2020, "flag"] == ""
    assert series.loc[2019, "flag"] == "threshold"


def test_an_implausible_jump_loses_to_a_figure_consistent_with_its_neighbours():
    docs = _docs(("w.txt", "work_report", "2021-02-01"), ("r.txt", "year_review", "2020-12-01"),
                 ("n.txt", "work_report", "2020-02-01"), ("m.txt", "work_report", "2022-02-01"))
    facts = _facts([_fact(CITY, 2019, 1.10e12, "n.txt", 5), _fact(CITY, 2021, 1.25e12, "m.txt", 5),
                    _fact(CITY, 2020, 1.2e11, "w.txt", 5),  # a tenth: a sub-item or another region's figure
                    _fact(CITY, 2020, 1.18e12, "r.txt", 5)])
    cands = choice.candidates(facts, docs)
    assert cands.set_index("fact_id").loc["w.txt:5", "jump"]
    series = choice.build_series(facts, docs).set_index("year")
    assert series.loc[2020, "value"] == 1.18e12  # the year review's, though the work report ranks first otherwise
    assert not cands.set_index("fact_id").loc["r.txt:5", "jump"]


def test_a_value_outside_the_catalogs_hard_range_is_flagged():
    bounded = next(i for i in catalog.indicators().values() if i.max is not None and i.measure == "level")
    docs = _docs(("a.txt", "work_report", "2021-02-01"), ("b.txt", "work_report", "2020-02-01"))
    facts = _facts([_fact(CITY, 2020, bounded.max * 10, "a.txt", 5, ind=bounded),
                    _fact(CITY, 2020, bounded.max / 2, "b.txt", 5, ind=bounded)])
    cands = choice.candidates(facts, docs).set_index("fact_id")
    assert cands.loc["a.txt:5", "flag"] == "out_of_range" and cands.loc["b.txt:5", "chosen"]
    found = checks.ranges(facts)
    assert [(f.check, f.level, f.fact_ids) for f in found] == [("out_of_range", "error", ["a.txt:5"])]


def test_the_choice_rule_says_the_checks_come_first():
    text = choice.describe(lang="en", form="list")
    assert text.splitlines()[0].startswith("0. a figure no check finds impossible")
    assert "neighbouring years" in choice.describe(lang="en", form="short") and "核查" in choice.describe(lang="zh", form="short")
    assert flags.ERRORS == ("threshold", "out_of_range", "district_above_city")
