"""`python -m zzdata notebooks` / `make figures`: execute the notebooks headlessly.

The notebooks' source of truth is the jupytext percent scripts ``notebooks/NN_name.py`` (paired
with ``.ipynb`` by ``jupytext.toml``). Each script is read with jupytext, executed top to bottom
in a kernel of its own of *this* interpreter (cwd ``notebooks/``, ``MPLBACKEND=Agg``) with nbclient,
and written as ``notebooks/NN_name.ipynb`` with its outputs; the charts land in
``reports/figures/<notebook>/``. The notebooks run side by side, one kernel per core (``--jobs``),
the longest first (`longest_first`), so the longest does not start last. Each is
driven by a worker forked (where the system can) once this process has imported the runner and
what every kernel imports, and the worker forks the notebook's kernel (:mod:`.warmkernel`); the
kernel ends with its notebook. Progress goes to stderr as each one ends. On an error no further
notebook starts, and the run ends with the notebook's name, the failing cell's number and source,
and exit status 1.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..core import paths
from . import deferred, warmkernel


class NotebookError(RuntimeError):
    """A notebook cell raised: carries the notebook, the cell number and its source."""

    def __init__(self, notebook: Path, cell_index: int | None, source: str, error: str):
        self.notebook, self.cell_index, self.source, self.error = notebook, cell_index, source, error
        where = f"cell {cell_index}" if cell_index is not None else "before any cell"
        snippet = "\n".join("    " + line for line in source.strip().splitlines()[:15])
        super().__init__(f"{notebook.name}: {where} failed\n{snippet}\n{error}".rstrip())

    def __reduce__(self):  # raised in a worker process of `main`, it crosses back whole
        return type(self), (self.notebook, self.cell_index, self.source, self.error)


@dataclass
class Result:
    notebook: Path
    output: Path | None
    seconds: float
    cells: int


def notebooks_dir() -> Path:
    return paths.project_root() / "notebooks"


def find_notebooks(names: list[str] | None = None) -> list[Path]:
    """The percent scripts to run: all ``notebooks/[0-9]*.py`` in order, or the given names
    (a path, a file name, or a stem such as ``01_economy``)."""
    folder = notebooks_dir()
    if not names:
        return sorted(p for p in folder.glob("[0-9]*.py") if p.is_file())
    found = []
    for name in names:
        p = Path(name)
        candidates = [p, folder / p.name, folder / f"{p.stem}.py", folder / f"{name}.py"]
        hit = next((c for c in candidates if c.suffix == ".py" and c.is_file()), None)
        if hit is None and p.suffix == ".ipynb":
            hit = next((c for c in (p.with_suffix(".py"), folder / f"{p.stem}.py") if c.is_file()), None)
        if hit is None:  # a unique part of a name: "06", "economy"
            matches = [c for c in sorted(folder.glob("[0-9]*.py")) if p.stem in c.stem]
            hit = matches[0] if len(matches) == 1 else None
        if hit is None:
            raise FileNotFoundError(f"no notebook {name!r} in {folder} (expected {folder}/<name>.py)")
        found.append(hit.resolve())
    return found


#: The kernels' environment (added to this process's).
KERNEL_ENV = {"MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}


def _kernel_manager(env: dict[str, str] | None = None, warm: bool = False):
    """A kernel manager whose kernel is ipykernel in the running interpreter (not whatever
    `python3` kernelspec happens to be installed), with ``env`` added to its environment;
    `warm`: forked from this process (`warmkernel`) rather than started anew."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class _ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):  # noqa: D401 - jupyter_client API
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name=f"Python ({Path(sys.executable).parent.parent.name})",
                language="python",
                resource_dir="",
                env={**KERNEL_ENV, **(env or {})},
            )

    # Asynchronous: nbclient's loop keeps running while it waits for a message, so a cell's timeout
    # and a kernel's death are noticed (the blocking client waits on a dead kernel for ever).
    km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=_ThisPython())
    if warm:
        km.kernel_id = str(uuid.uuid4())
        km.provisioner = warmkernel.provisioner_class()(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec,
                                                         parent=km)
    return km


def parse_parameters(pairs: list[str] | None) -> dict[str, str]:
    """`NAME=VALUE` strings (from `-p`) as a dict; a malformed one is a ValueError."""
    out = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ValueError(f"-p {pair!r}: write NAME=VALUE, e.g. -p LANG=en or -p REGIONS=<region>,<region>")
        out[name.strip()] = value.strip()
    return out


def _value(text: str, default):
    """A parameter given as text, read the way its default is written: a list for a list (items
    split at commas, numbers as numbers), None for none/None, a number for a number."""
    def item(x: str):
        return int(x) if x.lstrip("-").isdigit() else x

    if text.lower() in ("none", "null", ""):
        return None
    if isinstance(default, (list, tuple)) or (default is None and "," in text):
        return [item(x.strip()) for x in text.split(",") if x.strip()]
    if isinstance(default, bool):
        return text.lower() in ("1", "true", "yes")
    if isinstance(default, (int, float)) or (default is None and text.lstrip("-").isdigit()):
        return type(default)(text) if isinstance(default, (int, float)) else int(text)
    return text


