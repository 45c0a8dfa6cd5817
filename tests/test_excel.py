"""The Excel workbook: what a reader of each sheet gets back (read with openpyxl, as pandas
does), the sheet's dressing (header, frozen pane, filter, widths, number formats), the README
sheet, and the same bytes on every write (zzdata/tables/excel.py and sheetxml.py)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
import pytest

from zzdata.core import schema
from zzdata.tables import excel, sheetxml, ziparchive

LONG = "长" * 20000 + "x" * 20000  # past Excel's 32,767 characters per cell
#: Text that must stay text: formulas, numbers, booleans, error codes, Excel's own escapes.
TEXTS = ["=SUM(A1:A2)", "+86 371", "-3.5%", "@mention", "\tTab first", "a & b < c > d \" ' ;", "  lead",
         "trail  ", "   ", "郑州市 ＧＤＰ 增长 ６％", "line1\nline2", LONG, "", "0012", "#N/A", "a\r\nb", "1e5",
         "TRUE", "_x0041_ stays", "3.0"]
N = len(TEXTS)


def _edge_frame() -> pd.DataFrame:
    """One row per awkward text, with numbers, booleans and missing values of every kind beside it."""
    floats = [3.141592653589793, -12.5, 0.0, -0.0, 1.36e12, 1e-7, 123456.789, np.nan, 2600.0,
              0.30000000000000004, 1e16, -9876543.21, 1.5e-5, 79.09999999999999, np.inf, 21.6, -np.inf,
              5e-324, 1.7976931348623157e308, 2.5]
    return pd.DataFrame({
        "text": pd.array(TEXTS[:13] + [None] + TEXTS[14:], dtype="str"),
        "obj": pd.Series([None, np.nan, pd.NA] + TEXTS[3:], dtype=object),
        "count": np.arange(N, dtype="int64") * 1_000_003 - 5,
        "big": np.array([2**62 + i for i in range(N)], dtype="int64"),
        "year": pd.array([2020 + i if i % 3 else None for i in range(N)], dtype="Int64"),
        "value": floats,
        "review_year": [2021.0 if i % 2 else np.nan for i in range(N)],  # a year kept as float: no format
        "flag": [bool(i % 3) for i in range(N)],
        "maybe": pd.array([True, None, False, True] * (N // 4), dtype="boolean"),
        "mixed": pd.Series([1, "a", 2.5, True, None, np.int64(7), np.float64(0.25), "=x", np.nan, ""] * 2,
                           dtype=object),
        "nullable": pd.array([1.5, None] * (N // 2), dtype="Float64"),
    })


def _small_tables(facts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A workbook's tables around `facts`: one document, an indicator, an empty series."""
    documents = pd.DataFrame({"file": ["a.txt"], "region": ["某区"], "delivered": ["2024-01-01"],
                              "title": ["=政府工作报告"], "n_facts": np.array([3], dtype="int64")})
    indicators = pd.DataFrame({"id": ["gdp"], "name_zh": ["地区生产总值"], "unit": ["元"]})
    series = pd.DataFrame({"indicator": pd.Series([], dtype="str"), "value": pd.Series([], dtype="float64")})
    return {"facts": facts, "indicators": indicators, "documents": documents, "series": series}


def _expected(v):
    """What a cell holding `v` reads back as: None for a missing value, "" and ±inf."""
    if v is None or v is pd.NA or (isinstance(v, float) and (v != v or v in (np.inf, -np.inf))) or v == "":
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, str):
        return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", v)[:sheetxml.MAX_TEXT] or None
    if isinstance(v, float) and v == 0:
        return 0
    return v


def _sheet(path: Path, name: str):
    return openpyxl.load_workbook(path)[name]


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture
def edge(tmp_path) -> Path:
    path = tmp_path / "edge.xlsx"
    excel.write_workbook(path, **_small_tables(_edge_frame()))
    return path


