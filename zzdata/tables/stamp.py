"""The build fingerprints: a hash of everything a stage's outputs depend on.

Two stages, each with the rooms of the package (folders of `zzdata/`) whose code or data it
runs or reads, written once in STAGES:

* ``extract`` (raw text -> facts and claims of one document): core, ingest, extract, the
  curated data in zzdata/data, and the two files of tables/ that make a document's cache
  entry (extracting.py's per-text extraction, cache.py's format), and what the package does not hold:
  Python's version and the readers' libraries with theirs (ingest/libraries.py). Its fingerprint
  is part of every per-document cache key (tables/cache.py), so a change there (or upgrading
  trafilatura, pypdf, python-docx or a library they use) re-extracts every text.
* ``tables`` (all documents -> the files in data/processed): the extract stage plus correct
  (the researcher's corrections, applied to the facts as read), series and tables. The build
  stamp is this fingerprint plus the raw folder's files (data/raw/corrections.csv among them).

Nothing else of the package is part of a fingerprint: editing a chart (viz), the evaluation
(validate), the notebook runner or the benchmark (tools), cli.py or __main__.py leaves
`make data` a no-op.

Kept free of pandas so that a no-op `make data` answers "up to date" in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..core.paths import PACKAGE_DIR, package_files
from ..ingest import libraries

STAMP = ".build-stamp.json"
OUTPUTS = ("facts.csv", "facts.parquet", "documents.csv", "indicators.csv", "series.csv", "claims.csv",
           "panel.csv", "panel.parquet", "panel.dta", "panel_columns.csv", "zzdata.xlsx", "corrections.csv")

#: stage -> the rooms (folders of zzdata/; or single files) it adds to the stages before it, in build order.
STAGES: dict[str, tuple[str, ...]] = {
    "extract": ("core", "ingest", "extract", "data", "tables/extracting.py", "tables/cache.py"),
    "tables": ("correct", "series", "tables"),
}
#: stage -> what it depends on beyond the package's files (a line computed once per process).
OUTSIDE_THE_PACKAGE = {"extract": libraries.fingerprint}


#: Curated files that only the charts read (their wording and the English unit names): editing
#: them changes no table, so they are left out of the fingerprints (tests/test_cache.py checks
#: that no room of the build reads them).
CHART_ONLY = ("data/labels.csv", "data/units_en.csv")


def _room_files(room: str) -> list[Path]:
    """Every file of a room that can change what it does: code and data, not caches, hidden files
    or the charts' own data (CHART_ONLY)."""
    folder = PACKAGE_DIR / room
    if folder.is_file():
        return [folder]
    return [f for f in package_files(folder) if f.relative_to(PACKAGE_DIR).as_posix() not in CHART_ONLY]


def stage_fingerprints() -> dict[str, str]:
    """stage -> sha256 over its rooms' files, what it depends on outside the package
    (OUTSIDE_THE_PACKAGE) and the fingerprint of the stage before it."""
    out: dict[str, str] = {}
    previous = b""
    for stage, rooms in STAGES.items():
        h = hashlib.sha256(b"stage\0" + stage.encode() + b"\0" + previous)
        for room in rooms:
            for path in _room_files(room):
                h.update(b"pkg\0" + path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
        if stage in OUTSIDE_THE_PACKAGE:
            h.update(b"outside\0" + OUTSIDE_THE_PACKAGE[stage]().encode())
        out[stage] = h.hexdigest()
        previous = out[stage].encode()
    return out


def raw_digests(raw_dir: Path) -> dict[str, str]:
    """file name -> sha256 of its bytes, for every (not hidden) file of the raw folder."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(Path(raw_dir).iterdir())
            if path.is_file() and not path.name.startswith(".")}


def fingerprint(raw_dir: Path, raw: dict[str, str] | None = None, stages: dict[str, str] | None = None) -> str:
    """The build stamp: sha256 over the raw folder's files and the tables stage's fingerprint
    (`raw`, `stages`: raw_digests and stage_fingerprints, when the caller has them already)."""
    raw = raw_digests(raw_dir) if raw is None else raw
    stages = stage_fingerprints() if stages is None else stages
    h = hashlib.sha256(b"tables\0" + stages["tables"].encode())
    for name, digest in raw.items():
        h.update(b"raw\0" + name.encode() + b"\0" + bytes.fromhex(digest))
    return h.hexdigest()


def is_current(raw_dir: Path, out_dir: Path, digest: str | None = None) -> bool:
    """True when every output exists and was built from exactly these inputs (`digest`: their
    fingerprint, when the caller has it already)."""
    stamp = Path(out_dir) / STAMP
    if not stamp.exists() or not all((Path(out_dir) / name).exists() for name in OUTPUTS):
        return False
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return False
    return recorded == (digest if digest is not None else fingerprint(raw_dir))


def write_stamp(out_dir: Path, digest: str) -> None:
    (Path(out_dir) / STAMP).write_text(json.dumps({"fingerprint": digest}) + "\n", encoding="utf-8")
