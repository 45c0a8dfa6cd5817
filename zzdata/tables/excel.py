"""The Excel workbook `zzdata.xlsx`: a README sheet, then one sheet per table.

Frozen header row, filters, column widths, number formats; every cell is a value (a snippet
that begins with `=` stays text). The file is byte-identical on every rebuild: fixed document
dates and fixed zip timestamps.

How it is written, and why: openpyxl costs 15-35 µs per cell, which made the workbook most of
a large build (3 million cells, about a minute). So openpyxl writes only the skeleton: the
README sheet, the styles, the sheet list and, for each table sheet, the header row, column
widths, frozen pane and the autofilter over the full data range. The data rows are written
here as SpreadsheetML, a block of rows at a time and column by column: each distinct value of
a column is turned into XML once (`pd.factorize`), a cell is its reference plus that text, and
the rows are joined in one go. They are spliced in before `</sheetData>` of each table sheet
while `_normalise_zip` rewrites the zip (which it does anyway, to fix the timestamps).

The cells are the ones openpyxl's write-only mode wrote: inline strings, `r` references on rows
and cells, the float number format's style index taken from openpyxl, "" as an empty text cell,
missing values (None, NaN, pd.NA) as no cell. For the tables the build writes, every cell reads
back as before. Deliberate differences, all where the old output lost or broke something:

- floats are written with `repr` (the shortest text that reads back as the same float, so 79.1
  not 79.09999999999999; integral ones still without `.0`), not `%.16g`, which rounded floats
  that need 17 digits; integers are exact at any size; -0.0 is written 0 (its old -0 read back
  as the integer 0 anyway); ±inf gives no cell (openpyxl wrote an empty `<v/>`);
- text equal to an Excel error code (`#N/A`, `#REF!` …) stays text (openpyxl made it an error
  cell, which pandas reads as NaN);
- a carriage return inside text is written `&#13;` so it survives (written raw, XML parsers
  turned it into a line feed);
- characters XML 1.0 forbids (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/FFFF)
  are dropped, in every sheet, where openpyxl raised IllegalCharacterError and the build
  failed; facts.csv and facts.parquet keep the exact text;
- whitespace-only text gets `xml:space="preserve"` too, so Excel keeps it.

Text longer than Excel's 32,767 characters per cell is cut there, as openpyxl did. Column types
written: text, integers, floats and booleans (numpy or pandas nullable); other values (dates …)
raise TypeError, as none of the tables has them.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterator
from itertools import chain, repeat
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..core.schema import column_descriptions

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
FLOAT_FORMAT = "#,##0.####"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WIDTHS = {"snippet": 60, "title": 50, "aliases": 40, "description": 60, "other_values": 60, "label": 24,
          "name_zh": 22, "name_en": 30, "doc": 44, "file": 44, "fact_id": 50, "section": 24, "sha256": 20}
SHEETS = {
    "facts": "One row per number printed in the texts, with where it came from (facts.csv).",
    "series": "One chosen value per indicator, region, year, status and measure, with conflicts (series.csv).",
    "indicators": "The indicator catalog (indicators.csv).",
    "documents": "The source texts and what was extracted from each (documents.csv).",
}

MAX_TEXT = 32767  # Excel's limit of characters in a cell
BLOCK_ROWS = 4096  # rows turned into XML at a time: bounds the memory of per-cell strings
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SEP = "\x00"  # joins a block of texts for one C-level pass; illegal in XML, so almost never in one
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])  # UTF-8: only these chars
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_SHEET_DATA_END = b"</sheetData>"


# -- the skeleton, written by openpyxl ---------------------------------------------------------

def _number_format(col: str, series: pd.Series) -> str | None:
    """Only non-integer numbers need a format; integers and years read fine as General."""
    if col in ("year", "review_year", "target_year", "start", "end"):
        return None
    if pd.api.types.is_float_dtype(series):
        return FLOAT_FORMAT
    return None


def _text_cell(ws, value: str, font: Font | None = None) -> WriteOnlyCell:
    """A cell that is text whatever it begins with (`=`, `+`, `-`, `@` never become formulas)."""
    cell = WriteOnlyCell(ws, value=_strip_illegal(value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _float_style(ws) -> int:
    """The style index of FLOAT_FORMAT, registered in the workbook by openpyxl itself."""
    cell = WriteOnlyCell(ws, value=0.0)
    cell.number_format = FLOAT_FORMAT
    return cell.style_id


def _write_table(ws, df: pd.DataFrame) -> list[int | None]:
    """Header row styled, frozen, filtered over all rows, widths set; returns each column's
    style index for floats (None: General). The data rows are added by `_sheet_data`."""
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
    styles: list[int | None] = []
    for i, col in enumerate(df.columns):
        series = df.iloc[:, i]
        # registered only when a cell will use it, as openpyxl did, so styles.xml is unchanged
        used = _number_format(col, series) is not None and bool(series.notna().any())
        styles.append(_float_style(ws) if used else None)
    return styles


def _readme(ws, documents: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> None:
    """The README sheet: what each sheet holds, the sources, the meaning of every column."""
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
    """Write the workbook deterministically to `path`: openpyxl writes the skeleton, the data rows
    are added as XML while the zip is rewritten (see the module docstring)."""
    tables = {"facts": facts, "indicators": indicators, "documents": documents}
    if series is not None:
        tables["series"] = series
    wb = Workbook(write_only=True)
    wb.properties.creator = "zzdata"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    _readme(wb.create_sheet("README"), documents, tables)
    sheets = []
    for name in SHEETS:
        if name in tables:
            ws = wb.create_sheet(name)
            sheets.append((ws, tables[name], _write_table(ws, tables[name])))
    buf = io.BytesIO()
    wb.save(buf)
    # sheet paths are known only once saved
    data = {ws.path.lstrip("/"): (df, styles) for ws, df, styles in sheets}
    _normalise_zip(buf.getvalue(), Path(path), data)


# -- the data rows, written here -----------------------------------------------------------------

def _strip_illegal(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (openpyxl would raise on them)."""
    return _ILLEGAL.sub("", text) if isinstance(text, str) else text


