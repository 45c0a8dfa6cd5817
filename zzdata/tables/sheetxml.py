"""The data rows of the workbook's table sheets as SpreadsheetML, and their shared strings.

Why not cell by cell through the library that writes the rest of the workbook (xlsxwriter,
excel.py): it costs about 6 µs a cell, and a collection of a thousand texts has about 3.5
million cells, so the workbook alone would take 20 s, five times the whole build. Here a
column is turned into XML once per distinct value (`csvio.distinct`): every value becomes the
tail of its cell (its type, style and value, or its index among the shared strings) followed
by the start of the next cell, and a row is those pieces joined *by its row number*
(``b"7".join([b'<row r="', b'"><c r="A', tail_A + b'<c r="B', …, tail_Z + b'</row>'])``), so the
row number goes into every cell reference in one C-level `bytes.join`. About 0.1 µs a cell. The
pieces are bytes (the cells hold only numbers; the texts are in the shared strings), so a block
of rows is never a str to encode: half the memory each block of rows passes through.

The cells, as a reader of the sheet gets them:

- text is a shared string (``t="s"``; the texts of all sheets in one table, each once), whatever
  it begins with or looks like: ``=SUM(A1)``, ``+86``, ``-3.5%``, ``@x``, ``0012``, ``#N/A`` stay
  text, never a formula, number or error; a carriage return is kept (``&#13;``, not turned into
  a line feed by the XML parser); leading or trailing white space is kept (``xml:space``); a
  text that reads as Excel's own escape of a character (``_x000D_``) is escaped so Excel shows
  it as printed (``_x005F_x000D_``; openpyxl does not decode these escapes and shows the escaped
  form); characters XML 1.0 forbids (C0 controls other than tab, LF, CR; lone surrogates;
  U+FFFE, U+FFFF) are dropped (the CSV and Parquet files keep the exact text); text is cut at
  Excel's 32,767 characters a cell;
- a float is written as the shortest text that reads back as the same float (`repr`; integral
  ones without ``.0``; -0.0 as 0) with the workbook's number format, except in the columns
  that hold years or offsets (`PLAIN_NUMBER_COLUMNS`); NaN and ±inf are empty cells;
- integers exactly, at any size; booleans as TRUE/FALSE (``t="b"``);
- a missing value (None, NaN, pd.NA) and "" are an empty cell (``<c r="B7"/>``).

Column types written: text, integers, floats and booleans (numpy or pandas nullable); a column
of mixed Python values (object) is written value by value; anything else (dates …) raises
TypeError, as none of the tables has it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from itertools import repeat

import numpy as np
import pandas as pd

from .csvio import distinct

MAX_TEXT = 32767  # Excel's limit of characters in a cell
BLOCK_ROWS = 16384  # rows turned into XML at a time: bounds the memory of the pieces
PLAIN_NUMBER_COLUMNS = ("year", "review_year", "target_year", "start", "end")  # no number format
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL_ASCII = bytes(c for c in range(128) if _ILLEGAL.match(chr(c)))  # the C0 controls of _ILLEGAL
_OOXML_ESCAPE = re.compile(rb"(_x[0-9A-Fa-f]{4}_)")  # Excel reads these in a text as one character
_EMPTY = '"/>'  # the tail of an empty cell


def strip_illegal(text: str) -> str:
    """`text` without the characters XML 1.0 forbids."""
    return _ILLEGAL.sub("", text)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class SharedStrings:
    """The shared strings table: text -> index, in the order the texts were first met, after the
    `first` strings the library wrote itself (the README sheet, the headers)."""

    def __init__(self, first: int = 0):
        self.first = first
        self.index: dict[str, int] = {}
        self.references = 0  # cells that point at one of these strings

    def add(self, text: str) -> int:
        return self.first + self.index.setdefault(text, len(self.index))

    def add_all(self, texts: list[str]) -> list[int]:
        """The indices of many texts (clean, not empty), adding the new ones."""
        put, index, first = self.index.setdefault, self.index, self.first
        return [first + put(t, len(index)) for t in texts]

    def xml(self) -> bytes:
        """The `<si>` elements of the texts added, in index order, in UTF-8: encoded and escaped in
        one pass over all of them joined (NUL, which XML forbids, cannot be in them)."""
        texts = list(self.index)
        if not texts:
            return b""
        escaped = _escape("\x00".join(texts).encode("utf-8")).split(b"\x00")
        if any(t != t.strip() for t in texts):  # rare: leading or trailing white space, kept
            return b"".join(b'<si><t xml:space="preserve">' + e + b"</t></si>" if t != t.strip()
                            else b"<si><t>" + e + b"</t></si>" for t, e in zip(texts, escaped))
        return b"<si><t>" + b"</t></si><si><t>".join(escaped) + b"</t></si>"


def _escape(text: bytes) -> bytes:
    if b"_x" in text:
        text = _OOXML_ESCAPE.sub(rb"_x005F\1", text)
    return text.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;").replace(b"\r", b"&#13;")


# -- one value's cell tail ------------------------------------------------------------------------

def _text_tail(value: str, strings: SharedStrings) -> str:
    text = value[:MAX_TEXT]
    if _ILLEGAL.search(text):
        text = strip_illegal(text)
    if not text:
        return _EMPTY
    return f'" t="s"><v>{strings.add(text)}</v></c>'


def _has_illegal(text: str) -> bool:
    """Whether `text` holds a character XML 1.0 forbids (`_ILLEGAL`). An ASCII text (ids, file
    names; Python knows it without reading it) is searched as bytes, for the control characters
    only, five times as fast as the regular expression."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ILLEGAL_ASCII)) != len(data)
    return _ILLEGAL.search(text) is not None


