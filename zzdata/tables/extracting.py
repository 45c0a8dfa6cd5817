"""The build's extraction: each text read and its facts and claims extracted, in a pool of
worker processes, as cache entries (cache.py) that the build's process decodes into Arrow tables.

Neither this module nor what it imports loads pandas: the build starts the workers
(:class:`Extraction`) before it imports the later rooms, so they extract on the other core
while the build's process spends about 0.3 s importing pandas and the rest. The workers never
load pandas either (:func:`_start_worker`).
"""

from __future__ import annotations

import hashlib
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterator

import pyarrow as pa

from ..core import schema
from ..core.errors import BuildError, InputError
from ..correct import CORRECTION_COLUMNS
from ..extract.claims import CLAIM_COLUMNS
from ..extract.document import read_document
from ..extract.facts import FACT_COLUMNS
from ..ingest.manifest import Source
from ..ingest.readers import read_raw
from . import cache
from .background import fork_context, freeze_inherited

#: The facts columns the extraction makes (the corrections stage adds the others).
EXTRACTED_COLUMNS = [c for c in FACT_COLUMNS if c not in CORRECTION_COLUMNS]
_FACT_FIELDS = itemgetter(*EXTRACTED_COLUMNS)
_CLAIM_FIELDS = itemgetter(*CLAIM_COLUMNS)
CHUNK = 10  # texts per task: enough to make the per-task cost small, few enough that no core idles at the end
_ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "int64": pa.int64(), "float64": pa.float64(),
                "bool": pa.bool_()}


def _arrow_schema(table: str, names: list[str]) -> pa.Schema:
    """The Arrow types of a table's columns, from their dtypes in data/columns.csv (text when a
    column is not listed there)."""
    dtypes = schema.dtypes(table)
    return pa.schema([(name, _ARROW_TYPES[dtypes.get(name, "string")]) for name in names])


FACT_SCHEMA = _arrow_schema("facts", EXTRACTED_COLUMNS)
CLAIM_SCHEMA = _arrow_schema("claims", CLAIM_COLUMNS)


def extract_one(args: tuple[Source, str]) -> tuple[str, dict | None, list[dict], list[dict], str | None]:
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


def _batch(columns: list[list], arrow_schema: pa.Schema) -> pa.RecordBatch:
    """Columns of Python values as one Arrow record batch (one conversion per column).

    The cache stores each text's slice of it as Arrow buffers, which the main process reads
    and turns into a DataFrame with the pandas string dtype without converting each string again."""
    arrays = [pa.array(values, type=t) for values, t in zip(columns, arrow_schema.types)]
    return pa.record_batch(arrays, schema=arrow_schema)


def extract_chunk(task: tuple[str, str, list[Source]]) -> list[tuple[str, str | None, bytes | None, int, str | None]]:
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
        name, info, facts, claims, err = extract_one((source, raw_dir))
        for col, values in zip(fact_cols, zip(*map(_FACT_FIELDS, facts))):  # rows -> columns
            col.extend(values)
        for col, values in zip(claim_cols, zip(*map(_CLAIM_FIELDS, claims))):
            col.extend(values)
        done.append((source, name, info, len(facts), len(claims), err))
    fact_batch, claim_batch = _batch(fact_cols, FACT_SCHEMA), _batch(claim_cols, CLAIM_SCHEMA)
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


class _NoPandas:
    """An import finder that refuses pandas (see :func:`_start_worker`)."""

    def find_spec(self, name: str, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"the extraction's workers do not load {name}", name=name)
        return None


