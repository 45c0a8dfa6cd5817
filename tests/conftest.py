"""Shared fixtures: the project's raw data built once per test session into a temporary folder,
so the suite never depends on (or changes) data/processed/."""

from __future__ import annotations

import atexit
import hashlib
import re
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
#: The project's own raw folder, as the researcher has it now (it may hold reports they added).
PROJECT_RAW = ROOT / "data" / "raw"


def _shipped_raw() -> Path:
    """The texts the project ships (those with a hand-read gold file) and their manifest rows, copied
    into a folder of their own: the tests that check the shipped texts read these, so a report a
    researcher adds to data/raw never turns `make test` red."""
    stems = {p.stem for p in GOLD.glob("*.csv")}  # tests/gold/<raw file without its suffix>.csv
    shipped = {p.name for p in PROJECT_RAW.iterdir() if p.stem in stems and p.name != "sources.csv"}
    folder = Path(tempfile.mkdtemp(prefix="zzdata-shipped-")) / "raw"
    folder.mkdir()
    atexit.register(shutil.rmtree, folder.parent, ignore_errors=True)
    lines = (PROJECT_RAW / "sources.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",", 1)[0] in shipped]
    (folder / "sources.csv").write_text("".join(kept), encoding="utf-8")
    for name in sorted(shipped):
        shutil.copyfile(PROJECT_RAW / name, folder / name)
    return folder


#: The shipped texts (see _shipped_raw): what every test of the seeds reads.
RAW = _shipped_raw()
FIXTURES = ROOT / "tests" / "fixtures"
WS = re.compile(r"[\s\u3000\u200b\ufeff]+")  # what may sit inside a printed quantity in a raw text


def edit_manifest(raw: Path, edit) -> None:
    """Rewrite raw/sources.csv as `edit` (list of lines -> list of lines) returns it."""
    path = raw / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


def hash_tree(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under `folder`: compare before and after a step."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The shipped texts (RAW) built into a fresh folder; returns that folder."""
    from zzdata.tables.build import build

    out = tmp_path_factory.mktemp("processed")
    build(RAW, out, force=True, quiet=True)
    return out


@pytest.fixture(scope="session")
def facts(built):
    from zzdata.tables.load import load_facts

    return load_facts(built)


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A throw-away copy of the shipped texts (RAW) to break in a test."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst
