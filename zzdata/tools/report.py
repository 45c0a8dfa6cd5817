"""`make report` / `python -m zzdata.tools.report`: every notebook as a standalone HTML page.

Each notebook (``notebooks/NN_name.py``, or the names given) becomes ``reports/html/NN_name.html``:
its text, tables and charts in one file (the charts are the PNG outputs of the executed notebook,
embedded as data; a Markdown image that points at a local file is embedded too), to send to
someone without Python. ``reports/html/index.html`` links them, each under its title.

The executed ``notebooks/NN_name.ipynb`` that `make figures` (``python -m zzdata notebooks``)
writes is reused when it is current: every code cell ran, none raised, and it is newer than its
``.py``, than the last build of ``data/processed/`` and than the zzdata package's files. Otherwise the notebook is run first, as
`make figures` runs it (tools/notebooks.py, which also writes its charts to reports/figures/).
``--run`` runs every notebook; ``--no-input`` leaves the code out of the pages (text, tables and
charts only). The HTML is nbconvert's (HTMLExporter, its ``lab`` template).

A page loads nothing from the network: opened offline it is complete, and opening it tells no
third party. The ``lab`` template would load require.js and MathJax from cdnjs (``<script src>``),
import Mermaid from cdnjs when a Markdown cell holds a diagram, and load a widget renderer from
unpkg when the notebook saved widget state; `STANDALONE` extends the template with those blocks
left empty. So ``$...$`` math in a Markdown cell shows as its TeX text (these notebooks have none),
a Mermaid diagram as its source and a widget not at all; tables, text and the PNG charts are
unaffected. Links in a notebook's own text (``<a href>``) are kept: they are only followed when
clicked; a relative one (the "facts charted" tables' links to the review pages, made for the
notebook's folder, where it runs) is rewritten to reach the same file from the page's folder
(:func:`zzdata.core.links.rebase`).
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path

from ..core import links, paths
from . import notebooks as runner

STAMP = ".build-stamp.json"  # tables/stamp.py: rewritten by every build of data/processed

# nbconvert's ``lab`` template without the blocks that load scripts from a CDN (templates/lab/
# index.html.j2; the "programmatically creating templates" way: a jinja DictLoader the exporter
# tries first). Blanking HTMLExporter.mathjax_url / require_js_url would leave ``<script src="">``,
# and the Mermaid and widget URLs are written into inline scripts, so the blocks go instead.
STANDALONE = "zzdata_standalone.html.j2"
STANDALONE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""


def html_dir() -> Path:
    return paths.project_root() / "reports" / "html"


def package_time() -> float:
    """When the zzdata package (its code and data files) last changed: the charts and tables of
    an executed notebook are drawn by it, so a notebook run before a change of it is stale."""
    root = Path(__file__).resolve().parents[1]
    return max((f.stat().st_mtime for f in root.rglob("*") if f.suffix in (".py", ".csv", ".yaml")), default=0.0)


def is_current(ipynb: Path, source: Path, data_stamp: Path | None = None, code_time: float | None = None) -> bool:
    """Whether an executed notebook can be used as it is: every code cell ran and none raised,
    and it is newer than its source, than the data it read (`data_stamp`, when it exists) and
    than the package that drew it (`code_time`, by default `package_time`)."""
    import nbformat

    if not ipynb.is_file():
        return False
    code_time = package_time() if code_time is None else code_time
    newest = max([source.stat().st_mtime, code_time]
                 + ([data_stamp.stat().st_mtime] if data_stamp and data_stamp.exists() else []))
    if ipynb.stat().st_mtime < newest:
        return False
    try:
        nb = nbformat.read(str(ipynb), as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable notebook is run again
        return False
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    ran = all(c.get("execution_count") for c in code)
    failed = any(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    return bool(code) and ran and not failed


def title_of(nb, default: str) -> str:
    """The notebook's first Markdown heading, else `default`."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return default


def to_html(ipynb: Path, no_input: bool = False, out_dir: Path | None = None) -> tuple[str, str]:
    """(title, page) of an executed notebook: one self-contained HTML page, its images embedded
    and no script loaded from the network (`STANDALONE`), its relative links made for a page in
    `out_dir` (default: the notebook's folder, where it ran and its links were made)."""
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(ipynb), as_version=4)
    title = title_of(nb, ipynb.stem)
    exporter = HTMLExporter(template_name="lab", template_file=STANDALONE,
                            extra_loaders=[DictLoader({STANDALONE: STANDALONE_TEMPLATE})],
                            embed_images=True, exclude_input=no_input,
                            exclude_input_prompt=no_input, exclude_output_prompt=no_input)
    resources = {"metadata": {"name": title, "path": str(ipynb.parent)}}
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    if out_dir is not None:
        page = links.rebase(page, ipynb.parent, out_dir)
    return title, page


def index_page(entries: list[tuple[str, str]]) -> str:
    """reports/html/index.html: a link to each page under its title."""
    items = "\n".join(f'<li><a href="{html.escape(name)}">{html.escape(title)}</a></li>' for name, title in entries)
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>zzdata notebooks</title></head>\n"
            f"<body>\n<h1>zzdata notebooks</h1>\n<ul>\n{items}\n</ul>\n</body></html>\n")


def report(books: list[Path], out_dir: Path | None = None, run: bool = False, no_input: bool = False,
           timeout: int = 600, data_stamp: Path | None = None, say=None) -> list[Path]:
    """Write one HTML page per notebook script in `books` (running those whose executed notebook
    is missing or stale, or all with `run`) and the index; return the pages' paths."""
    out = Path(out_dir) if out_dir else html_dir()
    out.mkdir(parents=True, exist_ok=True)
    stamp = data_stamp if data_stamp is not None else paths.processed_dir() / STAMP
    say = say or (lambda msg: print(msg, file=sys.stderr, flush=True))
    pages, entries = [], []
    for i, book in enumerate(books, start=1):
        ipynb = book.with_suffix(".ipynb")
        t0 = time.perf_counter()
        if run or not is_current(ipynb, book, stamp):
            say(f"[{i}/{len(books)}] {book.name}: running it …")
            runner.run_notebook(book, output=ipynb, timeout=timeout)
        else:
            say(f"[{i}/{len(books)}] {book.name}: using {ipynb.name} (current)")
        title, page = to_html(ipynb, no_input=no_input, out_dir=out)
        target = out / f"{book.stem}.html"
        target.write_text(page, encoding="utf-8")
        pages.append(target)
        entries.append((target.name, title))
        say(f"      -> {target} ({target.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s)")
    (out / "index.html").write_text(index_page(entries), encoding="utf-8")
    return pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m zzdata.tools.report", description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="notebooks (default: all in notebooks/): a path, a name or a part of one")
    ap.add_argument("--run", action="store_true", help="run every notebook, even when its .ipynb is current")
    ap.add_argument("--no-input", action="store_true", help="leave the code out of the pages")
    ap.add_argument("--out", help="folder for the pages (default: reports/html)")
    ap.add_argument("--timeout", type=int, default=600, help="seconds a cell may run")
    args = ap.parse_args(argv)
    try:
        books = runner.find_notebooks(args.names)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if not books:
        print(f"error: no notebooks in {runner.notebooks_dir()}", file=sys.stderr)
        return 1
    try:
        pages = report(books, Path(args.out) if args.out else None, run=args.run, no_input=args.no_input,
                       timeout=args.timeout)
    except runner.NotebookError as err:
        for line in str(err).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 1
    print(f"Wrote {len(pages)} pages and index.html to {pages[0].parent}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
