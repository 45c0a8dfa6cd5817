"""Character forms shared by reading and extraction: what a CJK character is, full-width forms
to ASCII, and Traditional characters read as Simplified.

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
from functools import lru_cache
from importlib import resources

# One-to-one character mapping (so offsets stay exact): full-width forms to ASCII.
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"％": "%", "﹪": "%", "．": ".", "～": "~", "〜": "~", "＋": "+", "－": "-", "×": "×"})
_TRANSLATE = str.maketrans(_FULLWIDTH)
TRADITIONAL_SHARE = 0.05  # share of a text's distinct CJK characters that makes it Traditional
CJK_CHAR = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")  # a CJK character (unified ideographs, extension A)


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


@lru_cache(maxsize=None)
def _traditional_class() -> str:
    """Regex class body of every character that could be a Traditional-only form.

    The table's characters beyond the BMP are folded into one range: listed one by one they would
    turn the class from a bitmap lookup into a linear test per character.
    """
    bmp = "".join(re.escape(ch) for ch in sorted(traditional_table()) if ch <= "\uffff")
    return f"{bmp}\U00010000-\U0010ffff"


@lru_cache(maxsize=None)
def _maybe_traditional() -> re.Pattern:
    """Any character that could be a Traditional-only form: without one, a text is Simplified and
    is_traditional() need not count the distinct characters of the whole text."""
    return re.compile(f"[{_traditional_class()}]")


def is_traditional(text: str) -> bool:
    """True when the text is written in Traditional characters (see the module doc)."""
    if not _maybe_traditional().search(text):
        return False  # the usual case, found without building the set of the text's characters
    chars = set(text)
    trad = chars.intersection(traditional_table())
    if not trad:
        return False
    cjk = len(CJK_CHAR.findall("".join(chars)))
    return len(trad) >= TRADITIONAL_SHARE * max(cjk, 1)


def to_simplified(text: str) -> str:
    """Traditional characters to Simplified ones, one for one (offsets do not move)."""
    return text.translate(_translate_traditional())


_FULLWIDTH_CLASS = "".join(re.escape(ch) for ch in _FULLWIDTH)
_FULLWIDTH_RE = re.compile(f"[{_FULLWIDTH_CLASS}]")


@lru_cache(maxsize=None)
def _normalise_scan() -> re.Pattern:
    """Any character normalise() has to look at: a full-width one or a possible Traditional one."""
    return re.compile(f"[{_traditional_class()}{_FULLWIDTH_CLASS}]")


def normalise(raw: str) -> str:
    """The character forms the pipeline matches on: half-width digits and signs, and Simplified
    characters when the text is Traditional. One character for one, so offsets do not move."""
    # One scan finds both the full-width characters (few) and any possible Traditional one (none in
    # a Simplified text), where is_traditional() and a substitution would each scan the whole text.
    pieces: list[str] = []
    done = 0  # raw[:done] is in pieces
    for m in _normalise_scan().finditer(raw):
        ch = m[0]
        half = _FULLWIDTH.get(ch)
        if half is None or ch in traditional_table():  # a possible Traditional character
            if is_traditional(raw):
                return raw.translate(_translate_traditional())
            return _FULLWIDTH_RE.sub(lambda m: _FULLWIDTH[m[0]], raw)
        pieces += raw[done : m.start()], half
        done = m.end()
    if not pieces:
        return raw
    pieces.append(raw[done:])
    return "".join(pieces)
