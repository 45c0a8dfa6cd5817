"""No module of zzdata imports another module's private names (issue 19, part 4): what a room
shares with others is public, so that a rename inside a module cannot break a distant one."""

from __future__ import annotations

import ast
from pathlib import Path

import zzdata

PACKAGE = Path(zzdata.__file__).parent


def _private_imports(source: str) -> list[tuple[int, str]]:
    """(line, name) of every `from zzdata... import _name` and `module._name` use of a zzdata module."""
    tree = ast.parse(source)
    modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("zzdata")):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append((node.lineno, alias.name))
                else:
                    modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return found


def test_the_finder_sees_a_private_import():
    assert _private_imports("from .rows import _line_of\n") == [(1, "_line_of")]
    assert _private_imports("from . import rules\nx = rules._bool(f, 'c')\n") == [(2, "rules._bool")]
    assert _private_imports("from .rows import line_of\nimport pandas as pd\npd._libs\n") == []


def test_no_module_imports_another_modules_private_names():
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}: {name}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for line, name in _private_imports(path.read_text(encoding="utf-8"))]
    assert not found, "private names used across modules (make them public):\n" + "\n".join(found)
