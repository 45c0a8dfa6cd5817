"""`make data`: raw texts + manifest -> data/processed/ (facts, documents, indicators, series, claims,
the panel, Excel).

Incremental (a fingerprint of the inputs and of the package rooms the build runs, stamp.py;
a per-document cache in data/interim/docs, cache.py, so that only a changed text or manifest row
is extracted again), deterministic (sorted rows, fixed float formatting, no timestamps in
any file; the same bytes with or without the cache) and atomic (everything is written to a
staging folder first, which takes the output folder's place in one step when the whole build
has succeeded, publish.py: a build killed at any moment leaves the previous outputs whole).
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from operator import itemgetter
from typing import Callable, Optional
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..core import catalog, paths, schema
from . import cache, publish, stamp
from .background import Background
from ..core.errors import BuildError, InputError
from ..correct import CORRECTION_COLUMNS, stage as correct_stage
from ..extract.claims import CLAIM_COLUMNS
from ..extract.document import read_document
from ..extract.facts import FACT_COLUMNS
from .csvio import write_csv, write_parquet
from ..ingest.manifest import REQUIRED_COLUMNS, Source, read_manifest
from ..ingest.readers import read_raw


#: What runs on the tables of a build before they are published (see build's `then`).
Then = Callable[[Path, dict], Optional[Callable[[], None]]]


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


#: The facts columns the extraction makes (the corrections stage adds the others).
EXTRACTED_COLUMNS = [c for c in FACT_COLUMNS if c not in CORRECTION_COLUMNS]
_FACT_FIELDS = itemgetter(*EXTRACTED_COLUMNS)
_CLAIM_FIELDS = itemgetter(*CLAIM_COLUMNS)


def _extract_one(args: tuple[Source, str]) -> tuple[str, dict | None, list[dict], list[dict], str | None]:
    """Read and extract one text (in a worker process): (file, info, facts, claims, error)."""
    source, raw_dir = args
    path = Path(raw_dir) / source.file
    try:
        decoded = read_raw(path)
    except InputError as err:
        return source.file, None, [], [], str(err)
    facts, claims = read_document(source, decoded.text)  # the text cleaned once for both
    info = {
        "format": decoded.format,
        "extractor": decoded.extractor,
        "encoding": decoded.encoding,
        "chars": len(decoded.text),
        "sha256": decoded.sha256,
    }
    return source.file, info, facts, claims, None


EXTRACTED_NICE = 5  # the priority of the step writing the extraction's tables (Background `nice`)
CHUNK = 10  # texts per task: enough to make the per-task cost small, few enough that no core idles at the end
_ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "int64": pa.int64(), "float64": pa.float64(),
                "bool": pa.bool_()}


def _arrow_schema(table: str, names: list[str]) -> pa.Schema:
    """The Arrow types of a table's columns, from their dtypes in data/columns.csv (text when a
    column is not listed there)."""
    dtypes = schema.dtypes(table)
    return pa.schema([(name, _ARROW_TYPES[dtypes.get(name, "string")]) for name in names])


_FACT_SCHEMA = _arrow_schema("facts", EXTRACTED_COLUMNS)
_CLAIM_SCHEMA = _arrow_schema("claims", CLAIM_COLUMNS)


def _batch(columns: list[list], arrow_schema: pa.Schema) -> pa.RecordBatch:
    """Columns of Python values as one Arrow record batch (one conversion per column).

    The cache stores each text's slice of it as Arrow buffers, which the main process reads
    and turns into a DataFrame with the pandas string dtype without converting each string again."""
    arrays = [pa.array(values, type=t) for values, t in zip(columns, arrow_schema.types)]
    return pa.record_batch(arrays, schema=arrow_schema)


def _extract_chunk(task: tuple[str, str, list[Source]]) -> list[tuple[str, str | None, bytes | None, int, str | None]]:
    """Extract a run of texts (in a worker process) and make each its cache entry: per text
    (file, cache key, the entry's bytes, number of facts, error).

    The key is made from the bytes the worker read, so a file changed during the build is
    stored under what it now holds. The main process stores the bytes sent back (cache.put_many)
    and decodes them with `decode`, as it decodes an entry of an earlier build (the same bytes
    give the same outputs whichever way they came). The rows of the whole run
    become Arrow arrays at once (one conversion per column, not one per column and text); each
    text's entry is its slice."""
    raw_dir, extract_fingerprint, sources = task
    done = []
    fact_cols: list[list] = [[] for _ in EXTRACTED_COLUMNS]
    claim_cols: list[list] = [[] for _ in CLAIM_COLUMNS]
    for source in sources:
        name, info, facts, claims, err = _extract_one((source, raw_dir))
        for col, values in zip(fact_cols, zip(*map(_FACT_FIELDS, facts))):  # rows -> columns
            col.extend(values)
        for col, values in zip(claim_cols, zip(*map(_CLAIM_FIELDS, claims))):
            col.extend(values)
        done.append((source, name, info, len(facts), len(claims), err))
    fact_batch, claim_batch = _batch(fact_cols, _FACT_SCHEMA), _batch(claim_cols, _CLAIM_SCHEMA)
    out = []
    nf = nc = 0
    for source, name, info, n_facts, n_claims, err in done:
        if err:
            out.append((name, None, None, 0, err))
            continue
        key = cache.doc_key(source, info["sha256"], extract_fingerprint)
        data = cache.encode(key, info, fact_batch.slice(nf, n_facts), claim_batch.slice(nc, n_claims))
        nf, nc = nf + n_facts, nc + n_claims
        out.append((name, key, data, n_facts, None))
    return out


def extract_all(raw_dir: Path, sources: list[Source], jobs: int = 1, quiet: bool = False,
                doc_cache: cache.DocCache | None = None, raw: dict[str, str] | None = None,
                force: bool = False, defer_store: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Facts, documents and claims for every source; raises BuildError listing unreadable files.

    With `doc_cache`, a text whose entry is in the cache (same bytes, same manifest fields,
    same extraction code) is read from there, and only the others are extracted (`force`:
    every text is); `raw` is file -> sha256 of its bytes (stamp.raw_digests), computed here
    when not given. The entries of the texts extracted are stored before this returns, or, with
    `defer_store`, left in `doc_cache.pending` for the caller to store (`DocCache.flush`)."""
    ordered = sorted(sources, key=lambda s: s.file)
    store = doc_cache if doc_cache is not None else cache.DocCache(None, "")  # no cache: keys unused
    entries: dict[str, cache.Entry] = {}
    misses: list[Source] = []
    keys: dict[str, str] = {}  # file -> its key, for the texts the cache may hold
    if store.folder is not None and not force:
        for s in ordered:
            sha = raw.get(s.file) if raw is not None else _sha256(Path(raw_dir) / s.file)
            if sha:
                keys[s.file] = store.key(s, sha)
    found = store.get_many(list(keys.values()), _FACT_SCHEMA, _CLAIM_SCHEMA)
    for s in ordered:
        key = keys.get(s.file)
        if key in found:
            entries[s.file] = found[key]
            store.used.add(key)
        else:
            misses.append(s)
    del found
    store.hits += len(entries)
    if entries:
        _log(f"  {len(entries)} of {len(ordered)} texts unchanged, read from the cache in {store.folder}", quiet)

    parallel = jobs > 1 and len(misses) > 8
    size = max(1, min(CHUNK, -(-len(misses) // (jobs * 4)))) if parallel else CHUNK  # at least 4 tasks per process
    tasks = [(str(raw_dir), store.extract_fingerprint, misses[i : i + size])
             for i in range(0, len(misses), size)]
    errors: list[str] = []

    def take(done: tuple) -> None:
        """A text a worker extracted: its entry, decoded from the bytes it sent (while the workers go on)."""
        name, key, data, _, err = done
        store.extracted += 1
        if err:
            errors.append(err)
            return
        entries[name] = cache.decode(data, key, _FACT_SCHEMA, _CLAIM_SCHEMA, trusted=True)
        store.used.add(key)
        store.pending.append((key, data))  # stored by flush(), below or by the caller

    if parallel:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for chunk in pool.map(_extract_chunk, tasks):
                for done in chunk:
                    take(done)
    else:
        for task in tasks:
            for done in _extract_chunk(task):
                take(done)
                if len(misses) <= 50 or store.extracted % 100 == 0:
                    _log(f"  [{store.extracted}/{len(misses)}] {done[0]}: {done[3]} facts", quiet)
    if not defer_store:
        store.flush()  # before any error is raised: what was extracted is kept
    if errors:
        raise BuildError("\n".join(errors))
    infos = {name: entry.info for name, entry in entries.items()}
    # One chunk per column: how the rows were batched (per document, per worker task) must not
    # reach the files (the Parquet writer's pages follow the chunks), and one chunk converts faster.
    fact_table = pa.Table.from_batches([entries[s.file].facts for s in ordered], schema=_FACT_SCHEMA).combine_chunks()
    claims = pa.Table.from_batches([entries[s.file].claims for s in ordered], schema=_CLAIM_SCHEMA).combine_chunks()
    del entries  # the entries' bytes, before the DataFrame is made
    facts = facts_frame(fact_table)
    del fact_table
    pa.default_memory_pool().release_unused()  # the entries' memory back to the system, not kept for later
    docs = documents_frame(sources, infos, facts)
    return facts, docs, claims.to_pandas()


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


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
            "format": info.get("format", ""),
            "extractor": info.get("extractor", ""),
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
    """The catalog as shipped in the package, its numbers (break_year, min, max, max_ratio) as
    the numbers data/columns.csv says they are, so the workbook holds them as numbers."""
    df = pd.DataFrame(catalog.indicator_rows())
    for col, dtype in schema.dtypes("indicators").items():
        if col in df.columns and dtype in ("Int64", "float64"):
            df[col] = pd.to_numeric(df[col].replace("", None)).astype(dtype)
    return df


def build(raw_dir: Path, out_dir: Path, force: bool = False, jobs: int = 1, quiet: bool = False,
          cache_dir: Path | None | bool = None, then: Then | None = None) -> bool:
    """Build out_dir from raw_dir. Returns False when it was already up to date.

    Each text's facts and claims are kept in the per-document cache (tables/cache.py) in
    `cache_dir`, by default `out_dir.parent / "interim" / "docs"` (data/interim/docs beside
    data/processed; False: no cache), and read from there while the text, its manifest fields and the
    extraction code are unchanged. `force` rebuilds even when up to date and extracts every
    text again (rewriting its entry). The outputs are byte for byte the same either way.
    `then` (the validation, given by the CLI: this room does not import the later ones) is called
    with the staging folder and the tables (facts, documents, claims, series, corrections, and the
    series' candidates) while the
    workbook is still being written in another process: what it writes into the folder is
    published with the tables, and the function it returns (if any) runs once they are."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    publish.recover(out_dir)  # what a killed build left: its staging folder, the previous outputs set aside
    raw = stamp.raw_digests(raw_dir)
    stages = stamp.stage_fingerprints()
    digest = stamp.fingerprint(raw_dir, raw, stages)
    if not force and stamp.is_current(raw_dir, out_dir, digest):
        _log(f"{out_dir} is up to date", quiet)
        return False
    t0 = time.perf_counter()
    sources = read_manifest(raw_dir)
    _log(f"Reading {len(sources)} texts from {raw_dir}", quiet)
    folder = None if cache_dir is False else cache.folder_for(out_dir) if cache_dir in (None, True) else Path(cache_dir)
    doc_cache = cache.DocCache(folder, stages["extract"])
    tmp = publish.staging(out_dir)
    steps: list[Background] = []
    finish = None
    try:
        facts, docs, claims = extract_all(raw_dir, sources, jobs=jobs, quiet=quiet, doc_cache=doc_cache, raw=raw,
                                          force=force, defer_store=True)
        facts, docs, corrections = correct_stage.run(raw_dir, facts, docs, say=lambda m: _log(m, quiet))
        from ..series import choice
        from . import excel, panel

        # With more than one job, two steps run in forked copies of this process (background.py)
        # beside the work of this one, from the moment the facts exist: the files of the
        # extraction's tables (facts.parquet and the CSV files), and the workbook, which makes
        # the facts' rows (most of its work) while this process makes the series and the panel,
        # then is handed them (`send`). The first runs at a lower priority: the workbook and the
        # series it waits for are the longest path, and three processes share two cores.
        # With one job, each in turn, here.
        fork = jobs > 1
        indicators = indicators_frame()
        steps.append(Background(_write_extracted, tmp, facts, docs, claims, fork=fork, nice=EXTRACTED_NICE))
        workbook = Background(excel.write_workbook, tmp / "zzdata.xlsx", facts=facts, indicators=indicators,
                              documents=docs, claims=claims, fork=fork, inbox="later")
        steps.append(workbook)
        cands = choice.series_candidates(facts, docs)
        series = choice.build_series(facts, docs, cands=cands)
        panel_table, panel_columns = panel.build_panel(series)
        workbook.send({"series": series, "panel": panel_table, "panel_columns": panel_columns})
        _write_csvs(tmp, {"indicators.csv": indicators, "series.csv": series, "corrections.csv": corrections})
        # The panel's files (the Stata file above all) beside the checks that `then` runs here.
        steps.append(Background(panel.write_panel_files, panel_table, panel_columns, tmp, fork=fork,
                                nice=EXTRACTED_NICE))
        doc_cache.flush()  # the new entries, while the other processes finish the tables
        stamp.write_stamp(tmp, digest)  # before what `then` writes, which is then newer (validate --if-stale)
        tables = {"facts": facts, "documents": docs, "claims": claims, "series": series, "corrections": corrections,
                  "candidates": cands}
        finish = then(tmp, tables) if then is not None else None
        for step in steps:
            step.wait()
        publish.publish(tmp, out_dir, stamp.OUTPUTS, stamp.STAMP)  # all at once; the previous ones now in tmp
    finally:
        doc_cache.flush()  # a build that failed (even in the extraction) keeps what it extracted
        for step in steps:
            step.stop()  # the build failed while a step ran in another process: no process left behind
        shutil.rmtree(tmp, ignore_errors=True)
    doc_cache.prune()  # only after a successful build: a failed one keeps what it could reuse
    n_ind = int((facts["indicator"] != "").sum())
    _log(f"Wrote {len(facts)} facts ({n_ind} with a catalog indicator) from {len(docs)} texts to {out_dir} "
         f"in {time.perf_counter() - t0:.1f} s ({doc_cache.extracted} texts extracted, {doc_cache.hits} "
         "from the cache)", quiet)
    if finish is not None:
        finish()
    return True


def _write_extracted(folder: Path, facts: pd.DataFrame, docs: pd.DataFrame, claims: pd.DataFrame) -> None:
    """The extraction's own tables: facts.parquet, then facts, documents and claims as CSV."""
    write_parquet(facts, folder / "facts.parquet")
    _write_csvs(folder, {"facts.csv": facts, "documents.csv": docs, "claims.csv": claims})


def _write_csvs(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    for name, df in tables.items():
        write_csv(df, folder / name)


def ensure_data(quiet: bool = True) -> Path:
    """Build data/processed/ if it is missing or out of date; return its path."""
    build(paths.raw_dir(), paths.processed_dir(), quiet=quiet)
    return paths.processed_dir()
