"""The Excel workbook writer: the data rows it writes as XML must read back as the cells the
previous pure-openpyxl writer produced (kept below as the reference), except where that writer
lost or broke something (see zzdata/tables/excel.py's docstring), and the file must stay deterministic."""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from zzdata.tables import excel

LONG = "长" * 20000 + "x" * 20000  # past Excel's 32,767 characters per cell
TEXTS = ["=SUM(A1:A2)", "+86 371", "-3.5%", "@mention", "\tTab first", "a & b < c > d \" ' ;", "  lead",
         "trail  ", "   ", "郑州市 ＧＤＰ 增长 ６％", "line1\nline2", LONG, "", "plain", "#N/A", "a\r\nb"]
N = len(TEXTS)


def _edge_frame() -> pd.DataFrame:
    """One row per awkward text, with numbers, booleans and missing values of every kind beside it."""
    floats = [3.141592653589793, -12.5, 0.0, -0.0, 1.36e12, 1e-7, 123456.789, np.nan, 2600.0,
              0.30000000000000004, 1e16, -9876543.21, 1.5e-5, 79.09999999999999, np.inf, 21.6]
    return pd.DataFrame({
        "text": pd.array(TEXTS[:13] + [None] + TEXTS[14:], dtype="str"),
        "obj": pd.Series([None, np.nan, pd.NA] + TEXTS[3:], dtype=object),
        "count": np.arange(N, dtype="int64") * 1_000_003 - 5,
        "year": pd.array([2020 + i if i % 3 else None for i in range(N)], dtype="Int64"),
        "value": floats,
        "review_year": [2021.0 if i % 2 else np.nan for i in range(N)],  # a float column without format
        "flag": [bool(i % 3) for i in range(N)],
        "mixed": pd.Series([1, "a", 2.5, True, None, np.int64(7), np.float64(0.25), "=x"] * 2, dtype=object),
        "nullable": pd.array([1.5, None] * (N // 2), dtype="Float64"),
    })


def _small_tables(facts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A workbook's tables around `facts`: one document, an indicator, and an empty series."""
    documents = pd.DataFrame({"file": ["a.txt"], "region": ["郑州市"], "delivered": ["2024-01-01"],
                              "title": ["=政府工作报告"], "n_facts": np.array([3], dtype="int64")})
    indicators = pd.DataFrame({"id": ["gdp"], "name_zh": ["地区生产总值"], "unit": ["亿元"]})
    series = pd.DataFrame({"indicator": pd.Series([], dtype="str"), "value": pd.Series([], dtype="float64")})
    return {"facts": facts, "indicators": indicators, "documents": documents, "series": series}


# -- the writer before this change, as the reference ----------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _old_value(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _old_text_cell(ws, value: str, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _old_write_table(ws, df: pd.DataFrame) -> None:
    """zzdata.tables.excel._write_table as it was: every cell through openpyxl."""
    for col_idx, col in enumerate(df.columns, 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(col_idx)].width = (
            excel.WIDTHS.get(col, max(10, min(24, len(col) + 4))))
    ws.freeze_panes = "A2"
    if len(df.columns):
        ws.auto_filter.ref = f"A1:{openpyxl.utils.get_column_letter(len(df.columns))}{max(1, len(df) + 1)}"
    header = []
    for col in df.columns:
        cell = _old_text_cell(ws, col, Font(bold=True))
        cell.fill = excel.HEADER_FILL
        header.append(cell)
    ws.append(header)
    formats = [excel._number_format(c, df[c]) for c in df.columns]
    columns = [df[c].tolist() for c in df.columns]
    for values in zip(*columns):
        row = []
        for v, fmt in zip(values, formats):
            v = _old_value(v)
            if isinstance(v, str) and v[:1] in _FORMULA_START:
                v = _old_text_cell(ws, v)
            elif fmt is not None and isinstance(v, float):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = fmt
                v = cell
            row.append(v)
        ws.append(row)


def _write_old(path: Path, tables: dict[str, pd.DataFrame], monkeypatch) -> None:
    """The workbook as the old writer made it: same README and zip handling, rows by openpyxl."""
    with monkeypatch.context() as m:
        m.setattr(excel, "_write_table", lambda ws, df: _old_write_table(ws, df) or [])
        m.setattr(excel, "_sheet_data", lambda df, styles: iter(()))
        excel.write_workbook(path, **tables)


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _cells(path: Path, sheet: str) -> dict[str, tuple]:
    """coordinate -> (value, Python type, data_type, number_format) of every cell holding a value."""
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: (c.value, type(c.value).__name__, c.data_type, c.number_format)
            for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.fixture
def edge(tmp_path, monkeypatch):
    """The edge frame written by the new writer and by the reference; returns both paths."""
    tables = _small_tables(_edge_frame())
    new, old = tmp_path / "new.xlsx", tmp_path / "old.xlsx"
    excel.write_workbook(new, **tables)
    _write_old(old, tables, monkeypatch)
    return new, old


# -- the tests ----------------------------------------------------------------------------------

def test_cells_read_back_as_the_old_writer_wrote_them(edge):
    new, old = edge
    got, want = _cells(new, "facts"), _cells(old, "facts")
    header = [c.value for c in openpyxl.load_workbook(new)["facts"][1]]
    col = {name: openpyxl.utils.get_column_letter(i) for i, name in enumerate(header, 1)}
    deliberate = {}
    frame = _edge_frame()
    for name in ("text", "obj"):
        for i, text in enumerate(frame[name], 2):
            ref = f"{col[name]}{i}"
            if not isinstance(text, str):
                continue
            if text == "#N/A":  # openpyxl made this an error cell; now it stays text
                deliberate[ref] = ("#N/A", "str", "s", "General")
                assert want[ref][:3] == ("#N/A", "str", "e")
            if text == "a\r\nb":  # raw CR came back as LF from the old file; now CR survives
                deliberate[ref] = ("a\r\nb", "str", "s", "General")
                assert want[ref][0] == "a\nb"
    assert len(deliberate) == 4
    value = frame["value"]
    for i, v in enumerate(value, 2):
        ref = f"{col['value']}{i}"
        if math.isfinite(v) and float("%.16g" % v) != v:  # %.16g rounded it; now exact
            deliberate[ref] = (v, "float", "n", excel.FLOAT_FORMAT)
            assert want[ref][0] == float("%.16g" % v) != v
    for ref, cell in deliberate.items():
        assert got.pop(ref) == cell, ref
        want.pop(ref)
    assert got == want


def test_the_edge_cases_themselves(edge):
    """Spot checks against the values, not the reference: what a reader of the sheet gets."""
    new, _ = edge
    ws = openpyxl.load_workbook(new)["facts"]
    rows = list(ws.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    text = [r[header.index("text")] for r in data]
    assert text[0] == "=SUM(A1:A2)" and ws["A2"].data_type == "s"
    assert text[1:5] == ["+86 371", "-3.5%", "@mention", "\tTab first"]
    assert text[5:12] == ["a & b < c > d \" ' ;", "  lead", "trail  ", "   ", "郑州市 ＧＤＰ 增长 ６％",
                          "line1\nline2", LONG[:32767]]
    assert text[12] is None  # "" is an empty cell, as before
    assert text[13] is None  # missing in a str column: no cell
    assert text[14:] == ["#N/A", "a\r\nb"]
    obj = [r[header.index("obj")] for r in data]
    assert obj[:3] == [None, None, None] and obj[3:] == TEXTS[3:11] + [LONG[:32767], None] + TEXTS[13:]  # None, NaN, pd.NA
    assert [r[header.index("count")] for r in data] == [i * 1_000_003 - 5 for i in range(N)]
    assert [r[header.index("year")] for r in data] == [2020 + i if i % 3 else None for i in range(N)]
    values = [r[header.index("value")] for r in data]
    assert values[:7] == [3.141592653589793, -12.5, 0, 0, 1360000000000, 1e-7, 123456.789]
    assert values[7] is None and values[14] is None  # NaN, inf
    assert values[9] == 0.30000000000000004 and values[10] == 1e16 and values[13] == 79.09999999999999
    assert [r[header.index("flag")] for r in data] == [bool(i % 3) for i in range(N)]
    assert [r[header.index("mixed")] for r in data] == [1, "a", 2.5, True, None, 7, 0.25, "=x"] * 2
    assert [r[header.index("nullable")] for r in data] == [1.5, None] * (N // 2)
    formats = {c.column_letter: c.number_format for c in ws[2]}
    letter = {name: openpyxl.utils.get_column_letter(i) for i, name in enumerate(header, 1)}
    assert formats[letter["value"]] == excel.FLOAT_FORMAT
    assert ws[f"{letter['nullable']}2"].number_format == excel.FLOAT_FORMAT
    assert ws[f"{letter['review_year']}3"].number_format == "General"  # a year: no format
    assert ws[f"{letter['count']}2"].number_format == "General"
    assert ws[f"{letter['mixed']}4"].number_format == "General"  # floats of an object column, as before


def test_xml_outside_the_data_rows_is_unchanged(edge):
    """README, styles (so the float format's style index), workbook and the sheets' skeleton
    byte for byte as before; the member list and order too."""
    new, old = (_members(p) for p in edge)
    assert list(new) == list(old)
    for name in new:
        if name in ("xl/worksheets/sheet2.xml",):  # facts: its data rows are compared cell by cell
            head_new, head_old = new[name].split(b"<row r=\"2\">")[0], old[name].split(b"<row r=\"2\">")[0]
            assert head_new == head_old
            assert new[name].split(b"</sheetData>")[1] == old[name].split(b"</sheetData>")[1]
        else:
            assert new[name] == old[name], name


def test_sheet_xml_is_what_openpyxl_wrote_for_plain_data(tmp_path, monkeypatch):
    """Where the old writer lost nothing, the data rows are byte for byte openpyxl's."""
    facts = pd.DataFrame({
        "fact_id": pd.array([f"doc.txt:{i}" if i % 5 else "" for i in range(300)], dtype="str"),
        "label": pd.array([None if i % 7 == 0 else f" 郑州 <{i}> & " for i in range(300)], dtype="str"),
        "value": [i / 8 if i % 6 else np.nan for i in range(300)],
        "year": pd.array([2000 + i if i % 4 else None for i in range(300)], dtype="Int64"),
        "start": np.arange(300, dtype="int64"),
        "preliminary": [i % 2 == 0 for i in range(300)],
    })
    monkeypatch.setattr(excel, "BLOCK_ROWS", 7)  # many blocks
    tables = _small_tables(facts)
    excel.write_workbook(tmp_path / "new.xlsx", **tables)
    _write_old(tmp_path / "old.xlsx", tables, monkeypatch)
    assert _members(tmp_path / "new.xlsx") == _members(tmp_path / "old.xlsx")


def test_header_frozen_pane_filter_and_widths(edge):
    new, old = edge
    wb, ref = openpyxl.load_workbook(new), openpyxl.load_workbook(old)
    assert wb.sheetnames == ref.sheetnames == ["README", "facts", "series", "indicators", "documents"]
    ws = wb["facts"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:I{N + 1}"
    assert ws.max_row == N + 1 and ws.max_column == 9
    for cell in ws[1]:
        assert cell.font.b and cell.fill.fgColor.rgb == "00DDE6F0" and cell.fill.fill_type == "solid"
    assert ws.column_dimensions["A"].width == ref["facts"].column_dimensions["A"].width
    empty = wb["series"]
    assert [c.value for c in empty[1]] == ["indicator", "value"] and empty.max_row == 1
    assert empty.auto_filter.ref == "A1:B1"


def test_two_writes_are_byte_identical(tmp_path):
    tables = _small_tables(_edge_frame())
    excel.write_workbook(tmp_path / "a.xlsx", **tables)
    excel.write_workbook(tmp_path / "b.xlsx", **tables)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_characters_xml_forbids_are_dropped(tmp_path, monkeypatch):
    """openpyxl raised IllegalCharacterError (and the build failed); now they are dropped, only
    in the cells that hold them, wherever the block boundaries fall."""
    monkeypatch.setattr(excel, "BLOCK_ROWS", 2)
    texts = ["ok", "a\x01b\x0bc", "x\ud800y", "\ufffeend\uffff", "nul\x00", "\x07", "fine & dandy", " \x02"]
    # object dtype: pyarrow-backed str columns cannot even hold a lone surrogate
    facts = pd.DataFrame({"snippet": pd.Series(texts, dtype=object), "n": np.arange(8, dtype="int64"),
                          "obj": pd.Series(["\x1fz", 1] * 4, dtype=object)})
    tables = _small_tables(facts)
    tables["documents"]["title"] = ["标题\x0c"]  # the README sheet too
    path = tmp_path / "w.xlsx"
    excel.write_workbook(path, **tables)
    wb = openpyxl.load_workbook(path)
    rows = list(wb["facts"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["ok", "abc", "xy", "end", "nul", None, "fine & dandy", " "]
    assert [r[1] for r in rows] == list(range(8))
    assert [r[2] for r in rows] == ["z", 1] * 4
    assert wb["documents"]["D2"].value == "标题"
    xml = _members(path)["xl/worksheets/sheet2.xml"]
    assert b'<c r="A7" t="inlineStr" />' in xml  # "\x07" was all illegal: an empty cell, like ""
    assert b'<c r="A9" t="inlineStr"><is><t xml:space="preserve"> </t></is></c>' in xml


def test_unsupported_values_are_refused(tmp_path):
    facts = pd.DataFrame({"when": pd.Series([pd.Timestamp("2024-01-01"), "x"], dtype=object)})
    with pytest.raises(TypeError, match="Timestamp"):
        excel.write_workbook(tmp_path / "w.xlsx", **_small_tables(facts))


def test_a_table_without_columns(tmp_path):
    tables = _small_tables(pd.DataFrame(index=range(3)))
    excel.write_workbook(tmp_path / "w.xlsx", **tables)
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx")["facts"]
    assert ws.max_row == 1 and ws["A1"].value is None


def test_real_build_reads_back_as_the_tables(built, facts, monkeypatch, tmp_path):
    """pd.read_excel of the built workbook gives the facts back (floats exactly), and exactly the
    frames of the old writer's workbook of the same tables."""
    from zzdata.tables.load import load_documents, load_indicators, load_series

    got = pd.read_excel(built / "zzdata.xlsx", sheet_name=None)
    frame = got["facts"]
    assert list(frame.columns) == list(facts.columns) and len(frame) == len(facts)
    for col in facts.columns:
        want = facts[col].astype(object).where(facts[col].notna() & (facts[col].astype(str) != ""), None)
        back = frame[col].astype(object).where(frame[col].notna(), None)
        if pd.api.types.is_float_dtype(facts[col]):
            assert back.tolist() == want.tolist(), col  # exact floats
        else:
            assert [None if v is None else str(v) for v in back] == [None if v is None else str(v) for v in want], col

    tables = {"facts": facts, "indicators": load_indicators(built), "documents": load_documents(built),
              "series": load_series(built)}
    excel.write_workbook(tmp_path / "new.xlsx", **tables)
    _write_old(tmp_path / "old.xlsx", tables, monkeypatch)
    new = pd.read_excel(tmp_path / "new.xlsx", sheet_name=None)
    old = pd.read_excel(tmp_path / "old.xlsx", sheet_name=None)
    assert list(new) == list(old)
    for name in new:
        pd.testing.assert_frame_equal(new[name], old[name], check_exact=True)
    buf = io.BytesIO((built / "zzdata.xlsx").read_bytes())
    assert zipfile.ZipFile(buf).testzip() is None
