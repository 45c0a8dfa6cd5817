"""Read a raw report file into text, or refuse it with a message a researcher can act on.

The offsets in `facts.csv` point into the text this module returns: the file decoded (BOM
removed) with Python's universal newlines, i.e. what ``open(path, encoding=...).read()``
gives. ``raw_text(path)`` is the one way to get that text back.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

MAX_BYTES = 64 * 1024 * 1024  # a report is a few hundred KB; 64 MB means something is wrong


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and controls / len(sample) > 0.05


def _cjk_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    return cjk / len(sample)


def decode(data: bytes, name: str = "<bytes>") -> Decoded:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK.

    Refuses binary files and bytes that are none of these, naming the file.
    """
    if not data.strip():
        raise InputError(f"{name}: the file is empty; put the report's text in it or remove its row from sources.csv")
    if data.startswith(b"\xef\xbb\xbf"):
        raw, enc = data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw, enc = data.decode("utf-16"), "utf-16"
    else:
        if _looks_binary(data):
            raise InputError(
                f"{name}: this is not a text file (binary content); save the report as plain UTF-8 text"
            )
        try:
            raw, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as utf8_error:
            try:
                raw, enc = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                raise InputError(
                    f"{name}: not valid UTF-8 (byte {utf8_error.start}) nor GB18030; convert it to UTF-8, "
                    f"e.g. `iconv -f <its encoding> -t UTF-8 {name} > fixed.txt`"
                ) from None
            if _cjk_ratio(raw) < 0.05:
                raise InputError(
                    f"{name}: not UTF-8, and read as GB18030 it holds almost no Chinese; convert it to UTF-8 "
                    f"with `iconv -f <its encoding> -t UTF-8`"
                )
    # Universal newlines, exactly as open(..., encoding=...).read() would give.
    text = io.StringIO(raw, newline=None).read()
    return Decoded(text=text, encoding=enc)


def read_raw(path: Path) -> Decoded:
    """Read and decode one raw file, refusing oversized, empty and binary files clearly."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"{path.name}: {size / 1e6:.0f} MB is far larger than any report ({MAX_BYTES // 2**20} MB at most); "
            "split it into one file per report"
        )
    return decode(path.read_bytes(), path.name)


def raw_text(path: Path) -> str:
    """The text that `start`/`end` offsets in facts.csv index into."""
    return read_raw(path).text
