"""`make bench`: build a synthetic collection of many reports and time it, and time `make data`
on it as a researcher runs it.

The collection (collection.py) is made of copies of the texts in data/raw/ (byte for byte), each with its own
manifest row: a region taken in turn from the gazetteer (``zzdata/data/regions.csv``) and the
years shifted, so the series table gets many regions and years, as a real collection would.
It lives in a temporary folder (or ``--workdir``) laid out as a project (``data/raw``,
``data/processed``, ``reports``), never in the repository's data.

Printed: the time from the start of the build to a written ``facts.parquet`` and its throughput
in MB of raw text per second; wall time, throughput, stage times and peak memory (``ru_maxrss``
of this process and of its largest child, e.g. a pool worker), for the full build (the median
of `REPEAT` cold builds, each listed: this machine's speed varies from one to the next); then
`make data` from nothing as a researcher runs it (`make_data`: each of its commands in a process
of its own, on the collection's folder through ``ZZDATA_ROOT``: the build with its checks; then
`make review`, timed apart), each stage and the whole in MB/s; the
no-op rerun, in this process and as `make data` runs it (a fresh ``python -m zzdata build``); a
rebuild after one text changed (the others read from the per-document cache, tables/cache.py);
and the time to load ``facts.parquet``. A cold build starts from nothing: the outputs and the
cache folder beside them are removed first, and the build is forced (every text extracted,
every entry written). ``--sizes 250,500,1000`` times only `make data`, on collections of those
sizes, and prints the series: how each stage grows with the collection.
A benchmark, not a test: it prints figures and checks nothing.

``--charts`` (:mod:`zzdata.tools.chartbench`) times the charts instead: every chart kind of a
synthetic collection of 16 regions over 20 years, in both languages side by side, each saved as
PNG, SVG and PDF, and prints charts per second; then adds one district's report held back until
then and prints how many charts are drawn again (the others come back from the chart store) and
how long that takes.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import shutil
import subprocess
import sys
import statistics
import tempfile
import time
from pathlib import Path

from ..core import paths
from ..ingest.manifest import read_manifest
from ..ingest.readers import read_raw
from ..tables import cache
from ..validate import report as validation_report
from . import chartbench, interpreter, savebench
from .collection import make_collection


REPEAT = 3  # cold builds timed: this machine's speed varies by a quarter from one to the next
GOAL_MB_S = 2.5  # `make data` on the bench collection, build and validation (issue 21)
GOAL_VALIDATION_S = 0.5  # what the validation adds to `make data` on the bench collection, on two cores (issue 21)
LONG_RUN_S = 60.0  # a `make data` longer than this is timed once: the machine's noise is small beside it


def _peak_mb() -> tuple[float, float]:
    """Peak resident memory in MB of this process and of its largest finished child (Linux: KB)."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


@contextlib.contextmanager
def _stage_timer(stages: dict[str, float]):
    """Time the build's stages by wrapping the functions `build.build` calls (restored after).

    A stage the build runs in a forked child (the workbook, tables/background.py) sends its
    time back through a pipe (perf_counter is the system's monotonic clock, the same in both)."""
    from ..tables import background, excel, frames, panel
    from ..series import choice
    from ..correct import stage as correct_stage

    targets = [(frames, "extracted", "extract (texts -> facts)"), (frames, "write_parquet", "facts.parquet"),
               (frames, "write_csv", "CSV files"), (choice, "series_candidates", "series table"),
               (choice, "build_series", "series table"),
               (panel, "build_panel", "panel (csv, parquet, dta)"),
               (panel, "write_panel_files", "panel (csv, parquet, dta)"), (excel, "write_workbook", "Excel workbook"),
               (correct_stage, "run", CORRECTIONS_STAGE)]
    # What a started extraction made counts from its start: its workers ran during the imports.
    started = {(frames, "extracted"): lambda args: args[0].started}
    me = os.getpid()
    forking = background.fork_context()
    from_children = forking.SimpleQueue() if forking is not None else None

    def record(label: str, took: float, done: float) -> None:
        stages[label] = stages.get(label, 0.0) + took
        stages.setdefault("@" + label, done)  # when the stage first finished

    saved = []
    for module, name, label in targets:
        original = getattr(module, name)

        def timed(*args, _f=original, _label=label, _start=started.get((module, name)), **kwargs):
            t0 = _start(args) if _start is not None else time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                done = time.perf_counter()
                if os.getpid() != me and from_children is not None:
                    from_children.put((_label, done - t0, done))
                else:
                    record(_label, done - t0, done)

        saved.append((module, name, original))
        setattr(module, name, timed)
    try:
        yield stages
    finally:
        for module, name, original in saved:
            setattr(module, name, original)
        if from_children is not None:
            while not from_children.empty():
                record(*from_children.get())
            from_children.close()


def _timed_build(raw: Path, out: Path, jobs: int, force: bool, stages: dict | None = None) -> tuple[float, bool]:
    from ..tables.build import build

    with _stage_timer(stages if stages is not None else {}):
        t0 = time.perf_counter()
        rebuilt = build(raw, out, force=force, jobs=jobs, quiet=True)
        wall = time.perf_counter() - t0
    if stages is not None:  # finish times relative to the start of the build
        for key in [k for k in stages if k.startswith("@")]:
            stages[key] -= t0
    return wall, rebuilt


def _cli_noop(raw: Path, out: Path) -> tuple[float, int, str]:
    """`python -m zzdata build` as `make data` runs it, on an up-to-date folder."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "zzdata", "build", "--raw", str(raw), "--out", str(out)],
                          capture_output=True, text=True)
    return time.perf_counter() - t0, proc.returncode, proc.stderr.strip()


def _cold_build(raw: Path, out: Path, interim: Path, jobs: int) -> tuple[float, dict[str, float]]:
    """One full build from nothing: the outputs and the per-document cache removed first."""
    for folder in (out, interim):
        if folder.exists():
            shutil.rmtree(folder)
    stages: dict[str, float] = {}
    wall, _ = _timed_build(raw, out, jobs, force=True, stages=stages)
    return wall, stages


def run(n_docs: int, jobs: int, workdir: Path, say=print, repeat: int = REPEAT, raw_in: Path | None = None) -> dict:
    """Make the collection in `workdir` (from the texts of `raw_in`, data/raw by default), build it
    cold `repeat` times (the figures of the median build), time `make data` as a researcher runs
    it, rerun it (no-op), rebuild it after one text changed (warm cache), load the facts, rebuild
    it with N_CORRECTIONS corrections, write the review pages; return the figures."""
    raw, out, interim = _layout(workdir)
    for folder in (raw, out, interim):
        if folder.exists():
            shutil.rmtree(folder)
    t0 = time.perf_counter()
    nbytes = make_collection(raw, n_docs, raw_in)
    mb = nbytes / 1e6
    say(f"collection: {n_docs} texts, {mb:.2f} MB of raw text in {raw} ({time.perf_counter() - t0:.1f} s to write)")

    runs = sorted((_cold_build(raw, out, interim, jobs) for _ in range(max(1, repeat))), key=lambda r: r[0])
    wall, stages = runs[len(runs) // 2]  # the median build (the upper one of an even number)
    me, kids = _peak_mb()
    extract = stages.get("extract (texts -> facts)", wall)
    to_parquet = stages.get("@facts.parquet", wall)
    fig = {"docs": n_docs, "jobs": jobs, "mb": mb, "build_s": wall, "mb_per_s": mb / wall,
           "build_runs_s": [r[0] for r in runs],
           "extract_s": extract, "extract_mb_per_s": mb / extract if extract else 0.0,
           "to_parquet_s": to_parquet, "to_parquet_mb_per_s": mb / to_parquet,
           "stages": {k: v for k, v in stages.items() if not k.startswith("@")},
           "peak_self_mb": me, "peak_child_mb": kids}
    say(f"raw text -> facts.parquet (jobs={jobs}): {to_parquet:.2f} s, {mb / to_parquet:.2f} MB/s "
        f"({mb / to_parquet / jobs:.2f} MB/s per process)")
    spread = (f"; {len(runs)} cold builds: " + ", ".join(f"{r[0]:.2f}" for r in runs) + " s") if len(runs) > 1 else ""
    say(f"full build (jobs={jobs}): {wall:.2f} s wall, {mb / wall:.2f} MB/s{', the median' if len(runs) > 1 else ''}"
        f"{spread}; peak memory {me:.0f} MB (this process), {kids:.0f} MB (largest worker)")
    say("  stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in fig["stages"].items())
        + f"; extraction alone {fig['extract_mb_per_s']:.2f} MB/s"
        + ("; once the facts exist, the workbook and the extraction's files are written by two forked "
           "processes while this one makes the series and the panel" if jobs > 1 else ""))

    fig["make_data"] = make_data(workdir, mb, jobs, repeat)
    say(describe_make_data(fig["make_data"], mb))

    wall, rebuilt = _timed_build(raw, out, jobs, force=False)
    me, kids = _peak_mb()
    fig.update(noop_s=wall, noop_rebuilt=rebuilt)
    say(f"no-op rerun, in process: {wall:.3f} s ({'rebuilt!' if rebuilt else 'up to date'}), "
        f"peak memory {me:.0f} MB / {kids:.0f} MB")

    wall, code, msg = _cli_noop(raw, out)
    fig.update(noop_cli_s=wall, noop_cli_exit=code)
    say(f"no-op rerun, `python -m zzdata build` (what `make data` runs): {wall:.3f} s, exit {code} ({msg})")

    first = read_manifest(raw)[0].file
    # One text changed (a line added at its end): the others come from the cache.
    (raw / first).write_text(read_raw(raw / first).text + "\n", encoding="utf-8")
    before = cache.stored_keys(interim)
    wall, rebuilt = _timed_build(raw, out, jobs, force=False)
    extracted = len(cache.stored_keys(interim) - before)
    fig.update(one_changed_s=wall, one_changed_rebuilt=rebuilt, one_changed_extracted=extracted)
    say(f"rebuild after one text changed: {wall:.2f} s ({extracted} text extracted, "
        f"{n_docs - extracted} from the cache in {interim.relative_to(workdir)}/)")

    from ..tables.load import load_facts

    t0 = time.perf_counter()
    facts = load_facts(processed_dir=out)
    wall = time.perf_counter() - t0
    size = (out / "facts.parquet").stat().st_size / 1e6
    fig.update(load_s=wall, n_facts=len(facts))
    say(f"load_facts(): {len(facts)} facts from facts.parquet ({size:.1f} MB) in {wall:.3f} s")

    n = write_corrections(raw, facts, N_CORRECTIONS)
    stages = {}
    wall, rebuilt = _timed_build(raw, out, jobs, force=False, stages=stages)
    applied = stages.get(CORRECTIONS_STAGE, 0.0)
    fig.update(corrections=n, corrections_s=applied, corrections_rebuild_s=wall)
    say(f"{n:,} corrections (data/raw/corrections.csv: drop, set, add): applied in {applied:.2f} s; the rebuild "
        f"after writing them {wall:.2f} s (no text extracted)")

    from ..review.pages import write_pages

    t0 = time.perf_counter()
    pages = write_pages(out, raw, workdir / "reports" / "review", jobs=jobs, quiet=True)
    wall = time.perf_counter() - t0
    fig.update(review_pages=len(pages.written), review_s=wall)
    say(f"review pages (make review, jobs={jobs}): {len(pages.written):,} written in {wall:.2f} s "
        f"(tables joined in {pages.load_seconds:.2f} s)")

    fig["save"] = savebench.time_saves(workdir / "saves", jobs, min(n_docs, savebench.SAVE_DOCS), raw_in=raw_in)
    say(savebench.describe(fig["save"]))
    return fig


N_CORRECTIONS = 1000
CORRECTIONS_STAGE = "corrections"


def write_corrections(raw: Path, facts, n: int) -> int:
    """A corrections file of `n` rows on facts spread over the collection, a third of each action:
    drop a fact; set another's period and status; add a figure at a span the build does not read
    (a fact's span without its last character, with its value and unit). Returns the rows written."""
    import csv
    import io

    from ..correct import COLUMNS, CORRECTIONS
    from ..correct.checks import printed

    step = max(1, len(facts) // n)
    picked = facts.iloc[::step].head(n)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    texts: dict[str, str] = {}
    for i, f in enumerate(picked.itertuples()):
        row = dict.fromkeys(COLUMNS, "")
        row.update(file=f.doc, start=str(f.start), end=str(f.end), value_text=f.value_text, note=f"bench row {i}")
        if i % 3 == 0:
            row["action"] = "drop"
        elif i % 3 == 1:
            row.update(action="set", period=f.period, status="actual")
        else:
            if f.doc not in texts:
                texts[f.doc] = read_raw(raw / f.doc).text
            span = texts[f.doc][f.start : f.end - 1]
            if not span.strip():
                row["action"] = "drop"
            else:
                row.update(action="add", end=str(f.end - 1), value_text=printed(span), label="bench",
                           value=str(f.value), unit=f.unit, measure=f.measure)
        writer.writerow([row[c] for c in COLUMNS])
    (raw / CORRECTIONS).write_text(buf.getvalue(), encoding="utf-8")
    return len(picked)

def _layout(workdir: Path) -> tuple[Path, Path, Path]:
    """The collection's raw folder, output folder and per-document cache, laid out as a project's
    (data/raw, data/processed, data/interim/docs), so that `make data`'s commands find them
    through ZZDATA_ROOT as they find a researcher's."""
    raw, out = workdir / "data" / "raw", workdir / "data" / "processed"
    return raw, out, cache.folder_for(out)


def _has_command(name: str) -> bool:
    """True when `python -m zzdata NAME` exists (the review pages: built on another branch)."""
    from .. import cli

    try:
        with contextlib.redirect_stderr(io.StringIO()):  # argparse's "invalid choice"
            cli.parser().parse_args([name])
    except SystemExit:
        return False
    return True


def make_data_commands(jobs: int) -> list[tuple[str, list[str]]]:
    """`make data`'s commands as (stage, arguments of python), as the Makefile runs them (the
    build with the bench's --jobs); then `make review`'s where the command exists, timed after
    them (REVIEW_STAGE) but not part of `make data`'s whole."""
    commands = [(BUILD_STAGE, ["-m", "zzdata", "build", "--jobs", str(jobs)])]
    if _has_command("review"):
        commands.append((REVIEW_STAGE, ["-m", "zzdata", "review", "--quiet", "--jobs", str(jobs)]))
    return commands


REVIEW_STAGE = "@then make review"


BUILD_STAGE = "build and checks"


def _make_data_once(workdir: Path, jobs: int) -> dict[str, float]:
    """`make data` from nothing on the project in `workdir` (outputs, caches and reports removed
    first): stage -> seconds, each command a process of its own, as a researcher waits for it;
    under "@checks" and "@report", the validation's part of the build, and under REVIEW_STAGE the
    review pages written after it (none of the three added to the whole)."""
    times: dict[str, float] = {}
    for stage, args in make_data_commands(jobs):
        took, stderr = _run_from(workdir, args, fresh=stage == BUILD_STAGE)
        times[stage] = took
        if stage == BUILD_STAGE:
            times.update({"@" + k: v for k, v in validation_report.checks_seconds(stderr).items()})
    return times


#: The build from nothing without its checks (`--no-validate`): `make data` less what the validation adds.
UNCHECKED = "build without the checks"


def _unchecked_build_once(workdir: Path, jobs: int) -> float:
    """The seconds of the build from nothing without its checks: beside `make data`'s, what the
    validation adds to it (its checks run beside the build's other work, not after it)."""
    return _run_from(workdir, [*dict(make_data_commands(jobs))[BUILD_STAGE], "--no-validate"], fresh=True)[0]


def _run_from(workdir: Path, args: list[str], fresh: bool) -> tuple[float, str]:
    """`python ARGS` on the project in `workdir` (`fresh`: its outputs, caches and reports removed
    first), as a researcher runs it: its seconds and its stderr."""
    if fresh:
        _, out, _ = _layout(workdir)
        for folder in (out, out.parent / "interim", workdir / "reports"):
            shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "ZZDATA_ROOT": str(workdir)}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=workdir)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"`python {' '.join(args)}` failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return took, proc.stderr