def inject_parameters(nb, params: dict[str, str], name: str = "notebook") -> None:
    """Papermill's convention: the cell tagged ``parameters`` holds the defaults; a cell tagged
    ``injected-parameters`` inserted after it sets the given values."""
    import ast

    import nbformat

    if not params:
        return
    index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if index is None:
        raise ValueError(f"{name} has no cell tagged `parameters`, so it takes no -p")
    defaults = {}
    for node in ast.parse(nb.cells[index].source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                defaults[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                defaults[node.targets[0].id] = None
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise ValueError(f"{name} has no parameter {', '.join(unknown)}; its parameters are {', '.join(defaults)}")
    lines = ["# Parameters given on the command line (-p)"]
    lines += [f"{key} = {_value(value, defaults[key])!r}" for key, value in params.items()]
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]}))


def run_notebook(path: Path, output: Path | None = None, timeout: int = 600, write: bool = True,
                 clear_figures: bool = True, parameters: dict[str, str] | None = None,
                 redraw: bool = False, warm: bool = False) -> Result:
    """Execute one percent script and write the executed ``.ipynb`` (default: next to it).

    The notebook's figure folder ``reports/figures/<stem>/`` is emptied first (``clear_figures``),
    so it holds exactly the charts of this run. A chart whose inputs and code did not change since
    it was last drawn is put back from the store beside the figures (:mod:`zzdata.viz.reuse`);
    ``redraw`` draws every chart. ``warm``: the kernel is forked from this process
    (:mod:`.warmkernel`; `main` preloads the modules before it forks its workers).

    Raises :class:`NotebookError` naming the failing cell.
    """
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path).resolve()
    target = Path(output) if output else path.with_suffix(".ipynb")
    nb = jupytext.read(path)
    inject_parameters(nb, parameters or {}, path.name)
    # Charts the notebook no longer draws (an indicator left the data) must not linger.
    stale = paths.figures_dir() / path.stem
    if clear_figures and stale.is_dir():
        for old in stale.iterdir():
            if old.suffix in (".png", ".svg", ".pdf") and old.is_file():
                old.unlink()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    os.environ["MPLBACKEND"] = KERNEL_ENV["MPLBACKEND"]
    redrawing = None
    if redraw:  # (imported only then: the chart store brings pandas and matplotlib into this process)
        from ..viz import reuse

        redrawing = {reuse.ENV: "0"}
    km = _kernel_manager(redrawing, warm=warm)
    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3", shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(path.parent)}}, allow_errors=False)
    started: list[int] = []  # the cells sent to the kernel, in turn
    client.on_cell_execute = lambda cell, cell_index: started.append(cell_index)
    t0 = time.perf_counter()
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    try:
        # The kernel's own stderr is only start-up chatter (cell errors arrive as messages). The
        # kernel ends with its notebook (`cleanup_kc`), not when this process does.
        client.execute(stderr=subprocess.DEVNULL, cleanup_kc=True)
    except (CellExecutionError, CellTimeoutError) as err:
        index, source = _failing_cell(nb, started)
        raise NotebookError(path, index, source, _short_error(err)) from None
    except DeadKernelError as err:
        index, source = _failing_cell(nb, started)
        raise NotebookError(path, index, source, f"the kernel died: {err}") from None
    finally:
        if write:
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, str(target))
    return Result(path, target if write else None,
                  time.perf_counter() - t0, len(code_cells))


def _failing_cell(nb, started: list[int]) -> tuple[int | None, str]:
    """The first code cell with an error output (1-based among all cells, as JupyterLab shows);
    without one (a timeout, a kernel that died), the last cell that started (`started`: the
    0-based indexes nbclient sent to the kernel, in turn)."""
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i, cell.source
    if started:
        return started[-1] + 1, nb.cells[started[-1]].source
    return None, ""


def _short_error(err: Exception) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(err))
    lines = [line for line in text.strip().splitlines() if line.strip()]
    # nbclient repeats the cell source first; keep the traceback's tail.
    tail = lines[-12:]
    return "\n".join(tail)


def default_jobs() -> int:
    """The cores this process may use (each notebook's kernel keeps one busy)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


#: How long each notebook took the last time it drew its charts (reports/figures/.seconds.json),
#: to start the longest first.
SECONDS = ".seconds.json"
#: A run drew its charts when this share of them was written by it, not put back from the store.
DREW = 0.9


def _last_seconds() -> dict[str, float]:
    try:
        return {str(k): float(v) for k, v in json.loads((paths.figures_dir() / SECONDS).read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _remember_seconds(took: dict[str, float]) -> None:
    """Keep the times of this run's notebooks that drew their charts (beside the others') for the
    next run's order."""
    folder = paths.figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{SECONDS}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({**_last_seconds(), **took}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, folder / SECONDS)


def _charts(book: Path) -> list[Path]:
    """The charts in `book`'s folder of figures (one PNG a chart; none when it has no folder)."""
    folder = paths.figures_dir() / book.stem
    return list(folder.glob("*.png")) if folder.is_dir() else []


