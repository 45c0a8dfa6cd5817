"""The CSV writer: the csv module's bytes (QUOTE_MINIMAL, \\n line ends), written column by column.

The reference below is the writer before it was made column-wise (one csv.writer call per row):
the new one must write the same bytes, except that a field holding a carriage return is quoted
(the csv module of Python 3.11 left it bare, so a reader split the line there)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from zzdata.tables.csvio import FORMULA_START, distinct, unescape_text, write_csv


def _reference(df: pd.DataFrame) -> str:
    """The old writer: csv.writer over Python values, the float format and the formula guard."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([str(c) for c in df.columns])
    for row in df.astype(object).itertuples(index=False):
        cells = []
        for v in row:
            if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                cells.append("")
            elif isinstance(v, (bool, np.bool_)):
                cells.append("True" if v else "False")
            elif isinstance(v, (float, np.floating)):
                cells.append(np.format_float_positional(v, trim="-"))
            elif isinstance(v, (int, np.integer)):
                cells.append(str(int(v)))
            else:
                cells.append("'" + v if v[:1] in FORMULA_START else v)
        w.writerow(cells)
    return buf.getvalue()


def _written(df: pd.DataFrame, tmp_path) -> str:
    path = tmp_path / "t.csv"
    write_csv(df, path)
    return path.read_bytes().decode("utf-8")


def test_same_bytes_as_the_csv_module(tmp_path):
    df = pd.DataFrame({
        "t": pd.array(["=a", "", None, "a,b", 'x"y', "l\nm", " sp", "-1", "\tq", "郑"], dtype="string"),
        "o": pd.Series(["a", None, np.nan, pd.NA, "+", "é", "b", "c", "", "d"], dtype=object),
        "f": [0.0, -0.0, np.nan, np.inf, -np.inf, 1e20, 1e-9, 0.1 + 0.2, -0.0, 5.0],
        "i": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, -10], dtype="Int64"),
        "n": np.arange(10, dtype="int64") * 10**15,
        "b": [True, False] * 5,
    })
    assert _written(df, tmp_path) == _reference(df)
    assert "-0," in _written(df, tmp_path)  # -0.0 keeps its sign, as the csv module wrote it


def test_a_carriage_return_is_quoted(tmp_path):
    df = pd.DataFrame({"a": ["x\ry", "\rz"], "b": ["1", "2"]})
    text = _written(df, tmp_path)
    assert text == 'a,b\n"x\ry",1\n"\'\rz",2\n'
    assert _written(df.astype(object), tmp_path) == text  # text kept by Python, as by Arrow
    back = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False)
    assert back["a"].map(unescape_text).tolist() == ["x\ry", "\rz"]


def test_one_column_and_no_column(tmp_path):
    assert _written(pd.DataFrame({"x": ["", "a", None, "b,c"]}), tmp_path) == 'x\n""\na\n""\n"b,c"\n'
    assert _written(pd.DataFrame(index=range(3)), tmp_path) == "\n"
    assert _written(pd.DataFrame({"a": pd.Series([], dtype="string")}), tmp_path) == "a\n"


def test_other_types_are_refused(tmp_path):
    import pytest

    with pytest.raises(TypeError, match="int"):
        write_csv(pd.DataFrame({"a": pd.Series(["x", 1], dtype=object), "b": [1, 2]}), tmp_path / "t.csv")
    with pytest.raises(TypeError, match="datetime"):
        write_csv(pd.DataFrame({"a": pd.to_datetime(["2000-01-01"]), "b": [1]}), tmp_path / "t.csv")


_text = st.text(alphabet=st.sampled_from(list(',"\n =+-@\tab郑 ')), max_size=8)  # (a CR: the test below)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_text, _text, st.floats(allow_nan=True, allow_infinity=True)), max_size=12))
def test_random_text_round_trips(tmp_path_factory, rows):
    """Text kept by Arrow (pandas' string dtype: large_string; and Arrow's string, in two chunks, as
    a table read from Parquet may have it) and by Python (object): the same bytes as the csv module."""
    import pyarrow as pa

    tmp_path = tmp_path_factory.mktemp("csv")
    df = pd.DataFrame(rows, columns=["a", "b", "v"]).astype({"a": "string", "b": object, "v": "float64"})
    firsts = [r[0] for r in rows]
    chunks = pa.chunked_array([firsts[: len(firsts) // 2], firsts[len(firsts) // 2 :]], type=pa.string())
    df["c"] = pd.arrays.ArrowStringArray(chunks) if rows else pd.array([], dtype="string[pyarrow]")
    assert _written(df, tmp_path) == _reference(df)
    back = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False, lineterminator="\n")
    for col in ("a", "b", "c"):
        assert back[col].map(unescape_text).tolist() == df[col].tolist()


def test_a_zero_after_a_negative_zero_keeps_its_own_sign(tmp_path):
    # Found by the random test: pandas' factorize takes -0.0 and 0.0 for one value.
    df = pd.DataFrame({"v": [-0.0, 0.0, 1.0, -0.0]})
    assert _written(df, tmp_path) == _reference(df) == "v\n-0\n0\n1\n-0\n"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["", "郑州", "a,b", "=1", "二七区"]), st.text(max_size=6)),
                max_size=40), st.integers(min_value=1, max_value=4))
def test_distinct_is_pandas_factorize_whatever_the_column_keeps(values, pieces):
    """Arrow-kept text (in one piece or several), Python-kept text and integers with missing
    values: the codes and distinct values pandas' factorize gives."""
    import pyarrow as pa

    chunks = [values[i::pieces] for i in range(pieces)]  # several chunks of one column
    ordered = [v for chunk in chunks for v in chunk]
    columns = [pd.Series(values, dtype="string[pyarrow]"), pd.Series(values, dtype=object),
               pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.string())))
               if ordered else pd.Series([], dtype="string[pyarrow]"),
               pd.Series([None if v is None else len(v) for v in values], dtype="Int64")]
    for col in columns:
        codes, uniques = distinct(col)
        want_codes, want_uniques = pd.factorize(col)
        assert codes.dtype == want_codes.dtype and np.array_equal(codes, want_codes)
        assert uniques == want_uniques.tolist()
