"""The notebooks run top to bottom in a fresh kernel and write their charts.

Executes every `notebooks/NN_*.py` with the same function `make figures` uses
(zzdata.tools.notebooks.run_notebook), so a failing cell fails the suite with the notebook and cell.
Marked slow (about a minute in all); it runs in the normal `make test` (deselect with -m "not slow").
"""

from __future__ import annotations

import ast
import re
import shutil
import time

import jupytext
import pytest
from conftest import RAW, ROOT

from zzdata.core import paths
from zzdata.tables import background
from zzdata.tools import notebooks as nbrun
from zzdata.viz import overlap

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.py"))
THEMES = ("01_economy", "02_livelihoods", "03_environment", "04_housing")


def test_the_notebooks_are_there():
    names = {p.stem for p in NOTEBOOKS}
    assert set(THEMES) | {"05_district_vs_city"} <= names
    assert (ROOT / "jupytext.toml").read_text(encoding="utf-8").count('formats = "ipynb,py:percent"') == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_shape(path):
    nb = jupytext.read(path)
    first, code = nb.cells[0], [c for c in nb.cells if c.cell_type == "code"]
    assert first.cell_type == "markdown" and first.source.lstrip().startswith("# ")
    # First the parameters (papermill's convention: `-p NAME=VALUE` is injected after them), then
    # the data is built on a fresh clone, before anything reads it.
    assert "parameters" in code[0].metadata.get("tags", []), "the first code cell holds the parameters"
    assert 'LANG = "zh"' in code[0].source
    assert "zzdata.ensure_data()" in code[1].source, "the cell after the parameters builds the data"
    assert "book.sources()" in code[-1].source, "ends with the table of charted facts"
    for cell in code:
        src = cell.source
        assert "import re" not in src and "re.compile" not in src and "str.extract" not in src, "no parsing here"
        # No figure typed by hand: no float literals, no integers that look like data or years.
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                assert isinstance(node.value, int) and abs(node.value) <= 200, f"number {node.value!r} typed in {path.name}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not re.search(r"(?<![\w{])(19|20)\d\d(?![\w}])", node.value), f"year typed in {path.name}: {node.value!r}"


