"""Kernels forked from a preloaded process (zzdata.tools.warmkernel) are the kernels
``python -m ipykernel_launcher`` starts: the same argv, folder, environment, import path, backend and
session, their modules already imported; a cell that fails, hangs or kills its kernel is reported
as with a fresh kernel, and no kernel outlives its notebook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

from zzdata.tables import background
from zzdata.tools import warmkernel

pytestmark = pytest.mark.skipif(not background.can_fork(), reason="kernels are forked where the system can")

PROBE = """# %%
import json, os, sys
warm = "zzdata.viz.views" in sys.modules
import matplotlib
print(json.dumps({
    "argv0": os.path.basename(sys.argv[0]), "argv": sys.argv[1:2], "cwd": os.getcwd(), "path": sys.path,
    "env": {k: os.environ.get(k) for k in ("MPLBACKEND", "PYTHONUNBUFFERED", "ZZDATA_PROBE")},
    "backend": matplotlib.get_backend(), "own_session": os.getsid(0) == os.getpid(), "name": __name__,
    "warm": warm, "pid": os.getpid()}))
"""

#: Runs one notebook in a fresh interpreter (as `make figures` runs from the command line), warm or not.
DRIVER = """
import sys
from pathlib import Path
from zzdata.tools import notebooks as nb, warmkernel
book, out, warm = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "warm"
if warm:
    warmkernel.preload(nb.KERNEL_ENV)
try:
    nb.run_notebook(book, output=out, timeout=int(sys.argv[4]), warm=warm)
except nb.NotebookError as err:
    print(err, file=sys.stderr)
    sys.exit(3)
"""


def _run(tmp_path: Path, source: str, mode: str, timeout: int = 60) -> tuple[subprocess.CompletedProcess, Path]:
    folder = tmp_path / mode / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    book = folder / "01_probe.py"
    book.write_text(source, encoding="utf-8")
    out = folder / "01_probe.ipynb"
    env = {**os.environ, "ZZDATA_ROOT": str(tmp_path / mode), "ZZDATA_PROBE": "passed on"}
    done = subprocess.run([sys.executable, "-c", DRIVER, str(book), str(out), mode, str(timeout)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=timeout + 120)
    return done, out


def _printed(out: Path) -> dict:
    cells = [c for c in jupytext.read(out).cells if c.cell_type == "code"]
    text = "".join(o.get("text", "") for o in cells[0].outputs if o.get("name") == "stdout")
    return json.loads(text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


def test_a_forked_kernel_is_the_kernel_the_launcher_starts(tmp_path):
    seen = {}
    for mode in ("cold", "warm"):
        done, out = _run(tmp_path, PROBE, mode)
        assert done.returncode == 0, done.stderr
        seen[mode] = _printed(out)
        assert not _alive(seen[mode]["pid"]), "the kernel outlived its notebook"
    cold, warm = seen["cold"], seen["warm"]
    assert warm.pop("warm") and not cold.pop("warm")  # the modules were there before the cell imported them
    for mode in ("cold", "warm"):  # each in its own project folder
        seen[mode]["cwd"] = os.path.relpath(seen[mode]["cwd"], tmp_path / mode)
        seen[mode]["path"] = [os.path.relpath(p, tmp_path / mode) if p.startswith(str(tmp_path)) else p
                              for p in seen[mode]["path"]]
        seen[mode].pop("pid")
    assert cold == warm
    assert warm["argv0"] == warmkernel.LAUNCHER + ".py"
    assert warm["env"] == {"MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1", "ZZDATA_PROBE": "passed on"}
    assert warm["backend"].lower() == "agg" and warm["own_session"] and warm["cwd"] == "notebooks"


def test_the_launcher_argv_is_the_commands(tmp_path):
    # `python -m ipykernel_launcher -f FILE`: argv[0] is the launcher, then the command's arguments.
    done, out = _run(tmp_path, PROBE, "warm")
    assert done.returncode == 0, done.stderr
    assert _printed(out)["argv"] == ["-f"]


@pytest.mark.parametrize("cell, said", [
    ('raise ValueError("boom")', "boom"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "the kernel died"),
    ("import time\ntime.sleep(60)", "timed out"),
], ids=["raises", "kills-its-kernel", "times-out"])
def test_a_warm_kernel_fails_as_a_fresh_one_and_leaves_no_process(tmp_path, cell, said):
    source = "# %%\nimport os, pathlib\npathlib.Path('pid').write_text(str(os.getpid()))\n\n# %%\n" + cell + "\n"
    done, _ = _run(tmp_path, source, "warm", timeout=5)
    assert done.returncode == 3, done.stderr
    assert "01_probe.py: cell 2 failed" in done.stderr and said in done.stderr
    pid = int((tmp_path / "warm" / "notebooks" / "pid").read_text())
    assert not _alive(pid), "the kernel outlived its notebook"
