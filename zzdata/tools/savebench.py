"""`make bench`'s timing of a save from the review pages (issue 20: under a second for 100
reports): a collection of SAVE_DOCS texts built with its checks and pages, then SAVES corrections
saved one after the other as the served page saves them (zzdata.review.server.save: check,
append, rebuild after the extraction, validate, pages), each step's seconds."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

from .collection import make_collection

SAVE_DOCS = 100
SAVES = 3


def time_saves(workdir: Path, jobs: int, n_docs: int = SAVE_DOCS, saves: int = SAVES,
               raw_in: Path | None = None) -> dict:
    """Build a collection of `n_docs` texts (copies of those in `raw_in`, data/raw by default) in
    `workdir` and save `saves` corrections from the review server's code; return the answers'
    seconds and the median total."""
    from ..review.pages import write_pages
    from ..review.server import Project, save
    from ..tables.build import build
    from ..tables.load import load_facts
    from ..validate.report import in_build

    raw = workdir / "data" / "raw"
    make_collection(raw, n_docs, raw_in)
    project = Project(raw=raw, processed=workdir / "data" / "processed", out=workdir / "reports" / "review",
                      report=workdir / "reports" / "validation.md", jobs=jobs)
    build(project.raw, project.processed, jobs=jobs, quiet=True, then=in_build(project.raw, project.report))
    write_pages(project.processed, project.raw, project.out, jobs=jobs, quiet=True)
    facts = load_facts(project.processed)
    filed = facts.loc[facts["indicator"] != "", "fact_id"].tolist()
    step = max(1, len(filed) // (saves + 1))
    answers = [save(project, {"action": "drop", "fact_id": filed[(k + 1) * step], "fields": {},
                              "note": f"make bench: save {k + 1}"})["seconds"] for k in range(saves)]
    return {"docs": n_docs, "saves": answers, "median_s": statistics.median(a["total"] for a in answers)}


def describe(fig: dict) -> str:
    """The line `make bench` prints."""
    steps = "; ".join(", ".join(f"{k} {v:.2f}" for k, v in a.items() if k != "total") for a in fig["saves"])
    totals = ", ".join(f"{a['total']:.2f}" for a in fig["saves"])
    return (f"a save from the review pages on {fig['docs']} reports (check, append, rebuild, validate, pages): "
            f"{totals} s, median {fig['median_s']:.2f} s (goal < 1 s; steps in s: {steps}; load average "
            f"{os.getloadavg()[0]:.1f})")
