"""A researcher's own collection: in a temporary copy of the project, add a district's report the
way the README says (`zzdata add`), then the data, the evaluation, the notebooks and the tests
that read the data still work, and gold stays optional."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow

#: The tests that read data/raw or the built tables, run again inside the copy.
DATA_TESTS = ["tests/test_build.py", "tests/test_evaluate.py", "tests/test_sources.py", "tests/test_golden.py",
              "tests/test_cli.py", "tests/test_compare.py"]


RAW = "data/raw/"  # the researcher's own folder: copied as committed, not as edited


def _git(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout


def _tracked(root: Path) -> list[str]:
    return [p for p in _git(root, "ls-files", "-z").decode().split("\0") if p and not p.startswith(RAW)]


def _shipped_raw(root: Path) -> list[str]:
    """The files of data/raw/ as the project ships them (committed at HEAD)."""
    return [p for p in _git(root, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", RAW).decode().split("\0") if p]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The project copied into a fresh folder (no .venv, no built data): its tracked files as they
    are now (the code under test), but data/raw/ as committed, so that the reports, manifest rows
    and corrections a researcher added and did not commit stay out of the copy."""
    copy = tmp_path_factory.mktemp("project")
    for rel in _tracked(ROOT):
        src = ROOT / rel
        if src.is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, copy / rel)
    for rel in _shipped_raw(ROOT):
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_bytes(_git(ROOT, "show", f"HEAD:{rel}"))
    return copy


def _run(project: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZZDATA_ROOT": str(project), "PYTHONPATH": str(project), "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_add_a_report_then_everything_still_works(project):
    page = FIXTURES / "formats" / "jinshui_2019_work-report.html"
    added = _run(project, "-m", "zzdata", "add", str(page), "--yes", "--publisher", "区政府网站")
    assert added.returncode == 0, added.stdout + added.stderr
    assert (project / "data" / "raw" / page.name).read_bytes() == page.read_bytes()

    built = _run(project, "-m", "zzdata", "build")
    assert built.returncode == 0, built.stderr
    docs = (project / "data" / "processed" / "documents.csv").read_text(encoding="utf-8")
    assert page.name in docs

    evaluated = _run(project, "-m", "zzdata", "evaluate", "--quiet")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "no gold file" in evaluated.stdout and page.name in evaluated.stdout

    figures = _run(project, "-m", "zzdata", "notebooks", timeout=1800)
    assert figures.returncode == 0, figures.stderr[-3000:]
    assert list((project / "reports" / "figures").rglob("*.png"))

    tests = _run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider", *DATA_TESTS, timeout=1800)
    assert tests.returncode == 0, tests.stdout[-4000:]