def _region_words() -> set[str]:
    import csv

    with (ROOT / "zzdata" / "data" / "regions.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    found = {r["name"] for r in rows} | {r["name_en"] for r in rows} | {a for r in rows for a in r["aliases"].split("|")}
    return {w for w in found if len(w) >= 2}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_region_or_year_is_typed_in_the_narrative_or_the_code(path):
    """Regions and years come from the data (and the parameters): no cell, Markdown or code, names
    a region of the gazetteer (in Chinese or English) or a year."""
    nb = jupytext.read(path)
    names, year = _region_words(), re.compile(r"(?<![\w{])(19|20)\d\d(?![\w}])")
    hits = []
    for i, cell in enumerate(nb.cells, start=1):
        for line in cell.source.splitlines():
            named = sorted(w for w in names if w in line)
            if named or year.search(line):
                hits.append(f"cell {i}: {line.strip()[:80]} ({', '.join(named) or 'a year'})")
    assert not hits, "\n".join(hits)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project of its own for the notebooks to run in (``$ZZDATA_ROOT``): the shipped texts,
    built, so that the executed notebooks write their charts into its reports/figures and leave the
    repository's (and a researcher's charts there) alone."""
    from zzdata.tables.build import build

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(RAW, root / "data" / "raw")
    build(root / "data" / "raw", root / "data" / "processed", quiet=True)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_saves_its_charts(path, project, tmp_path, monkeypatch):
    monkeypatch.setenv(overlap.STRICT_ENV, "1")  # a chart with overlapping texts fails its cell
    monkeypatch.setenv("ZZDATA_ROOT", str(project))  # the kernel inherits it: data and charts of `project`
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "reports" / "figures").rglob("*") if p.is_file()}
    result = nbrun.run_notebook(path, output=tmp_path / f"{path.stem}.ipynb", timeout=300)
    assert result.output.exists()
    executed = jupytext.read(result.output)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    # Nothing on stderr (a red box in the notebook and its HTML page): the font was made by the
    # set-up, and no warning is left for a reader.
    stderr = [o["text"][:200] for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, stderr
    tables = [o["data"]["text/html"] for c in executed.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    raw = [t for t in tables if re.search(r"\d\.\d+e[+-]\d\d|>\s*nan\s*<|\b20\d\d\.0\b", t)]
    assert not raw, f"a table shows raw floats (9.318e+10, nan, 2023.0): {raw[0][:300]}"
    figures = project / "reports" / "figures" / path.stem
    pngs = sorted(figures.glob("*.png"))
    assert pngs or path.stem not in THEMES
    after = {p: p.stat().st_mtime_ns for p in (ROOT / "reports" / "figures").rglob("*") if p.is_file()}
    assert after == before, "the notebook wrote into the repository's reports/figures"
    if path.stem in THEMES:
        assert len(pngs) >= 3, f"{path.stem} saves at least three charts"
    for png in pngs:
        for ext in ("svg", "pdf"):
            assert png.with_suffix(f".{ext}").exists()


def test_a_failing_cell_names_the_notebook_and_cell(tmp_path):
    bad = tmp_path / "99_broken.py"
    bad.write_text('# %% [markdown]\n# # Broken\n\n# %%\nx = 1\n\n# %%\nraise ValueError("boom")\n', encoding="utf-8")
    with pytest.raises(nbrun.NotebookError) as err:
        nbrun.run_notebook(bad, output=tmp_path / "out.ipynb", timeout=60)
    text = str(err.value)
    assert "99_broken.py" in text and "cell 3" in text and "boom" in text


def test_main_exits_non_zero_on_a_missing_notebook(capsys):
    import argparse

    assert nbrun.main(argparse.Namespace(names=["no_such_notebook"], timeout=10)) == 1
    assert "no_such_notebook" in capsys.readouterr().err


def test_redraw_reaches_the_kernels_and_the_command_line():
    """`python -m zzdata notebooks --redraw` draws every chart: the kernels run with the store off."""
    from zzdata import cli
    from zzdata.viz import reuse

    assert nbrun._kernel_manager({reuse.ENV: "0"}).kernel_spec.env[reuse.ENV] == "0"
    assert reuse.ENV not in nbrun._kernel_manager().kernel_spec.env
    args = cli.parser().parse_args(["notebooks", "--redraw", "--jobs", "1"])
    assert args.redraw and args.jobs == 1
    assert not cli.parser().parse_args(["notebooks"]).redraw


def test_the_times_of_runs_that_drew_the_charts_order_the_notebooks(tmp_path, monkeypatch):
    """Each notebook has a time of a run that drew its charts: the longest starts first, whatever
    its number of charts; one without such a time and the notebooks with the most charts start first."""
    monkeypatch.setenv("ZZDATA_ROOT", str(tmp_path))
    figures = paths.figures_dir()
    for stem, n in (("01_few", 3), ("05_many", 40), ("06_none", 0)):
        (figures / stem).mkdir(parents=True)
        for i in range(n):
            (figures / stem / f"c{i}.png").write_bytes(b"")
    books = [tmp_path / f"{stem}.py" for stem in ("01_few", "05_many", "06_none")]
    (figures / nbrun.SECONDS).write_text('{"01_few": 20.0, "05_many": 9.0, "06_none": 30.0}\n')
    assert [b.stem for b in nbrun.longest_first(books)] == ["06_none", "01_few", "05_many"]
    (figures / nbrun.SECONDS).write_text('{"01_few": 20.0, "06_none": 30.0}\n')
    assert [b.stem for b in nbrun.longest_first(books)] == ["05_many", "01_few", "06_none"]


def test_a_run_that_put_its_charts_back_from_the_store_is_not_timed(tmp_path, monkeypatch):
    """A chart put back from the store is a link to the file written when it was drawn, with that
    time: such a run's seconds say nothing of a run that draws, and are not kept."""
    import os

    monkeypatch.setenv("ZZDATA_ROOT", str(tmp_path))
    book, folder = tmp_path / "05_many.py", paths.figures_dir() / "05_many"
    folder.mkdir(parents=True)
    for i in range(10):
        (folder / f"c{i}.png").write_bytes(b"")
    start = time.time()
    assert nbrun.drew_its_charts(book, start - 1)  # all ten written by this run
    for i in range(2):  # two put back from a store written an hour ago
        os.utime(folder / f"c{i}.png", (start - 3600, start - 3600))
    assert not nbrun.drew_its_charts(book, start - 1)
    os.utime(folder / "c0.png", None)  # one of ten put back: it drew its charts
    assert nbrun.drew_its_charts(book, start - 1)
    assert nbrun.drew_its_charts(tmp_path / "06_none.py", start)  # no charts: nothing put back


