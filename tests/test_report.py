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
