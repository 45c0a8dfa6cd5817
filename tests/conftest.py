"""Shared fixtures: the project's raw data built once per test session into a temporary folder,
so the suite never depends on (or changes) data/processed/."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
GOLD = ROOT / "tests" / "gold"
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
    """data/raw built into a fresh folder; returns that folder."""
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
    """A throw-away copy of data/raw to break in a test."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst
