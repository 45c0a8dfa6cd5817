"""The package's shape: rooms that import only the rooms before them, modules of a readable
size, and no region name or year typed into code (they come from the data and the manifest)."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest

from conftest import ROOT
from zzdata.tools import readme

PACKAGE = ROOT / "zzdata"
#: The rooms in the order of the flow; a room may import only rooms listed before it. `viz` may
#: not import the build's own machinery beyond the loaders; `tools` sits on top of everything.
ROOMS = list(readme.ROOMS)  # the one list of rooms, in the order of the flow
MAX_LINES = 500


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _room(path: Path) -> str | None:
    rel = path.relative_to(PACKAGE).parts
    return rel[0] if len(rel) > 1 else None


def _imported_rooms(path: Path) -> set[str]:
    """The rooms a module imports, from its relative and absolute imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel_parts = path.relative_to(PACKAGE).with_suffix("").parts
    package = ["zzdata", *rel_parts[:-1]]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
                names = [target + [a.name] for a in node.names] if not node.module else [target]
            else:
                names = [node.module.split(".")] if node.module else []
            for parts in names:
                if len(parts) > 1 and parts[0] == "zzdata" and parts[1] in ROOMS:
                    found.add(parts[1])
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if len(parts) > 1 and parts[0] == "zzdata" and parts[1] in ROOMS:
                    found.add(parts[1])
    return found


def test_every_module_lives_in_a_room():
    loose = [p.name for p in PACKAGE.glob("*.py")]
    assert sorted(loose) == ["__init__.py", "__main__.py", "cli.py"], \
        f"a module at the top of zzdata/ belongs in a room ({', '.join(ROOMS)})"
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name not in ("__pycache__", "data")) == sorted(ROOMS)


@pytest.mark.parametrize("path", [p for p in _modules() if _room(p)], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_rooms_import_only_rooms_before_them(path):
    room = _room(path)
    later = set(ROOMS[ROOMS.index(room) + 1:])
    wrong = _imported_rooms(path) & later
    assert not wrong, f"{path.relative_to(ROOT)} ({room}) imports {sorted(wrong)}, which come after it in the flow"


def test_no_module_is_too_long():
    long = {str(p.relative_to(ROOT)): n for p in _modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) >= MAX_LINES}
    assert not long, f"split these modules (>= {MAX_LINES} lines): {long}"


def _region_words() -> set[str]:
    with (PACKAGE / "data" / "regions.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    words = {r["name"] for r in rows} | {a for r in rows for a in r["aliases"].split("|") if a}
    return {w for w in words if len(w) >= 2}


_YEAR = re.compile(r"(?<![\d\\u])(?<!\\u)(?:19[5-9]\d|20\d\d)(?!\d)")  # not a \u2002 escape


def _string_constants(tree: ast.AST) -> list[ast.Constant]:
    """String constants that are not docstrings."""
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docs.add(id(body[0].value))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_region_name_or_year_typed_into_code(path):
    """Regions and years come from the manifest, the gazetteer and the texts, never from code: a
    string literal naming a region of zzdata/data/regions.csv or a year is a rule that holds for
    one collection only. (Docstrings may give examples.)"""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    words = _region_words()
    hits = []
    for node in _string_constants(tree):
        named = sorted(w for w in words if w in node.value)
        years = _YEAR.findall(node.value)
        if named or years:
            hits.append(f"line {node.lineno}: {node.value[:60]!r} ({', '.join(named + years)})")
    assert not hits, f"{path.relative_to(ROOT)} types a region or a year:\n" + "\n".join(hits)