def _whole(run: dict[str, float]) -> float:
    """A run of `make data`: the seconds of its commands (the "@" entries are parts of them or after them)."""
    return sum(v for k, v in run.items() if not k.startswith("@"))


def make_data(workdir: Path, mb: float, jobs: int, repeat: int = REPEAT) -> dict:
    """`make data` from nothing, `repeat` times (once when a run takes longer than LONG_RUN_S):
    each stage's median, the whole's median (and MB/s), every run's stages; each run after
    the build without its checks, and the validation's part (`validation`) with what it adds."""
    runs = []
    for _ in range(max(1, repeat)):
        unchecked = _unchecked_build_once(workdir, jobs)  # in turn with make data: the host's speed drifts
        runs.append({**_make_data_once(workdir, jobs), "@" + UNCHECKED: unchecked})  # its outputs left in place
        if _whole(runs[-1]) > LONG_RUN_S:
            break
    stages = {stage: statistics.median(r[stage] for r in runs) for stage in runs[0] if not stage.startswith("@")}
    inner = {stage[1:]: statistics.median(r.get(stage, 0.0) for r in runs) for stage in runs[0]
             if stage.startswith("@") and stage != REVIEW_STAGE}
    review = statistics.median(r[REVIEW_STAGE] for r in runs) if REVIEW_STAGE in runs[0] else None
    whole = statistics.median(_whole(r) for r in runs)
    added = []
    if UNCHECKED in inner:
        # What the validation adds to make data: each run less the build without checks run just
        # before it, the median of those pairs (a difference of two medians would take in the
        # host's drift between runs: 0.08 to 0.74 s on the same code within ten minutes).
        added = [_whole(r) - r["@" + UNCHECKED] for r in runs]
        inner["added"] = statistics.median(added)
    return {"stages": stages, "validation": inner, "review_s": review, "whole_s": whole, "whole_mb_per_s": mb / whole,
            "runs": [{k: v for k, v in r.items() if not k.startswith("@")} for r in runs], "added_runs": added}