def test_cells_read_back_as_the_table(edge):
    """Text stays text whatever it looks like, floats and integers are exact, booleans are
    booleans, a missing value, "" and ±inf are empty cells, CR and white space are kept."""
    frame = _edge_frame()
    ws = _sheet(edge, "facts")
    rows = list(ws.iter_rows(min_row=2))
    assert [c.value for c in ws[1]] == list(frame.columns)
    assert len(rows) == N
    for j, col in enumerate(frame.columns):
        for i, v in enumerate(frame[col].astype(object).tolist()):
            cell = rows[i][j]
            want = _expected(v)
            assert cell.value == want, (col, i, v, cell.value)
            if not isinstance(want, float):  # an integral float reads back as an int (Excel has one number type)
                assert type(cell.value) is type(want), (col, i, v, cell.value)
            if isinstance(want, str):
                assert cell.data_type == "s", (col, i)  # never a formula ("f"), number or error ("e")
            if isinstance(want, bool):
                assert cell.data_type == "b"
    text = [r[0].value for r in rows]
    assert text[0] == "=SUM(A1:A2)" and text[14] == "#N/A" and text[13] is None
    assert text[15] == "a\r\nb" and text[6] == "  lead" and text[8] == "   " and text[11] == LONG[:32767]
    assert [r[frame.columns.get_loc("value")].value for r in rows][:4] == [3.141592653589793, -12.5, 0, 0]


def test_pandas_reads_the_same_frame(edge):
    """What a researcher gets from pd.read_excel: the numbers exactly, text as text."""
    got = pd.read_excel(edge, sheet_name="facts", keep_default_na=False, na_values=[])
    frame = _edge_frame()
    assert got["count"].tolist() == frame["count"].tolist()
    assert got["big"].tolist() == frame["big"].tolist()
    values = [v for v in frame["value"] if np.isfinite(v)]
    assert [v for v in got["value"] if v != ""] == values
    assert got["text"].tolist()[:3] == ["=SUM(A1:A2)", "+86 371", "-3.5%"]
    assert got["text"].tolist()[13:18] == ["", "#N/A", "a\r\nb", "1e5", "TRUE"]


def test_number_formats(edge):
    ws = _sheet(edge, "facts")
    header = [c.value for c in ws[1]]
    letter = {name: sheetxml.column_letter(i) for i, name in enumerate(header)}
    assert ws[f"{letter['value']}2"].number_format == excel.FLOAT_FORMAT
    assert ws[f"{letter['nullable']}2"].number_format == excel.FLOAT_FORMAT
    assert ws[f"{letter['review_year']}3"].number_format == "General"  # a year: no format
    assert ws[f"{letter['count']}2"].number_format == "General"
    assert ws[f"{letter['year']}3"].number_format == "General"
    assert ws[f"{letter['mixed']}4"].number_format == "General"  # the floats of a mixed column


def test_header_frozen_pane_filter_widths(edge):
    wb = openpyxl.load_workbook(edge)
    assert wb.sheetnames == ["README", "facts", "series", "documents", "indicators"]
    ws = wb["facts"]
    width = len(_edge_frame().columns)
    last = sheetxml.column_letter(width - 1)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{last}{N + 1}"
    assert ws.dimensions == f"A1:{last}{N + 1}"
    assert ws.max_row == N + 1 and ws.max_column == width
    for cell in ws[1]:
        assert cell.font.b and cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("DDE6F0")
    assert ws.column_dimensions["A"].width == pytest.approx(10, abs=1)  # "text": the default 10
    docs = wb["documents"]
    assert docs.column_dimensions["A"].width == pytest.approx(excel.WIDTHS["file"], abs=1)
    empty = wb["series"]
    assert [c.value for c in empty[1]] == ["indicator", "value"] and empty.max_row == 1
    assert empty.auto_filter.ref == "A1:B1"


def test_readme_sheet(edge):
    ws = _sheet(edge, "README")
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells[0] == excel.TITLE and ws["A1"].font.b
    assert "1 text about 某区, delivered 2024-01-01 to 2024-01-01." in cells
    for name in ("facts", "series", "documents", "indicators"):
        assert name in cells
    assert "=政府工作报告" in cells  # a title is text, never a formula
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_shared_strings_hold_each_text_once(edge):
    sst = _members(edge)["xl/sharedStrings.xml"]
    root = ElementTree.fromstring(sst)
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    texts = ["".join(si.itertext()) for si in root.findall("m:si", ns)]
    assert int(root.get("uniqueCount")) == len(texts)
    data = [texts for texts in texts]
    assert data.count("=SUM(A1:A2)") == 1  # in "text" and "obj", stored once
    cells = sum(len(re.findall(rb't="s"', xml)) for name, xml in _members(edge).items() if "worksheets" in name)
    assert int(root.get("count")) == cells


