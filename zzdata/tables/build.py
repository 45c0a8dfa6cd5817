"""`make data`: raw texts + manifest -> data/processed/ (facts, documents, indicators, series, Excel).

Incremental (a fingerprint of the inputs and the package), deterministic (sorted rows, fixed
float formatting, no timestamps in any file) and atomic (everything is written to a temporary
folder first; the previous outputs are replaced only when the whole build has succeeded).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from operator import itemgetter
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..core import catalog, paths, schema
from . import stamp
from ..core.errors import BuildError, InputError
from ..extract.claims import CLAIM_COLUMNS, extract_claims
from ..extract.facts import FACT_COLUMNS, extract_document
from .csvio import write_csv, write_parquet
from ..ingest.manifest import REQUIRED_COLUMNS, Source, read_manifest
from ..ingest.readers import read_raw


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


_FACT_FIELDS = itemgetter(*FACT_COLUMNS)
_CLAIM_FIELDS = itemgetter(*CLAIM_COLUMNS)


def _extract_one(args: tuple[Source, str]) -> tuple[str, dict | None, list[dict], list[dict], str | None]:
    """Read and extract one text (in a worker process): (file, info, facts, claims, error)."""
    source, raw_dir = args
    path = Path(raw_dir) / source.file
    try:
        decoded = read_raw(path)
    except InputError as err:
        return source.file, None, [], [], str(err)
    facts = extract_document(source, decoded.text)
    claims = extract_claims(source.file, decoded.text)  # clean() reuses the clean text of the facts
    info = {
        "encoding": decoded.encoding,
        "chars": len(decoded.text),
        "sha256": decoded.sha256,
    }
    return source.file, info, facts, claims, None


CHUNK = 10  # texts per task: enough to make the per-task cost small, few enough that no core idles at the end
_ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "int64": pa.int64(), "float64": pa.float64(),
                "bool": pa.bool_()}


def _arrow_schema(table: str, names: list[str]) -> pa.Schema:
    """The Arrow types of a table's columns, from their dtypes in data/columns.csv (text when a
    column is not listed there)."""
    dtypes = schema.dtypes(table)
    return pa.schema([(name, _ARROW_TYPES[dtypes.get(name, "string")]) for name in names])


_FACT_SCHEMA = _arrow_schema("facts", FACT_COLUMNS)
_CLAIM_SCHEMA = _arrow_schema("claims", CLAIM_COLUMNS)


def _batch(columns: list[list], arrow_schema: pa.Schema) -> pa.RecordBatch:
    """Columns of Python values as one Arrow record batch.

    Arrow crosses the process boundary as a few buffers and becomes a DataFrame with the
    pandas string dtype without converting each string again in the main process."""
    arrays = [pa.array(values, type=t) for values, t in zip(columns, arrow_schema.types)]
    return pa.record_batch(arrays, schema=arrow_schema)


def _extract_chunk(items: list[tuple[Source, str]]) -> tuple[list[tuple[str, dict | None, int, str | None]], object, object]:
    """Extract a run of texts (in a worker process): per text (file, info, facts, error), and
    the facts and the claims of all of them as Arrow record batches."""
    docs = []
    fact_cols: list[list] = [[] for _ in FACT_COLUMNS]
    claim_cols: list[list] = [[] for _ in CLAIM_COLUMNS]
    for item in items:
        name, info, facts, claims, err = _extract_one(item)
        for col, values in zip(fact_cols, zip(*map(_FACT_FIELDS, facts))):  # rows -> columns
            col.extend(values)
        for col, values in zip(claim_cols, zip(*map(_CLAIM_FIELDS, claims))):
            col.extend(values)
        docs.append((name, info, len(facts), err))
    return docs, _batch(fact_cols, _FACT_SCHEMA), _batch(claim_cols, _CLAIM_SCHEMA)


def extract_all(raw_dir: Path, sources: list[Source], jobs: int = 1,
                quiet: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Facts, documents and claims for every source; raises BuildError listing unreadable files."""
    work = [(s, str(raw_dir)) for s in sorted(sources, key=lambda s: s.file)]
    parallel = jobs > 1 and len(work) > 8
    size = max(1, min(CHUNK, -(-len(work) // (jobs * 4)))) if parallel else CHUNK  # at least 4 tasks per process
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    if parallel:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_extract_chunk, chunks))
    else:
        results, done = [], 0
        for chunk in chunks:
            results.append(_extract_chunk(chunk))
            for name, _, n, _ in results[-1][0]:
                done += 1
                if len(work) <= 50 or done % 100 == 0:
                    _log(f"  [{done}/{len(work)}] {name}: {n} facts", quiet)
    errors = [err for docs, _, _ in results for *_, err in docs if err]
    if errors:
        raise BuildError("\n".join(errors))
    infos = {name: info for docs, _, _ in results for name, info, _, _ in docs}
    facts = facts_frame(pa.Table.from_batches([r[1] for r in results], schema=_FACT_SCHEMA))
    claims = pa.Table.from_batches([r[2] for r in results], schema=_CLAIM_SCHEMA)
    del results
    docs = documents_frame(sources, infos, facts)
    return facts, docs, claims.to_pandas()


def facts_frame(table) -> pd.DataFrame:
    """The facts table (an Arrow table with FACT_COLUMNS) as the contract's DataFrame:
    column order, dtypes (`year` nullable Int64), sorted by document and offset."""
    df = _nullable_ints(table.to_pandas(), "facts")
    return df.sort_values(["doc", "start"], kind="stable").reset_index(drop=True)


def documents_frame(sources: list[Source], infos: dict[str, dict], facts: pd.DataFrame) -> pd.DataFrame:
    """The manifest plus what the build learned of each text (encoding, size, hash, fact counts)."""
    # Counted once for all documents (filtering the table once per document is quadratic).
    counts: dict[str, Counter] = {}
    doc = facts["doc"]
    tallies = {
        "n_facts": doc.value_counts(),
        "n_with_indicator": doc[facts["indicator"].ne("")].value_counts(),
        **{status: doc[facts["status"].eq(status)].value_counts() for status in ("actual", "target", "cumulative")},
    }
    for key, tally in tallies.items():
        for name, value in tally.items():
            counts.setdefault(name, Counter())[key] = int(value)
    rows = []
    for s in sorted(sources, key=lambda s: s.file):
        n = counts.get(s.file, Counter())
        info = infos.get(s.file) or {}
        row = {c: getattr(s, c) for c in REQUIRED_COLUMNS}
        row.update(dict(s.extra))
        row.update({
            "encoding": info.get("encoding", ""),
            "chars": info.get("chars", 0),
            "sha256": info.get("sha256", ""),
            "n_facts": int(n["n_facts"]),
            "n_with_indicator": int(n["n_with_indicator"]),
            "n_actual": int(n["actual"]),
            "n_target": int(n["target"]),
            "n_cumulative": int(n["cumulative"]),
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
    """The catalog as shipped in the package."""
    return pd.DataFrame(catalog.indicator_rows())


def build(raw_dir: Path, out_dir: Path, force: bool = False, jobs: int = 1, quiet: bool = False) -> bool:
    """Build out_dir from raw_dir. Returns False when it was already up to date."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    digest = stamp.fingerprint(raw_dir)
    if not force and stamp.is_current(raw_dir, out_dir, digest):
        _log(f"{out_dir} is up to date", quiet)
        return False
    t0 = time.perf_counter()
    sources = read_manifest(raw_dir)
    _log(f"Reading {len(sources)} texts from {raw_dir}", quiet)
    facts, docs, claims = extract_all(raw_dir, sources, jobs=jobs, quiet=quiet)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir.parent))
    try:
        # The facts first: they are what every other table is derived from.
        write_parquet(facts, tmp / "facts.parquet")
        write_csv(facts, tmp / "facts.csv")
        write_csv(docs, tmp / "documents.csv")
        write_csv(claims, tmp / "claims.csv")
        from ..series import choice
        from . import excel

        series = choice.build_series(facts, docs)
        indicators = indicators_frame()
        write_csv(indicators, tmp / "indicators.csv")
        write_csv(series, tmp / "series.csv")
        excel.write_workbook(tmp / "zhengzhou.xlsx", facts=facts, indicators=indicators, documents=docs,
                             series=series)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in stamp.OUTPUTS:
            (tmp / name).replace(out_dir / name)
        stamp.write_stamp(out_dir, digest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n_ind = int((facts["indicator"] != "").sum())
    _log(f"Wrote {len(facts)} facts ({n_ind} with a catalog indicator) from {len(docs)} texts to {out_dir} "
         f"in {time.perf_counter() - t0:.1f} s", quiet)
    return True


def ensure_data(quiet: bool = True) -> Path:
    """Build data/processed/ if it is missing or out of date; return its path."""
    build(paths.raw_dir(), paths.processed_dir(), quiet=quiet)
    return paths.processed_dir()
