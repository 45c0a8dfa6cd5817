"""The build's fingerprints per stage and its per-document cache (zzdata/tables/stamp.py, cache.py).

What must hold: editing a room the build does not run (charts, evaluation, tools, the CLI)
leaves `make data` a no-op; editing extraction code or data re-extracts every text; a changed
text or manifest row re-extracts that document only; a corrupt entry is extracted again; and
in every case the outputs are byte for byte those of a forced full rebuild.

The package is never edited: the stamp hashes a copy of it (stamp.PACKAGE_DIR patched), or a
subprocess imports a copy from PYTHONPATH.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RAW, edit_manifest
from zzdata.core.paths import PACKAGE_DIR
from zzdata.tables import build as build_mod
from zzdata.tables import cache, extracting, stamp
from zzdata.tables.build import build
from zzdata.tools.bench import make_collection

OUTSIDE_THE_BUILD = {"viz", "validate", "review", "tools"}  # rooms no build stage runs
FIRST = "zhengzhou_2024-12_year-review_2024.txt"  # the text the tests change


def _hashes(folder: Path) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in stamp.OUTPUTS}


def _entries(folder: Path) -> set[str]:
    return cache.stored_keys(folder)


def _blobs(folder: Path) -> dict[str, bytes]:
    """The stored entries: key -> bytes."""
    con = sqlite3.connect(folder / cache.DB_NAME)
    try:
        return dict(con.execute("SELECT key, data FROM entries"))
    finally:
        con.close()


def _store(folder: Path, key: str, data: bytes) -> None:
    """Put `data` under `key` in the cache database, as a damaged disk or another program might."""
    con = sqlite3.connect(folder / cache.DB_NAME)
    with con:
        con.execute("INSERT OR REPLACE INTO entries (key, data) VALUES (?, ?)", (key, data))
    con.close()


def _full_rebuild(raw: Path, where: Path) -> dict[str, str]:
    """The outputs of a forced full rebuild (every text extracted) in a folder of its own."""
    out = where / "out"
    build(raw, out, force=True, quiet=True)
    return _hashes(out)


@pytest.fixture(scope="session")
def shipped_full(tmp_path_factory) -> dict[str, str]:
    """_full_rebuild of the shipped texts (RAW), made once: what a test that leaves its copy of
    RAW unchanged compares its outputs with (a forced rebuild of raw_copy writes the same bytes)."""
    return _full_rebuild(RAW, tmp_path_factory.mktemp("full"))


@pytest.fixture(scope="session")
def shipped_first(tmp_path_factory) -> Path:
    """A first build of the shipped texts (RAW), made once: its folder, holding out/ and
    interim/docs/ (the entries' database); `first_build` copies them for a test."""
    where = tmp_path_factory.mktemp("first")
    build(RAW, where / "out", quiet=True)
    return where


@pytest.fixture
def first_build(shipped_first, tmp_path) -> Path:
    """tmp_path as `build(raw_copy, tmp_path / "out")` leaves it on a fresh folder (the build's
    outputs and stamp, the cache's entries beside them), copied: cheaper than building it.
    Returns the output folder."""
    for name in ("out", "interim"):
        shutil.copytree(shipped_first / name, tmp_path / name)
    return tmp_path / "out"


@pytest.fixture
def extracted(monkeypatch) -> list[str]:
    """The files each build extracts (in this process: jobs=1), in order."""
    names: list[str] = []
    original = extracting.extract_one

    def counting(args):
        names.append(args[0].file)
        return original(args)

    monkeypatch.setattr(extracting, "extract_one", counting)
    return names


@pytest.fixture
def pkg_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the package that the stamp hashes instead of the real one; edit it freely."""
    dst = tmp_path / "pkg" / "zzdata"
    shutil.copytree(PACKAGE_DIR, dst, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamp, "PACKAGE_DIR", dst)
    return dst


def _touch(path: Path) -> None:
    """Change a file's content (a comment or an empty line at its end)."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n" if path.suffix == ".py" else "\n")


# -- the fingerprints -------------------------------------------------------------------------

def test_every_room_is_in_a_stage_or_outside_the_build():
    rooms = {p.name for p in PACKAGE_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    entries = [entry for rooms_ in stamp.STAGES.values() for entry in rooms_]
    staged = [entry for entry in entries if "/" not in entry]  # whole rooms
    assert len(staged) == len(set(staged)), "a room in two stages"
    assert set(staged) | OUTSIDE_THE_BUILD == rooms, "a new room: add it to stamp.STAGES or to OUTSIDE_THE_BUILD"
    assert not set(staged) & OUTSIDE_THE_BUILD
    assert all((PACKAGE_DIR / entry).is_file() for entry in entries if "/" in entry)
    assert list(stamp.STAGES) == ["extract", "tables"]


def test_what_makes_an_entry_is_in_the_extract_stage(pkg_copy):
    """The per-text extraction in extracting.py and the entry format in cache.py shape what an
    entry holds: a change to either must not reuse the entries written before it; a change to
    the writers (excel.py) or to the build's order of work (build.py) must."""
    before = stamp.stage_fingerprints()
    for name in ("excel.py", "build.py"):
        _touch(pkg_copy / "tables" / name)
        after = stamp.stage_fingerprints()
        assert after["extract"] == before["extract"] and after["tables"] != before["tables"]
        before = after
    for name in ("extracting.py", "cache.py"):
        _touch(pkg_copy / "tables" / name)
        again = stamp.stage_fingerprints()
        assert again["extract"] != after["extract"]
        after = again


def test_the_build_runs_only_the_rooms_of_its_stages(tmp_path):
    """What a fingerprint leaves out must really be unused: extracting a text imports only the
    extract stage's rooms, a whole build only the build's (each module's room = its folder)."""
    script = f"""
import json, sys
from pathlib import Path
from zzdata.ingest.manifest import read_manifest
from zzdata.ingest.readers import read_raw
from zzdata.extract.facts import extract_document
from zzdata.extract.claims import extract_claims
raw = Path({str(RAW)!r})
for s in read_manifest(raw):
    text = read_raw(raw / s.file).text
    extract_document(s, text), extract_claims(s.file, text)
rooms = lambda: sorted({{m.split(".")[1] for m in sys.modules if m.startswith("zzdata.")}})
extract = rooms()
from zzdata.tables.build import build
build(raw, Path({str(tmp_path / "out")!r}), force=True, quiet=True)
print(json.dumps([extract, rooms()]))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    extract, whole = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(extract) <= set(stamp.STAGES["extract"]), extract
    assert set(whole) <= {room for rooms in stamp.STAGES.values() for room in rooms}, whole


def test_stage_fingerprints_follow_their_rooms(pkg_copy):
    before = stamp.stage_fingerprints()
    for room in sorted(OUTSIDE_THE_BUILD):
        _touch(next(iter(sorted((pkg_copy / room).glob("*.py")))))
    _touch(pkg_copy / "cli.py")
    _touch(pkg_copy / "__main__.py")
    (pkg_copy / "extract" / "__pycache__").mkdir()
    (pkg_copy / "extract" / "__pycache__" / "facts.cpython-311.pyc").write_bytes(b"\0")
    assert stamp.stage_fingerprints() == before
    _touch(pkg_copy / "series" / "choice.py")
    after = stamp.stage_fingerprints()
    assert after["extract"] == before["extract"] and after["tables"] != before["tables"]
    _touch(pkg_copy / "data" / "indicators.csv")
    again = stamp.stage_fingerprints()
    assert again["extract"] != after["extract"] and again["tables"] != after["tables"]


# -- (a) which edits rebuild ------------------------------------------------------------------

def test_editing_a_chart_leaves_the_build_a_noop(raw_copy, tmp_path, pkg_copy, extracted):
    out = tmp_path / "out"
    assert build(raw_copy, out, quiet=True) is True
    _touch(pkg_copy / "viz" / "charts.py")
    _touch(pkg_copy / "validate" / "evaluate.py")
    _touch(pkg_copy / "tools" / "bench.py")
    _touch(pkg_copy / "cli.py")
    assert build(raw_copy, out, quiet=True) is False, "a chart is not part of the build"
    assert len(extracted) == 5


def test_editing_the_series_rule_rebuilds_without_extracting(raw_copy, tmp_path, first_build, pkg_copy, extracted):
    out = first_build
    del extracted[:]
    _touch(pkg_copy / "series" / "choice.py")
    assert build(raw_copy, out, quiet=True) is True
    assert extracted == [], "the extraction did not change: every text from the cache"


@pytest.mark.parametrize("edited", ["extract/clean.py", "core/periods.py", "ingest/readers.py", "data/cues.csv"])
def test_editing_extraction_code_or_data_re_extracts_every_text(raw_copy, tmp_path, first_build, pkg_copy, extracted, edited):
    out = first_build
    del extracted[:]
    _touch(pkg_copy / edited)
    assert build(raw_copy, out, quiet=True) is True
    assert sorted(extracted) == sorted(p.name for p in RAW.glob("*.txt"))
    assert len(_entries(tmp_path / "interim" / "docs")) == 5, "the old entries are pruned"


def test_cli_noop_after_editing_a_chart(raw_copy, tmp_path):
    """`python -m zzdata build` (what `make data` runs) on a copy of the package imported from
    PYTHONPATH: after a chart edit it answers "up to date"; after an extraction edit it rebuilds."""
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGE_DIR, pkg / "zzdata", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(pkg)}
    cmd = [sys.executable, "-m", "zzdata", "build", "--raw", str(raw_copy), "--out", str(tmp_path / "out")]

    def run() -> str:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        return proc.stderr

    probe = subprocess.run([sys.executable, "-c", "import zzdata; print(zzdata.__file__)"], capture_output=True,
                           text=True, env=env, cwd=tmp_path)
    assert Path(probe.stdout.strip()).resolve().parent == (pkg / "zzdata").resolve(), "it must import the copy"
    assert "Wrote" in run()
    _touch(pkg / "zzdata" / "viz" / "charts.py")
    assert "up to date" in run()
    _touch(pkg / "zzdata" / "extract" / "segment.py")
    assert "5 texts extracted, 0 from the cache" in run()


# -- (b) what one changed input re-extracts -----------------------------------------------------

def test_one_changed_text_re_extracts_one_document(raw_copy, tmp_path, first_build, extracted):
    out = first_build
    del extracted[:]
    with open(raw_copy / FIRST, "a", encoding="utf-8") as fh:
        fh.write("\n全年新增城镇就业14.2万人。\n")
    assert build(raw_copy, out, quiet=True) is True
    assert extracted == [FIRST]
    assert _hashes(out) == _full_rebuild(raw_copy, tmp_path / "full")
    assert len(_entries(tmp_path / "interim" / "docs")) == 5, "the changed text's old entry is pruned"


@pytest.mark.parametrize("column, old, new, n", [
    ("review_year", ",2024,2025,", ",2023,2025,", 1),  # read by the extraction: that document again
    ("region", "郑州市,city,work_report,2025-01", "中原区,district,work_report,2025-01", 1),
    ("title", "郑州本地报纸版面", "郑州日报", 0),  # not read by the extraction: documents.csv only
])
def test_one_changed_manifest_row(raw_copy, tmp_path, first_build, extracted, column, old, new, n):
    out = first_build
    del extracted[:]
    hits = []

    def edit(lines):
        for i, line in enumerate(lines):
            if old in line and not hits:
                hits.append(line.split(",")[0])
                lines[i] = line.replace(old, new, 1)
        return lines

    edit_manifest(raw_copy, edit)
    assert hits, f"no manifest row holds {old!r}"
    assert build(raw_copy, out, quiet=True) is True
    assert extracted == hits[:n]
    assert _hashes(out) == _full_rebuild(raw_copy, tmp_path / "full")


def test_key_fields_are_what_the_extraction_reads(raw_copy):
    """Every attribute of the manifest row the extraction reads is in the cache key."""
    from zzdata.ingest.manifest import read_manifest

    class Recorder:
        def __init__(self, source):
            self._source, self.read = source, set()

        def __getattr__(self, name):
            self.read.add(name)
            return getattr(self._source, name)

    read: set[str] = set()
    for source in read_manifest(raw_copy):
        rec = Recorder(source)
        name, info, facts, claims, err = extracting.extract_one((rec, str(raw_copy)))
        assert err is None and facts
        read |= rec.read
    assert read <= set(cache.KEY_FIELDS), read - set(cache.KEY_FIELDS)


# -- (c) a corrupt entry ------------------------------------------------------------------------

def _flip_a_letter(data: bytes, others: list[bytes]) -> bytes:
    """One letter of a value changed (x for t in a file name): Arrow reads it without complaint,
    the checksum does not."""
    data = bytearray(data)
    at = data.rindex(b".txt") + 1
    data[at] = ord("x")
    return bytes(data)


CORRUPTIONS = {  # an entry's bytes (and the other entries') -> what is stored instead
    "empty": lambda d, o: b"",
    "truncated": lambda d, o: d[: len(d) // 2],
    "garbage": lambda d, o: os.urandom(4096),
    "a letter changed": _flip_a_letter,
    "last byte flipped": lambda d, o: d[:-1] + bytes([d[-1] ^ 0xFF]),
    "header only": lambda d, o: b"\n".join(d.split(b"\n", 2)[:2]) + b"\n",
    "bad json": lambda d, o: cache.MAGIC + b"{not json\n" + d,
    "another key": lambda d, o: o[0],  # another document's sound entry under this key
}


@pytest.mark.parametrize("how", sorted(CORRUPTIONS))
def test_a_corrupt_entry_is_extracted_again_and_said(raw_copy, tmp_path, first_build, shipped_full, extracted,
                                                     how, capsys):
    out = first_build
    interim = tmp_path / "interim" / "docs"
    blobs = _blobs(interim)
    assert len(blobs) == 5
    keys = sorted(blobs)
    target = keys[2]
    _store(interim, target, CORRUPTIONS[how](blobs[target], [blobs[k] for k in keys if k != target]))
    shutil.rmtree(out)
    del extracted[:]
    capsys.readouterr()
    assert build(raw_copy, out, quiet=True) is True
    assert len(extracted) == 1
    said = capsys.readouterr().err
    assert "1 entry of the cache" in said and "damaged" in said and "extracted again" in said, said
    assert _hashes(out) == shipped_full
    again = cache.DocCache(interim, "").get(target, extracting.FACT_SCHEMA, extracting.CLAIM_SCHEMA)
    before = cache.decode(blobs[target], target, extracting.FACT_SCHEMA, extracting.CLAIM_SCHEMA)
    assert again is not None and again.facts.equals(before.facts), "rewritten, sound"


def _other_table(db: Path, data: bytes) -> None:
    """A database of another program (or version) under the cache's name: a table `entries` with other columns."""
    db.unlink()
    con = sqlite3.connect(db)
    with con:
        con.execute("CREATE TABLE entries (name TEXT, value BLOB)")
        con.execute("INSERT INTO entries VALUES ('x', x'00')")
    con.close()


def _a_folder(db: Path, data: bytes) -> None:
    db.unlink()
    (db / "inside").mkdir(parents=True)


DAMAGES = {  # the cache database -> what is found in its place
    "garbage": lambda db, data: db.write_bytes(os.urandom(len(data))),
    "empty": lambda db, data: db.write_bytes(b""),
    "truncated": lambda db, data: db.write_bytes(data[:5000]),
    "pages overwritten": lambda db, data: db.write_bytes(data[:4096] + os.urandom(len(data) - 8192) + data[-4096:]),
    "header overwritten": lambda db, data: db.write_bytes(bytes(100) + data[100:]),
    "another table": _other_table,
    "a folder": _a_folder,
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_cache_database_is_reported_and_made_again(raw_copy, tmp_path, first_build, shipped_full, extracted,
                                                            damage, capsys):
    out = first_build
    db = tmp_path / "interim" / "docs" / cache.DB_NAME
    DAMAGES[damage](db, db.read_bytes())
    shutil.rmtree(out)
    del extracted[:]
    capsys.readouterr()
    assert build(raw_copy, out, quiet=True) is True
    said = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(said) == 1 and str(db) in said[0] and "damaged" in said[0] and "extracted again" in said[0], said
    assert _hashes(out) == shipped_full
    assert len(_entries(tmp_path / "interim" / "docs")) == 5, "the cache is whole again"
    del extracted[:]
    shutil.rmtree(out)
    capsys.readouterr()
    build(raw_copy, out, quiet=True)
    assert extracted == [], "the next build is warm again"
    assert capsys.readouterr().err == ""


def test_a_busy_database_is_left_alone_and_said(raw_copy, tmp_path, monkeypatch, extracted, capsys):
    """A database another build holds locked is not deleted: this build goes without it and says so."""
    out = tmp_path / "out"
    build(raw_copy, out, quiet=True)
    db = tmp_path / "interim" / "docs" / cache.DB_NAME
    size = db.stat().st_size
    real = cache._connect

    def locked(folder):
        real(folder).close()
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(cache, "_connect", locked)
    capsys.readouterr()
    build(raw_copy, out, force=False, quiet=True) or build(raw_copy, out, force=True, quiet=True)
    said = capsys.readouterr().err
    assert "database is locked" in said and "without it" in said and "damaged" not in said
    assert db.stat().st_size == size and len(extracted) == 10


def test_entries_round_trip_and_refuse_another_key(tmp_path):
    out = tmp_path / "out"
    build(RAW, out, quiet=True)
    key, data = sorted(_blobs(tmp_path / "interim" / "docs").items())[0]
    entry = cache.decode(data, key, extracting.FACT_SCHEMA, extracting.CLAIM_SCHEMA)
    assert entry.facts.num_rows > 20 and set(entry.info) == set(cache.INFO_FIELDS)
    assert cache.encode(key, entry.info, entry.facts, entry.claims) == data, "encoding is deterministic"
    with pytest.raises(cache.CorruptEntry):
        cache.decode(data, "0" * 64, extracting.FACT_SCHEMA, extracting.CLAIM_SCHEMA)
    with pytest.raises(cache.CorruptEntry):
        cache.decode(data, key, extracting.CLAIM_SCHEMA, extracting.CLAIM_SCHEMA)


def test_a_cache_that_cannot_be_written_is_no_cache(raw_copy, tmp_path, shipped_full):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    out = tmp_path / "out"
    assert build(raw_copy, out, quiet=True, cache_dir=blocker) is True
    assert _hashes(out) == shipped_full


def test_entries_that_cannot_be_stored_still_build(raw_copy, tmp_path, monkeypatch, extracted, shipped_full):
    """A cache database that cannot take the entries (a full disk, a locked file) costs no
    output: the build goes on, and extracts the texts again next time."""
    def full(folder):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cache, "_connect", full)
    build(raw_copy, tmp_path / "a" / "out", quiet=True)
    assert len(extracted) == 5
    monkeypatch.undo()
    assert not _entries(tmp_path / "a" / "interim" / "docs")
    assert _hashes(tmp_path / "a" / "out") == shipped_full


def test_a_failed_build_keeps_its_entries_and_leftovers_are_pruned(raw_copy, tmp_path, monkeypatch, extracted):
    import zzdata.tables.excel

    out = tmp_path / "out"
    interim = tmp_path / "interim" / "docs"
    interim.mkdir(parents=True)
    cache.DocCache(interim, "").put_many([("f" * 64, b"an entry no build uses")])
    (interim / ("e" * 64 + ".arrows")).write_bytes(b"an entry of the one-file-per-entry cache")
    (interim / ".tmp-abc.arrows").write_bytes(b"left by a killed build of that version")
    (interim / "notes.txt").write_text("not an entry: left alone", encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(zzdata.tables.excel, "write_workbook", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk full")))
        with pytest.raises(RuntimeError):
            build(raw_copy, out, quiet=True)
    assert len(_entries(interim)) == 6, "nothing pruned after a failure"
    assert (interim / ".tmp-abc.arrows").exists()
    del extracted[:]
    assert build(raw_copy, out, quiet=True) is True
    assert extracted == [], "the failed build's entries are used"
    assert len(_entries(interim)) == 5 and (interim / "notes.txt").exists()
    assert sorted(p.name for p in interim.iterdir()) == [cache.DB_NAME, "notes.txt"]


def test_a_forked_build_whose_last_files_fail_keeps_its_entries(tmp_path, monkeypatch):
    """With two jobs the new entries are stored by the step that then writes the series' and the
    panel's files, in a forked process: stored first, so that they outlive a failure of those files."""
    import zzdata.tables.panel

    raw = tmp_path / "raw"
    make_collection(raw, 12)
    monkeypatch.setattr(zzdata.tables.panel, "write_panel_files",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError, match="disk full"):
        build(raw, tmp_path / "out", jobs=2, quiet=True)
    assert len(_entries(tmp_path / "interim" / "docs")) == 12
    assert not (tmp_path / "out").exists(), "nothing published"


# -- (d) warm equals cold -------------------------------------------------------------------------

def test_warm_build_equals_cold_forced_build(raw_copy, tmp_path, first_build, shipped_full, extracted):
    out = first_build
    shutil.rmtree(out)
    assert build(raw_copy, out, quiet=True) is True
    assert extracted == []
    assert _hashes(out) == shipped_full
    nocache = tmp_path / "nocache" / "out"
    build(raw_copy, nocache, quiet=True, cache_dir=False)
    assert _hashes(nocache) == _hashes(out)
    assert not (tmp_path / "nocache" / "interim" / "docs").exists()


def test_force_extracts_every_text_again(raw_copy, tmp_path, extracted):
    out = tmp_path / "out"
    build(raw_copy, out, quiet=True)
    del extracted[:]
    assert build(raw_copy, out, force=True, quiet=True) is True
    assert len(extracted) == 5


# -- (e) the parallel path --------------------------------------------------------------------------

def _counts(err: str) -> tuple[int, int]:
    m = re.search(r"\((\d+) texts extracted, (\d+) from the cache\)", err)
    assert m, err
    return int(m.group(1)), int(m.group(2))


def test_parallel_build_with_the_cache_equals_one_process(tmp_path, capsys):
    raw = tmp_path / "raw"
    make_collection(raw, 14)
    one = tmp_path / "one" / "out"
    build(raw, one, jobs=1, quiet=True)
    two = tmp_path / "two" / "out"
    build(raw, two, jobs=2)
    assert _counts(capsys.readouterr().err) == (14, 0)
    assert _hashes(two) == _hashes(one)
    # Ten texts changed (more than 8: the workers take them), four from the cache.
    changed = sorted(p for p in raw.iterdir() if p.suffix == ".txt")[:10]
    for path in changed:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("\n2024年，全市新增城镇就业14.2万人。\n")
    before = _entries(tmp_path / "two" / "interim" / "docs")
    build(raw, two, jobs=2)
    assert _counts(capsys.readouterr().err) == (10, 4)
    assert len(_entries(tmp_path / "two" / "interim" / "docs") - before) == 10
    assert _hashes(two) == _full_rebuild(raw, tmp_path / "full")


def test_chart_only_data_is_read_by_no_room_of_the_build():
    """The files left out of the fingerprints (stamp.CHART_ONLY) are named by no module of a stage's
    rooms, so editing the charts' wording cannot change a table."""
    names = [Path(f).name for f in stamp.CHART_ONLY]
    for room in (r for rooms in stamp.STAGES.values() for r in rooms if r != "data"):
        for path in stamp._room_files(room):
            if path.suffix == ".py" and path.name != "stamp.py":  # stamp names them to leave them out
                text = path.read_text(encoding="utf-8")
                assert not any(n in text for n in names), f"{path} reads chart-only data"