def _text_tails(texts: list[str], strings: SharedStrings) -> list[str]:
    """`_text_tail` of each of many distinct texts: checked for forbidden characters and length
    all at once, so that only the rare text that needs it is cleaned one by one."""
    if _has_illegal("\t".join(texts)) or max(map(len, texts), default=0) > MAX_TEXT:
        return [_text_tail(t, strings) for t in texts]
    empty = texts.index("") if "" in texts else -1  # at most once: the texts are distinct
    if empty >= 0:
        texts = texts[:empty] + texts[empty + 1:]
    tails = [f'" t="s"><v>{i}</v></c>' for i in strings.add_all(texts)]
    if empty >= 0:
        tails.insert(empty, _EMPTY)
    return tails


def _float_tail(value: float, style: str) -> str:
    if not math.isfinite(value):
        return _EMPTY
    text = "0" if value == 0 else repr(value)
    if text.endswith(".0"):
        text = text[:-2]
    return f'"{style}><v>{text}</v></c>'


def _int_tail(value) -> str:
    return f'"><v>{int(value)}</v></c>'


def _bool_tail(value) -> str:
    return '" t="b"><v>1</v></c>' if value else '" t="b"><v>0</v></c>'


def _any_tail(value, strings: SharedStrings) -> str:
    """One value of a column of mixed Python values, by its type."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return _EMPTY
    if isinstance(value, np.generic):  # numpy scalar: its Python value (repr of np.float64 differs)
        value = value.item()
    if isinstance(value, str):
        return _text_tail(value, strings)
    if isinstance(value, bool):
        return _bool_tail(value)
    if isinstance(value, int):
        return _int_tail(value)
    if isinstance(value, float):
        return _float_tail(value, "")
    raise TypeError(f"the workbook writes text, numbers and booleans, not {type(value).__name__} ({value!r})")


# -- a column of a block ------------------------------------------------------------------------

def column_kind(series: pd.Series) -> str:
    """text, float, int, bool, or any (an object column holding something other than text)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return "text"
    if pd.api.types.is_object_dtype(dtype):
        values = series.dropna().tolist()
        return "text" if all(v.__class__ is str for v in values) else "any"
    raise TypeError(f"the workbook writes text, numbers and booleans, not {dtype} ({series.name})")


def float_styled(name: str, series: pd.Series) -> bool:
    """Whether a column's floats get the number format (not years and offsets)."""
    return column_kind(series) == "float" and name not in PLAIN_NUMBER_COLUMNS


def _pieces(series: pd.Series, kind: str, style: str, after: str, strings: SharedStrings) -> tuple[np.ndarray, np.ndarray]:
    """(table, codes): each distinct value's cell tail followed by `after` (the start of the next
    cell, or `</row>`), as UTF-8, and each row's index into it (the last entry, an empty cell, for -1)."""
    if kind == "any":
        tails = [_any_tail(v, strings) for v in series.tolist()]
        strings.references += sum(t.startswith('" t="s"') for t in tails)
        return np.array([(t + after).encode() for t in tails], dtype=object), np.arange(len(tails))
    if kind == "float":
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        codes, uniques = pd.factorize(values)  # NaN -> -1; -0.0 counts as 0.0 (both written 0)
        tails = [_float_tail(v, style) for v in uniques.tolist()]
    elif kind == "bool":
        codes, uniques = pd.factorize(series.to_numpy(dtype=object, na_value=None))
        tails = [_bool_tail(v) for v in uniques.tolist()]
    else:
        codes, uniques = distinct(series)  # None, NaN, pd.NA -> -1
        if kind == "int":
            tails = [_int_tail(v) for v in uniques]
        else:
            tails = _text_tails(uniques, strings)
            used = np.array([t is not _EMPTY for t in tails] + [False])
            strings.references += int(np.count_nonzero(used[codes]))
    return np.array([(t + after).encode() for t in tails] + [(_EMPTY + after).encode()], dtype=object), codes


def sheet_rows(df: pd.DataFrame, float_style: int | None, strings: SharedStrings, first_row: int = 2) -> Iterator[bytes]:
    """The `<row>` elements of a table (sheet row `first_row` on) as UTF-8, a block of rows at a time."""
    n = len(df.columns)
    if not n:
        return
    letters = [column_letter(i) for i in range(n)]
    columns = [col for _, col in df.items()]  # (by position: `iloc` costs several times as much a column)
    kinds = [column_kind(col) for col in columns]
    style = f' s="{float_style}"' if float_style is not None else ""
    styles = [style if float_styled(str(name), col) else "" for name, col in zip(df.columns, columns)]
    afters = [f'<c r="{letter}' for letter in letters[1:]] + ["</row>"]
    # Each column once, in the order of the sheet, so the shared strings are numbered row by row
    # within a column and column after column: the same order on every build.
    pieces = [_pieces(col, kinds[i], styles[i], afters[i], strings) for i, col in enumerate(columns)]
    for start in range(0, len(df), BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, len(df))
        cells = [table[codes[start:stop]].tolist() for table, codes in pieces]
        numbers = map(str.encode, map(str, range(first_row + start, first_row + stop)))
        rows = map(bytes.join, numbers, zip(repeat(b'<row r="'), repeat(b'"><c r="A'), *cells))
        yield b"".join(rows)
