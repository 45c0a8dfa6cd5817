"""Command line: `python -m zzdata build|add|correct|query|show|indicators|validate|evaluate|notebooks|bench|review`.

Progress goes to stderr, results to stdout; errors are one line per problem and exit 1. A name
the data does not know (a theme, an indicator, a region, a fact id) is an error that offers the
closest names.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path

from .core import paths
from .core.errors import BuildError, InputError


def default_jobs() -> int:
    """Extraction processes by default: the cores this process may run on (a container's limit,
    not the host's count), at most 8, since each worker holds ~90 MB and the main process merges."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


#: The commands after which `python -m zzdata` ends without tearing down the interpreter
#: (__main__.py): they leave no thread, process, open file or exit handler behind.
ENDS_AT_ONCE = frozenset({"build"})


def _build(args: argparse.Namespace) -> int:
    from .tables import stamp
    from .validate import stale

    raw = Path(args.raw) if args.raw else paths.raw_dir()
    out = Path(args.out) if args.out else paths.processed_dir()
    report = Path(args.report) if args.report else None
    validating = not args.no_validate and (report or out.resolve() == paths.processed_dir().resolve())
    if not args.force and stamp.is_current(raw, out):  # answered without importing pandas
        if not args.quiet:
            print(f"{out} is up to date", file=sys.stderr)
        target = report or stale.default_report()
        if validating and not stale.is_current(out, target):  # the checks or the catalog changed since
            from .validate.report import run, summary

            found = run(out, raw, target)
            if not args.quiet:
                print(f"validation: {summary(found)} ({target}, {out / 'validation.csv'})", file=sys.stderr)
        return 0
    from .tables.build import build, keep_freed_memory

    keep_freed_memory()  # this process ends with its build
    then = None
    if validating:
        # The checks on the tables just made, in the build's own processes, beside the workbook
        # (nothing read back): what `make validate` writes, so that a rerun finds it current.
        say = None if args.quiet else lambda m: print(m, file=sys.stderr)

        def then(staging: Path, tables: dict, beside):
            from .validate.report import in_build  # pandas: only once the build's workers have started

            return in_build(raw, report, say=say)(staging, tables, beside)
    build(raw, out, force=args.force, jobs=args.jobs, quiet=args.quiet, then=then)  # unchanged texts from data/interim
    return 0


class UnknownName(LookupError):
    """A name the data does not know; the message offers the closest ones."""


def _known(kind: str, value: str, names, hint: str = "") -> None:
    """Raise UnknownName unless `value` is one of `names`, offering the closest of them."""
    names = sorted({str(n) for n in names if str(n)})
    if value in names:
        return
    close = difflib.get_close_matches(value, names, n=5, cutoff=0.4) or [n for n in names if value in n][:5]
    offer = f"; did you mean {', '.join(close)}?" if close else (f"; known: {', '.join(names[:12])}"
                                                                 + (" …" if len(names) > 12 else ""))
    raise UnknownName(f"no {kind} {value!r} in the data{offer}{hint}")


def _known_fact(fact_id: str, facts) -> None:
    """Raise UnknownName unless `fact_id` is a fact's id: offer the closest documents when the
    file part is unknown, else the facts of that document nearest the offset."""
    if (facts["fact_id"] == fact_id).any():
        return
    doc, _, offset = fact_id.rpartition(":")
    how = "; ids look like <raw file>:<offset>, e.g. from `python -m zzdata query <indicator>`"
    mine = facts[facts["doc"] == doc]
    if mine.empty or not offset.isdigit():
        _known("document", doc or fact_id, facts["doc"], hint=how)
    near = mine.iloc[(mine["start"] - int(offset)).abs().argsort()[:3]]["fact_id"]
    raise UnknownName(f"no fact with fact_id {fact_id!r}; the nearest in {doc}: {', '.join(near)}")


def _readable(values, units) -> list[str]:
    """Values as a person reads them: grouped, rounded, in 万/亿 as the texts write them, with the unit."""
    from .viz.numbers import format_value

    return [format_value(v, u, "zh") if v == v else "" for v, u in zip(values, units)]


def _query(args: argparse.Namespace) -> int:
    import pandas as pd

    from .tables.load import load_facts

    facts = load_facts(args.processed)
    term = args.term
    hit = (facts["indicator"] == term) | facts["label"].str.contains(term, regex=False) | facts["snippet"].str.contains(term, regex=False)
    sel = facts[hit]
    if sel.empty:
        _known("indicator or word", term, set(facts["indicator"]) | set(facts["label"]),
               hint=" (indicator ids: python -m zzdata indicators; or any Chinese word of the texts)")
    if args.region:
        _known("region", args.region, facts["region"])
        sel = sel[sel["region"] == args.region]
    for col in ("status", "measure", "doc"):
        value = getattr(args, col)
        if value:
            sel = sel[sel[col].str.contains(value, regex=False)]
    if sel.empty:
        print(f"no facts match {term!r} with these filters", file=sys.stderr)
        return 1
    sel = sel.sort_values(["indicator", "region", "year", "status"]).copy()
    sel["value"] = _readable(sel["value"], sel["unit"])
    cols = ["year", "period", "region", "status", "measure", "indicator", "label", "value_text", "value", "doc", "fact_id"]
    if args.snippets:
        cols.append("snippet")
    with pd.option_context("display.max_rows", 500, "display.max_columns", 20, "display.width", 250,
                           "display.max_colwidth", 60, "display.unicode.east_asian_width", True):
        print(sel[cols].to_string(index=False))
    return 0


def _show(args: argparse.Namespace) -> int:
    from .tables.load import trace

    from .tables.load import load_facts

    facts = load_facts()
    for fact_id in args.fact_id:
        _known_fact(fact_id, facts)
        print(trace(fact_id, context=args.context, facts=facts))
        print()
    return 0


def _indicators(args: argparse.Namespace) -> int:
    import pandas as pd

    from .tables.load import load_facts, load_indicators

    ind = load_indicators(args.processed)
    counts = load_facts(args.processed).groupby("indicator").agg(facts=("doc", "size"), texts=("doc", "nunique"),
                                                                  years=("year", lambda y: ",".join(map(str, sorted(set(y.dropna()))))))
    table = ind.merge(counts, left_on="id", right_index=True, how="left").fillna({"facts": 0, "texts": 0, "years": ""})
    table[["facts", "texts"]] = table[["facts", "texts"]].astype(int)
    if args.theme:
        from .core import vocab

        _known("theme", args.theme, vocab.THEMES)
        table = table[table["theme"] == args.theme]
    with pd.option_context("display.max_rows", 500, "display.width", 200, "display.unicode.east_asian_width", True):
        print(table[["id", "name_zh", "name_en", "theme", "unit", "facts", "texts", "years"]].to_string(index=False))
    return 0


def _add(args: argparse.Namespace) -> int:
    from .ingest.add import FLAGS, add

    given = {key: getattr(args, key) for key in FLAGS if getattr(args, key, None)}
    failed = add([Path(f) for f in args.files], given=given, yes=args.yes,
                 raw_dir=Path(args.raw) if args.raw else None)
    return 1 if failed else 0


def _correct(args: argparse.Namespace) -> int:
    """Check one correction as the build will and append it to data/raw/corrections.csv; exit 2
    (nothing written) when it is refused."""
    from .correct import CorrectionError, record
    from .correct.checks import FIELDS

    fields = {f: getattr(args, f) for f in FIELDS if getattr(args, f) is not None}
    try:
        add = None
        if args.add:
            file, start, end = args.add
            if not (start.isdigit() and end.isdigit()):
                raise CorrectionError([f"--add {file} {start} {end}: START and END are character offsets in the "
                                       "report's text (whole numbers)"])
            add = (file, int(start), int(end))
        if (args.fact_id is None) == (add is None):
            raise CorrectionError(["give a FACT_ID (with --drop, --unfile or fields to set) or --add FILE START END"])
        row = record(args.fact_id, drop=args.drop, unfile=args.unfile, add=add, fields=fields, note=args.note,
                     raw_dir=args.raw, processed_dir=args.processed)
    except CorrectionError as err:
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 2
    what = ", ".join(f"{k}={row[k]}" for k in FIELDS if row[k]) or row["action"]
    print(f"{row['where']} line {row['line']}: {row['action']} {row['file']}:{row['start']} "
          f"({row['value_text']}){': ' + what if row['action'] not in ('drop', 'unfile') else ''}. "
          "`make data` applies it.")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from .validate.evaluate import main as evaluate_main

    return evaluate_main(args)


def _notebooks(args: argparse.Namespace) -> int:
    from .tools.notebooks import main as notebooks_main

    return notebooks_main(args)


def _bench(args: argparse.Namespace) -> int:
    from .tools.bench import main as bench_main

    return bench_main(args)


def _review(args: argparse.Namespace) -> int:
    from .review.cli import main as review_main

    return review_main(args)


def parser() -> argparse.ArgumentParser:
    from .core import vocab

    p = argparse.ArgumentParser(prog="python -m zzdata", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build data/processed/ from data/raw/ (what `make data` runs)")
    b.add_argument("--raw", help="raw folder with the texts and sources.csv (default: data/raw)")
    b.add_argument("--out", help="output folder (default: data/processed)")
    b.add_argument("--force", action="store_true",
                   help="rebuild even when up to date, extracting every text again (not from the cache in data/interim)")
    b.add_argument("--jobs", type=int, default=default_jobs(),
                   help="processes for extraction (default: the cores this process may use, at most 8; "
                        "collections of 8 texts or fewer are read in one process)")
    b.add_argument("--quiet", action="store_true", help="no progress on stderr")
    b.add_argument("--no-validate", action="store_true",
                   help="do not run the checks after the build (by default they run on data/processed, or on --out "
                        "when --report is given, and write the report like `make validate`)")
    b.add_argument("--report", help="with --out: where to write the validation report (default: reports/validation.md "
                                    "for data/processed; none for another --out)")
    b.set_defaults(func=_build)

    a = sub.add_parser("add", help="copy downloaded reports (.txt, .html, .pdf, .docx) into data/raw/ and "
                                   "add their rows to sources.csv, inferred from the text")
    a.add_argument("files", nargs="+", metavar="FILE")
    a.add_argument("--yes", action="store_true", help="add without asking (otherwise: a y/N prompt on a terminal)")
    for key, flag in (("region", "--region"), ("region_level", "--region-level"), ("doc_type", "--doc-type"),
                      ("delivered", "--delivered"), ("review_year", "--review-year"),
                      ("target_year", "--target-year"), ("title", "--title"), ("publisher", "--publisher"),
                      ("url", "--url")):
        a.add_argument(flag, dest=key, help=f"the manifest's {key}, instead of what is inferred")
    a.add_argument("--raw", help=argparse.SUPPRESS)
    a.set_defaults(func=_add)

    from .correct.checks import FIELDS

    c = sub.add_parser("correct", help="correct a figure by hand: drop it, unfile it, set its fields, or add one "
                                       "the build missed (appended to data/raw/corrections.csv; `make data` applies "
                                       "it)",
                       description="python -m zzdata correct FACT_ID --drop --note WHY | "
                                   "correct FACT_ID --unfile --note WHY | "
                                   "correct FACT_ID --indicator gdp --period YYYY --note WHY | "
                                   "correct --add FILE START END --indicator ID --note WHY")
    c.add_argument("fact_id", nargs="?", metavar="FACT_ID", help="the figure (facts.fact_id: <raw file>:<offset>)")
    c.add_argument("--drop", action="store_true", help="not a figure (a slogan count, a list of milestones): drop it")
    c.add_argument("--unfile", action="store_true",
                   help="a figure, but filed under the wrong indicator and of none in the catalog: file it under no "
                        "indicator (it leaves the series and the charts, it stays in the facts)")
    c.add_argument("--add", nargs=3, metavar=("FILE", "START", "END"),
                   help="a figure the build missed: its file and character span in zzdata.raw_text(FILE)")
    for name in FIELDS:
        c.add_argument(f"--{name}", help=f"set the figure's {name} (see the README's facts columns)")
    c.add_argument("--note", required=True, help="why (required)")
    c.add_argument("--raw", help=argparse.SUPPRESS)
    c.add_argument("--processed", help=argparse.SUPPRESS)
    c.set_defaults(func=_correct)

    q = sub.add_parser("query", help="all values of an indicator (id) or a Chinese word across texts and years")
    q.add_argument("term", help="indicator id (e.g. new_urban_jobs) or words (e.g. 城镇就业)")
    q.add_argument("--region")
    q.add_argument("--status", choices=vocab.STATUSES)
    q.add_argument("--measure", choices=vocab.MEASURES)
    q.add_argument("--doc", help="part of a raw file name")
    q.add_argument("--snippets", action="store_true", help="show the clause of each fact")
    q.add_argument("--processed", help=argparse.SUPPRESS)
    q.set_defaults(func=_query)

    s = sub.add_parser("show", help="the raw text around a fact, by fact_id (trace a number to its sentence)")
    s.add_argument("fact_id", nargs="+")
    s.add_argument("--context", type=int, default=60)
    s.set_defaults(func=_show)

    i = sub.add_parser("indicators", help="the indicator catalog with how many facts each has")
    i.add_argument("--theme")
    i.add_argument("--processed", help=argparse.SUPPRESS)
    i.set_defaults(func=_indicators)

    e = sub.add_parser("evaluate", help="compare facts.csv with the hand-checked gold set (tests/gold)")
    e.add_argument("--facts", help="facts.csv to evaluate (default: data/processed/facts.csv)")
    e.add_argument("--gold", help="gold folder (default: tests/gold)")
    e.add_argument("--report", help="Markdown report to write (default: reports/evaluation.md)")
    e.add_argument("--quiet", action="store_true", help="print only the summary table")
    e.set_defaults(func=_evaluate)

    v = sub.add_parser("validate", help="check the built tables as a statistician would (make validate); "
                                        "options: --processed --raw --report --quiet --exit-zero")
    v.add_argument("options", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)

    n = sub.add_parser("notebooks", help="execute every notebook headlessly (writes reports/figures/)")
    n.add_argument("names", nargs="*", help="notebook files (default: all in notebooks/)")
    n.add_argument("--timeout", type=int, default=600)
    n.add_argument("-p", "--parameter", action="append", metavar="NAME=VALUE",
                   help="set a parameter of the notebooks' parameters cell, e.g. -p LANG=en -p YEARS=YYYY,YYYY "
                        "-p REGIONS=<region>,<region> (names as in regions.csv)")
    n.add_argument("--jobs", type=int, default=None, help="notebooks at a time (default: one per core)")
    n.add_argument("--redraw", action="store_true",
                   help="draw every chart; by default a chart whose inputs and code did not change is put back "
                        "from reports/figures/.reuse/")
    n.set_defaults(func=_notebooks)

    bb = sub.add_parser("bench", help="build a synthetic collection of many documents and time it")
    bb.add_argument("--docs", type=int, default=1000)
    bb.add_argument("--jobs", type=int, default=2)
    bb.add_argument("--repeat", type=int, help="cold builds to time, the median one reported (default: bench.REPEAT)")
    bb.add_argument("--workdir", help="where to build the collection (default: a temporary folder)")
    bb.add_argument("--sizes", help="only `make data` from nothing, on collections of these sizes, e.g. 250,500,1000")
    bb.add_argument("--charts", action="store_true",
                    help="time the charts instead: every chart kind of 16 regions x 20 years, charts per second")
    bb.set_defaults(func=_bench)

    from .review.cli import add_arguments as review_arguments

    r = sub.add_parser("review", help="write reports/review/: every report as a page with its figures marked "
                                      "(--serve: correct them from the page)")
    review_arguments(r, default_jobs())
    r.set_defaults(func=_review)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["validate"]:  # its options are its own (python -m zzdata.validate --help)
        from .validate.report import main as validate_main

        return validate_main(argv[1:])
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (InputError, BuildError) as err:
        for line in str(err).splitlines():
            print(f"error: {line}", file=sys.stderr)
        print("The output folder was left as it was.", file=sys.stderr)
        return 1
    except UnknownName as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (`| head`) closed the pipe: nothing more to say
        sys.stderr.close()
        return 0
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
