"""`make review`: write ``reports/review/index.html`` and one page per report, ``<file>.html``.

A page is written again only when what it shows changed: its content hash (the page's model as
JSON -- its figures, their choice, findings and corrections --, the hash of the report's raw
bytes and the hash of the pages' own code and wording) is kept in ``reports/review/.pages.json``
and compared. Pages are made in a process pool (forked: the workers share the joined tables the
main process loaded, model.Columns); each is written to a temporary file and renamed, so a page
is never seen half written. Pages of reports no longer in the collection are removed.
"""

from __future__ import annotations

import difflib
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..core import links, paths
from ..core.errors import InputError
from ..tables.background import fork_context
from ..tables.load import raw_text
from ..core.files import write_whole
from . import model
from .index import index_html
from .render import page_html

MANIFEST = ".pages.json"
CHUNK = 25  # reports per task of the pool
CODE_FILES = ("model.py", "render.py", "index.py", "pages.py", "page.css", "page.js", "index.js")  # not serve.js: added when served


@lru_cache(maxsize=None)
def code_version() -> str:
    """The hash of what makes a page besides its data: the pages' code, style and script, and the
    package's data files (wording, catalog names, gazetteer)."""
    folder = resources.files("zzdata.review")
    data = sorted((p.name, p.read_bytes()) for p in resources.files("zzdata").joinpath("data").iterdir()
                  if p.name.endswith((".csv", ".txt")))
    return model.content_hash(*(folder.joinpath(n).read_text(encoding="utf-8") for n in CODE_FILES),
                              *(f"{name}:{model.content_hash(body.decode('utf-8', 'replace'))}" for name, body in data))


@dataclass
class Written:
    """What a run of :func:`write_pages` did."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    index_written: bool = False
    seconds: float = 0.0
    load_seconds: float = 0.0

    def summary(self, out: Path) -> str:
        n = len(self.written) + self.unchanged
        return (f"Review pages: {len(self.written)} of {n} written ({self.unchanged} unchanged"
                + (f", {len(self.removed)} removed" if self.removed else "") + f") to {out} in {self.seconds:.2f} s"
                f" (tables joined in {self.load_seconds:.2f} s); open {out / links.INDEX}")


_COLUMNS: model.Columns | None = None  # the joined tables, set before the pool forks


def _render(task: tuple[list[str], str, str, dict[str, str]]) -> list[tuple[str, str, bool, str]]:
    """Make the pages of a run of reports (in a worker, or in the main process): per report
    (file, content hash, written, error)."""
    docs, out, raw, old = task
    cols = _COLUMNS
    done = []
    for doc in docs:
        digest = cols.digest(doc, code_version())
        target = Path(out) / links.page_name(doc)
        if old.get(doc) == digest and target.exists():
            done.append((doc, digest, False, ""))
            continue
        m = model.page_model(cols, doc)
        mj = model.model_json(m)
        try:
            text = raw_text(doc, Path(raw))
        except (OSError, InputError) as err:
            done.append((doc, "", False, f"{doc}: the raw text cannot be read ({err}); its page was not written"))
            continue
        write_whole(target, page_html(m, mj, text, digest))
        done.append((doc, digest, True, ""))
    return done


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def choose_docs(known: list[str], asked: list[str] | None) -> list[str]:
    """The reports asked for (file names, or paths whose name is one), all when none is; an
    unknown name is an error offering the closest."""
    if not asked:
        return list(known)
    names = set(known)
    out = []
    for a in asked:
        name = Path(a).name
        if name not in names:
            close = difflib.get_close_matches(name, sorted(names), n=3, cutoff=0.3)
            raise InputError(f"no report {a!r} in the built tables (documents.csv)"
                             + (f"; did you mean {', '.join(close)}?" if close else "")
                             + " Add it with `make add` and run `make data` first.")
        out.append(name)
    return out


def write_pages(processed: Path | None = None, raw: Path | None = None, out: Path | None = None,
                docs: list[str] | None = None, jobs: int = 1, quiet: bool = False,
                coll: model.Collection | None = None) -> Written:
    """Write the review pages of `docs` (default: every report) and the index into `out`
    (default reports/review/), from the tables in `processed` and the texts in `raw`."""
    global _COLUMNS
    t0 = time.perf_counter()
    processed = Path(processed or paths.processed_dir())
    raw = Path(raw or paths.raw_dir())
    out = Path(out or links.review_dir())
    coll = coll if coll is not None else model.load(processed)
    files = coll.documents["file"].astype(str).tolist()
    targets = choose_docs(files, docs)
    _COLUMNS = model.Columns(coll)
    result = Written(load_seconds=time.perf_counter() - t0)
    out.mkdir(parents=True, exist_ok=True)
    old = _read_manifest(out)
    tasks = [(targets[i : i + CHUNK], str(out), str(raw), {d: old.get(d, "") for d in targets[i : i + CHUNK]})
             for i in range(0, len(targets), CHUNK)]
    try:
        if jobs > 1 and len(tasks) > 1:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=fork_context()) as pool:
                chunks = list(pool.map(_render, tasks))
        else:
            chunks = [_render(task) for task in tasks]
    finally:
        _COLUMNS = None
    new = {d: h for d, h in old.items() if d in set(files)}
    for chunk in chunks:
        for doc, digest, wrote, err in chunk:
            if err:
                result.errors.append(err)
                new.pop(doc, None)
                continue
            new[doc] = digest
            if wrote:
                result.written.append(doc)
            else:
                result.unchanged += 1
    for doc in sorted(set(old) - set(files) - {links.INDEX}):  # reports gone from the collection: their pages too
        (out / links.page_name(doc)).unlink(missing_ok=True)
        result.removed.append(doc)
    counts = model.counts(coll)
    index_digest = model.content_hash(code_version(), counts.to_csv(),
                                      coll.documents.reindex(columns=list(model.DOC_FIELDS)).to_csv())
    if old.get(links.INDEX) != index_digest or not (out / links.INDEX).exists():
        write_whole(out / links.INDEX, index_html(coll.documents, counts, index_digest))
        result.index_written = True
    new[links.INDEX] = index_digest
    write_whole(out / MANIFEST, json.dumps(dict(sorted(new.items())), indent=0, ensure_ascii=False) + "\n")
    result.seconds = time.perf_counter() - t0
    if not quiet:
        for err in result.errors:
            print(f"error: {err}", file=sys.stderr)
        print(result.summary(out), file=sys.stderr)
    return result