def drew_its_charts(book: Path, since: float) -> bool:
    """Whether the run of `book` that began at `since` (`time.time()`) drew its charts (at least
    DREW of them) rather than putting them back from the store (`viz.reuse`): a chart put back is a
    link to the file of the run that drew it, with that run's time."""
    charts = _charts(book)
    return sum(c.stat().st_mtime >= since for c in charts) >= DREW * len(charts)


def longest_first(books: list[Path]) -> list[Path]:
    """The notebooks in the order to start them, side by side, so that the longest does not
    start last. When each has a time of a run that drew its charts (SECONDS): the longest first.
    Otherwise the one with the most charts (those written last time) first, then the longest
    scripts, then in name order: the scripts' length is all a first run knows (no figures, no
    seconds yet), a guess better than the names, which would start a long notebook numbered 05
    third. (The seconds of a run that put its charts back from the store say nothing of a run
    that draws them, and are not kept.)"""
    seconds = _last_seconds()
    if books and all(b.stem in seconds for b in books):
        return sorted(books, key=lambda b: (-seconds[b.stem], b.name))

    def length(book: Path) -> int:
        return book.stat().st_size if book.is_file() else 0

    return sorted(books, key=lambda b: (-len(_charts(b)), -seconds.get(b.stem, 0.0), -length(b), b.name))


def _import_runner() -> None:
    """Import what runs a notebook (jupytext, nbformat, nbclient: over a second, most of it
    jsonschema's format checkers) once, here, for the workers forked from this process to inherit,
    rather than once in each worker while the notebooks' kernels wait for the cores; jsonschema's
    IRI grammar, which no notebook run uses, is built only if a check needs it (`deferred`)."""
    deferred.defer_iri_grammar()
    import jupytext  # noqa: F401
    import nbclient  # noqa: F401
    from jupyter_client import manager  # noqa: F401


def _run_one(book: Path, timeout: int, parameters: dict[str, str], redraw: bool = False,
             warm: bool = False) -> Result:
    return run_notebook(book, timeout=timeout, parameters=parameters, redraw=redraw, warm=warm)


def main(args: argparse.Namespace | None = None) -> int:
    """Execute the notebooks named in ``args.names`` (default: all), ``args.jobs`` at a time
    (default: one per core); at the first failure start no more, name its notebook and cell on
    stderr and return 1."""
    names = list(getattr(args, "names", None) or [])
    timeout = int(getattr(args, "timeout", 600) or 600)
    try:
        books = find_notebooks(names)
        parameters = parse_parameters(getattr(args, "parameter", None))
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if not books:
        print(f"error: no notebooks in {notebooks_dir()}", file=sys.stderr)
        return 1
    jobs = max(1, min(int(getattr(args, "jobs", None) or default_jobs()), len(books)))
    t0 = time.perf_counter()
    print(f"Running {len(books)} notebooks, {jobs} at a time …", file=sys.stderr, flush=True)
    failed = 0
    done = 0
    took: dict[str, float] = {}
    from ..tables.background import fork_context

    _import_runner()  # (forked workers inherit it)
    context = fork_context()
    warm = context is not None
    if warm:  # the kernels' modules too: each worker forks its kernel (warmkernel)
        warmkernel.preload(KERNEL_ENV)
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        redraw = bool(getattr(args, "redraw", False))
        running = {pool.submit(_run_one, book, timeout, parameters, redraw, warm): book
                   for book in longest_first(books)}
        for future in concurrent.futures.as_completed(running):
            book = running[future]
            done += 1
            try:
                result = future.result()
            except ValueError as err:  # a -p the notebook does not take
                print(f"error: {err}", file=sys.stderr)
                failed += 1
            except NotebookError as err:
                for line in str(err).splitlines():
                    print(f"error: {line}", file=sys.stderr)
                failed += 1
            else:
                if drew_its_charts(book, time.time() - result.seconds - 1):  # (a second's margin)
                    took[book.stem] = round(result.seconds, 1)
                n_png = len(_charts(book))
                figures = paths.figures_dir() / book.stem
                print(f"[{done}/{len(books)}] {book.name}: {result.cells} code cells in {result.seconds:.1f} s -> "
                      f"{result.output.name}; {n_png} chart{'' if n_png == 1 else 's'} in "
                      f"{figures.relative_to(paths.project_root())}/", file=sys.stderr, flush=True)
            if failed:
                for other in running:
                    other.cancel()  # those not started yet
    if took:
        _remember_seconds(took)
    if failed:
        return 1
    print(f"Ran {len(books)} notebooks in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    p = argparse.ArgumentParser()
    p.add_argument("names", nargs="*")
    p.add_argument("--timeout", type=int, default=600)
    p.add_argument("--jobs", type=int, default=None, help="notebooks at a time (default: one per core)")
    p.add_argument("--redraw", action="store_true", help="draw every chart (reuse none from reports/figures/.reuse)")
    sys.exit(main(p.parse_args()))
