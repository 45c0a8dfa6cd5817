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
    is turned into its CSV field once (`distinct`); a line is its fields joined, the file its
    lines joined: a few C-level passes instead of the csv module's work per cell. The fields are
    encoded before they are joined, so the file is never a str to encode (Chinese text makes
    such a str twice the size of the bytes)."""
    header = ",".join(_field(str(c)) for c in df.columns)
    if len(df.columns) == 1:  # a lone empty field is written "" (the csv module's rule for such a row)
        fields = [b'""' if f == b"" else f for f in _csv_cells(df.iloc[:, 0])]
        body = b"\n".join(fields)
    else:
        body = b"\n".join(map(b",".join, zip(*(_csv_cells(df.iloc[:, i]) for i in range(len(df.columns))))))
    with open(path, "wb") as fh:
        fh.write((header + "\n").encode("utf-8"))
        if len(df) and len(df.columns):  # a table without columns is its (empty) header line
            fh.write(body)
            fh.write(b"\n")


def _has_special(text: str) -> bool:
    """Whether `text` holds a comma, a quote or a line break: such a field is written by the csv
    module (quoted), any other is itself. Four substring scans, several times faster than a regex."""
    return "," in text or '"' in text or "\r" in text or "\n" in text


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


def distinct(col: pd.Series) -> tuple[np.ndarray, list]:
    """``pd.factorize(col)`` as (codes, the distinct values as a list): -1 for a missing value, the
    values in the order they first appear. A text column kept by Arrow is encoded by Arrow itself
    (``dictionary_encode``), in half of pandas' time, to the same codes and values."""
    dtype = col.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        texts = col.array.__arrow_array__()
        if isinstance(texts, pa.ChunkedArray):  # (one dictionary for the whole column)
            texts = texts.combine_chunks()
        encoded = pc.dictionary_encode(texts)
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp)
        return codes, encoded.dictionary.to_pylist()
    codes, uniques = pd.factorize(col)
    return codes, uniques.tolist()


def _gather(texts: list[str], codes: np.ndarray) -> list[bytes]:
    """texts[code] in UTF-8 for every code, b"" for code -1 (a missing value), in one C-level pass."""
    table = np.array([*(t.encode("utf-8") for t in texts), b""], dtype=object)
    return table[codes].tolist()


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
        codes, uniques = distinct(col)
        return _gather(_text_fields(uniques), codes)
    raise TypeError(f"write_csv writes text, integer, float and boolean columns, not {dtype} ({col.name})")


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    df.to_parquet(path, index=False, engine="pyarrow", compression="zstd")
