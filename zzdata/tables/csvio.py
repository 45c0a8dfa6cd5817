"""The CSV and Parquet writers of the build, and the formula guard the loaders undo.

CSV in UTF-8 with \\n line ends and floats without exponents, so that a rerun is byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: A CSV text cell starting with one of these would be a formula in a spreadsheet: the build
#: writes it with a leading quote (write_csv), the loaders remove the quote (unescape_text).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BLOCK_ROWS = 8192  # rows joined and written at a time (write_csv)


def unescape_text(value):
    """Undo the CSV guard that keeps a cell beginning with = + - @ from becoming a formula."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _fmt_float(v: float) -> str:
    if pd.isna(v):
        return ""
    return np.format_float_positional(v, trim="-")


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """CSV in UTF-8 with \\n line ends; floats without exponents so a rerun is byte-identical;
    a text cell that would start a spreadsheet formula gets a leading quote (load.unescape_text
    removes it). Column types written: text, integers, floats and booleans; others raise TypeError.

    The bytes are the csv module's (QUOTE_MINIMAL), except that a field holding a carriage return
    is quoted, so that a reader never takes it for a line end. Each distinct value of a column
    is turned into its CSV field once (`distinct`; a text column kept by Arrow, by Arrow); a line
    is its fields joined, a block of BLOCK_ROWS lines joined and written at a time: a few C-level
    passes instead of the csv module's work per cell. The fields are encoded before they are
    joined, so the file is never a str to encode (Chinese text makes such a str twice the size of
    the bytes)."""
    header = ",".join(_field(str(c)) for c in df.columns)
    with open(path, "wb") as fh:
        fh.write((header + "\n").encode("utf-8"))
        if not (len(df) and len(df.columns)):  # a table without columns is its (empty) header line
            return
        if len(df.columns) == 1:  # a lone empty field is written "" (the csv module's rule for such a row)
            cells = [[b'""' if f == b"" else f for f in _csv_cells(df.iloc[:, 0])]]
        else:
            cells = [_csv_cells(df.iloc[:, i]) for i in range(len(df.columns))]
        # A block of rows at a time: the blocks' memory is used again for the next, not a file's
        # worth of it taken fresh from the system (a page fault for every 4 kB of it).
        for start in range(0, len(df), BLOCK_ROWS):
            block = zip(*(column[start : start + BLOCK_ROWS] for column in cells))
            fh.write(b"\n".join(map(b",".join, block)) + b"\n")


#: The characters that make the csv module quote a field (QUOTE_MINIMAL, with a carriage return).
QUOTED_IF = (",", '"', "\r", "\n")


def _has_special(text: str) -> bool:
    """Whether `text` holds a comma, a quote or a line break (QUOTED_IF): such a field is written by
    the csv module (quoted), any other is itself. Substring scans, several times faster than a regex."""
    return any(c in text for c in QUOTED_IF)


def _char_class(chars) -> str:
    """A regular expression (RE2, Arrow's) matching any one of `chars`."""
    return "[" + "".join(f"\\x{{{ord(c):02x}}}" for c in chars) + "]"


def _field(text: str) -> str:
    """One text as its CSV field: quoted as the csv module quotes it (QUOTE_MINIMAL: in quotes,
    each quote doubled) when it holds a comma, a quote or a line break, as it is otherwise."""
    if not _has_special(text):
        return text
    return '"' + text.replace('"', '""') + '"'  # the csv module's QUOTE_MINIMAL field (tests/test_csvio.py)


def _text_field(v) -> str:
    if isinstance(v, str):
        return _field("'" + v if v[:1] in FORMULA_START else v)
    raise TypeError(f"write_csv writes text columns of strings, not {type(v).__name__} ({v!r})")


def _text_fields(texts: list) -> list[str]:
    """`_text_field` of each of many distinct values: when they are all strings and none holds a
    character that needs quoting (one search over them all), each is itself, with the formula
    guard where it needs one; otherwise one by one."""
    if all(t.__class__ is str for t in texts) and not _has_special("".join(texts)):
        return ["'" + t if t[:1] in FORMULA_START else t for t in texts]
    return [_text_field(t) for t in texts]


def _arrow_texts(col: pd.Series):
    """A text column kept by Arrow (pandas' pyarrow string dtype) as one Arrow array; None for others."""
    dtype = col.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa

    texts = col.array.__arrow_array__()
    return texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts  # (one dictionary for all)


