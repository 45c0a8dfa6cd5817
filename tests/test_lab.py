"""JupyterLab as `make lab` starts it: each notebooks/*.py is served as a notebook with its cells
(through Jupytext's contents manager), the Lab's default viewer for Python files is the Jupytext
notebook, and saving an unchanged notebook rewrites no tracked file. Checked through Jupyter's
REST API on a server bound to the loopback address, on a copy of the notebooks."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.py"))
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A Jupyter server started as `make lab` starts JupyterLab (its settings from the project's
    lab settings folder), on a copy of notebooks/ and jupytext.toml; yields (base url, token, root)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_*"))
    shutil.copyfile(ROOT / "jupytext.toml", root / "jupytext.toml")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, **lab_environment(root)}
    log = (root / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _get(base, token, "/api/status")
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((root / "server.log").read_text())
                time.sleep(0.5)
        else:
            raise RuntimeError("the Jupyter server did not start in 60 s:\n" + (root / "server.log").read_text())
        yield base, token, root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def lab_environment(root: Path) -> dict[str, str]:
    """The environment `make lab` gives JupyterLab (read from the Makefile's own helper)."""
    from zzdata.tools import lab as lab_tool

    return lab_tool.environment(settings_root=root)


def _get(base: str, token: str, path: str) -> dict:
    req = urllib.request.Request(base + path, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def _put(base: str, token: str, path: str, body: dict) -> dict:
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="PUT",
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_py_is_served_as_a_notebook_with_its_cells(lab, path):
    base, token, _ = lab
    model = _get(base, token, f"/api/contents/notebooks/{path.name}?type=notebook&content=1")
    assert model["type"] == "notebook"
    cells = model["content"]["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert len(code) >= 2 and any("zzdata" in c["source"] for c in code), "the notebook's code cells"
    assert any(c["cell_type"] == "markdown" for c in cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_saving_an_unchanged_notebook_changes_no_tracked_file(lab, path):
    base, token, root = lab
    copy = root / "notebooks" / path.name
    before = copy.read_bytes()
    model = _get(base, token, f"/api/contents/notebooks/{path.name}?type=notebook&content=1")
    # What the Lab's notebook does once its kernel has started: it records the kernel's spec.
    specs = _get(base, token, "/api/kernelspecs")
    spec = specs["kernelspecs"][specs["default"]]["spec"]
    model["content"]["metadata"]["kernelspec"] = {"display_name": spec["display_name"],
                                                  "language": spec["language"], "name": specs["default"]}
    _put(base, token, f"/api/contents/notebooks/{path.name}",
         {"type": "notebook", "format": "json", "content": model["content"]})
    assert copy.read_bytes() == before, f"saving {path.name} unchanged rewrote the .py"


def test_python_files_open_as_jupytext_notebooks_by_default(lab):
    base, token, _ = lab
    settings = _get(base, token, "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    viewers = settings["settings"].get("defaultViewers", {})
    assert viewers.get("python") == "Jupytext Notebook", settings.get("raw")