def test_a_first_run_starts_the_longest_script_first(tmp_path, monkeypatch):
    # No figures and no seconds yet: the longer script is the better guess, then the name.
    monkeypatch.setenv("ZZDATA_ROOT", str(tmp_path))
    books = []
    for stem, lines in (("01_short", 5), ("02_short", 5), ("05_long", 50)):
        book = tmp_path / f"{stem}.py"
        book.write_text("# %%\nx = 1\n" * lines, encoding="utf-8")
        books.append(book)
    assert [b.stem for b in nbrun.longest_first(books)] == ["05_long", "01_short", "02_short"]
    (paths.figures_dir() / "02_short").mkdir(parents=True)
    (paths.figures_dir() / "02_short" / "c0.png").write_bytes(b"")  # once charts were written, they count first
    assert [b.stem for b in nbrun.longest_first(books)] == ["02_short", "05_long", "01_short"]


@pytest.mark.skipif(not background.can_fork(), reason="workers are forked where the system can")
def test_the_workers_start_with_the_runner_and_the_kernels_modules_imported_once_for_all(tmp_path):
    """`make figures` imports jupytext, nbformat and nbclient (over a second) in its own process, and
    what every kernel imports (warmkernel.PRELOAD), and forks the workers from it: a worker starts
    with them, does not import them again while the kernels wait for the cores, and is told to fork
    its kernels warm. Run in a fresh interpreter, where nothing else imported them."""
    import subprocess
    import sys

    (tmp_path / "notebooks").mkdir()
    for stem in ("01_first", "02_second"):
        (tmp_path / "notebooks" / f"{stem}.py").write_text("# %%\nx = 1\n", encoding="utf-8")
    driver = (
        "import sys\n"
        "from pathlib import Path\n"
        "from zzdata.tools import notebooks as nb, warmkernel\n"
        "def run_one(book, timeout, parameters, redraw, warm):\n"
        "    found = sorted(m for m in ('jupytext', 'nbformat', 'nbclient') if m in sys.modules)\n"
        "    Path(str(book) + '.imported').write_text(' '.join(found))\n"
        "    loaded = all(m in sys.modules for m in warmkernel.PRELOAD)\n"
        "    Path(str(book) + '.warm').write_text(f'{warm} {loaded}')\n"
        "    return nb.Result(book, book.with_suffix('.ipynb'), 0.0, 1)\n"
        "nb._run_one = run_one\n"
        "sys.exit(nb.main(nb.argparse.Namespace(names=[], timeout=10, jobs=2)))\n"
    )
    env = {**__import__("os").environ, "ZZDATA_ROOT": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", driver], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for stem in ("01_first", "02_second"):
        assert (tmp_path / "notebooks" / f"{stem}.py.imported").read_text() == "jupytext nbclient nbformat"
        assert (tmp_path / "notebooks" / f"{stem}.py.warm").read_text() == "True True"
    assert nbrun.KERNEL_ENV["MPLBACKEND"] == "Agg"
