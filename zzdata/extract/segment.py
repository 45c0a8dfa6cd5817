"""Cut a clean text into sections, sentences and clauses.

Sections start at heading lines (`一、…`, `（一）…`, `关键词：…`, markdown headings); bullet
items (`●…`) are blocks of their own; sentences end at 。！？；; clauses end at ，,：. Every
piece keeps its span in the clean text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .clean import BULLETS, is_heading_line

# Sentences end at [。！？；;!?]+, …… or ” directly before “; clauses end at ，：: or at a comma
# that is no thousands separator (not between a digit and three digits). Both kinds are found in
# one scan. Every separator's first character is consumed by the leading class, which lets the
# regex engine skip ahead to candidates instead of trying each alternative at every position;
# the look-behinds then tell which character it was.
_SEPARATOR = re.compile(
    r"""(
    [，：:。！？；;!?…”,]
    (?: (?<=[，：:])                             # a clause end (the most frequent: tried first)
      | (?<=[。！？；;!?]) [。！？；;!?]*           # a run of sentence ends
      | (?<=…) …                               # ……
      | (?<=”) (?=“)                           # ” directly before “
      | (?<=,) (?: (?!\d{3}) | (?<!\d,) )       # a comma, unless between a digit and three digits
    ))""",
    re.VERBOSE,
)
_CLAUSE_ENDS = frozenset("，：:,")  # the separators (one character each) that end a clause, not a sentence
_EMPTY = "，,：:。；;！？!? "  # a piece made of these alone is no clause (nor sentence)
_MARKS = frozenset(("……", "”"))  # the separators not made of _EMPTY characters


@dataclass(frozen=True, init=False)
class Clause:
    start: int
    end: int
    text: str
    sentence: int  # running number of the sentence in the document
    section: int  # running number of the section
    block: int  # running number of the block (paragraph, bullet item or heading)

    def __init__(self, start: int, end: int, text: str, sentence: int, section: int, block: int) -> None:
        """What the generated __init__ does, written out: a frozen dataclass's own sets each field
        through object.__setattr__, twice as slow, and a text has hundreds of clauses."""
        fields = self.__dict__
        fields["start"] = start
        fields["end"] = end
        fields["text"] = text
        fields["sentence"] = sentence
        fields["section"] = section
        fields["block"] = block


@dataclass(frozen=True)
class Section:
    number: int
    heading: str  # empty for the text before the first heading
    start: int
    end: int


@lru_cache(maxsize=4)
def segment(text: str) -> tuple[list[Section], list[Clause]]:
    """Sections and clauses of a clean text, in document order (cached: the facts and the
    claims of a text are read from the same segmentation; treat the lists as read-only)."""
    sections: list[Section] = []
    clauses: list[Clause] = []
    sec_no, sec_start, sec_heading = 0, 0, ""
    sentence_no = 0
    block_no = 0
    bs = 0  # where the block starts
    # The blocks: the non-empty parts between hard breaks.
    for block in text.split("\n"):
        if block:
            if is_heading_line(block) and not block.isdigit():
                sections.append(Section(sec_no, sec_heading, sec_start, bs))
                sec_no, sec_start, sec_heading = sec_no + 1, bs, block
            if block[0] in BULLETS:
                sentence_no = _block_clauses(block[1:], bs + 1, sentence_no, sec_no, block_no, clauses)
            else:
                sentence_no = _block_clauses(block, bs, sentence_no, sec_no, block_no, clauses)
            block_no += 1
        bs += len(block) + 1
    sections.append(Section(sec_no, sec_heading, sec_start, len(text)))
    return sections, clauses


def _block_clauses(
    body: str, start: int, sentence_no: int, sec_no: int, block_no: int, clauses: list[Clause]
) -> int:
    """Append the clauses of a block's body (starting at offset `start`) to `clauses`; return the
    sentence count after them.

    Sentences end at a sentence separator and clauses at a clause separator, each separator staying
    with the piece on its left; a separator right at the start of a piece is dropped, and a piece of
    punctuation alone is no clause. A sentence counts when it holds a clause, which is exactly when
    it is not punctuation alone (a dropped separator is itself punctuation).
    """
    # Split on its own, the body has the separators it has inside the whole text: at its edges the
    # look-arounds would see a break or a bullet, which is neither a digit nor “.
    parts = _SEPARATOR.split(body)  # piece, separator, piece, ..., piece
    parts.append("")  # the end of the block ends its last sentence
    pieces = iter(parts)  # zipped with itself below, it yields consecutive pairs
    append = clauses.append
    sentence = sentence_no + 1  # number of the current sentence
    in_sentence = False  # whether a piece of the current sentence came before
    has_clause = False  # whether the current sentence holds a clause
    pos = start  # where the next piece starts
    for piece, sep in zip(pieces, pieces):  # (piece, the separator after it)
        end = pos + len(piece) + len(sep)
        # Punctuation alone is no clause; nor is a separator that opens a sentence. Every separator
        # but …… and ” is punctuation, so only the piece needs stripping (strip() returns the piece
        # itself when there is nothing to strip, where stripping piece + sep would copy it).
        if piece.strip(_EMPTY) or (sep in _MARKS and (piece or in_sentence)):
            append(Clause(pos, end, piece + sep, sentence, sec_no, block_no))
            has_clause = True
        if sep in _CLAUSE_ENDS:
            in_sentence = True
        else:  # a sentence separator, or the end of the block, ends the sentence
            if has_clause:
                sentence += 1
                has_clause = False
            in_sentence = False
        pos = end
    return sentence - 1
