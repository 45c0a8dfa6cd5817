"""`make validate`: run the checks (checks.py) on the built tables and write the findings to
``reports/validation.md`` (each with the raw text around its figures, zzdata.tables.load.trace)
and ``data/processed/validation.csv``.

``python -m zzdata.validate [--processed DIR] [--raw DIR] [--report FILE] [--quiet] [--exit-zero]``
exits 1 when a finding is an error (a figure that cannot be right), 0 otherwise: warnings and
infos never fail it, and ``--exit-zero`` (what ``make data`` runs) never fails at all.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from ..core import links, paths
from ..tables.csvio import write_csv
from ..tables.load import DataNotBuilt, load_corrections, load_facts, load_series, raw_text, trace_text
from ..core.files import replacing, write_whole
from .checks import LEVELS, Finding, fact_rows, row_tuples, run_checks
from .stale import default_report

COLUMNS = ["check", "level", "region", "year", "indicator", "message", "fact_ids", "trace"]
TRACE_CONTEXT = 30
TRACE_FACTS = 4  # the facts of a finding traced in the report (all are listed in fact_ids)


def _trace_texts(facts: pd.DataFrame, wanted: set[str], raw_dir: Path) -> dict[str, str]:
    """fact_id -> the raw text around that fact on one line (:func:`~zzdata.tables.load.trace`),
    for each wanted fact that the facts hold (:func:`~.checks.fact_rows`: the first row of an id):
    each fact traced once however many findings name it, each raw text read once, in turn, and its
    lines counted once, from one figure to the next."""
    ids = sorted(wanted)
    rows = fact_rows(facts, ids)
    found = rows >= 0
    sub = facts.iloc[rows[found]]
    held = [fid for fid, ok in zip(ids, found.tolist()) if ok]
    out: dict[str, str] = {}
    doc_text: tuple[str | None, str | None] = (None, None)
    at = line = 0
    for fid, doc, start, end in sorted(zip(held, *(sub[c].tolist() for c in ("doc", "start", "end"))),
                                       key=lambda r: (r[1], r[2])):
        if doc != doc_text[0]:
            try:
                doc_text = (doc, raw_text(doc, raw_dir))
            except OSError:
                doc_text = (doc, None)
            at, line = 0, 1
        text = doc_text[1]
        if text is None:
            out[fid] = f"{fid} (raw text not found)"
            continue
        line += text.count("\n", at, start)
        at = start
        out[fid] = trace_text(doc, text, start, end, TRACE_CONTEXT, line).replace("\n", " ", 1).replace("\n", "")
    return out


def _text_column(values) -> pd.Series:
    """A text column of the findings' table: a missing value (None, NA, NaN) as ""."""
    return pd.Series(["" if v is None or v is pd.NA or v != v else str(v) for v in values], dtype=str)


def validate(processed_dir: Path | None = None, raw_dir: Path | None = None, tables: dict | None = None) -> pd.DataFrame:
    """The findings on the tables in `processed_dir` (data/processed by default) as a frame with
    COLUMNS; `trace` holds the raw text around each of a finding's first figures, one per line.
    `tables` (facts, series and corrections, as the build just wrote them) spares reading them
    back from the files: the build checks what it made in its own processes."""
    if tables is not None:
        facts, series, corrected = tables["facts"], tables["series"], tables.get("corrections")
    else:
        facts = load_facts(processed_dir)
        series = load_series(processed_dir)
        try:
            corrected = load_corrections(processed_dir)
        except DataNotBuilt:  # tables built before corrections existed
            corrected = None
    found = run_checks(facts, series, corrected)
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.raw_dir()  # found once, not once a text
    traced = _trace_texts(facts, {fid for f in found for fid in f.fact_ids[:TRACE_FACTS]}, raw_dir)
    return pd.DataFrame({
        "check": _text_column(f.check for f in found), "level": _text_column(f.level for f in found),
        "region": _text_column(f.region for f in found), "year": pd.array([f.year for f in found], dtype="Int64"),
        "indicator": _text_column(f.indicator for f in found), "message": _text_column(f.message for f in found),
        "fact_ids": _text_column("|".join(f.fact_ids) for f in found),
        "trace": _text_column("\n".join(traced[fid] for fid in f.fact_ids[:TRACE_FACTS] if fid in traced)
                              for f in found)}, columns=COLUMNS)


def summary(df: pd.DataFrame) -> str:
    counts = Counter(df["level"])
    return ", ".join(f"{counts.get(level, 0)} {level}{'s' if counts.get(level, 0) != 1 else ''}" for level in LEVELS)


def report_markdown(df: pd.DataFrame, links_from: Path | None = None) -> str:
    """The findings as Markdown: counts per check and level, then every finding with its traces
    and links to its figures on their review pages (relative to `links_from`, the report's folder)."""
    lines = ["# Validation", "",
             "The checks a statistician runs on the built tables (`make validate`, zzdata/validate/checks.py): "
             "stated growth against two levels, a district above its city, a share above 100 %, one value under "
             "two indicators in a clause, a value outside the catalog's plausible range, a level that jumps, "
             "definitional breaks, texts that disagree, hand corrections that applied to nothing (stale or refused rows of "
             "data/raw/corrections.csv). **error**: cannot be right; **warning**: probably wrong, "
             "look at it; **info**: worth knowing.", "", f"Found: {summary(df)}.", ""]
    if len(df):
        table = df.groupby(["check", "level"]).size().unstack(fill_value=0).reindex(columns=list(LEVELS), fill_value=0)
        lines += ["| check | " + " | ".join(LEVELS) + " |", "|---|" + "---:|" * len(LEVELS)]
        lines += [f"| {check} | " + " | ".join(str(int(n)) for n in row) + " |" for check, row in table.iterrows()]
    prefix = links.folder_prefix(links_from) if links_from is not None else None
    for level in LEVELS:
        part = df[df["level"] == level]
        if part.empty:
            continue
        lines += ["", f"## {level.capitalize()}s ({len(part)})", ""]
        for r in row_tuples(part):
            year = "" if pd.isna(r.year) else f" {r.year}"
            ind = f" `{r.indicator}`" if r.indicator else ""
            lines.append(f"- **{r.check}** {r.region}{year}{ind}: {r.message}")
            lines += [f"  - `{t}`" for t in r.trace.split("\n") if t]
            if links_from is not None and r.fact_ids:
                lines.append("  - review: " + links.markdown_links(r.fact_ids.split("|"), prefix=prefix))
    return "\n".join(lines) + "\n"


