"""The panel: one row per region and year, one column per indicator and measure, for a researcher
who loads the data in Stata, R or a spreadsheet (panel.csv, panel.parquet, panel.dta) and the
dictionary of its columns (panel_columns.csv).

A cell is the series' chosen value (series.csv, the choice rule) of a result (`status` actual)
for the whole of that one year: a figure for part of the year (1~11月), for several years
ending in it (a five-year review's average), a threshold (突破2万亿元, a mark passed, not a
level) and ranks (each taken within its own group, 全省 or 全国省会城市, so not one column) are
left out; they stay in series.csv. A preliminary full-year figure (预计) is kept when it is the
chosen one (series.csv's `preliminary` says which).

Columns: the fixed ones (data/columns.csv, table ``panel``: region, region_en, region_level,
year), then ``<indicator>__<measure>`` (``gdp__level``, ``gdp__growth``) in the catalog's order
of indicators and the vocabulary's order of measures, only those with a value. Rows: by region
level (city, district, county), the gazetteer's order of regions, year.

Stata names have at most 32 characters: a longer name keeps its first characters, a short hash
of the whole name and the measure (`stata_name`), the same on every run; the dictionary
records it beside the name, and panel.dta carries each column's label (English and Chinese
name, measure, unit). The .dta is version 118 (Unicode), little-endian, with a fixed time stamp,
so a rebuild writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import catalog, schema, vocab
from ..series import rules
from .csvio import write_csv, write_parquet

SEP = "__"  # between indicator and measure in a column name
FIXED = schema.columns("panel")  # region, region_en, region_level, year
DICTIONARY = schema.columns("panel_columns")
STATA_MAX = 32  # characters of a Stata variable name
STATA_LABEL_MAX = 80  # characters of a Stata variable label
STATA_TIME = dt.datetime(2000, 1, 1)  # the .dta's time stamp: fixed, so a rebuild writes the same bytes
LEFT_OUT_MEASURES = ("rank",)  # each rank is taken within its own group (rank_group): not one column


def panel_values(series: pd.DataFrame) -> pd.DataFrame:
    """The series rows that go into the panel (see the module docstring), with their column name."""
    s = series
    keep = (s["status"].astype(str) == "actual") & ~s["measure"].astype(str).isin(LEFT_OUT_MEASURES)
    keep &= ~s["threshold"].astype(bool)
    keep &= rules.single_year(s)
    s = s[keep]
    s = s.assign(column=s["indicator"].astype(str) + SEP + s["measure"].astype(str))
    dup = s.duplicated(["region", "region_level", "year", "column"], keep=False)
    if dup.any():  # the series key has one value per indicator, region, year, status and measure
        raise ValueError(f"series.csv gives two values for a panel cell: {s[dup].head(4).to_dict('records')}")
    return s


def _column_order(columns: set[str]) -> list[str]:
    ids = [r["id"] for r in catalog.indicator_rows()]
    order = {f"{i}{SEP}{m}": (a, b) for a, i in enumerate(ids) for b, m in enumerate(vocab.MEASURES)}
    return sorted(columns, key=lambda c: (order.get(c, (len(ids), 0)), c))


def _row_order(keys: pd.DataFrame) -> pd.DataFrame:
    levels = vocab.rank("region_level")
    regions = {name: i for i, name in enumerate(catalog.regions())}
    k = keys.assign(_level=keys["region_level"].map(levels).fillna(len(levels)),
                    _region=keys["region"].map(regions).fillna(len(regions)))
    k = k.sort_values(["_level", "_region", "region", "region_level", "year"], kind="stable")
    return k.drop(columns=["_level", "_region"]).reset_index(drop=True)


def stata_name(column: str) -> str:
    """A valid Stata variable name for a panel column: itself when it fits (letters, digits and _,
    at most 32 characters, not starting with a digit); otherwise its first characters, four hex
    digits of its sha1 and its measure (``leading_industries_va_3c2e__share``)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", column)
    if not re.match(r"[A-Za-z_]", name):
        name = "v" + name
    if len(name) <= STATA_MAX:
        return name
    head, sep, measure = name.rpartition(SEP)
    if not sep or len(measure) > 12:
        head, measure = name, ""
    tail = "_" + hashlib.sha1(column.encode("utf-8")).hexdigest()[:4] + (SEP + measure if measure else "")
    return head[: STATA_MAX - len(tail)].rstrip("_") + tail


