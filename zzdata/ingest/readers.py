"""Read a raw report file into the text that every offset in facts.csv indexes, through one
registry of readers keyed by the file's suffix.

A reader takes the file's bytes and its name and returns (text, how it was read). Plain text
(``.txt``, ``.md``) is the only format with a reader of its own so far; a file of any other
suffix is read as plain text too, as before. A new format (web page, PDF, Word) is one more
entry in :data:`READERS`: the build, ``raw_text`` and ``trace`` then read it with no other change.
``raw_text(path)`` is the one way to get a document's text back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from ..core.errors import InputError
from .decode import Decoded, decode_text

MAX_BYTES = 16 * 1024 * 1024
"""The largest raw file read. A government work report is 20-200 KB of text; 16 MB is some 80
times the longest. A bigger file is a collection pasted together (which would give all its
reports one region and year from its single manifest row) or not a report at all, and it
would hold one worker for minutes: it is refused before it is read, with a message to split it."""

#: (bytes, file name) -> (text, how it was read: the encoding for plain text)
Reader = Callable[[bytes, str], tuple[str, str]]


def read_plain_text(data: bytes, name: str) -> tuple[str, str]:
    """A text file in any encoding `decode` detects."""
    return decode_text(data, name)


#: suffix (lower case, with the dot) -> its reader
READERS: dict[str, Reader] = {".txt": read_plain_text, ".md": read_plain_text}
DEFAULT_READER: Reader = read_plain_text


def reader_for(path: Path) -> Reader:
    """The reader of a file, by its suffix (plain text when no reader is registered for it)."""
    return READERS.get(Path(path).suffix.lower(), DEFAULT_READER)


def read_raw(path: Path) -> Decoded:
    """Read and decode one raw file, refusing oversized, empty and binary files clearly."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"{path.name}: {size / 2**20:.0f} MB is far larger than any report (at most {MAX_BYTES // 2**20} MB "
            "is read); split it into one file per report, each with its own row in sources.csv"
        )
    data = path.read_bytes()
    text, enc = reader_for(path)(data, path.name)
    return Decoded(text=text, encoding=enc, sha256=hashlib.sha256(data).hexdigest())


def raw_text(path: Path) -> str:
    """The text that `start`/`end` offsets in facts.csv index into."""
    return read_raw(path).text