def write(df: pd.DataFrame, report: Path, csv_path: Path) -> None:
    """The report and the CSV, each written whole to a temporary file that then takes its place:
    a validation killed or failing midway leaves the previous files as they were."""
    write_table(df, csv_path)
    write_report(df, report)


def write_table(df: pd.DataFrame, csv_path: Path) -> None:
    """validation.csv, written whole or not at all."""
    with replacing(csv_path) as tmp:
        write_csv(df, tmp)


def write_report(df: pd.DataFrame, report: Path) -> None:
    """The Markdown report (links relative to its folder), written whole or not at all."""
    _write_markdown(report, report_markdown(df, links_from=report.parent))


def _write_markdown(report: Path, text: str | bytes) -> None:
    report.parent.mkdir(parents=True, exist_ok=True)
    write_whole(report, text)


def run(processed_dir: Path, raw_dir: Path | None = None, report: Path | None = None) -> pd.DataFrame:
    """Check the tables and write the report and validation.csv (:func:`validate`, :func:`write`):
    `make validate`."""
    df = validate(processed_dir, raw_dir)
    write(df, Path(report) if report else default_report(), Path(processed_dir) / "validation.csv")
    return df


#: The line the build prints on its checks; :func:`checks_seconds` reads their seconds back
#: (`make bench` times the build as a process of its own).
CHECKS_LINE = ("validation: {summary} (checks {checks:.2f} s beside the workbook, report {report:.2f} s; "
               "{target}, validation.csv)")
_CHECKS_SECONDS = re.compile(r"validation: .*\(checks ([0-9.]+) s beside the workbook, report ([0-9.]+) s")


def checks_seconds(output: str) -> dict[str, float]:
    """The checks' and the report's seconds from a build's output (:data:`CHECKS_LINE`; {} if none)."""
    m = _CHECKS_SECONDS.search(output)
    return {"checks": float(m.group(1)), "report": float(m.group(2))} if m else {}


def _check(raw_dir: Path, tables: dict, staging: Path, links_from: Path, findings: bool = False):
    """The checks of a build's tables, validation.csv written into its staging folder: (the findings
    when asked for, their summary, the report's Markdown in UTF-8 with links from `links_from`, the
    seconds taken). Run in a process of its own, it sends back no findings, only what the report
    needs, as bytes: the file's own, which cross the pipe as they are (a report of 10,000 findings
    is some 15 MB; as a str it would be encoded to be sent, decoded, and encoded again to be written)."""
    t0 = time.perf_counter()
    df = validate(None, raw_dir, tables=tables)
    write_table(df, Path(staging) / "validation.csv")
    text = report_markdown(df, links_from=links_from).encode("utf-8")
    return (df if findings else None), summary(df), text, time.perf_counter() - t0


def in_build(raw_dir: Path, report: Path | None = None, say=None, keep: dict | None = None):
    """The checks as a step of the build (tables.build's `then`): on the tables in memory, as soon
    as the series exist, in a process of their own (the build's `beside`) while this one and the
    others write the tables; validation.csv goes into the staging folder (published with the
    tables), the report once they are published. `say` gets the summary line; `keep` (a dict) the
    tables and the findings, for what runs next in the same process (the review pages): the checks
    then run in this process."""
    def then(staging: Path, tables: dict, beside):
        target = Path(report) if report else default_report()
        args = (raw_dir, tables, staging, target.parent)
        if keep is not None:
            done, step = _check(*args, findings=True), None
            keep.update(tables, findings=done[0])
        else:
            step = beside(_check, *args)

        def finish() -> None:
            _, counts, text, took = step.result if step is not None else done
            t1 = time.perf_counter()
            _write_markdown(target, text)
            if say is not None:
                say(CHECKS_LINE.format(summary=counts, checks=took, report=time.perf_counter() - t1, target=target))
        return finish
    return then


def main(argv: list[str] | None = None) -> int:
    """CLI entry (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m zzdata.validate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--processed", help="the built tables (default data/processed)")
    parser.add_argument("--raw", help="the raw texts, for the traces (default data/raw)")
    parser.add_argument("--report", help="the Markdown report (default reports/validation.md)")
    parser.add_argument("--quiet", action="store_true", help="print the counts only")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when a finding is an error")
    args = parser.parse_args(argv)
    processed = Path(args.processed) if args.processed else paths.processed_dir()
    report = Path(args.report) if args.report else default_report()
    try:
        df = run(processed, Path(args.raw) if args.raw else None, report)
    except DataNotBuilt as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    n_errors = int((df["level"] == "error").sum())
    if args.quiet:
        print(f"validation: {summary(df)} (reports/validation.md, {processed.name}/validation.csv)")
    else:
        print(report_markdown(df, links_from=report.parent))
        print(f"(written to {report} and {processed / 'validation.csv'})", file=sys.stderr)
    return 0 if args.exit_zero or not n_errors else 1
