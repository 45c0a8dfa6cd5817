"""Where the project's folders are, so notebooks, the CLI and tests agree without configuration."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def package_files(folder: Path = PACKAGE_DIR) -> list[Path]:
    """The files below `folder` (a room, or the whole package) that can change what the code does,
    sorted: code and data, not bytecode, caches or hidden files. What the build's stamp and the
    chart store key their contents by."""
    files = (p for p in Path(folder).rglob("*") if p.is_file())
    return sorted(f for f in files
                  if "__pycache__" not in f.parts and f.suffix not in (".pyc", ".pyo")
                  and not any(part.startswith(".") for part in f.relative_to(folder).parts))


def project_root() -> Path:
    """The project folder: $ZZDATA_ROOT, else the nearest folder up from here or the CWD with data/raw."""
    env = os.environ.get("ZZDATA_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path.cwd().resolve(), PACKAGE_DIR.parent):
        for folder in (start, *start.parents):
            if (folder / "data" / "raw").is_dir() and (folder / "pyproject.toml").is_file():
                return folder
    return PACKAGE_DIR.parent


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def figures_dir() -> Path:
    return project_root() / "reports" / "figures"
