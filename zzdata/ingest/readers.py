"""Read a raw report file into the text that every offset in facts.csv indexes, through one
registry of readers keyed by the file's suffix.

A reader takes the file's bytes and its name and returns a :class:`~zzdata.ingest.decode.Decoded`
(the text, its encoding, the format and the extractor that read it). Plain text (``.txt``,
``.md``, and any suffix without a reader of its own), web pages (``.html``, ``.htm``), PDF files
with a text layer and Word files (``.docx``) are read; the old ``.doc`` is refused with what to
do. A new format is one more entry in :data:`READERS`: the build, ``raw_text`` and ``trace`` then
read it with no other change. ``raw_text(path)`` is the one way to get a document's text back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..core.errors import InputError
from . import textcache
from .decode import Decoded, decode_text
from .pdf import read_pdf
from .web import read_html
from .word import read_doc, read_docx

MAX_BYTES = 16 * 1024 * 1024
"""The largest raw file read. A government work report is 20-200 KB of text; 16 MB is some 80
times the longest. A bigger file is a collection pasted together (which would give all its
reports one region and year from its single manifest row) or not a report at all, and it
would hold one worker for minutes: it is refused before it is read, with a message to split it."""

#: (bytes, file name) -> the text and how it was read
Reader = Callable[[bytes, str], Decoded]


def read_plain_text(data: bytes, name: str) -> Decoded:
    """A text file in any encoding `decode` detects."""
    text, encoding = decode_text(data, name)
    return Decoded(text=text, encoding=encoding)


#: suffix (lower case, with the dot) -> its reader
READERS: dict[str, Reader] = {
    ".txt": read_plain_text, ".md": read_plain_text,
    ".html": read_html, ".htm": read_html, ".pdf": read_pdf, ".docx": read_docx, ".doc": read_doc,
}
DEFAULT_READER: Reader = read_plain_text


def reader_for(path: Path) -> Reader:
    """The reader of a file, by its suffix (plain text when no reader is registered for it)."""
    return READERS.get(Path(path).suffix.lower(), DEFAULT_READER)


def read_raw(path: Path, cache: bool = True) -> Decoded:
    """Read one raw file through its reader, refusing oversized, empty and binary files clearly.

    The text of a web page, PDF or Word file in a raw folder (one with a sources.csv) is kept in
    ``interim/text/`` beside that folder (textcache.py: keyed by the file's bytes, the readers'
    code and data and their libraries' versions), so tracing a fact does not parse the file again."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"{path.name}: {size / 2**20:.0f} MB is far larger than any report (at most {MAX_BYTES // 2**20} MB "
            "is read); split it into one file per report, each with its own row in sources.csv"
        )
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    reader = reader_for(path)
    if reader is read_plain_text or not cache or not (path.parent / "sources.csv").is_file():
        return replace(reader(data, path.name), sha256=sha)
    slot, key = textcache.slot(path, sha), textcache.reader_fingerprint(reader.__module__)
    decoded = textcache.get(slot, key)
    if decoded is None:  # not read yet, or read under another key (reader code, data or library)
        decoded = replace(reader(data, path.name), sha256=sha)
        textcache.put(slot, decoded, key)
    return decoded


def raw_text(path: Path) -> str:
    """The text that `start`/`end` offsets in facts.csv index into."""
    return read_raw(path).text
