"""Undo the damage of text cut out of newspaper PDFs, keeping a map back to the raw text.

A clean text joins lines broken inside words and numbers, removes the spaces inside numbers
(``13.93 万人``, ``1 450 亿元``) and letter-spaced words (``跨 境 电 商``), and turns full-width
digits, letters and signs into half-width ones. Hard breaks (``\\n``) are kept only where the
layout means one: before a bullet, around a heading line. Every clean character remembers
the offset of the raw character it came from, so every number stays traceable.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field

from ..core.script import normalise

BULLETS = "●•■◆▲★▪◎○◇□"

_STRIP = " \t\u3000\u00a0\r\ufeff"
_WS_CHARS = r" \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\f\v"  # spaces inside a line (regex class body)
# A pattern that starts with a character class lets the regex engine skip ahead to where it can
# match, one that starts with a repeat ([…]+) is tried at every position: hence [c] and [c][c]*.
_WS = re.compile(f"[{_WS_CHARS}]")
_WS_RUN = re.compile(f"([{_WS_CHARS}][{_WS_CHARS}]*)")  # captured, so that split() keeps the runs
HEADING_RE = re.compile(
    r"^(?:#{1,6}|关键词[：:]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]+部分)"
)
_YEAR_LINE = re.compile(r"^(?:19|20)\d\d$")
_HEADING_OR_YEAR = re.compile(f"{HEADING_RE.pattern}|{_YEAR_LINE.pattern}")
_HEADING_FIRST = frozenset("#关一二三四五六七八九十（(第12")  # every character either pattern can start with
_THOUSANDS_LEFT = re.compile(r"(?<![\d.])\d{1,3}$")
_THOUSANDS_RIGHT = re.compile(r"\d{3}(?![\d.])")
_SENTENCE_DONE = "。！？；…!?;”"  # a line ending in one of these has ended its sentence


@dataclass(frozen=True)
class CleanText:
    """Clean text plus, for each of its characters, the offset of its source in the raw text."""

    text: str
    offsets: array
    # Clean offsets where a paragraph starts: the text's start, each hard break, and each raw line that
    # follows a line ending a sentence (the clean text joins such lines: a PDF breaks lines anywhere).
    paragraphs: array = field(default_factory=lambda: array("l", [0]))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean span [start, end) to the raw span that covers it."""
        return self.offsets[start], self.offsets[end - 1] + 1


def is_heading_line(line: str) -> bool:
    """A line that is a heading on its own: `一、…`, `（一）…`, `关键词：…`, a markdown heading."""
    # The first-character test spares the regular expression for the many lines that cannot match.
    return line[:1] in _HEADING_FIRST and _HEADING_OR_YEAR.match(line) is not None


_TITLE_PUNCT = re.compile(r"[，。；：、！？,.;:!?%\d]")  # a title line has none of these
# Inside a line, a run of spaces survives only between two ASCII words (`Noto Sans`): a set
# lookup of each side says what isascii() and isalpha() would, in one step.
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _join_digits(prev_piece: str, right: str) -> bool:
    """`1 450` is one number (a thousands group); `2024 12` is two."""
    # A match of the left pattern starts in the last three characters: search only those
    # (the look-behind still sees the character before them).
    left = _THOUSANDS_LEFT.search(prev_piece, max(len(prev_piece) - 3, 0))
    return left is not None and _THOUSANDS_RIGHT.match(right) is not None


_INDEX = array("l")  # 0, 1, 2, ...: the offsets of a run of raw characters are a slice of it
_INDEX_KEPT = 1 << 20  # longer texts (rare: reports are 20-200 KB) get an array of their own, not kept


def _index(n: int) -> array:
    """The array 0, 1, ..., at least n - 1 (grown on demand, rebuilt rather than extended so a
    caller never sees it half grown). Slicing it copies memory; extending by a range converts
    every int one by one."""
    global _INDEX
    index = _INDEX
    if len(index) < n:
        index = array("l", range(n))
        if n <= _INDEX_KEPT:  # a 16 MB text would otherwise hold 128 MB for the life of the process
            _INDEX = index
    return index


