"""`make report`: a notebook as one standalone HTML page, its charts embedded (zzdata/tools/report.py).

Runs one small notebook of its own in a temporary folder (one kernel start, a few seconds), not
the project's notebooks."""

from __future__ import annotations

import base64
import os
import re
import time

import pytest

from zzdata.tools import report

TINY = '''# %% [markdown]
# # A tiny report · 小报告
#
# A chart below, and a picture from a file: ![dot](dot.png)

# %%
import io
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.display import Image, display

fig, ax = plt.subplots(figsize=(2, 1.5))
ax.plot([1, 2, 3], [3, 1, 2])
buf = io.BytesIO()
fig.savefig(buf, format="png")
display(Image(data=buf.getvalue()))

# %%
print("sum", 1 + 2)
'''

# a 1x1 PNG
DOT = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==")


def _text(page: str) -> str:
    """The page without its tags (the code is highlighted token by token)."""
    return re.sub(r"<[^>]+>", "", page)


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "nb" / "07_tiny.py"
    path.parent.mkdir()
    path.write_text(TINY, encoding="utf-8")
    (path.parent / "dot.png").write_bytes(DOT)
    return path


def test_a_notebook_becomes_one_page_with_its_charts(book, tmp_path):
    out = tmp_path / "html"
    lines: list[str] = []
    pages = report.report([book], out, data_stamp=tmp_path / "none", say=lines.append)
    assert pages == [out / "07_tiny.html"]
    page = pages[0].read_text(encoding="utf-8")
    assert "<title>A tiny report · 小报告</title>" in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2  # the chart the notebook drew and the picture from the file
    assert base64.b64decode(images[-1]) == DOT or base64.b64decode(images[0]) == DOT
    assert "sum 3" in page and "ax.plot" in _text(page)
    assert not re.search(r'<img[^>]+src="(?!data:)', page), "every image is in the page"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="07_tiny.html">A tiny report · 小报告</a>' in index
    assert "running it" in lines[0]
    assert book.with_suffix(".ipynb").is_file()  # executed, as `make figures` leaves it

    # The executed notebook is current: used as it is, not run again.
    ran = book.with_suffix(".ipynb").stat().st_mtime
    lines.clear()
    report.report([book], out, data_stamp=tmp_path / "none", no_input=True, say=lines.append)
    assert "current" in lines[0] and book.with_suffix(".ipynb").stat().st_mtime == ran
    page = pages[0].read_text(encoding="utf-8")
    assert "ax.plot" not in _text(page) and "sum 3" in page  # --no-input: no code, the outputs stay

    # A source edited after the run, or newer data, makes it stale.
    later = time.time() + 5
    os.utime(book, (later, later))
    assert not report.is_current(book.with_suffix(".ipynb"), book)
    os.utime(book, (ran - 5, ran - 5))
    stamp = tmp_path / "stamp.json"
    stamp.write_text("{}")
    os.utime(stamp, (later, later))
    assert not report.is_current(book.with_suffix(".ipynb"), book, stamp)
    assert report.is_current(book.with_suffix(".ipynb"), book, tmp_path / "none")
    # A zzdata changed after the run (new chart code, say): the charts are stale too.
    assert not report.is_current(book.with_suffix(".ipynb"), book, tmp_path / "none", code_time=later)
    assert report.package_time() > 0


def test_a_notebook_that_failed_is_not_current(book, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1/0", execution_count=1, outputs=[
        nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="", traceback=[])])])
    nbformat.write(nb, str(book.with_suffix(".ipynb")))
    os.utime(book, (time.time() - 60, time.time() - 60))
    assert not report.is_current(book.with_suffix(".ipynb"), book, tmp_path / "none")


def test_main_names_a_missing_notebook(capsys):
    assert report.main(["no_such_notebook_xyz"]) == 1
    assert "no notebook" in capsys.readouterr().err


# An asset the browser loads when it opens the page: a script, a stylesheet or icon, an image, a frame.
# (An <a href> a notebook's text cites is only followed when clicked, so it is allowed.)
ASSET = re.compile(r"<(?:script|img|iframe|link|source|embed|audio|video)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?\s*"
                   r"(?:https?:|//)", re.IGNORECASE)


def test_a_page_loads_nothing_from_the_network(tmp_path):
    """Opened offline, the page fetches no script, stylesheet or image from a CDN (MathJax,
    require.js, Mermaid, widgets: the lab template's defaults), and its chart is in it."""
    import nbformat

    v4 = nbformat.v4
    png = base64.b64encode(DOT).decode()
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# Offline · 离线\n\nA source, cited: [report](https://example.org/report.html)"),
        v4.new_code_cell("chart()", execution_count=1, outputs=[
            v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"}),
            v4.new_output("stream", name="stdout", text="done\n")]),
    ])
    # saved widget state: the lab template would load a widget renderer from unpkg.com for it
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0, "state": {}}}
    ipynb = tmp_path / "08_offline.ipynb"
    nbformat.write(nb, str(ipynb))
    title, page = report.to_html(ipynb)
    assert title == "Offline · 离线"
    assert f'src="data:image/png;base64,{png}"' in page
    remote = [m.group(0) for m in ASSET.finditer(page)]
    assert not remote, f"the page loads remote assets: {remote}"
    # nor a script the page writes in itself (Mermaid's import(), the widgets' script.src = …)
    assert "cdnjs" not in page and "unpkg" not in page
    assert '<a href="https://example.org/report.html">' in page  # the notebook's own link stays


LINKS = '''# %% [markdown]
# # Links · 链接

# %%
import pandas as pd
from zzdata.core import links

links.linked_table(pd.DataFrame({"label": FACTS, "fact_id": FACTS}))
'''


def _review_links(page: str) -> list[str]:
    """The hrefs of a page's links to a review page (what ``links.fact_href`` writes: …html#…)."""
    import html as html_lib

    return [html_lib.unescape(h) for h in re.findall(r"<a\b[^>]*?\bhref=[\"']([^\"']+)[\"']", page)
            if ".html#" in html_lib.unescape(h)]


def _follow(href: str, from_dir) -> tuple[bool, bool]:
    """(the file exists, the figure's element is in it) for a link followed from `from_dir`."""
    from urllib.parse import unquote

    path, _, fragment = href.partition("#")
    target = (from_dir / unquote(path)).resolve()
    return target.is_file(), target.is_file() and f'id="{unquote(fragment)}"' in target.read_text(encoding="utf-8")


def test_the_review_links_of_a_notebooks_page_lead_to_the_figures_wherever_it_is_written(tmp_path, monkeypatch):
    """The "facts charted" table links each fact to its review page, relative to the notebook's
    folder, where it runs; the page `make report` writes to reports/html/ (or any --out) has them
    rewritten, so every link still reaches the page and the figure on it."""
    import json

    from zzdata.core import links

    project = tmp_path / "project"
    (project / "data" / "raw").mkdir(parents=True)
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    facts = ["town_report.txt:120", "town report two.txt:7"]  # a space in a file name is quoted
    review = project / "reports" / "review"
    review.mkdir(parents=True)
    for fid in facts:  # a review page of each report, holding its figure's element
        (review / links.page_name(links.doc_of(fid))).write_text(f'<mark id="{fid}">1</mark>\n', encoding="utf-8")
    book = project / "notebooks" / "07_links.py"
    book.parent.mkdir()
    book.write_text(LINKS.replace("FACTS", json.dumps(facts)), encoding="utf-8")
    monkeypatch.setenv("ZZDATA_ROOT", str(project))  # the kernel's review folder: the project's

    # In the executed notebook the links are made for notebooks/ (where JupyterLab shows them).
    (page,) = report.report([book], project / "reports" / "html", data_stamp=tmp_path / "none", say=lambda _: None)
    import nbformat

    outputs = [o for c in nbformat.read(str(book.with_suffix(".ipynb")), as_version=4).cells
               if c.cell_type == "code" for o in c.outputs]
    in_notebook = _review_links("".join(o.get("data", {}).get("text/html", "") for o in outputs))
    assert len(in_notebook) == len(facts) and all(h.startswith("../reports/review/") for h in in_notebook)
    assert all(_follow(h, book.parent) == (True, True) for h in in_notebook), in_notebook

    for out in (project / "reports" / "html", tmp_path / "elsewhere" / "deeper"):
        if out != page.parent:
            (page,) = report.report([book], out, data_stamp=tmp_path / "none", say=lambda _: None)
        hrefs = _review_links(page.read_text(encoding="utf-8"))
        assert len(hrefs) == len(facts), hrefs
        broken = [h for h in hrefs if _follow(h, page.parent) != (True, True)]
        assert not broken, f"{page}: links that lead nowhere: {broken}"
    assert _review_links((project / "reports" / "html" / "07_links.html").read_text(encoding="utf-8"))[0] \
        .startswith("../review/")


def test_a_relative_link_is_rewritten_for_the_folder_a_page_is_written_to():
    from zzdata.core import links

    page = ('<a href="../reports/review/a%20b.txt.html#a%20b.txt:3">a</a> <a class="x" href=\'../docs/flow.md\'>f</a> '
            '<a href="https://example.org/r.html">r</a> <a href="#top">t</a> <a href="mailto:x@example.org">m</a> '
            '<link href="style.css"> <img src="../dot.png">')
    out = links.rebase(page, "/p/notebooks", "/p/reports/html")
    assert '<a href="../review/a%20b.txt.html#a%20b.txt:3">' in out and "href='../../docs/flow.md'" in out
    for kept in ('href="https://example.org/r.html"', 'href="#top"', 'href="mailto:x@example.org"',
                 '<link href="style.css">', '<img src="../dot.png">'):
        assert kept in out  # not relative to a folder, or not a link the reader follows
    assert links.rebase(page, "/p/notebooks", "/p/notebooks") == page
