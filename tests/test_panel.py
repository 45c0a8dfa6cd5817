"""The panel a researcher loads in Stata, R or a spreadsheet: one row per region and year, one
column per indicator and measure, the same values as series.csv, its dictionary, and the .dta."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from zzdata.core import schema
from zzdata.tables import panel as panel_mod
from zzdata.tables.load import load_panel, load_panel_columns, load_series


@pytest.fixture(scope="module")
def panel(built):
    return load_panel(built)


@pytest.fixture(scope="module")
def columns(built):
    return load_panel_columns(built)


def test_one_row_per_region_and_year(panel):
    assert list(panel.columns[:4]) == schema.columns("panel") == ["region", "region_en", "region_level", "year"]
    assert not panel.duplicated(["region", "year"]).any() and len(panel) > 0
    assert str(panel["year"].dtype) == "Int64"
    assert (panel["region_en"] != "").all()  # every seed region is in the gazetteer
    values = panel.columns[4:]
    assert len(values) > 20 and all(re.fullmatch(r"[a-z0-9_]+__(level|growth|share|change|multiple)", c) for c in values)
    assert all(panel[c].dtype == "float64" for c in values)
    assert {"gdp__level", "gdp__growth"} <= set(values)


def test_cells_are_the_chosen_full_year_results(built, panel):
    """Each cell is the series' value of its key (status actual); part-year and multi-year figures,
    thresholds and ranks are left out, everything else of status actual is in."""
    series = load_series(built)
    cells = panel.melt(id_vars=["region", "region_en", "region_level", "year"], var_name="column").dropna(subset=["value"])
    cells[["indicator", "measure"]] = cells["column"].str.rsplit("__", n=1, expand=True)
    actual = series[(series["status"] == "actual") & (series["measure"] != "rank")]  # (a rank's key has its group too)
    key = ["indicator", "measure", "region", "year"]
    merged = cells.merge(actual, on=key, how="left", suffixes=("", "_series"), validate="one_to_one")
    assert (merged["value"] == merged["value_series"]).all()
    assert (merged["period"] == merged["year"].astype(str)).all()
    assert not merged["threshold"].any() and "rank" not in set(merged["measure"])
    kept = actual[(actual["measure"] != "rank") & ~actual["threshold"] & (actual["period"] == actual["year"].astype(str))]
    assert len(kept) == len(cells)
    left_out = actual[actual["period"] != actual["year"].astype(str)]
    assert len(left_out) > 0  # the seeds have 1~11月 and 2018-2022 figures: they stay out


def test_dictionary(panel, columns):
    assert list(columns.columns) == schema.columns("panel_columns")
    assert columns["column"].tolist() == list(panel.columns)
    fixed = columns[columns["indicator"] == ""]
    assert fixed["column"].tolist() == schema.columns("panel")
    rows = columns[columns["indicator"] != ""]
    assert (rows["column"] == rows["indicator"] + "__" + rows["measure"]).all()
    assert (rows["name_zh"] != "").all() and (rows["name_en"] != "").all() and (rows["unit"] != "").all()
    gdp = rows.set_index("column").loc["gdp__level"]
    assert gdp["unit"] == "元" and gdp["name_zh"] == "地区生产总值" and gdp["theme"] == "economy"
    for r in rows.itertuples():
        assert r.n_values == panel[r.column].notna().sum() > 0


def test_stata_names():
    assert panel_mod.stata_name("gdp__level") == "gdp__level"
    long = "leading_industries_value_added__share"
    name = panel_mod.stata_name(long)
    assert len(name) <= 32 and name.endswith("__share") and name.startswith("leading_industries")
    assert hashlib.sha1(long.encode()).hexdigest()[:4] in name
    assert panel_mod.stata_name(long) == name  # the same on every run
    assert panel_mod.stata_name("a" * 40 + "__growth") != panel_mod.stata_name("a" * 41 + "__growth")
    assert panel_mod.stata_name("9lives__level") == "v9lives__level"


def test_stata_file(built, panel, columns):
    names = columns["stata_name"]
    assert names.is_unique and names.str.len().max() <= 32
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", n) for n in names)
    with pd.io.stata.StataReader(built / "panel.dta") as reader:
        dta = reader.read()
        labels = reader.variable_labels()
        assert reader.data_label.startswith("zzdata panel")
    assert list(dta.columns) == names.tolist()
    back = dta.rename(columns=dict(zip(names, columns["column"])))
    for col in panel.columns[4:]:
        assert np.array_equal(back[col].to_numpy(dtype=float), panel[col].to_numpy(dtype=float), equal_nan=True), col
    assert back["region"].tolist() == panel["region"].tolist()  # Unicode (version 118)
    assert back["year"].tolist() == panel["year"].tolist()
    assert labels[names[columns["column"] == "gdp__level"].item()].startswith("GDP (level, 元) 地区生产总值")
    assert all(len(v) <= 80 for v in labels.values())


def test_csv_and_parquet_agree(built, panel):
    csv = pd.read_csv(built / "panel.csv", dtype={"region": str, "region_en": str, "region_level": str})
    assert list(csv.columns) == list(panel.columns)
    for col in panel.columns[4:]:
        assert np.array_equal(csv[col].to_numpy(dtype=float), panel[col].to_numpy(dtype=float), equal_nan=True), col


def test_an_empty_series_gives_an_empty_panel(tmp_path):
    series = pd.DataFrame({c: pd.Series([], dtype="string") for c in schema.columns("series")})
    series = series.astype({"year": "Int64", "value": "float64", "threshold": bool, "preliminary": bool})
    table, columns = panel_mod.write_panel(series, tmp_path)
    assert list(table.columns) == schema.columns("panel") and table.empty
    assert columns["column"].tolist() == schema.columns("panel")
    assert pd.read_stata(tmp_path / "panel.dta").empty
