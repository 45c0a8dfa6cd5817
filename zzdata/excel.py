"""The Excel workbook `zhengzhou.xlsx`: a README sheet, then one sheet per table.

Frozen header row, filters, column widths, number formats; every cell is a value (a snippet
that begins with `=` stays text). The file is byte-identical on every rebuild: fixed document
dates and fixed zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .schema import column_descriptions

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WIDTHS = {"snippet": 60, "title": 50, "aliases": 40, "description": 60, "other_values": 60, "label": 24,
          "name_zh": 22, "name_en": 30, "doc": 44, "file": 44, "fact_id": 50, "section": 24, "sha256": 20}
SHEETS = {
    "facts": "One row per number printed in the texts, with where it came from (facts.csv).",
    "series": "One chosen value per indicator, region, year, status and measure, with conflicts (series.csv).",
    "indicators": "The indicator catalog (indicators.csv).",
    "documents": "The source texts and what was extracted from each (documents.csv).",
}


def _number_format(col: str, series: pd.Series) -> str | None:
    """Only non-integer numbers need a format; integers and years read fine as General."""
    if col in ("year", "review_year", "target_year", "start", "end"):
        return None
    if pd.api.types.is_float_dtype(series):
        return "#,##0.####"
    return None


def _cell_value(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _text_cell(ws, value: str, font: Font | None = None) -> WriteOnlyCell:
    """A cell that is text whatever it begins with (`=`, `+`, `-`, `@` never become formulas)."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _write_table(ws, df: pd.DataFrame) -> None:
    """Stream one table into a write-only sheet: header row styled, frozen, filtered."""
    for col_idx, col in enumerate(df.columns, 1):
        ws.column_dimensions[get_column_letter(col_idx)].width = WIDTHS.get(col, max(10, min(24, len(col) + 4)))
    ws.freeze_panes = "A2"
    if len(df.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{max(1, len(df) + 1)}"
    header = []
    for col in df.columns:
        cell = _text_cell(ws, col, Font(bold=True))
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
    formats = [_number_format(c, df[c]) for c in df.columns]
    columns = [df[c].tolist() for c in df.columns]
    for values in zip(*columns):
        row = []
        for v, fmt in zip(values, formats):
            v = _cell_value(v)
            if isinstance(v, str) and v[:1] in _FORMULA_START:
                v = _text_cell(ws, v)
            elif fmt is not None and isinstance(v, float):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = fmt
                v = cell
            row.append(v)
        ws.append(row)


def _readme(ws, documents: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> None:
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 100
    bold = Font(bold=True)
    ws.append([_text_cell(ws, "zzdata: Zhengzhou (郑州) government work reports and year reviews as sourced tables",
                          Font(bold=True, size=14))])
    ws.append([_text_cell(ws, "Every number comes from a raw text in data/raw/; facts.start/end are its character "
                              "offsets there.")])
    ws.append([])
    ws.append([_text_cell(ws, t, bold) for t in ("Sheet", "", "What it holds")])
    for name, text in SHEETS.items():
        if name in tables:
            ws.append([_text_cell(ws, name), None, _text_cell(ws, text)])
    ws.append([])
    ws.append([_text_cell(ws, "Sources", bold)])
    for r in documents.itertuples():
        ws.append([_text_cell(ws, str(r.file)), _text_cell(ws, f"{r.region} · {r.delivered}"), _text_cell(ws, str(r.title))])
    ws.append([])
    ws.append([_text_cell(ws, t, bold) for t in ("Sheet", "Column", "Meaning")])
    desc = column_descriptions()
    for name in SHEETS:
        if name not in tables:
            continue
        for col in tables[name].columns:
            ws.append([_text_cell(ws, name), _text_cell(ws, col), _text_cell(ws, desc.get((name, col), ""))])


def write_workbook(path: Path, facts: pd.DataFrame, indicators: pd.DataFrame, documents: pd.DataFrame,
                   series: pd.DataFrame | None = None) -> None:
    """Write the workbook deterministically to `path`, streaming rows (write-only mode) so a
    collection of a thousand reports does not hold millions of cell objects in memory."""
    tables = {"facts": facts, "indicators": indicators, "documents": documents}
    if series is not None:
        tables["series"] = series
    wb = Workbook(write_only=True)
    wb.properties.creator = "zzdata"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    _readme(wb.create_sheet("README"), documents, tables)
    for name in SHEETS:
        if name in tables:
            _write_table(wb.create_sheet(name), tables[name])
    buf = io.BytesIO()
    wb.save(buf)
    _normalise_zip(buf.getvalue(), Path(path))


def _normalise_zip(data: bytes, path: Path) -> None:
    """Rewrite the xlsx zip with fixed timestamps and fixed document dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _fix_core_dates(payload)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, payload)


def _fix_core_dates(xml: bytes) -> bytes:
    import re

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", xml)
