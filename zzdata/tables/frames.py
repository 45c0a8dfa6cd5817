"""The build's tables as the contract's DataFrames (data/columns.csv): the facts and claims the
extraction made (extracting.py's Arrow tables), the documents with what the build learned of each
text, the indicator catalog; and the files of the extraction's own tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet  # noqa: F401 - pandas' to_parquet imports it: once in the build's process, not in each fork

from ..core import catalog, schema
from ..ingest.manifest import REQUIRED_COLUMNS, Source
from .csvio import distinct, write_csv, write_parquet

if TYPE_CHECKING:
    from .extracting import Extraction


def extracted(extraction: Extraction, defer_store: bool = False):
    """What a started extraction made (extracting.Extraction), as the contract's facts, documents
    and claims DataFrames; `defer_store` as in Extraction.tables."""
    fact_table, claims, infos = extraction.tables(defer_store)
    facts = facts_frame(fact_table)
    del fact_table
    pool = pa.default_memory_pool()
    if pool.backend_name != "system":  # (the system's pool is glibc's heap, which the CLI's build keeps)
        pool.release_unused()  # the entries' memory back to the system, not kept for later
    docs = documents_frame(extraction.ordered, infos, facts)
    return facts, docs, claims.to_pandas()


def facts_frame(table) -> pd.DataFrame:
    """The facts table (an Arrow table with FACT_COLUMNS) as the contract's DataFrame:
    column order, dtypes (`year` nullable Int64), sorted by document and offset."""
    df = _nullable_ints(table.to_pandas(), "facts")
    return df.sort_values(["doc", "start"], kind="stable").reset_index(drop=True)


def documents_frame(sources: list[Source], infos: dict[str, dict], facts: pd.DataFrame) -> pd.DataFrame:
    """The manifest plus what the build learned of each text (encoding, size, hash, fact counts)."""
    # Counted once for all documents, each fact's document numbered once (filtering the table once
    # per document is quadratic); it is the step between the extraction and the next ones, on one core.
    codes, names = distinct(facts["doc"])
    known = codes >= 0  # (a fact without a document is counted nowhere)
    masks = {
        "n_facts": known,
        "n_with_indicator": known & facts["indicator"].ne("").to_numpy(dtype=bool, na_value=False),
        **{f"n_{s}": known & facts["status"].eq(s).to_numpy(dtype=bool, na_value=False)
           for s in ("actual", "target", "cumulative")},
    }
    counted = {key: np.bincount(codes[mask], minlength=len(names)).tolist() for key, mask in masks.items()}
    number = {name: i for i, name in enumerate(names)}
    rows = []
    for s in sorted(sources, key=lambda s: s.file):
        i = number.get(s.file)  # (None: a text without facts)
        info = infos.get(s.file) or {}
        row = {c: getattr(s, c) for c in REQUIRED_COLUMNS}
        row.update(dict(s.extra))
        row.update({
            "format": info.get("format", ""),
            "extractor": info.get("extractor", ""),
            "encoding": info.get("encoding", ""),
            "chars": info.get("chars", 0),
            "sha256": info.get("sha256", ""),
            **{key: 0 if i is None else n[i] for key, n in counted.items()},
        })
        rows.append(row)
    # A manifest without rows still gives the table its columns (and the later steps their keys).
    df = pd.DataFrame(rows) if rows else pd.DataFrame(columns=schema.columns("documents"))
    return _nullable_ints(df, "documents")


def _nullable_ints(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """The columns data/columns.csv gives as Int64 (years that may be missing) with that dtype:
    built from Python values they arrive as float64 or object."""
    for col, dtype in schema.dtypes(table).items():
        if dtype == "Int64":
            df[col] = df[col].astype("Int64")
    return df


def indicators_frame() -> pd.DataFrame:
    """The catalog as shipped in the package, its numbers (break_year, min, max, max_ratio) as
    the numbers data/columns.csv says they are, so the workbook holds them as numbers."""
    df = pd.DataFrame(catalog.indicator_rows())
    for col, dtype in schema.dtypes("indicators").items():
        if col in df.columns and dtype in ("Int64", "float64"):
            df[col] = pd.to_numeric(df[col].replace("", None)).astype(dtype)
    return df


def write_extracted(folder: Path, facts: pd.DataFrame, docs: pd.DataFrame, claims: pd.DataFrame) -> None:
    """The extraction's own tables: facts.parquet, then facts, documents and claims as CSV."""
    write_parquet(facts, folder / "facts.parquet")
    write_csvs(folder, {"facts.csv": facts, "documents.csv": docs, "claims.csv": claims})


def write_csvs(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    for name, df in tables.items():
        write_csv(df, folder / name)