def _describe_checks(inner: dict, added_runs: list[float] = ()) -> str:
    if "checks" not in inner:
        return ""
    said = (f"validation inside the build: checks {inner['checks']:.2f} s (in a process of their own beside the "
            f"workbook, with the report's text), report {inner['report']:.2f} s")
    if UNCHECKED in inner:
        pairs = (" (the median of " + ", ".join(f"{a:.2f}" for a in added_runs) + " s, each run less the build "
                 "without checks just before it)") if len(added_runs) > 1 else ""
        said += (f"; the build without them {inner[UNCHECKED]:.2f} s, so the validation adds {inner['added']:.2f} s "
                 f"to make data{pairs} (goal <= {GOAL_VALIDATION_S} s)")
    return said


def describe_make_data(fig: dict, mb: float) -> str:
    """The lines `make bench` prints for `make data`: each stage and the whole, in s and MB/s."""
    n = len(fig["runs"])
    stages = ", ".join(f"{stage} {t:.2f} s ({mb / t:.2f} MB/s)" for stage, t in fig["stages"].items())
    then = fig.get("review_s")
    review = (f"; then make review {then:.2f} s (make data and make review: "
              f"{mb / (fig['whole_s'] + then):.2f} MB/s)" if then else "; no review pages (no `python -m zzdata review` here)")
    runs = "; runs: " + ", ".join(f"{sum(r.values()):.2f}" for r in fig["runs"]) + " s" if n > 1 else ""
    checks = _describe_checks(fig.get("validation") or {}, fig.get("added_runs") or [])
    return (f"make data from nothing, as a researcher runs it ({'the median of ' + str(n) if n > 1 else 'one run'}"
            f"): {stages}{review}\n  whole {fig['whole_s']:.2f} s, {fig['whole_mb_per_s']:.2f} MB/s "
            f"(goal >= {GOAL_MB_S} MB/s){runs}" + (f"\n  {checks}" if checks else ""))


