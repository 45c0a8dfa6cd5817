"""Reports the pipeline has never seen: full official texts of a city, a district, a county-level
city and a county, written for these tests (tests/fixtures/, numbers invented), with every
fact they print read by hand into tests/fixtures/expected_facts.csv.

A row of expected_facts.csv with a `known_failure` is a fact the extraction gets wrong today:
it is marked xfail(strict=True) with that reason, so the test turns red the day it is fixed
(then delete the reason from the CSV).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, WS, assert_every_quantity, assert_read_as_by_hand, expected_params, extract_raw
from zzdata.core import catalog
from zzdata.core.script import to_simplified
from zzdata.ingest.manifest import read_manifest
from zzdata.ingest.readers import raw_text

CHECKED = ["value", "unit", "measure", "status", "period", "year", "region", "indicator", "qualifier"]


def fixture_raw(dst: Path) -> Path:
    """The fixture reports and their manifest, copied into a raw folder of their own."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "sources.csv", dst / "sources.csv")
    for s in read_manifest_rows():
        shutil.copy(FIXTURES / s["file"], dst / s["file"])
    return dst


def read_manifest_rows() -> list[dict[str, str]]:
    with open(FIXTURES / "sources.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _expected() -> list[dict[str, str]]:
    with open(FIXTURES / "expected_facts.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


EXPECTED = _expected()


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    return fixture_raw(tmp_path_factory.mktemp("unseen") / "raw")


@pytest.fixture(scope="module")
def extracted(raw_dir) -> dict[str, list[dict]]:
    """doc -> its facts, in text order, as the build extracts them."""
    return extract_raw(raw_dir)


@pytest.fixture(scope="module")
def unseen_built(raw_dir, tmp_path_factory) -> Path:
    """The fixture reports built (not conftest's `built`, which is data/raw)."""
    from zzdata.tables.build import build

    out = tmp_path_factory.mktemp("unseen_out")
    build(raw_dir, out, force=True, quiet=True)
    return out


def test_the_fixtures_are_a_valid_collection(raw_dir):
    sources = read_manifest(raw_dir)
    assert {s.region_level for s in sources} == {"city", "district", "county"}
    assert {s.doc_type for s in sources} == {"work_report", "year_review"}
    assert {r["doc"] for r in EXPECTED} == {s.file for s in sources}


@pytest.mark.parametrize("row, k", expected_params(EXPECTED))
def test_fact_read_as_by_hand(extracted, row, k):
    assert_read_as_by_hand(extracted, row, k, ("unit", "measure", "status", "period", "region", "indicator",
                                               "qualifier"))


@pytest.mark.parametrize("doc", sorted({r["doc"] for r in EXPECTED}))
def test_every_printed_quantity_and_nothing_else(extracted, doc):
    """No fact lost, none invented: no year (2023年), date (1月10日), ordinal (第十六届) or
    heading number becomes a fact."""
    assert_every_quantity(extracted, EXPECTED, doc)


def test_offsets_point_at_the_printed_quantity(extracted, raw_dir):
    for doc, facts in extracted.items():
        text = raw_text(raw_dir / doc)
        for f in facts:
            printed = WS.sub("", text[f["start"] : f["end"]])
            assert to_simplified(printed) == f["value_text"], (doc, f["start"], printed)


# --- regions ---------------------------------------------------------------------------------

ISSUE_REGIONS = {
    "中原区": "district", "二七区": "district", "管城回族区": "district", "金水区": "district",
    "上街区": "district", "惠济区": "district", "巩义市": "county", "荥阳市": "county",
    "新密市": "county", "新郑市": "county", "登封市": "county", "中牟县": "county",
    "郑东新区": "district", "航空港区": "district",
}


@pytest.mark.parametrize("name, level", sorted(ISSUE_REGIONS.items()))
def test_gazetteer_knows_every_region_of_zhengzhou(name, level):
    official = catalog.find_region(f"{name}地区生产总值增长")
    assert official is not None and official != "郑州市"
    region = catalog.regions()[official]
    assert region.level == level and region.parent == "郑州市"


def test_short_names_in_a_city_report_are_the_districts():
    """`巩义、中牟登榜…`: the short forms name the county-level city and the county."""
    assert catalog.find_region("巩义") == "巩义市"
    assert catalog.find_region("中牟") == "中牟县"
    assert catalog.find_region("巩义、中牟登榜全国综合实力百强县") == "中牟县"  # the last one named


def test_district_figure_in_city_report_is_not_the_city_total(extracted):
    city = extracted["zhengzhou_2024-01-10_work-report_full.txt"]
    growth = {(f["region"], f["value"]) for f in city if f["indicator"] == "gdp" and f["measure"] == "growth"
              and f["status"] == "actual"}
    assert growth == {("郑州市", 7.4), ("巩义市", 6.8)}


def _series_row(series, **key):
    sel = series
    for col, value in key.items():
        sel = sel[sel[col] == value]
    assert len(sel) == 1, f"{key}: {len(sel)} rows"
    return sel.iloc[0]


def test_series_keeps_county_figures_apart_from_the_city(unseen_built):
    from zzdata.tables.load import load_series

    series = load_series(unseen_built)
    city = _series_row(series, indicator="gdp", region="郑州市", year=2023, status="actual", measure="growth")
    assert city["value"] == 7.4 and city["n_docs"] == 1
    county = _series_row(series, indicator="gdp", region="巩义市", year=2023, status="actual", measure="growth")
    # The city report and 巩义市's own report agree on 6.8%.
    assert county["value"] == 6.8 and county["n_docs"] == 2 and not county["conflict"]
    district = _series_row(series, indicator="new_urban_jobs", region="金水区", year=2024, status="target",
                           measure="level")
    assert district["value"] == 20000


def test_city_gdp_level_comes_from_the_city_report_only(unseen_built):
    """`全市地区生产总值达到850.2亿元` in 巩义市's own report is 巩义市's total, not the city's."""
    from zzdata.tables.load import load_series

    series = load_series(unseen_built)
    city = _series_row(series, indicator="gdp", region="郑州市", year=2023, status="actual", measure="level")
    assert city["value"] == 1.36e12 and city["n_docs"] == 1 and not city["conflict"]
    county = _series_row(series, indicator="gdp", region="巩义市", year=2023, status="actual", measure="level")
    assert county["value"] == 8.502e10