def _escape_text(text: str) -> str:
    """& < > and CR of one text escaped."""
    for char, entity in _ESCAPES:
        text = text.replace(char, entity)
    return text


def _escape_texts(texts: list[str]) -> list[str]:
    """& < > and CR escaped in each text, done on the texts joined into one string: a few
    C-level passes instead of work per text."""
    joined = _SEP.join(texts)
    if joined.count(_SEP) != len(texts) - 1:  # a text holds NUL (it is dropped later): one by one
        return [_escape_text(t) for t in texts]
    if not ("&" in joined or "<" in joined or ">" in joined or "\r" in joined):
        return texts
    for char, entity in _ESCAPES:
        joined = joined.replace(char, entity)
    return joined.split(_SEP)


def _text_tails(texts: list[str], style: int | None, clean: bool) -> list[str]:
    """Inline-string cell tails: text cut to MAX_TEXT characters (as openpyxl did), "" an empty
    cell (as openpyxl wrote it), leading or trailing whitespace kept with xml:space. `clean`
    drops illegal characters first (needed only when `_block_bytes` found some)."""
    if max(map(len, texts), default=0) > MAX_TEXT:
        texts = [t[:MAX_TEXT] for t in texts]
    if clean:
        texts = [_strip_illegal(t) for t in texts]
    keep = [t != t.strip() for t in texts]  # on the raw text: escaping turns CR into an entity
    return [
        '" t="inlineStr" />' if not t
        else f'" t="inlineStr"><is><t xml:space="preserve">{e}</t></is></c>' if k
        else f'" t="inlineStr"><is><t>{e}</t></is></c>'
        for t, e, k in zip(texts, _escape_texts(texts), keep)
    ]


def _float_tails(values: list[float], style: int | None, clean: bool) -> list[str | None]:
    """Number cell tails with the shortest exact text of each float (`repr`), integral ones
    without `.0` as openpyxl's `%.16g` wrote them; None (no cell) for ±inf. (pd.factorize
    counts 0.0 and -0.0 as one value, so both are written 0 whichever comes first.)"""
    s = f' s="{style}"' if style is not None else ""
    texts = ["0" if v == 0 else repr(v) if math.isfinite(v) else "" for v in values]  # -0.0 too
    texts = [t[:-2] if t.endswith(".0") else t for t in texts]
    return [f'"{s} t="n"><v>{t}</v></c>' if t else None for t in texts]


def _int_tails(values: list[int], style: int | None, clean: bool) -> list[str]:
    """Number cell tails of integers, written exactly."""
    return [f'" t="n"><v>{int(v)}</v></c>' for v in values]


def _bool_tails(values: list[bool], style: int | None, clean: bool) -> list[str]:
    """Boolean cell tails (`t="b"`, 1 or 0)."""
    return ['" t="b"><v>1</v></c>' if v else '" t="b"><v>0</v></c>' for v in values]


_TAILS = {"text": _text_tails, "float": _float_tails, "int": _int_tails, "bool": _bool_tails}


def _kind(value) -> str | None:
    """Which of `_TAILS` writes a single Python value; None for a type the workbook does not write."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return None


def _column_kind(series: pd.Series) -> str | None:
    """Which of `_TAILS` writes a column, from its dtype; None: look at each value (object)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return "text"
    return None


def _any_cell(value, missing: bool, letter: str, row: str, clean: bool) -> str:
    """One cell of a column of mixed values (object dtype), by the value's type."""
    if missing:
        return ""
    if isinstance(value, np.generic):  # numpy scalar: its Python value (repr of np.float64 differs)
        value = value.item()
    kind = _kind(value)
    if kind is None:
        raise TypeError(f"the workbook writes text, numbers and booleans, not {type(value).__name__} ({value!r})")
    tail = _TAILS[kind]([value], None, clean)[0]
    return "" if tail is None else f'<c r="{letter}{row}{tail}'