def clean(raw: str) -> CleanText:
    """Return the clean text of a raw report with its offset map. It runs once per text: the caller
    passes the result on (`extract.document.read_document` to the facts and the claims)."""
    return _clean(raw)


def _clean(raw: str) -> CleanText:
    """Join the lines of a raw text and record each clean character's raw offset."""
    raw = normalise(raw)  # one character for one: the offsets below are offsets in the raw text
    index = _index(len(raw))
    out: list[str] = []
    offs = array("l")
    paragraphs = array("l", [0])
    line_start = 0  # raw offset of the current line
    prev_heading = False
    pending_break_at = -1  # raw offset of the newline that ends the previous content line
    lines = raw.split("\n")
    stripped_lines = [ln.strip(_STRIP) for ln in lines]
    last = len(lines) - 1
    # is_heading_line() is written out in this loop, which runs once per line: a call costs more
    # than the test it makes.
    for i, stripped in enumerate(stripped_lines):
        line = lines[i]
        if not stripped:
            line_start += len(line) + 1
            continue
        first = stripped[0]
        tail = out[-1][-1] if out else ""  # the last character written
        heading = first in _HEADING_FIRST and _HEADING_OR_YEAR.match(stripped) is not None
        if (
            not heading
            # after a break ("" is in every string, so the start of the text counts as one) ...
            and (prev_heading or tail in _SENTENCE_DONE)
            # ... a title line: short, between blank lines, no punctuation or digits, no bullet (in
            # newspaper layouts, a section title or a caption: not to be glued to the sentences around)
            and len(stripped) <= 24
            and (i == 0 or not stripped_lines[i - 1])
            and (i == last or not stripped_lines[i + 1])
            and first not in BULLETS
            and not _TITLE_PUNCT.search(stripped)
        ):
            heading = True
        if out:
            if heading or prev_heading or first in BULLETS:
                out.append("\n")
                offs.append(pending_break_at)
                paragraphs.append(len(offs))
            elif tail in _SENTENCE_DONE:
                paragraphs.append(len(offs))
            elif tail in _ASCII_LETTERS and first in _ASCII_LETTERS:
                out.append(" ")
                offs.append(pending_break_at)
        # The characters before the first one of `stripped` are all stripped ones (strip() returns
        # the line itself when it strips nothing).
        lead = 0 if stripped is line else line.find(first)
        if _WS.search(line, lead) is None:
            # No spaces after the lead: the rest of the line, less trailing \r, is `stripped`.
            start = line_start + lead
            out.append(stripped)
            offs += index[start : start + len(stripped)]
        else:
            _append_line(line[lead:], line_start + lead, out, offs, index)
        prev_heading = heading
        line_start += len(line) + 1
        pending_break_at = line_start - 1
    return CleanText("".join(out), offs, paragraphs)


def _append_line(line: str, base: int, out: list[str], offs: array, index: array) -> None:
    """Append one line (starting at raw offset `base`), dropping its spaces except between ASCII
    words and between two numbers that do not form one thousands-grouped number."""
    parts = _WS_RUN.split(line)  # piece, spaces, piece, ..., piece (the first and last may be empty)
    parts[-1] = parts[-1].rstrip("\r")  # a \r at the very end of the line is dropped with it
    prev = parts[0]  # the piece appended before ("" when none)
    if prev:
        out.append(prev)
        offs += index[base : base + len(prev)]
    pos = base + len(prev)
    pairs = iter(parts)
    next(pairs)
    for spaces, piece in zip(pairs, pairs):  # only the last piece can be empty
        pos += len(spaces)
        if piece:
            if prev:
                left, right = prev[-1], piece[0]
                # (a digit is no ASCII letter: at most one of the two tests can hold)
                if (left in _ASCII_LETTERS and right in _ASCII_LETTERS) or (
                    left.isdigit() and right.isdigit() and not _join_digits(prev, piece)
                ):
                    out.append(" ")
                    offs.append(pos - 1)
            out.append(piece)
            offs += index[pos : pos + len(piece)]
            prev = piece
            pos += len(piece)
