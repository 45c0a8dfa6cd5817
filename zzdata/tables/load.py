"""Load the built tables as pandas frames with their documented dtypes, and trace a fact back.

Nothing here parses text: the tables come from `data/processed/` (built by `make data`).
When they are missing the error says exactly what to run; `zzdata.ensure_data()` builds them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core import paths, schema
from ..ingest.readers import raw_text as _raw_text
from .csvio import FORMULA_START

class DataNotBuilt(FileNotFoundError):
    """The processed tables are not there yet."""


def _processed(processed_dir: Path | None) -> Path:
    return Path(processed_dir) if processed_dir else paths.processed_dir()


def _need(path: Path) -> Path:
    if not path.exists():
        root = paths.project_root()
        raise DataNotBuilt(
            f"{path} does not exist yet. Build the tables first: run `make data` in {root} "
            "(or call zzdata.ensure_data() from Python)."
        )
    return path


def _apply_dtypes(df: pd.DataFrame, table: str) -> pd.DataFrame:
    for col, dtype in schema.dtypes(table).items():
        if col not in df.columns:
            continue
        if dtype == "string":
            df[col] = df[col].astype("string").fillna("")
        elif dtype == "bool":
            df[col] = df[col] if df[col].dtype == bool else df[col].astype(str).str.lower().eq("true")
        else:
            df[col] = df[col].astype(dtype)
    return df


def _unescape(column: pd.Series) -> pd.Series:
    """`unescape_text` for a whole column: only the cells with the guard's quote are touched."""
    text = column.astype(str)
    guarded = text.str.startswith("'") & text.str[1:2].isin(FORMULA_START)
    return text.where(~guarded, text.str[1:]) if guarded.any() else column


def read_table_csv(path: Path, table: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for col in df.columns:
        df[col] = _unescape(df[col])
    types = schema.dtypes(table)
    for col, dtype in types.items():
        if col in df.columns and dtype not in ("string", "bool"):
            df[col] = pd.to_numeric(df[col].replace("", None))
    return _apply_dtypes(df, table)


def load_facts(processed_dir: Path | None = None) -> pd.DataFrame:
    """facts.parquet: one row per printed number (see the README's column dictionary)."""
    path = _need(_processed(processed_dir) / "facts.parquet")
    return _apply_dtypes(pd.read_parquet(path), "facts")


def load_series(processed_dir: Path | None = None) -> pd.DataFrame:
    """series.csv: the chosen value per indicator, region, year, status and measure."""
    return read_table_csv(_need(_processed(processed_dir) / "series.csv"), "series")


def load_documents(processed_dir: Path | None = None) -> pd.DataFrame:
    """documents.csv: the manifest plus counts per text."""
    return read_table_csv(_need(_processed(processed_dir) / "documents.csv"), "documents")


def load_indicators(processed_dir: Path | None = None) -> pd.DataFrame:
    """indicators.csv: the catalog."""
    return read_table_csv(_need(_processed(processed_dir) / "indicators.csv"), "indicators")


def load_claims(processed_dir: Path | None = None) -> pd.DataFrame:
    """claims.csv: claims without an Arabic number (两位数, 前列, 首位 …)."""
    return read_table_csv(_need(_processed(processed_dir) / "claims.csv"), "claims")


def load_corrections(processed_dir: Path | None = None) -> pd.DataFrame:
    """corrections.csv: every hand correction of data/raw/corrections.csv with its line and
    outcome (applied, stale, refused), the fact it applied to, and why not."""
    return read_table_csv(_need(_processed(processed_dir) / "corrections.csv"), "corrections")


def load_panel(processed_dir: Path | None = None) -> pd.DataFrame:
    """panel.parquet: one row per region and year, one column per indicator and measure
    (``gdp__level``; load_panel_columns() says what each holds)."""
    path = _need(_processed(processed_dir) / "panel.parquet")
    return _apply_dtypes(pd.read_parquet(path), "panel")


def load_panel_columns(processed_dir: Path | None = None) -> pd.DataFrame:
    """panel_columns.csv: the panel's dictionary (indicator, names, measure, unit, Stata name)."""
    return read_table_csv(_need(_processed(processed_dir) / "panel_columns.csv"), "panel_columns")


def raw_text(doc: str, raw_dir: Path | None = None) -> str:
    """The raw text of a document exactly as the offsets in facts.csv index it."""
    return _raw_text(Path(raw_dir or paths.raw_dir()) / doc)


def trace(fact: pd.Series | dict | str, context: int = 60, raw_dir: Path | None = None,
          facts: pd.DataFrame | None = None, text: str | None = None) -> str:
    """Show a fact where it was printed: the raw text around it with the quantity in 【】.

    `fact` is a row of facts (or its `fact_id`); `text`, its document's raw text when the caller
    has read it already (a report tracing many facts reads each text once).
    """
    if isinstance(fact, str):
        facts = load_facts() if facts is None else facts
        match = facts[facts["fact_id"] == fact]
        if match.empty:
            raise KeyError(f"no fact with fact_id {fact!r}")
        fact = match.iloc[0]
    text = raw_text(fact["doc"], raw_dir) if text is None else text
    return trace_text(fact["doc"], text, int(fact["start"]), int(fact["end"]), context)


def trace_text(doc: str, text: str, start: int, end: int, context: int = 60, line: int | None = None) -> str:
    """:func:`trace` of the figure at `start`..`end` of `doc`'s raw `text`; `line`, its line number,
    when the caller has counted it (a report tracing many figures of a text counts on from the last)."""
    if line is None:
        line = text.count("\n", 0, start) + 1
    before = text[max(0, start - context) : start]
    after = text[end : end + context]
    return f"{doc} line {line}, chars {start}-{end}:\n…{before}【{text[start:end]}】{after}…"
