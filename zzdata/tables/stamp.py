"""The build fingerprint: a hash of everything the outputs depend on.

Kept free of pandas so that a no-op `make data` answers "up to date" in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..core.paths import PACKAGE_DIR

STAMP = ".build-stamp.json"
OUTPUTS = ("facts.csv", "facts.parquet", "documents.csv", "indicators.csv", "series.csv", "claims.csv",
           "zhengzhou.xlsx")


def _package_files() -> list[Path]:
    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".csv")]
    return sorted(f for f in files if "__pycache__" not in f.parts)


def fingerprint(raw_dir: Path) -> str:
    """sha256 over the raw folder's files and the package's code and data files."""
    h = hashlib.sha256()
    for path in sorted(Path(raw_dir).iterdir()):
        if path.is_file() and not path.name.startswith("."):
            h.update(b"raw\0" + path.name.encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    for path in _package_files():
        h.update(b"pkg\0" + str(path.relative_to(PACKAGE_DIR)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def is_current(raw_dir: Path, out_dir: Path, digest: str | None = None) -> bool:
    """True when every output exists and was built from exactly these inputs (`digest`: their
    fingerprint, when the caller has it already)."""
    stamp = Path(out_dir) / STAMP
    if not stamp.exists() or not all((Path(out_dir) / name).exists() for name in OUTPUTS):
        return False
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError):
        return False
    return recorded == (digest if digest is not None else fingerprint(raw_dir))


def write_stamp(out_dir: Path, digest: str) -> None:
    (Path(out_dir) / STAMP).write_text(json.dumps({"fingerprint": digest}) + "\n", encoding="utf-8")