def series(sizes: list[int], jobs: int, workdir: Path, say=print, repeat: int = REPEAT) -> list[dict]:
    """`make data` from nothing on collections of each size in turn: the series of each stage's
    times, and how fast each grows against the collection (1.0: in proportion)."""
    rows = []
    raw, _, _ = _layout(workdir)
    for n_docs in sizes:
        shutil.rmtree(raw, ignore_errors=True)
        mb = make_collection(raw, n_docs) / 1e6
        fig = make_data(workdir, mb, jobs, repeat)
        rows.append({"docs": n_docs, "mb": mb, **fig})
        checks = _describe_checks(fig.get("validation") or {}, fig.get("added_runs") or [])
        say(f"{n_docs} texts, {mb:.2f} MB: " + ", ".join(f"{stage} {t:.2f} s" for stage, t in fig["stages"].items())
            + f"; whole {fig['whole_s']:.2f} s, {fig['whole_mb_per_s']:.2f} MB/s" + (f"; {checks}" if checks else "")
            + (f"; then make review {fig['review_s']:.2f} s" if fig.get("review_s") else ""))
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        scale = last["docs"] / first["docs"]
        timed = {stage: [r["stages"][stage] for r in rows] for stage in first["stages"]}
        for part in (first.get("validation") or {}):
            timed[f"validation {part}"] = [(r.get("validation") or {}).get(part, 0.0) for r in rows]
        if first.get("review_s"):
            timed["then make review"] = [r.get("review_s") or 0.0 for r in rows]
        for stage, times in timed.items():
            per_k = ", ".join(f"{t / r['docs'] * 1000:.2f}" for t, r in zip(times, rows))
            growth = times[-1] / times[0] / scale if times[0] else float("nan")
            say(f"  {stage}: {per_k} s per 1,000 texts; {growth:.2f} x the growth of the collection "
                f"from {first['docs']} to {last['docs']} texts (1.00: linear)")
    return rows


