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

import ctypes
import os
import shutil
import sys
import time
from typing import Callable, Optional
from pathlib import Path

from ..core import paths
from . import cache, publish, stamp
from .background import Background
from .extracting import Extraction
from ..ingest.manifest import read_manifest

# Neither this module nor the ones above import pandas: the build starts the extraction's workers
# (extracting.py) first, then imports the later rooms while they extract (build).


#: What runs on the tables of a build before they are published (see build's `then`): it is given
#: the staging folder, the tables and `beside`, which runs a function in a step of the build's own.
Then = Callable[[Path, dict, Callable[..., Background]], Optional[Callable[[], None]]]


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


def keep_freed_memory() -> None:
    """Have this process (and the processes it forks) keep the memory it frees for its next
    allocations instead of handing it back to the system (glibc's malloc; elsewhere nothing).

    A build allocates and frees arrays of a few MB over and over; by default glibc maps each
    anew and unmaps it when freed, and the first touch of every page of it costs a page fault
    (about 5 µs a page on this project's machine): 65,000 fewer faults, about 0.27 s of system
    time, on the 1,000-text bench. For a process that ends when its build is done (the CLI's).

    Arrow's arrays come from the same allocator (its system pool; unless ``ARROW_DEFAULT_MEMORY_POOL``
    chooses one): Arrow's own, mimalloc, takes fresh huge pages from the system and zeroes them, a
    fifth of the build's own process's time. Six cold builds of the bench in turn with and without:
    4.83 -> 4.62 s (each pair quicker), 1.45 -> 1.04 s of system time."""
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        import pyarrow

        pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl without mallopt)
        return
    mallopt(M_MMAP_THRESHOLD, 32 * 2**20)  # glibc's largest: blocks below it come from the heap, reused
    mallopt(M_TRIM_THRESHOLD, 2**31 - 1)  # the heap's free top is kept, not returned


FILES_NICE = 5  # the priority of the steps writing files nothing else waits for (Background `nice`)


def build(raw_dir: Path, out_dir: Path, force: bool = False, jobs: int = 1, quiet: bool = False,
          cache_dir: Path | None | bool = None, then: Then | None = None) -> bool:
    """Build out_dir from raw_dir. Returns False when it was already up to date.

    Each text's facts and claims are kept in the per-document cache (tables/cache.py) in
    `cache_dir`, by default `out_dir.parent / "interim" / "docs"` (data/interim/docs beside
    data/processed; False: no cache), and read from there while the text, its manifest fields and the
    extraction code are unchanged. `force` rebuilds even when up to date and extracts every
    text again (rewriting its entry). The outputs are byte for byte the same either way.
    `then` (the validation, given by the CLI: this room does not import the later ones) is called
    with the staging folder, the tables (facts, documents, claims, series, corrections, and the
    series' candidates) and `beside`, as soon as the series exist, while the workbook is still
    being written in another process. `beside(fn, *args)` runs `fn` as a step of the build (in a
    forked process with more than one job; the step's Background, whose `result` is what `fn`
    returned once the tables are published). What `then` and its steps write into the folder is
    published with the tables, and the function `then` returns (if any) runs once they are."""
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
    extraction = None
    try:
        extraction = Extraction(raw_dir, sources, jobs=jobs, doc_cache=doc_cache, raw=raw, force=force,
                                say=lambda m: _log(m, quiet))
        # The rooms after the extraction (pandas among them), imported while its workers extract.
        from ..correct import stage as correct_stage
        from ..series import choice
        from . import excel, frames, panel

        facts, docs, claims = frames.extracted(extraction, defer_store=True)
        facts, docs, corrections = correct_stage.run(raw_dir, facts, docs, say=lambda m: _log(m, quiet))

        # With more than one job, steps run in forked copies of this process (background.py)
        # beside the work of this one: from the moment the facts exist, the files of the
        # extraction's tables (facts.parquet and the CSV files) and the workbook, which makes the
        # facts' rows (most of its work) while this process makes the series and the panel, then
        # is handed them (`send`); from the series on, what `then` runs `beside` (the checks);
        # last, the cache's new entries and the series' and the panel's files. The files' steps run
        # at a lower priority: the series, the workbook and the checks are the longest path, and
        # the processes share two cores.
        # With one job, each in turn, here.
        fork = jobs > 1
        indicators = frames.indicators_frame()
        steps.append(Background(frames.write_extracted, tmp, facts, docs, claims, fork=fork, nice=FILES_NICE))
        workbook = Background(excel.write_workbook, tmp / "zzdata.xlsx", facts=facts, indicators=indicators,
                              documents=docs, claims=claims, fork=fork, inbox="later")
        steps.append(workbook)
        cands = choice.series_candidates(facts, docs)
        series = choice.build_series(facts, docs, cands=cands)
        stamp.write_stamp(tmp, digest)  # before what `then` writes, which is then newer (validate --if-stale)
        if then is not None:

            def beside(fn, *args, **kwargs) -> Background:
                steps.append(Background(fn, *args, fork=fork, **kwargs))
                return steps[-1]

            tables = {"facts": facts, "documents": docs, "claims": claims, "series": series,
                      "corrections": corrections, "candidates": cands}
            finish = then(tmp, tables, beside)
        panel_table, panel_columns = panel.build_panel(series)
        workbook.send({"series": series, "panel": panel_table, "panel_columns": panel_columns})
        # The rest at the files' priority, beside the checks and the workbook (the build's longest
        # path): the new cache entries, the series' CSV files and the panel's (the Stata file above all).
        steps.append(Background(_store_and_write, doc_cache, tmp, {"indicators.csv": indicators, "series.csv": series,
                                "corrections.csv": corrections}, panel_table, panel_columns, fork=fork,
                                nice=FILES_NICE))
        doc_cache.pending = []  # stored by that step (in a fork, its copy; here, already)
        for step in steps:
            step.wait()
        publish.publish(tmp, out_dir, stamp.OUTPUTS, stamp.STAMP)  # all at once; the previous ones now in tmp
    finally:
        if extraction is not None:
            extraction.close()  # the build failed while the workers extracted: no process left behind
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


def _store_and_write(doc_cache: cache.DocCache, folder: Path, tables: dict, panel_table, panel_columns) -> None:
    """The build's last files: the cache's new entries first (kept even if a file then fails), the
    series' CSV files, the panel's files."""
    from . import frames, panel

    doc_cache.flush()
    frames.write_csvs(folder, tables)
    panel.write_panel_files(panel_table, panel_columns, folder)


def ensure_data(quiet: bool = True) -> Path:
    """Build data/processed/ if it is missing or out of date; return its path."""
    build(paths.raw_dir(), paths.processed_dir(), quiet=quiet)
    return paths.processed_dir()
