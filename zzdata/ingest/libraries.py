"""The libraries that turn a file into text, and their installed versions: part of every cache
key that holds what they read (the text cache, ingest/textcache.py; the per-document facts
cache and the build stamp, tables/stamp.py), so that upgrading one re-reads the files.

The versions are read from the ``*.dist-info`` (or ``*.egg-info``) folders on ``sys.path``, as
``importlib.metadata`` finds them but without importing it (30 ms, a third of a no-op
``make data``), and followed through every distribution the readers' libraries require (the
HTML parser under trafilatura, lxml, is as much part of the text as trafilatura itself).
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache

WEB = "trafilatura"  # web pages (web.py)
PDF = "pypdf"  # PDF files (pdf.py)
WORD = "python-docx"  # Word files (word.py)
#: The distributions whose versions key what the readers make, with what they require.
READER_LIBRARIES = (WEB, PDF, WORD)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def canonical(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503): lower case, runs of -_. as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


@lru_cache(maxsize=1)
def _metadata_files() -> dict[str, str]:
    """canonical distribution name -> its metadata file, the first on sys.path (as imports find it)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = sorted(os.scandir(entry or "."), key=lambda e: e.name)
        except OSError:  # a zip file, an import hook, a folder that is gone
            continue
        for e in listing:
            if e.name.endswith(".dist-info"):
                meta = os.path.join(e.path, "METADATA")
            elif e.name.endswith(".egg-info"):
                meta = os.path.join(e.path, "PKG-INFO") if e.is_dir() else e.path
            else:
                continue
            found.setdefault(canonical(e.name.rsplit(".", 1)[0].split("-", 1)[0]), meta)
    return found


def _headers(path: str) -> list[tuple[str, str]]:
    """The header fields of a metadata file (up to the first empty line: the description follows)."""
    fields = []
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if not line.strip():
                    break
                key, sep, value = line.partition(":")
                if sep and not line[0].isspace():
                    fields.append((key.strip().lower(), value.strip()))
    except OSError:
        pass
    return fields


def version(name: str) -> str:
    """The installed version of a distribution ("" when it is not installed)."""
    meta = _metadata_files().get(canonical(name))
    return next((v for k, v in _headers(meta) if k == "version"), "") if meta else ""


def _requires(name: str) -> list[str]:
    """The distributions `name` requires (not those of its extras)."""
    meta = _metadata_files().get(canonical(name))
    out = []
    for key, value in _headers(meta) if meta else []:
        if key == "requires-dist" and "extra" not in value.partition(";")[2]:
            m = _NAME.match(value)
            if m:
                out.append(canonical(m.group(0)))
    return out


def installed(names: tuple[str, ...] = READER_LIBRARIES) -> dict[str, str]:
    """name -> version of `names` and of every distribution they require, recursively ("" for
    one that is not installed)."""
    seen: dict[str, str] = {}
    todo = [canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen[name] = version(name)
        todo.extend(_requires(name))
    return dict(sorted(seen.items()))


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """What the readers' results depend on beyond the project's own code: Python's version (its
    Unicode tables and `re`) and the readers' libraries with what they require, as one line
    (computed once per process)."""
    libs = " ".join(f"{name}=={v or '-'}" for name, v in installed().items())
    return f"python=={sys.version.split()[0]} {libs}"
