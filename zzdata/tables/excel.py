"""The Excel workbook `zzdata.xlsx`: a README sheet, then one sheet per table.

Every table the build writes has its sheet (facts, series, panel, claims, documents,
indicators), with a bold, shaded header row that stays in view (frozen pane), a filter over
all its rows, column widths, and a number format for the floats; every cell is a value, never
a formula (sheetxml.py says exactly what each value becomes). The README sheet says what each
sheet holds, lists the source texts and gives the meaning of every column (data/columns.csv;
for the panel, its dictionary).

How it is written: sheetxml.py makes the data rows of each table first, the facts' first (a
build can begin them before it has its other tables: `later`), numbering their texts in the
shared strings; then xlsxwriter writes the workbook -- the README sheet, the styles, each table
sheet's header row, widths, frozen pane and filter, the document properties (with a fixed
date) -- and, while the zip is rewritten, the rows are spliced into each table sheet (before
`</sheetData>`, with the sheet's dimension set to the full range) and their texts put before
xlsxwriter's own in the shared strings. The file is byte-identical on every rebuild: fixed
document dates, fixed zip timestamps, every part written in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlsxwriter

from ..core.schema import column_descriptions
from .sheetxml import SharedStrings, column_letter, float_styled, sheet_rows, strip_illegal
from .ziparchive import ZIP_TIME, ZipWriter, deflate

FIXED_TIME = dt.datetime(*ZIP_TIME)  # the document properties' date: the zip members' own
FLOAT_FORMAT = "#,##0.####"
HEADER_FILL = "#DDE6F0"
TITLE = "zzdata: government work reports and year reviews as sourced tables"
WIDTHS = {"snippet": 60, "title": 50, "aliases": 40, "description": 60, "other_values": 60, "label": 24,
          "name_zh": 22, "name_en": 30, "doc": 44, "file": 44, "fact_id": 50, "section": 24, "sha256": 20,
          "claim": 16, "region_en": 22}
SHEETS = {
    "facts": "One row per number printed in the texts, with where it came from (facts.csv).",
    "series": "One chosen value per indicator, region, year, status and measure, with conflicts (series.csv).",
    "panel": "One row per region and year, one column per indicator and measure: the chosen results for the "
             "whole year (panel.csv, panel.parquet, panel.dta; its columns are listed below).",
    "claims": "Claims without a number: 两位数, 翻番, 前列, 全覆盖 … (claims.csv).",
    "documents": "The source texts and what was extracted from each (documents.csv).",
    "indicators": "The indicator catalog (indicators.csv).",
}
MAX_ROWS = 1_048_576  # Excel's limit of rows in a sheet, the header row included
_SHEET_DATA_END = b"</sheetData>"
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
_SST_OPEN = re.compile(rb'<sst [^>]*count="(\d+)" uniqueCount="(\d+)">')
_STRING_CELL = re.compile(rb'( t="s"><v>)(\d+)(</v>)')


def _width(col: str) -> int:
    return WIDTHS.get(col, max(10, min(24, len(col) + 4)))


def _text(value) -> str:
    """A README cell's text: XML's forbidden characters and carriage returns dropped (xlsxwriter
    would write a control character as Excel's _xHHHH_ escape)."""
    return strip_illegal(str(value)).replace("\r", "")


def _title(documents: pd.DataFrame) -> str:
    """What the texts cover, from the documents table: how many, which regions, which dates."""
    if documents.empty:
        return "No texts yet: add reports to data/raw/ and run `make data`."
    regions = list(dict.fromkeys(documents["region"].astype(str)))
    shown = ", ".join(regions[:6]) + (f" and {len(regions) - 6} more" if len(regions) > 6 else "")
    dates = sorted(d for d in documents["delivered"].astype(str) if d)
    span = f", delivered {dates[0]} to {dates[-1]}" if dates else ""
    n = len(documents)
    return f"{n} text{'' if n == 1 else 's'} about {shown}{span}."


def _readme(wb, ws, formats: dict, documents: pd.DataFrame, tables: dict[str, pd.DataFrame], given: dict[str, pd.DataFrame],
            panel_columns: pd.DataFrame | None) -> None:
    """The README sheet: what each sheet holds (`given`: the tables before a cut at Excel's row
    limit), the sources, the meaning of every column."""
    bold = formats["bold"]
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 2, 100)
    rows: list[tuple[list[str], object]] = [
        ([TITLE], formats["title"]),
        ([_title(documents)], None),
        (["Every number comes from a raw text in data/raw/; facts.start/end are its character offsets there."], None),
        ([], None),
        (["Sheet", "", "What it holds"], bold),
    ]
    for name, df in tables.items():
        cut = f" Only its first {MAX_ROWS - 1:,} rows of {len(given[name]):,}: Excel's limit; the CSV has all." \
            if len(df) < len(given[name]) else ""
        rows.append(([name, "", SHEETS[name] + cut], None))
    rows += [([], None), (["Sources"], bold)]
    rows += [([str(r.file), f"{r.region} · {r.delivered}", str(r.title)], None) for r in documents.itertuples()]
    rows += [([], None), (["Sheet", "Column", "Meaning"], bold)]
    desc = column_descriptions()
    panel_desc = {}
    if panel_columns is not None:
        for r in panel_columns.itertuples():
            stata = f" (Stata: {r.stata_name})" if r.stata_name != r.column else ""
            panel_desc[str(r.column)] = f"{r.description}{stata}"
    for name, df in tables.items():
        for col in df.columns:
            meaning = panel_desc.get(col, "") if name == "panel" else desc.get((name, col), "")
            rows.append(([name, str(col), meaning], None))
    for i, (cells, fmt) in enumerate(rows):
        for j, value in enumerate(cells):
            if value:
                ws.write_string(i, j, _text(value), fmt)