def _column_cells(series: pd.Series, letter: str, rows: list[str], style: int | None, clean: bool) -> list[str]:
    """The `<c>` strings of one column over a block of rows ("" where there is no cell).
    Each distinct value is turned into XML once (pd.factorize); a cell is then its reference
    plus that text. Missing values (None, NaN, pd.NA) get code -1 and so no cell."""
    kind = _column_kind(series)
    if kind is None:
        values, missing = series.tolist(), series.isna().tolist()
        if not all(m or isinstance(v, str) for v, m in zip(values, missing)):
            return [_any_cell(v, m, letter, r, clean) for v, m, r in zip(values, missing, rows)]
        kind = "text"
    codes, uniques = pd.factorize(series)
    tails = [*_TAILS[kind](uniques.tolist(), style, clean), None]  # code -1 picks the None
    return ["" if (t := tails[c]) is None else f'<c r="{letter}{r}{t}' for r, c in zip(rows, codes.tolist())]


def _block_xml(block: pd.DataFrame, letters: list[str], styles: list[int | None], first_row: int,
               clean: bool) -> str:
    """The `<row>` elements of a block of rows: built column by column (row numbers as text
    shared by all columns), then joined row-major in one go."""
    rows = [str(r) for r in range(first_row, first_row + len(block))]
    columns = [_column_cells(block.iloc[:, i], letter, rows, styles[i], clean) for i, letter in enumerate(letters)]
    starts = [f'<row r="{r}">' for r in rows]
    return "".join(chain.from_iterable(zip(starts, *columns, repeat("</row>"))))


def _has_illegal(data: bytes) -> bool:
    """Whether UTF-8 XML holds a character XML 1.0 forbids: a C0 control byte (in UTF-8 no
    other character contains one) or U+FFFE/U+FFFF. Markup and numbers never do, only text."""
    return len(data.translate(None, _CONTROL_BYTES)) != len(data) or any(n in data for n in _NONCHARACTERS)


def _block_bytes(block: pd.DataFrame, letters: list[str], styles: list[int | None], first_row: int) -> bytes:
    """A block of rows as UTF-8. Checking the bytes once is much cheaper than checking every text,
    so the texts are cleaned only in the rare block that needs it (and then rebuilt)."""
    try:
        data = _block_xml(block, letters, styles, first_row, clean=False).encode()
        if not _has_illegal(data):
            return data
    except UnicodeEncodeError:  # a lone surrogate
        pass
    return _block_xml(block, letters, styles, first_row, clean=True).encode()


def _sheet_data(df: pd.DataFrame, styles: list[int | None]) -> Iterator[bytes]:
    """The data rows (sheet row 2 on) as UTF-8 XML, one block of BLOCK_ROWS rows at a time."""
    letters = [get_column_letter(i) for i in range(1, len(df.columns) + 1)]
    if not letters:
        return
    for start in range(0, len(df), BLOCK_ROWS):
        yield _block_bytes(df.iloc[start:start + BLOCK_ROWS], letters, styles, start + 2)


# -- the zip ------------------------------------------------------------------------------------

def _normalise_zip(data: bytes, path: Path, sheets: dict[str, tuple[pd.DataFrame, list[int | None]]] | None = None) -> None:
    """Rewrite the xlsx zip with fixed timestamps and fixed document dates, adding the data rows
    of each sheet in `sheets` (member name -> table, float styles) before its `</sheetData>`."""
    sheets = sheets or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _fix_core_dates(payload)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            if info.filename in sheets:
                _write_member(dst, zi, _with_rows(payload, *sheets[info.filename]))
            else:
                dst.writestr(zi, payload)


def _with_rows(sheet_xml: bytes, df: pd.DataFrame, styles: list[int | None]) -> list[bytes]:
    """The sheet's XML in chunks, with the table's data rows after openpyxl's header row."""
    cut = sheet_xml.find(_SHEET_DATA_END)
    if cut < 0:
        raise ValueError("openpyxl wrote a sheet without </sheetData>; cannot add the data rows")
    return [sheet_xml[:cut], *_sheet_data(df, styles), sheet_xml[cut:]]


def _write_member(dst: zipfile.ZipFile, zi: zipfile.ZipInfo, chunks: list[bytes]) -> None:
    """Write a member from chunks as `writestr` would from their concatenation, without joining
    them (the size is set first, so zipfile decides on zip64 exactly as writestr does)."""
    zi.file_size = sum(len(c) for c in chunks)
    with dst.open(zi, "w") as fh:
        for chunk in chunks:
            fh.write(chunk)


def _fix_core_dates(xml: bytes) -> bytes:
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", xml)