def main(args) -> int:
    print(interpreter.describe(), flush=True)  # what every figure below depends on
    if getattr(args, "charts", False):
        given = getattr(args, "workdir", None)
        workdir = Path(given) if given else Path(tempfile.mkdtemp(prefix="zzdata-bench-charts-"))
        try:
            chartbench.charts(workdir, jobs=int(getattr(args, "jobs", 2) or 1))
        finally:
            if not given:
                shutil.rmtree(workdir, ignore_errors=True)
        return 0
    n_docs = int(getattr(args, "docs", 1000) or 1000)
    jobs = int(getattr(args, "jobs", 2) or 1)
    repeat = int(getattr(args, "repeat", REPEAT) or REPEAT)
    given = getattr(args, "workdir", None)
    workdir = Path(given) if given else Path(tempfile.mkdtemp(prefix="zzdata-bench-"))
    root = paths.project_root().resolve()
    if (root / "data") in (workdir.resolve(), *workdir.resolve().parents):
        print(f"error: --workdir {workdir} is inside the repository's data/; choose a folder outside it",
              file=sys.stderr)
        return 1
    try:
        sizes = [int(n) for n in str(getattr(args, "sizes", "") or "").split(",") if n.strip()]
    except ValueError:
        sizes = [0]
    if any(n < 1 for n in sizes):
        print(f"error: --sizes {args.sizes}: give numbers of texts separated by commas, e.g. --sizes 250,500,1000",
              file=sys.stderr)
        return 2
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        if sizes:
            series(sizes, jobs, workdir, repeat=repeat)
        else:
            run(n_docs, jobs, workdir, repeat=repeat)
    finally:
        if not given:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0
