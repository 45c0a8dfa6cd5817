"""The CSV and Parquet writers of the build, and the formula guard the loaders undo.

CSV in UTF-8 with \\n line ends and floats without exponents, so that a rerun is byte-identical.
"""

from __future__ import annotations

import csv
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
    removes it). Column types written: text, integers, floats and booleans; others raise TypeError."""
    columns = [_csv_cells(df[col]) for col in df.columns]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([str(c) for c in df.columns])
        writer.writerows(zip(*columns))


def _text_cell(v) -> str:
    if isinstance(v, str):
        return "'" + v if v[:1] in FORMULA_START else v
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    raise TypeError(f"write_csv writes text columns of strings, not {type(v).__name__} ({v!r})")


def _csv_cells(col: pd.Series) -> list[str]:
    """A column as CSV cells: the fixed float format, the formula guard, "" for a missing value."""
    dtype = col.dtype
    if dtype == bool:
        return ["True" if v else "False" for v in col.tolist()]
    if pd.api.types.is_float_dtype(dtype):
        memo: dict[float, str] = {}
        get = memo.get
        out = []
        for v in col.tolist():
            text = get(v) if v else None  # 0.0 and -0.0 are equal keys but print as 0 and -0
            if text is None:
                text = memo[v] = _fmt_float(v)
            out.append(text)
        return out
    if pd.api.types.is_integer_dtype(dtype):
        return ["" if v is None or v is pd.NA else str(int(v)) for v in col.astype(object).tolist()]
    if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        guard, cell = FORMULA_START, _text_cell
        return [v if v.__class__ is str and v[:1] not in guard else cell(v) for v in col.tolist()]
    raise TypeError(f"write_csv writes text, integer, float and boolean columns, not {dtype} ({col.name})")


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    df.to_parquet(path, index=False, engine="pyarrow", compression="zstd")
