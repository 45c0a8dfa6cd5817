"""Undo the damage of text cut out of newspaper PDFs, keeping a map back to the raw text.

A clean text joins lines broken inside words and numbers, removes the spaces inside numbers
(``13.93 万人``, ``1 450 亿元``) and letter-spaced words (``跨 境 电 商``), and turns full-width
digits, letters and signs into half-width ones. Hard breaks (``\\n``) are kept only where the
layout means one: before a bullet, around a heading line. Every clean character remembers
the offset of the raw character it came from, so every number stays traceable.

Traditional characters: a text written in Traditional characters (``國內生產總值增長7.4%``) is
read through a one-to-one Traditional→Simplified character table (``data/traditional.csv``,
the single-character table TSCharacters of OpenCC, Apache-2.0, first candidate of each entry),
so the catalog's Simplified words match and every offset stays exact; the raw text, which
``raw_text()`` returns and offsets index, keeps the original characters. A text counts as
Traditional when at least 5% of its distinct CJK characters are Traditional-only forms (the
five source texts have none); a Simplified text is never converted.
"""

from __future__ import annotations

import csv
import re
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

BULLETS = "●•■◆▲★▪◎○◇□"

# One-to-one character mapping (so offsets stay exact): full-width forms to ASCII.
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"％": "%", "﹪": "%", "．": ".", "～": "~", "〜": "~", "＋": "+", "－": "-", "×": "×"})
_TRANSLATE = str.maketrans(_FULLWIDTH)
TRADITIONAL_SHARE = 0.05  # share of a text's distinct CJK characters that makes it Traditional


@lru_cache(maxsize=None)
def traditional_table() -> dict[str, str]:
    """Traditional -> Simplified, one character to one character (data/traditional.csv)."""
    with resources.files("zzdata").joinpath("data/traditional.csv").open(encoding="utf-8", newline="") as fh:
        return {r["traditional"]: r["simplified"] for r in csv.DictReader(fh)}


@lru_cache(maxsize=None)
def _translate_traditional() -> dict[int, str]:
    table = dict(str.maketrans(traditional_table()))
    table.update(_TRANSLATE)
    return table


def is_traditional(text: str) -> bool:
    """True when the text is written in Traditional characters (see the module doc)."""
    chars = set(text)
    trad = chars.intersection(traditional_table())
    if not trad:
        return False
    cjk = sum(1 for ch in chars if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    return len(trad) >= TRADITIONAL_SHARE * max(cjk, 1)


def to_simplified(text: str) -> str:
    """Traditional characters to Simplified ones, one for one (offsets do not move)."""
    return text.translate(_translate_traditional())


def normalise(raw: str) -> str:
    """The character forms the pipeline matches on: half-width digits and signs, and Simplified
    characters when the text is Traditional. One character for one, so offsets do not move."""
    return raw.translate(_translate_traditional() if is_traditional(raw) else _TRANSLATE)

_STRIP = " \t\u3000\u00a0\r\ufeff"
_WS = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\f\v]+")
HEADING_RE = re.compile(
    r"^(?:#{1,6}|关键词[：:]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]+部分)"
)
_YEAR_LINE = re.compile(r"^(?:19|20)\d\d$")
_THOUSANDS_LEFT = re.compile(r"(?<![\d.])\d{1,3}$")
_THOUSANDS_RIGHT = re.compile(r"\d{3}(?![\d.])")


@dataclass(frozen=True)
class CleanText:
    """Clean text plus, for each of its characters, the offset of its source in the raw text."""

    text: str
    offsets: array

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean span [start, end) to the raw span that covers it."""
        return self.offsets[start], self.offsets[end - 1] + 1


def is_heading_line(line: str) -> bool:
    """A line that is a heading on its own: `一、…`, `（一）…`, `关键词：…`, a markdown heading."""
    return bool(HEADING_RE.match(line)) or bool(_YEAR_LINE.match(line))


_TITLE_PUNCT = re.compile(r"[，。；：、！？,.;:!?%\d]")


def is_title_line(line: str, blank_before: bool, blank_after: bool) -> bool:
    """A short line standing alone between blank lines with no punctuation or digits
    (the caller also requires the text before it to have ended a sentence).

    In newspaper layouts these are section titles and captions; they must not be glued to the
    sentences around them.
    """
    return blank_before and blank_after and len(line) <= 24 and not _TITLE_PUNCT.search(line) and line[0] not in BULLETS


def _keep_space(left: str, right: str) -> bool:
    """Inside a line, a run of spaces survives only between two ASCII words (`Noto Sans`)."""
    return left.isascii() and right.isascii() and left.isalpha() and right.isalpha()


def _join_digits(prev_piece: str, right: str) -> bool:
    """`1 450` is one number (a thousands group); `2024 12` is two."""
    return bool(_THOUSANDS_LEFT.search(prev_piece)) and bool(_THOUSANDS_RIGHT.match(right))


_LAST: list = [None, None]  # (raw, CleanText) of the last call: the facts and the claims read the same text


def clean(raw: str) -> CleanText:
    """Return the clean text of a raw report with its offset map."""
    if raw is _LAST[0]:
        return _LAST[1]
    result = _clean(raw)
    _LAST[:] = [raw, result]
    return result


def _clean(raw: str) -> CleanText:
    raw = normalise(raw)  # one character for one: the offsets below are offsets in the raw text
    out: list[str] = []
    offs = array("l")
    pos = 0
    prev_kind = "start"  # start, text, heading, blank-after-text ...
    pending_break_at = -1  # raw offset of the newline that ends the previous content line
    lines = raw.split("\n")
    blank = [not ln.strip(_STRIP) for ln in lines]
    for i, line in enumerate(lines):
        line_start = pos
        pos += len(line) + 1
        stripped = line.strip(_STRIP)
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip(_STRIP))
        after_break = not out or prev_kind == "heading" or out[-1][-1] in "。！？；…!?;”"
        title = after_break and is_title_line(stripped, i == 0 or blank[i - 1], i == len(lines) - 1 or blank[i + 1])
        heading = is_heading_line(stripped) or title
        bullet = stripped[0] in BULLETS
        if out:
            if heading or bullet or prev_kind == "heading":
                out.append("\n")
                offs.append(pending_break_at)
            else:
                last, first = out[-1][-1], stripped[0]
                if _keep_space(last, first):
                    out.append(" ")
                    offs.append(pending_break_at)
        _append_line(line[lead:], line_start + lead, out, offs)
        prev_kind = "heading" if heading else "text"
        pending_break_at = line_start + len(line)
    return CleanText("".join(out), offs)


def _append_line(line: str, base: int, out: list[str], offs: array) -> None:
    """Append one line's characters, dropping spaces except between ASCII words."""
    last_end = 0
    pieces: list[tuple[int, str]] = []
    for m in _WS.finditer(line):
        if m.start() > last_end:
            pieces.append((last_end, line[last_end : m.start()]))
        last_end = m.end()
    if last_end < len(line):
        pieces.append((last_end, line[last_end:].rstrip("\r")))
    for i, (start, piece) in enumerate(pieces):
        if not piece:
            continue
        piece_t = piece
        if i > 0:
            prev_t = pieces[i - 1][1]
            if prev_t and _keep_space(prev_t[-1], piece_t[0]):
                out.append(" ")
                offs.append(base + start - 1)
            elif prev_t and prev_t[-1].isdigit() and piece_t[0].isdigit() and not _join_digits(prev_t, piece_t):
                out.append(" ")
                offs.append(base + start - 1)
        out.append(piece_t)
        offs.extend(range(base + start, base + start + len(piece_t)))