def _start_worker() -> None:
    """A worker's start: what it inherits frozen (`background.freeze_inherited`: the modules, the
    catalog), and pandas cannot be imported: pyarrow imports pandas on its first `pa.array` only to
    ask whether the values are a pandas object (0.3 s a process); told there is no pandas, it
    converts the lists as they are."""
    freeze_inherited()
    sys.meta_path.insert(0, _NoPandas())


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Extraction:
    """The extraction of every source: the texts the cache holds (same bytes, same manifest fields,
    same extraction code) are read from it, the others (`force`: every text) are handed to `jobs`
    worker processes when made, where a pool is worth it (several jobs, enough texts), else
    extracted in this process when :meth:`tables` asks. :meth:`tables` waits for them.

    `raw` is file -> sha256 of its bytes (stamp.raw_digests), computed here when not given;
    `say` gets the progress lines."""

    def __init__(self, raw_dir: Path, sources: list[Source], jobs: int = 1, doc_cache: cache.DocCache | None = None,
                 raw: dict[str, str] | None = None, force: bool = False, say: Callable[[str], None] = lambda m: None):
        self.started = time.perf_counter()
        self.ordered = sorted(sources, key=lambda s: s.file)
        self.store = doc_cache if doc_cache is not None else cache.DocCache(None, "")  # no cache: keys unused
        self.say = say
        self.entries: dict[str, cache.Entry] = {}
        keys: dict[str, str] = {}  # file -> its key, for the texts the cache may hold
        if self.store.folder is not None and not force:
            for s in self.ordered:
                sha = raw.get(s.file) if raw is not None else _sha256(Path(raw_dir) / s.file)
                if sha:
                    keys[s.file] = self.store.key(s, sha)
        found = self.store.get_many(list(keys.values()), FACT_SCHEMA, CLAIM_SCHEMA)
        self.misses: list[Source] = []
        for s in self.ordered:
            key = keys.get(s.file)
            if key in found:
                self.entries[s.file] = found[key]
                self.store.used.add(key)
            else:
                self.misses.append(s)
        self.store.hits += len(self.entries)
        if self.entries:
            say(f"  {len(self.entries)} of {len(self.ordered)} texts unchanged, read from the cache in "
                f"{self.store.folder}")
        parallel = jobs > 1 and len(self.misses) > 8
        size = max(1, min(CHUNK, -(-len(self.misses) // (jobs * 4)))) if parallel else CHUNK  # >= 4 tasks a process
        tasks = [(str(raw_dir), self.store.extract_fingerprint, self.misses[i : i + size])
                 for i in range(0, len(self.misses), size)]
        self.pool = None
        if parallel:
            # Forked, not spawned: a worker starts with the extraction's modules already loaded.
            self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=fork_context(), initializer=_start_worker)
            self.chunks: Iterator[list] = self.pool.map(extract_chunk, tasks)  # every task handed out now
        else:
            self.chunks = map(extract_chunk, tasks)  # in turn, in this process, as they are read

    def tables(self, defer_store: bool = False) -> tuple[pa.Table, pa.Table, dict[str, dict]]:
        """The facts and claims of every source (Arrow tables, in the order of the files) and what
        the build learned of each text (file -> info); raises BuildError listing unreadable files.

        The entries of the texts extracted are stored before this returns, or, with `defer_store`,
        left in `store.pending` for the caller to store (`DocCache.flush`)."""
        store, errors = self.store, []
        try:
            for chunk in self.chunks:
                for name, key, data, n_facts, err in chunk:  # decoded while the workers go on
                    store.extracted += 1
                    if err:
                        errors.append(err)
                    else:
                        self.entries[name] = cache.decode(data, key, FACT_SCHEMA, CLAIM_SCHEMA, trusted=True)
                        store.used.add(key)
                        store.pending.append((key, data))  # stored by flush(), below or by the caller
                    if self.pool is None and (len(self.misses) <= 50 or store.extracted % 100 == 0):
                        self.say(f"  [{store.extracted}/{len(self.misses)}] {name}: {n_facts} facts")
        finally:
            self.close()
        if not defer_store:
            store.flush()  # before any error is raised: what was extracted is kept
        if errors:
            raise BuildError("\n".join(errors))
        entries, self.entries = self.entries, {}
        infos = {name: entry.info for name, entry in entries.items()}
        # One chunk per column: how the rows were batched (per document, per worker task) must not
        # reach the files (the Parquet writer's pages follow the chunks), and one chunk converts faster.
        facts = pa.Table.from_batches([entries[s.file].facts for s in self.ordered], schema=FACT_SCHEMA)
        claims = pa.Table.from_batches([entries[s.file].claims for s in self.ordered], schema=CLAIM_SCHEMA)
        return facts.combine_chunks(), claims.combine_chunks(), infos

    def close(self) -> None:
        """Stop the workers (the tasks not yet begun are dropped: the build failed elsewhere)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