def _arrow_distinct(texts) -> tuple[np.ndarray, object]:
    """(codes, the distinct texts as an Arrow array) of an Arrow text array: -1 for a missing value."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(texts)
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp), encoded.dictionary


def distinct(col: pd.Series) -> tuple[np.ndarray, list]:
    """``pd.factorize(col)`` as (codes, the distinct values as a list): -1 for a missing value, the
    values in the order they first appear. A text column kept by Arrow is encoded by Arrow itself
    (``dictionary_encode``), in half of pandas' time, to the same codes and values."""
    texts = _arrow_texts(col)
    if texts is not None:
        codes, uniques = _arrow_distinct(texts)
        return codes, uniques.to_pylist()
    codes, uniques = pd.factorize(col)
    return codes, uniques.tolist()


def _arrow_text_fields(texts) -> list[bytes]:
    """`_text_field` of each of the texts of an Arrow string array, in UTF-8, made by Arrow: the
    formula guard and the quoting are searches over all of them at once (and, where one needs it, a
    replacement), and the bytes are Arrow's own, never decoded into a str and encoded again."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def text(value: str):  # a scalar of the array's own type (large_string from pandas)
        return pa.scalar(value, type=texts.type)

    first = pc.utf8_slice_codeunits(texts, 0, 1)
    guard = pc.is_in(first, value_set=pa.array(FORMULA_START, type=texts.type))
    if pc.any(guard).as_py():
        texts = pc.if_else(guard, pc.binary_join_element_wise(text("'"), texts, text("")), texts)
    # Every text's bytes, one after the other: most columns hold none of these characters (ASCII:
    # in UTF-8 their bytes are never part of another character's).
    data = texts.buffers()[2]
    raw = data.to_pybytes() if data is not None else b""
    if any(c.encode("ascii") in raw for c in QUOTED_IF):
        special = pc.match_substring_regex(texts, _char_class(QUOTED_IF))
        doubled = pc.replace_substring(texts, '"', '""')  # the csv module's QUOTE_MINIMAL field: in quotes, each doubled
        texts = pc.if_else(special, pc.binary_join_element_wise(text('"'), doubled, text('"'), text("")), texts)
    return texts.cast(pa.large_binary() if pa.types.is_large_string(texts.type) else pa.binary()).to_pylist()


def _take(fields: list[bytes], codes: np.ndarray) -> list[bytes]:
    """fields[code] for every code, b"" for code -1 (a missing value), in one C-level pass."""
    return np.array([*fields, b""], dtype=object)[codes].tolist()


def _gather(texts: list[str], codes: np.ndarray) -> list[bytes]:
    """texts[code] in UTF-8 for every code, b"" for code -1 (a missing value)."""
    return _take([t.encode("utf-8") for t in texts], codes)


def _csv_cells(col: pd.Series) -> list[bytes]:
    """A column as CSV fields in UTF-8: the fixed float format, the formula guard, quoting, empty
    for a missing value. Each distinct value is formatted and encoded once."""
    dtype = col.dtype
    if dtype == bool:
        return np.where(col.to_numpy(), b"True", b"False").tolist()
    if pd.api.types.is_float_dtype(dtype):
        values = col.to_numpy(dtype="float64", na_value=np.nan)
        codes, uniques = pd.factorize(values)
        out = _gather([_fmt_float(u) for u in uniques.tolist()], codes)
        # factorize counts -0.0 and 0.0 as one value, written as whichever came first: each zero
        # gets its own sign back.
        negative = np.signbit(values)
        for i in np.flatnonzero(values == 0).tolist():
            out[i] = b"-0" if negative[i] else b"0"
        return out
    if pd.api.types.is_integer_dtype(dtype):
        codes, uniques = distinct(col)
        return _gather([str(int(u)) for u in uniques], codes)
    if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        texts = _arrow_texts(col)
        if texts is not None:
            codes, uniques = _arrow_distinct(texts)
            return _take(_arrow_text_fields(uniques), codes)
        codes, uniques = distinct(col)
        return _gather(_text_fields(uniques), codes)
    raise TypeError(f"write_csv writes text, integer, float and boolean columns, not {dtype} ({col.name})")


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    df.to_parquet(path, index=False, engine="pyarrow", compression="zstd")
