"""The per-document cache of the build: what extraction made of each text, in data/interim/docs/.

One entry per document, under its key: the sha256 of the raw file's bytes (through their
sha256), the manifest fields the extraction reads (KEY_FIELDS) and the fingerprint of the
extract stage (stamp.STAGES: the code of core, ingest and extract, zzdata/data, the
files that make an entry: tables/extracting.py and this one, and Python's and the readers'
libraries' versions). So a rebuild after one raw file or one manifest row changed re-extracts
that document only, and after a change to extraction code or data, or a library upgrade, every
document; a change elsewhere (the series rule, the writers, a manifest title) reuses every entry.

Where: one SQLite database, ``data/interim/docs/entries.sqlite``, beside the output folder
(`folder_for`: ``out_dir.parent / "interim" / "docs"``), so a build into another folder (the
tests', the benchmark's) keeps its cache beside it. One database, not one file per document:
creating a file costs 0.1-0.9 ms of system time on this project's machine (and about as much on
Windows), as much as extracting a text; the main process stores the entries the workers send,
in one transaction. (``data/interim/text/`` is the readers' cache of the text of web pages, PDF
and Word files, ingest/readers.py; `make clean` removes both.)

An entry holds the document's facts and claims as two Arrow IPC record batch messages (the
record batches the build concatenates, read back without converting a value) behind a
one-line JSON header: format, key, what the build learned of the file, a hash of the Arrow
schemas the messages need to be read, their lengths and a CRC-32 of them:

    ZZDATA-DOC-CACHE\\n{"claims": n, "crc32": n, "facts": n, "format": 2, "info": {...}, "key": ..., "schema": ...}\\n<facts><claims>

Stored in one transaction once the extraction is done (so a build that fails later keeps
them); written without waiting for the disk (``synchronous=OFF``): the cache can be thrown
away, and a database that cannot be read (damaged, empty, a folder, another table) is deleted
and made again. An entry that cannot be read, is truncated, fails its checksum or has other
columns is ignored (the text is extracted again and the entry rewritten), never an error; so is
a cache that cannot be written. Each of these says so in one line on stderr (`_say`): a build
turned cold, or storing nothing, is never silent. Entries
the last successful build did not use are removed after it (`DocCache.prune`, which also
removes the one-file-per-entry cache of earlier versions). `make clean` removes the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

FORMAT = 2  # 1: two IPC streams (with their schemas) per entry
MAGIC = b"ZZDATA-DOC-CACHE\n"
#: What the extraction reads of a document's manifest row (extract.facts.DocMeta; claims read `file`).
KEY_FIELDS = ("file", "region", "region_level", "review_year", "target_year", "doc_type", "delivered")
#: What an entry's info holds at least (extracting.extract_one's info).
INFO_FIELDS = {"format": str, "extractor": str, "encoding": str, "chars": int, "sha256": str}


def folder_for(out_dir: Path) -> Path:
    """The cache folder of an output folder: data/processed -> data/interim/docs."""
    return Path(out_dir).parent / "interim" / "docs"


def doc_key(source, raw_sha256: str, extract_fingerprint: str) -> str:
    """The key of a document's entry: sha256 of its bytes' sha256, its KEY_FIELDS and the
    extract stage's fingerprint (and the entry format)."""
    fields = [getattr(source, name) for name in KEY_FIELDS]
    blob = json.dumps([FORMAT, extract_fingerprint, raw_sha256, fields], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """What extraction made of one document."""

    info: dict  # format, extractor, encoding, chars, sha256 (INFO_FIELDS)
    facts: pa.RecordBatch
    claims: pa.RecordBatch


class CorruptEntry(ValueError):
    """An entry that is not what `encode` wrote for this key."""


@lru_cache(maxsize=8)
def _schema_id(fact_schema: pa.Schema, claim_schema: pa.Schema) -> str:
    """A short hash of the two tables' Arrow schemas: an entry is read only with the schemas
    it was written with (its messages carry no schema of their own)."""
    h = hashlib.sha256(fact_schema.serialize().to_pybytes() + claim_schema.serialize().to_pybytes())
    return h.hexdigest()[:16]


def encode(key: str, info: dict, facts: pa.RecordBatch, claims: pa.RecordBatch) -> bytes:
    """An entry's bytes: the header line, then each batch as one Arrow IPC record batch message."""
    f, c = facts.serialize(), claims.serialize()
    header = {"format": FORMAT, "key": key, "info": info, "schema": _schema_id(facts.schema, claims.schema),
              "facts": f.size, "claims": c.size, "crc32": zlib.crc32(c, zlib.crc32(f))}
    return b"".join((MAGIC, json.dumps(header, sort_keys=True).encode("ascii"), b"\n", f, c))


def _read_batch(buf: pa.Buffer, schema: pa.Schema, trusted: bool = False) -> pa.RecordBatch:
    batch = pa.ipc.read_record_batch(buf, schema)
    batch.validate(full=not trusted)
    return batch


HEADER_MAX = 4096  # the JSON line is some 330 bytes; a longer one is not an entry


def decode(data: bytes | pa.Buffer, key: str, fact_schema: pa.Schema, claim_schema: pa.Schema,
           trusted: bool = False) -> Entry:
    """The entry `encode` wrote for `key` (its bytes, or an Arrow buffer holding them: the
    batches then point into it); raises CorruptEntry for anything else. `trusted`: bytes that
    `encode` made in this build (sent by a worker, never on disk): the checksum and the full
    check of the Arrow data are skipped, the header is still read."""
    try:
        buf = data if isinstance(data, pa.Buffer) else pa.py_buffer(data)
        view = memoryview(buf)
        head = bytes(view[:HEADER_MAX])
        if not head.startswith(MAGIC):
            raise CorruptEntry("not a cache entry")
        end = head.index(b"\n", len(MAGIC))
        header = json.loads(head[len(MAGIC):end])
        if header.get("format") != FORMAT or header.get("key") != key:
            raise CorruptEntry("another format or key")
        if header.get("schema") != _schema_id(fact_schema, claim_schema):
            raise CorruptEntry("other columns than the build's")
        info = header["info"]
        if not isinstance(info, dict) or not all(type(info.get(k)) is t for k, t in INFO_FIELDS.items()):
            raise CorruptEntry("document info")
        nf, nc = header["facts"], header["claims"]
        body = view[end + 1:]
        if type(nf) is not int or type(nc) is not int or nf < 0 or nc < 0 or len(body) != nf + nc:
            raise CorruptEntry("truncated")
        if not trusted and zlib.crc32(body) != header["crc32"]:
            raise CorruptEntry("checksum")
        facts = _read_batch(buf.slice(end + 1, nf), fact_schema, trusted)
        claims = _read_batch(buf.slice(end + 1 + nf, nc), claim_schema, trusted)
    except CorruptEntry:
        raise
    except Exception as err:  # json, index, Arrow's errors (some of them OSError): whatever it is, not an entry
        raise CorruptEntry(f"unreadable: {type(err).__name__}: {err}") from None
    return Entry(info, facts, claims)


DB_NAME = "entries.sqlite"
_LEGACY = (".arrows",)  # the one-file-per-entry cache of earlier versions: removed by `prune`


def _connect(folder: Path) -> sqlite3.Connection:
    """The cache database in `folder`, made if need be. Opened for one step of a build and closed
    again: never held across the fork of a worker. Raises sqlite3.DatabaseError (not its
    OperationalError) for what is not this cache's database: a folder in its place, an empty file,
    a table with other columns."""
    path = folder / DB_NAME
    if path.is_dir():
        raise sqlite3.DatabaseError("a folder, not a database")
    if path.is_file() and path.stat().st_size == 0:  # sqlite would take it for a new database
        raise sqlite3.DatabaseError("an empty file, its entries gone")
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA auto_vacuum=INCREMENTAL")  # takes effect on a new database: pruned pages go back
        con.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
        columns = [row[1] for row in con.execute("PRAGMA table_info(entries)")]
        if columns != ["key", "data"]:
            raise sqlite3.DatabaseError(f"its table has the columns {', '.join(columns)}, not key, data")
    except BaseException:
        con.close()
        raise
    return con


def _say(message: str) -> None:
    """One line on stderr: what happened to the cache and what it costs (whatever `quiet` says:
    a build that turns cold or stores nothing should not do so without a word)."""
    print(f"zzdata: {message}", file=sys.stderr, flush=True)


#: sqlite errors of a sound database that is busy or cannot grow: it is left alone, not deleted.
_PASSING = ("locked", "busy", "full", "disk i/o", "readonly", "read-only", "unable to open")


def stored_keys(folder: Path | str) -> set[str]:
    """The keys of the entries in the cache folder (empty when there is no cache)."""
    path = Path(folder) / DB_NAME
    if not path.is_file():
        return set()
    con = _connect(Path(folder))
    try:
        return {k for (k,) in con.execute("SELECT key FROM entries")}
    finally:
        con.close()


class DocCache:
    """One build's view of the cache folder: the keys it used (read or wrote), so that
    `prune` can remove every other entry after the build succeeded.

    `folder` None is no cache: nothing is read or written, every text is extracted."""

    def __init__(self, folder: Path | None, extract_fingerprint: str) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.extract_fingerprint = extract_fingerprint
        self.used: set[str] = set()
        self.pending: list[tuple[str, bytes]] = []  # entries made in this build, not stored yet (`flush`)
        self.hits = 0  # texts read from the cache in this build
        self.extracted = 0  # texts extracted in this build
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as err:  # a folder that cannot be created: build without a cache
                _say(f"the cache folder {self.folder} cannot be made ({err.strerror or err}); this build "
                     "goes on without it")
                self.folder = None

    def key(self, source, raw_sha256: str) -> str:
        return doc_key(source, raw_sha256, self.extract_fingerprint)

    def _open(self) -> sqlite3.Connection | None:
        """The database, or None (and no cache for the rest of this build) when it cannot be
        opened; a file that is no database, or a damaged one, is deleted first, to be made anew."""
        if self.folder is None:
            return None
        try:
            return _connect(self.folder)
        except sqlite3.Error as err:
            if self._discard(err):
                try:
                    return _connect(self.folder)
                except (sqlite3.Error, OSError) as again:
                    err = again
            self._give_up(err)
        except OSError as err:
            self._give_up(err)
        return None

    def _give_up(self, err: Exception) -> None:
        _say(f"the cache {self.folder / DB_NAME} cannot be opened ({err}); this build goes on without it")
        self.folder = None

    def _discard(self, err: sqlite3.Error) -> bool:
        """Delete a database that is not one or is damaged, saying so; not one that is only busy,
        full or read-only (False)."""
        if isinstance(err, sqlite3.OperationalError) and any(w in str(err).lower() for w in _PASSING):
            return False
        path = self.folder / DB_NAME
        _say(f"the cache {path} is damaged ({err}): deleted and made anew; its texts are extracted again")
        for suffix in ("", "-journal"):
            try:
                if suffix == "" and path.is_dir():
                    shutil.rmtree(path)
                else:
                    os.unlink(str(path) + suffix)
            except OSError:
                pass
        return True

    def get_many(self, keys: list[str], fact_schema: pa.Schema, claim_schema: pa.Schema) -> dict[str, Entry]:
        """The sound entries among `keys` (an entry that is not sound is left out, and said)."""
        con = self._open() if keys else None
        if con is None:
            return {}
        found: dict[str, Entry] = {}
        unsound: list[str] = []
        try:
            for key in keys:
                row = con.execute("SELECT data FROM entries WHERE key = ?", (key,)).fetchone()
                if row is None:
                    continue
                try:
                    found[key] = decode(row[0], key, fact_schema, claim_schema)
                except CorruptEntry as err:
                    unsound.append(str(err))
        except sqlite3.Error as err:  # the database itself is damaged: what was read is sound
            if not self._discard(err):
                _say(f"the cache {self.folder / DB_NAME} cannot be read ({err}); its texts are extracted again")
        finally:
            con.close()
        if unsound:
            _say(f"{len(unsound)} entr{'y' if len(unsound) == 1 else 'ies'} of the cache {self.folder / DB_NAME} "
                 f"damaged ({unsound[0]}): extracted again and rewritten")
        return found

    def get(self, key: str, fact_schema: pa.Schema, claim_schema: pa.Schema) -> Entry | None:
        """The entry of `key`, or None when there is none or it is not a sound entry."""
        return self.get_many([key], fact_schema, claim_schema).get(key)

    def put_many(self, items: list[tuple[str, bytes]]) -> bool:
        """Store the entries (key, the bytes `encode` made) in one transaction; False, and nothing
        stored, when the database cannot take them (a full disk): extracted again next time."""
        con = self._open() if items else None
        if con is None:
            return False
        try:
            con.execute("BEGIN")
            con.executemany("INSERT OR REPLACE INTO entries (key, data) VALUES (?, ?)", items)
            con.execute("COMMIT")
            return True
        except sqlite3.Error as err:
            if not self._discard(err):
                _say(f"the cache {self.folder / DB_NAME} cannot take {len(items)} new entries ({err}); "
                     "those texts are extracted again next time")
            return False
        finally:
            con.close()

    def flush(self) -> bool:
        """Store the pending entries (`put_many`); the build calls it once the other processes
        are at work on the tables, and again if it fails, so what was extracted is kept."""
        items, self.pending = self.pending, []
        return self.put_many(items)

    def prune(self) -> int:
        """Remove the entries this build did not use (and the files of the one-file-per-entry
        cache of earlier versions); return how many."""
        if self.folder is None:
            return 0
        removed = 0
        try:
            names = os.listdir(self.folder)
        except OSError:
            return 0
        for name in names:
            if name.endswith(_LEGACY):
                try:
                    os.unlink(self.folder / name)
                    removed += 1
                except OSError:
                    pass
        if DB_NAME not in names:
            return removed
        con = self._open()
        if con is None:
            return removed
        try:
            stale = [(k,) for (k,) in con.execute("SELECT key FROM entries") if k not in self.used]
            if stale:
                con.execute("BEGIN")
                con.executemany("DELETE FROM entries WHERE key = ?", stale)
                con.execute("COMMIT")
                con.execute("PRAGMA incremental_vacuum")
            removed += len(stale)
        except sqlite3.Error as err:
            self._discard(err)
        finally:
            con.close()
        return removed