def build_panel(series: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(panel, dictionary) from the series table."""
    s = panel_values(series)
    regions = catalog.regions()
    keys = _row_order(s[["region", "region_level", "year"]].drop_duplicates())
    columns = _column_order(set(s["column"]))
    wide = s.pivot(index=["region", "region_level", "year"], columns="column", values="value")
    wide = wide.reindex(pd.MultiIndex.from_frame(keys), columns=columns)
    panel = pd.DataFrame({
        "region": pd.array(keys["region"].astype(str), dtype="string"),
        "region_en": pd.array([regions[r].name_en if r in regions else "" for r in keys["region"]], dtype="string"),
        "region_level": pd.array(keys["region_level"].astype(str), dtype="string"),
        "year": pd.array(keys["year"], dtype="Int64"),
    }, columns=FIXED)
    values = pd.DataFrame(wide.to_numpy(dtype="float64", na_value=np.nan), columns=columns)
    panel = pd.concat([panel, values], axis=1)
    return panel, dictionary(panel, s)


def dictionary(panel: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """One row per panel column: its Stata name, indicator, names, theme, measure, unit, how many
    cells hold a value, and what it means."""
    names = catalog.indicators()
    measure_en = vocab.names("measure", "en")
    measure_about = vocab.describe("measure")
    fixed_about = {col: text for (table, col), text in schema.column_descriptions().items() if table == "panel"}
    units = (values.groupby(["column", "unit"]).size().rename("n").reset_index()
             .sort_values(["column", "n", "unit"], ascending=[True, False, True]))
    unit_of = units.groupby("column")["unit"].agg("|".join).to_dict()
    filled = panel.notna().sum().to_dict()  # the cells holding a value, every column at once
    rows = []
    for col in panel.columns:
        n = int(filled[col]) if col not in FIXED else int(len(panel))
        if col in FIXED:
            rows.append({"column": col, "stata_name": stata_name(col), "indicator": "", "name_zh": "", "name_en": "",
                         "theme": "", "measure": "", "unit": "", "n_values": n, "description": fixed_about.get(col, "")})
            continue
        ind_id, _, measure = col.rpartition(SEP)
        ind = names.get(ind_id)
        unit = unit_of.get(col, "")
        rows.append({
            "column": col, "stata_name": stata_name(col), "indicator": ind_id,
            "name_zh": ind.name_zh if ind else "", "name_en": ind.name_en if ind else "",
            "theme": ind.theme if ind else "", "measure": measure, "unit": unit, "n_values": n,
            "description": f"{ind.name_en if ind else ind_id}: {measure_en.get(measure, measure)} in "
                           f"{unit.replace('|', ' or ')} ({_lower_first(measure_about.get(measure, ''))}), the "
                           "chosen result for the whole year (series.csv)",
        })
    out = pd.DataFrame(rows, columns=DICTIONARY)
    stata = out["stata_name"]
    if stata.duplicated().any():
        raise ValueError(f"two panel columns have one Stata name: {sorted(stata[stata.duplicated()])}")
    out["n_values"] = out["n_values"].astype("int64")
    for col in DICTIONARY:
        if col != "n_values":
            out[col] = out[col].astype("string")
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def stata_label(row) -> str:
    """A column's Stata variable label (at most 80 characters)."""
    if not row["indicator"]:
        label = row["description"]
    else:
        label = f"{row['name_en']} ({row['measure']}, {row['unit']}) {row['name_zh']}"
    return label if len(label) <= STATA_LABEL_MAX else label[: STATA_LABEL_MAX - 1] + "…"


def write_stata(panel: pd.DataFrame, columns: pd.DataFrame, path: Path) -> None:
    """panel.dta: Stata 14+ (version 118, Unicode), the columns under their Stata names with labels."""
    rename = dict(zip(columns["column"], columns["stata_name"]))
    labels = {rename[c]: stata_label(r) for c, r in zip(columns["column"], columns.to_dict("records"))}
    data = {}
    for col in panel.columns:
        s = panel[col]
        if col == "year":
            s = s.astype("float64") if s.isna().any() else s.astype("int32")
        elif pd.api.types.is_string_dtype(s.dtype):
            s = s.astype(object).where(s.notna(), "")
        data[rename[col]] = s.to_numpy()
    frame = pd.DataFrame(data, columns=[rename[c] for c in panel.columns])
    frame.to_stata(path, write_index=False, version=118, byteorder="little", time_stamp=STATA_TIME,
                   data_label="zzdata panel: one row per region and year (see panel_columns.csv)",
                   variable_labels=labels)


def write_panel(series: pd.DataFrame, out_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write panel.csv, panel.parquet, panel.dta and panel_columns.csv into out_dir; return
    (panel, dictionary) for the workbook."""
    panel, columns = build_panel(series)
    write_panel_files(panel, columns, out_dir)
    return panel, columns


def write_panel_files(panel: pd.DataFrame, columns: pd.DataFrame, out_dir: Path) -> None:
    """Write panel.csv, panel.parquet, panel.dta and panel_columns.csv of a built panel into out_dir."""
    out_dir = Path(out_dir)
    write_csv(panel, out_dir / "panel.csv")
    write_parquet(panel, out_dir / "panel.parquet")
    write_stata(panel, columns, out_dir / "panel.dta")
    write_csv(columns, out_dir / "panel_columns.csv")
