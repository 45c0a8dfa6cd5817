"""Bytes to text: the encodings a report comes in (UTF-8 with or without BOM, UTF-16/32,
GB18030/GBK/GB2312, Big5), detected, or a refusal a researcher can act on.

The offsets in `facts.csv` point into the text this module returns: the file decoded (BOM
removed) with Python's universal newlines, i.e. what ``open(path, encoding=...).read()``
gives. ``raw_text(path)`` is the one way to get that text back.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..core.script import CJK_CHAR, to_simplified
from ..core.errors import InputError


@lru_cache(maxsize=None)
def common_chars() -> frozenset[str]:
    """The characters a correctly decoded report is mostly made of (data/common_chars.txt): the
    most frequent Chinese characters. Mojibake has few of them."""
    text = resources.files("zzdata").joinpath("data/common_chars.txt").read_text(encoding="utf-8")
    return frozenset("".join(line.strip() for line in text.splitlines() if not line.startswith("#")))


MIN_COMMON_SHARE = 0.25  # reports: 0.6-0.8 of their CJK characters; mojibake: under 0.1


@dataclass(frozen=True)
class Decoded:
    """A raw file's text, and how it was read."""

    text: str
    encoding: str  # the character encoding of the bytes (or of the page, for a web page)
    sha256: str = ""  # of the file's bytes, when read from a file
    format: str = "text"  # text, html, pdf or docx
    extractor: str = "plain text"  # what turned the file into text (library and version)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the NUL bytes sit in every other position (ASCII in UTF-16)."""
    if data.find(b"\x00", 0, 65536) < 0:
        return None  # no NUL byte: both counts below are 0 (found in C, without slicing the sample)
    sample = data[:65536]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= max(2, 4 * even):  # ASCII (line ends, digits) gives `xx 00` pairs in UTF-16-LE
        return "utf-16-le"
    if even >= max(2, 4 * odd):
        return "utf-16-be"
    return None


def _printable(text: str) -> bool:
    """Text, not binary read as UTF-16: hardly any control or replacement characters."""
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad <= len(sample) // 100


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 5% control bytes other than tab and line ends, in the first 64 KB."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # counted in C, not per byte
    return bool(sample) and controls / len(sample) > 0.05


def common_share(text: str) -> float:
    """Share of the CJK characters (Traditional ones read as Simplified) among the most common
    500; 0.0 for a text without CJK characters."""
    cjk = CJK_CHAR.findall(to_simplified(text[:50000]))
    common = common_chars()
    return sum(ch in common for ch in cjk) / len(cjk) if cjk else 0.0


def _position(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"byte {offset}, line {line}"


def _legacy(data: bytes, name: str, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    """Bytes that are not UTF-8: GB18030 (GBK, GB2312) or Big5, whichever reads as Chinese."""
    best: tuple[float, str, str] | None = None
    for enc, label in (("gb18030", "gb18030"), ("cp950", "big5")):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = common_share(text)
        if best is None or score > best[0]:
            best = (score, text, label)
    how = f"e.g. `iconv -f <its encoding> -t UTF-8 {name} > fixed.txt`"
    if best is not None and best[0] >= MIN_COMMON_SHARE:
        return best[1], best[2]
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    if bad <= max(3, len(data) // 2000):
        # Valid UTF-8 but for a few bytes: a damaged UTF-8 file, not a legacy encoding.
        raise InputError(
            f"{name}: UTF-8 except for {bad} invalid byte(s), the first at {_position(data, utf8_error.start)}; "
            "repair or remove them (the file may be truncated or damaged), or save the text again as UTF-8"
        )
    if best is None:
        raise InputError(f"{name}: not UTF-8, GB18030/GBK or Big5 (invalid UTF-8 at {_position(data, utf8_error.start)}); "
                         f"convert it to UTF-8, {how}")
    raise InputError(f"{name}: not UTF-8, and read as GB18030 or Big5 it is not Chinese text; "
                     f"find its encoding and convert it to UTF-8, {how}")


def decode(data: bytes, name: str = "<bytes>") -> Decoded:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when
    the NUL bytes show it), GB18030/GBK/GB2312 or Big5 (whichever reads as Chinese).

    Refuses empty files, binary files, damaged UTF-8 and bytes that are none of these, naming
    the file, the problem and what to do.
    """
    text, enc = decode_text(data, name)
    return Decoded(text=text, encoding=enc)


def _empty(name: str) -> InputError:
    return InputError(f"{name}: the file is empty; put the report's text in it or remove its row from sources.csv")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """`decode`'s text and encoding (the plain-text reader of ingest.readers)."""
    # `not data.strip()`, without copying the bytes: isspace() stops at the first other byte and
    # reads the same ASCII whitespace as strip() (b"".isspace() is False, hence `not data`).
    if not data or data.isspace():
        raise _empty(name)
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            raw, enc = data[3:].decode("utf-8"), "utf-8-sig"
        elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
            raw, enc = data.decode("utf-32"), "utf-32"
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raw, enc = data.decode("utf-16"), "utf-16"
        elif (utf16 := _utf16_without_bom(data)) and _printable(raw := data.decode(utf16, errors="replace")):
            enc = utf16
        elif _looks_binary(data):
            raise InputError(
                f"{name}: this is not a text file (binary content), and its suffix names no format that is "
                "read (.txt, .html, .htm, .pdf, .docx); give it the right suffix, or save the report's text "
                "as UTF-8 .txt"
            )
        else:
            try:
                raw, enc = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError as utf8_error:
                raw, enc = _legacy(data, name, utf8_error)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: its byte-order mark says {err.encoding} but the bytes are not "
                         f"({_position(data, err.start)}); save it again as UTF-8") from None
    if not raw or raw.isspace():  # `not raw.strip()` without the copy (same Unicode whitespace)
        raise _empty(name)
    # Universal newlines, exactly as open(..., encoding=...).read() would give (only \r changes).
    text = io.StringIO(raw, newline=None).read() if "\r" in raw else raw
    return text, enc