def test_every_part_is_well_formed_xml(edge):
    for name, data in _members(edge).items():
        if name.endswith((".xml", ".rels")):
            ElementTree.fromstring(data)


def test_two_writes_are_byte_identical(tmp_path, monkeypatch):
    tables = _small_tables(_edge_frame())
    excel.write_workbook(tmp_path / "a.xlsx", **tables)
    excel.write_workbook(tmp_path / "b.xlsx", **tables)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    monkeypatch.setattr(sheetxml, "BLOCK_ROWS", 3)  # where the blocks of rows end changes nothing
    excel.write_workbook(tmp_path / "c.xlsx", **tables)
    assert (tmp_path / "c.xlsx").read_bytes() == (tmp_path / "a.xlsx").read_bytes()
    info = zipfile.ZipFile(tmp_path / "a.xlsx").infolist()
    assert {i.date_time for i in info} == {ziparchive.ZIP_TIME}
    core = _members(tmp_path / "a.xlsx")["docProps/core.xml"].decode()
    assert "2000-01-01T00:00:00Z" in core


def test_characters_xml_forbids_are_dropped(tmp_path):
    texts = ["ok", "a\x01b\x0bc", "x\ud800y", "\ufffeend\uffff", "nul\x00", "\x07", "fine & dandy", " \x02"]
    # object dtype: pyarrow-backed str columns cannot even hold a lone surrogate
    facts = pd.DataFrame({"snippet": pd.Series(texts, dtype=object), "n": np.arange(8, dtype="int64"),
                          "obj": pd.Series(["\x1fz", 1] * 4, dtype=object),
                          # all ASCII (searched as bytes), in Arrow's text and in Python's
                          "ids": [f"doc{i}.txt:{i}" for i in range(7)] + ["doc\x0b.txt:7"],
                          "ascii": pd.Series(["a\x1bb", "tab\tok"] * 4, dtype=object)})
    tables = _small_tables(facts)
    tables["documents"]["title"] = ["标题\x0c"]  # the README sheet too
    path = tmp_path / "w.xlsx"
    excel.write_workbook(path, **tables)
    wb = openpyxl.load_workbook(path)
    rows = list(wb["facts"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["ok", "abc", "xy", "end", "nul", None, "fine & dandy", " "]
    assert [r[1] for r in rows] == list(range(8))
    assert [r[2] for r in rows] == ["z", 1] * 4
    assert [r[3] for r in rows] == [f"doc{i}.txt:{i}" for i in range(7)] + ["doc.txt:7"]
    assert [r[4] for r in rows] == ["ab", "tab\tok"] * 4
    assert wb["documents"]["D2"].value == "标题"
    assert "标题" in [c.value for row in wb["README"].iter_rows() for c in row]


def test_unsupported_values_are_refused(tmp_path):
    facts = pd.DataFrame({"when": pd.Series([pd.Timestamp("2024-01-01"), "x"], dtype=object)})
    with pytest.raises(TypeError, match="Timestamp"):
        excel.write_workbook(tmp_path / "w.xlsx", **_small_tables(facts))
    facts = pd.DataFrame({"when": pd.to_datetime(["2024-01-01"])})
    with pytest.raises(TypeError, match="datetime"):
        excel.write_workbook(tmp_path / "w.xlsx", **_small_tables(facts))


def test_an_error_while_writing_rows_is_raised(tmp_path, monkeypatch):
    """An error in the rows (made while the second thread writes the zip) is raised, not hung on."""
    def boom(*args, **kwargs):
        yield b"<row"
        raise RuntimeError("disk full")

    monkeypatch.setattr(excel, "sheet_rows", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        excel.write_workbook(tmp_path / "w.xlsx", **_small_tables(_edge_frame()))


def test_a_table_without_columns(tmp_path):
    excel.write_workbook(tmp_path / "w.xlsx", **_small_tables(pd.DataFrame(index=range(3))))
    ws = _sheet(tmp_path / "w.xlsx", "facts")
    assert ws.max_row == 1 and ws["A1"].value is None


def test_a_table_past_excels_row_limit_is_cut(tmp_path, monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 5)
    facts = pd.DataFrame({"n": np.arange(10, dtype="int64")})
    excel.write_workbook(tmp_path / "w.xlsx", **_small_tables(facts))
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert [r[0] for r in wb["facts"].iter_rows(min_row=2, values_only=True)] == [0, 1, 2, 3]
    readme = [c.value for row in wb["README"].iter_rows() for c in row if c.value]
    assert any("Only its first 4 rows of 10" in str(v) for v in readme)


# -- the real build -------------------------------------------------------------------------------

def test_built_workbook_holds_every_table(built, facts):
    from zzdata.tables.load import load_claims, load_documents, load_indicators, load_panel, load_series

    wb = openpyxl.load_workbook(built / "zzdata.xlsx", read_only=True)
    assert wb.sheetnames == ["README", *excel.SHEETS]
    got = pd.read_excel(built / "zzdata.xlsx", sheet_name=None, keep_default_na=False, na_values=[])
    tables = {"facts": facts, "series": load_series(built), "documents": load_documents(built),
              "indicators": load_indicators(built), "claims": load_claims(built), "panel": load_panel(built)}
    for name, table in tables.items():
        frame = got[name]
        assert list(frame.columns) == list(table.columns), name
        assert len(frame) == len(table), name
        for col in table.columns:
            want = [None if _expected(v) is None else _expected(v) for v in table[col].astype(object).tolist()]
            back = [None if v == "" else v for v in frame[col].astype(object).tolist()]
            if pd.api.types.is_float_dtype(table[col]) or pd.api.types.is_integer_dtype(table[col]):
                back = [None if v is None or v != v else v for v in back]
                assert back == want, (name, col)  # numbers exactly
            else:
                assert [None if v is None else str(v) for v in back] == \
                       [None if v is None else str(v) for v in want], (name, col)


def test_built_workbook_readme_names_every_column_and_no_place(built):
    ws = openpyxl.load_workbook(built / "zzdata.xlsx")["README"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    described = {(r[0], r[1]) for r in rows if r[0] and r[1]}
    for table in ("facts", "series", "documents", "indicators", "claims"):
        for col in schema.columns(table):
            assert (table, col) in described, (table, col)
    panel = pd.read_csv(built / "panel_columns.csv", dtype=str, keep_default_na=False)
    for col in panel["column"]:
        assert ("panel", col) in described
    assert "郑州" not in rows[0][0]  # the title names no place; the line under it comes from the data


def test_tables_given_later_make_the_same_file(tmp_path):
    """A build hands the series and the panel to a workbook already begun (`later`, called once
    the facts' rows are made): the same bytes as a workbook given everything at once."""
    tables = _small_tables(_edge_frame())
    series = pd.DataFrame({"indicator": pd.array(["gdp", "=x", None], dtype="str"), "value": [1.5, -0.0, np.nan]})
    panel = pd.DataFrame({"region": pd.array(["某区", "郑州市"], dtype="str"), "year": [2023, 2024],
                          "gdp__level": [1.25, 2.0]})
    panel_columns = pd.DataFrame({"column": ["region", "year", "gdp__level"], "stata_name": ["region", "year", "gdp_level"],
                                  "description": ["the region", "the year", "GDP"]})
    excel.write_workbook(tmp_path / "all.xlsx", **{**tables, "series": series}, panel=panel, panel_columns=panel_columns)
    asked = []

    def later():
        asked.append(True)
        return {"series": series, "panel": panel, "panel_columns": panel_columns}

    excel.write_workbook(tmp_path / "later.xlsx", **{**tables, "series": None}, later=later)
    assert asked == [True]
    assert (tmp_path / "later.xlsx").read_bytes() == (tmp_path / "all.xlsx").read_bytes()
    got = pd.read_excel(tmp_path / "later.xlsx", sheet_name=None)
    assert list(got) == ["README", "facts", "series", "panel", "documents", "indicators"]
    assert got["panel"]["gdp__level"].tolist() == [1.25, 2.0]
    assert got["series"]["indicator"].tolist()[:2] == ["gdp", "=x"]

