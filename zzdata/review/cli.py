"""`python -m zzdata review [DOC …] [--serve]`: the command line of the review pages (make review,
make review-serve)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core import links, paths


def add_arguments(p: argparse.ArgumentParser, jobs: int) -> None:
    """The review subcommand's options."""
    p.add_argument("docs", nargs="*", metavar="DOC", help="report files (names in data/raw/) to write the pages of "
                                                           "(default: every report)")
    p.add_argument("--serve", action="store_true",
                   help="serve the pages on 127.0.0.1 with a form to correct each figure (Ctrl-C stops)")
    p.add_argument("--port", type=int, default=0, help="with --serve: the port (default: a free one)")
    p.add_argument("--jobs", type=int, default=jobs, help="processes making the pages (default: the cores, at most 8)")
    p.add_argument("--processed", help=argparse.SUPPRESS)
    p.add_argument("--raw", help=argparse.SUPPRESS)
    p.add_argument("--out", help="folder of the pages (default: reports/review)")
    p.add_argument("--quiet", action="store_true", help="no summary on stderr")


def main(args: argparse.Namespace) -> int:
    """Write the pages (and with --serve, serve them until Ctrl-C)."""
    from .pages import write_pages

    processed = Path(args.processed) if args.processed else paths.processed_dir()
    raw = Path(args.raw) if args.raw else paths.raw_dir()
    out = Path(args.out) if args.out else links.review_dir()
    result = write_pages(processed, raw, out, docs=args.docs or None, jobs=args.jobs, quiet=args.quiet)
    if args.serve:
        from .server import serve

        return serve(processed, raw, out, port=args.port, jobs=args.jobs)
    return 1 if result.errors else 0
