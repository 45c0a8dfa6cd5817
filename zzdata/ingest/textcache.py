"""The readers' text cache: what a web page, PDF or Word file read to, kept in ``interim/text/``
beside its raw folder, so that tracing a fact or rebuilding after an extraction change does not
parse the file again.

A slot is named by the sha256 of the file's bytes and holds the text with the key it was read
under: a fingerprint of everything else that can change the text (`reader_fingerprint`): the
source of the reader's module (web.py for a web page, ...) and of every module of the package
it imports, followed through their imports (decode.py, core/script.py, ...), the data files
they name (``data/page_chrome.csv``, ...), this module, and Python's and the readers'
libraries' versions (libraries.py). A slot read under another key is read again and
overwritten, so editing a reader or its data, or upgrading a library, is seen by the next build
without `make clean` (and only the files of the readers that changed are read again).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from ..core.paths import PACKAGE_DIR
from . import libraries
from .decode import Decoded

FORMAT = 2  # 1: the Decoded fields alone, checked by the extractor's name and version
_DATA_FILE = re.compile(r"data/[A-Za-z0-9_.-]+\.(?:csv|txt)")


def _module_file(name: str) -> Path | None:
    """The file of a module of the package (zzdata.a.b -> a/b.py or a/b/__init__.py), or None."""
    parts = name.split(".")
    if parts[0] != "zzdata" or len(parts) < 2:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(name: str, tree: ast.AST) -> set[str]:
    """The package's modules a module imports (anywhere in it, also inside functions)."""
    package = name.split(".") if _module_file(name).name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + (node.module.split(".") if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)  # `from . import web`
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if _module_file(m) is not None}


def _data_names(tree: ast.AST) -> set[str]:
    """The data files (``data/x.csv``) a module names in its code's strings (not in its docstrings)."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return {name for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            for name in _DATA_FILE.findall(node.value)}


def reader_files(module: str) -> list[Path]:
    """The package's files that make the text of a reader defined in `module` (its __module__):
    that module and this one, the modules they reach by their imports, and the data files
    (``data/*.csv``, ``data/*.txt``) those modules name."""
    todo, seen = [module, __name__], set()
    files: set[Path] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _module_file(name)
        if path is None:  # a reader registered from outside the package: its code is not followed
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        files.add(path)
        files.update(p for p in (PACKAGE_DIR / m for m in _data_names(tree)) if p.is_file())
        todo.extend(_imports(name, tree))
    return sorted(files)


@lru_cache(maxsize=None)
def reader_fingerprint(module: str) -> str:
    """sha256 over the reader's files (`reader_files`) and the libraries' fingerprint: the key a
    text it read must have been kept under (computed once per process and reader)."""
    h = hashlib.sha256(f"text-cache {FORMAT}\0{libraries.fingerprint()}\0".encode())
    for path in reader_files(module):
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def slot(raw_file: Path, sha256: str) -> Path:
    """Where the text of a raw file with these bytes is kept: ``interim/text/`` beside its raw folder."""
    return raw_file.parent.parent / "interim" / "text" / f"{sha256}{raw_file.suffix.lower()}.json"


def get(path: Path, key: str) -> Decoded | None:
    """The text kept in a slot, if it was read under `key` (None otherwise, or when the slot is
    missing or unreadable)."""
    try:
        held = json.loads(path.read_text(encoding="utf-8"))
        if held.get("key") == key:
            return Decoded(**held["decoded"])
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        pass
    return None


def put(path: Path, decoded: Decoded, key: str) -> None:
    """Keep a text in its slot (written whole and renamed, so a reader never sees half of it); a
    place that cannot be written is left alone (the file is simply read again next time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "decoded": asdict(decoded)}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