def _table_sheet(wb, name: str, df: pd.DataFrame, formats: dict) -> None:
    """A table's sheet as xlsxwriter writes it: header row, widths, frozen pane, filter."""
    ws = wb.add_worksheet(name)
    for i, (col, values) in enumerate(df.items()):
        styled = float_styled(str(col), values)
        ws.set_column(i, i, _width(str(col)), formats["float"] if styled else None)
        ws.write_string(0, i, _text(col), formats["header"])
    ws.freeze_panes(1, 0)
    if len(df.columns):
        ws.autofilter(0, 0, len(df), len(df.columns) - 1)


def _formats(wb) -> dict:
    """The workbook's cell formats, their style numbers fixed in this order (1 to 4) before any
    sheet exists: the data rows, made before xlsxwriter writes its sheets, name the floats' one."""
    formats = {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "bold": wb.add_format({"bold": True}),
        "header": wb.add_format({"bold": True, "bg_color": HEADER_FILL, "pattern": 1}),
        "float": wb.add_format({"num_format": FLOAT_FORMAT}),
    }
    for fmt in formats.values():
        fmt._get_xf_index()  # xlsxwriter numbers a format when first used; here, in a fixed order
    return formats


def write_workbook(path: Path, facts: pd.DataFrame, indicators: pd.DataFrame, documents: pd.DataFrame,
                   series: pd.DataFrame | None = None, claims: pd.DataFrame | None = None,
                   panel: pd.DataFrame | None = None, panel_columns: pd.DataFrame | None = None,
                   later: Callable[[], dict] | None = None) -> None:
    """Write the workbook deterministically to `path` (see the module docstring).

    `later`: called once the facts sheet's rows are made, it returns the tables not given yet
    (a dict of `series`, `panel`, `panel_columns`), so that a build can begin the workbook as
    soon as it has the facts, beside its work on the series (tables/build.py). The file is the
    same either way: the facts sheet is the first, its texts are numbered first."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": "zzdata tables", "author": "zzdata", "created": FIXED_TIME})
    formats = _formats(wb)
    float_style = formats["float"].xf_index
    strings = SharedStrings()
    given: dict[str, pd.DataFrame] = {"facts": facts}
    rows: dict[str, _Rows] = {"facts": _Rows(facts.iloc[:MAX_ROWS - 1], float_style, strings)}
    if later is not None:
        more = later()
        series, panel = more.get("series", series), more.get("panel", panel)
        panel_columns = more.get("panel_columns", panel_columns)
    others = {"series": series, "panel": panel, "claims": claims, "documents": documents, "indicators": indicators}
    for name in SHEETS:  # in the sheets' order, so the texts are numbered as the sheets read
        if others.get(name) is not None:
            given[name] = others[name]
            rows[name] = _Rows(others[name].iloc[:MAX_ROWS - 1], float_style, strings)
    tables = {name: rows[name].df for name in SHEETS if name in rows}
    _readme(wb, wb.add_worksheet("README"), formats, documents, tables, given, panel_columns)
    for name, df in tables.items():
        _table_sheet(wb, name, df, formats)
    wb.close()
    # sheet i + 1 of the workbook is xl/worksheets/sheet<i + 1>.xml; README is the first
    members = {f"xl/worksheets/sheet{i}.xml": rows[name] for i, name in enumerate(tables, start=2)}
    _assemble(buf.getvalue(), Path(path), members, strings)


class _Rows:
    """A table's data rows as SpreadsheetML (sheetxml.sheet_rows), compressed as they are made
    (ziparchive.deflate) and kept so until the workbook around them is written: about a seventh
    of their size in memory, and no compressing left for the end."""

    def __init__(self, df: pd.DataFrame, float_style: int, strings: SharedStrings):
        self.df = df
        self.deflated = deflate(sheet_rows(df, float_style, strings))


def _assemble(data: bytes, path: Path, sheets: dict[str, _Rows], strings: SharedStrings) -> None:
    """Rewrite xlsxwriter's zip with fixed timestamps, each table's data rows in its sheet and
    their texts first in the shared strings, xlsxwriter's own (the README's, the headers') after
    them: its cells' string numbers are moved up by as many."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    sst_name = "xl/sharedStrings.xml"
    if sst_name not in names:
        raise ValueError("xlsxwriter wrote no shared strings; cannot add the data rows' texts")
    sst = src.read(sst_name)
    m = _SST_OPEN.search(sst)
    if m is None:
        raise ValueError("cannot read the counts of xlsxwriter's shared strings")
    shift = len(strings.index)
    with ZipWriter(path) as dst:
        for name in names:
            payload = src.read(name)
            if name.startswith("xl/worksheets/"):
                payload = _shift_strings(payload, shift, name)
            if name in sheets:
                head, tail = _split_sheet(payload, sheets[name].df)
                dst.add(name, [deflate([head]), sheets[name].deflated, deflate([tail])])
            elif name == sst_name:
                dst.add(name, [deflate(_with_strings(sst, m, strings))])
            else:
                dst.add(name, [deflate([payload])])


def _shift_strings(sheet_xml: bytes, shift: int, name: str) -> bytes:
    """xlsxwriter's sheet with each shared-string cell's number moved up by `shift` (the data
    rows' texts come first in the shared strings)."""
    if not shift:
        return sheet_xml
    out, n = _STRING_CELL.subn(lambda m: m[1] + str(int(m[2]) + shift).encode() + m[3], sheet_xml)
    if n != sheet_xml.count(b' t="s"'):
        raise ValueError(f"cannot read every shared-string cell xlsxwriter wrote in {name}")
    return out


def _split_sheet(sheet_xml: bytes, df: pd.DataFrame) -> tuple[bytes, bytes]:
    """The sheet's XML before and after its data rows (the header row is xlsxwriter's), the
    dimension the full range of the table."""
    sheet_xml = sheet_xml.replace(b"<sheetData/>", b"<sheetData></sheetData>", 1)  # a table without columns
    cut = sheet_xml.rfind(_SHEET_DATA_END)
    if cut < 0:
        raise ValueError("xlsxwriter wrote a sheet without </sheetData>; cannot add the data rows")
    if len(df.columns):
        ref = f'<dimension ref="A1:{column_letter(len(df.columns) - 1)}{len(df) + 1}"/>'.encode()
        sheet_xml = _DIMENSION.sub(ref, sheet_xml, count=1)
        cut = sheet_xml.rfind(_SHEET_DATA_END)
    return sheet_xml[:cut], sheet_xml[cut:]


def _with_strings(sst_xml: bytes, m: re.Match, strings: SharedStrings) -> list[bytes]:
    """The shared strings: the data rows' texts, then xlsxwriter's own, the counts updated."""
    count, unique = int(m[1]) + strings.references, int(m[2]) + len(strings.index)
    head = sst_xml[:m.start(1)] + str(count).encode() + sst_xml[m.end(1):m.start(2)] + str(unique).encode()
    rest = sst_xml[m.end(2):]
    opened = rest.index(b">") + 1  # the end of the <sst ...> tag: xlsxwriter's <si> follow
    return [head + rest[:opened], strings.xml(), rest[opened:]]
