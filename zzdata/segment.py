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
    [。！？；;!?…”，：:,]
    (?: (?<=[。！？；;!?]) [。！？；;!?]*           # a run of sentence ends
      | (?<=…) …                               # ……
      | (?<=”) (?=“)                           # ” directly before “
      | (?<=[，：:])                             # a clause end
      | (?<=,) (?: (?!\d{3}) | (?<!\d,) )       # a comma, unless between a digit and three digits
    ))""",
    re.VERBOSE,
)
_CLAUSE_ENDS = frozenset("，：:,")  # the separators (one character each) that end a clause, not a sentence
_EMPTY = "，,：:。；;！？!? "  # a piece made of these alone is no clause (nor sentence)


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


def blocks(text: str) -> list[tuple[int, int]]:
    """Spans of the hard-break-separated blocks of a clean text."""
    spans, pos = [], 0
    for part in text.split("\n"):
        if part:
            spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


@lru_cache(maxsize=4)
def segment(text: str) -> tuple[list[Section], list[Clause]]:
    """Sections and clauses of a clean text, in document order (cached: the facts and the
    claims of a text are read from the same segmentation; treat the lists as read-only)."""
    sections: list[Section] = []
    clauses: list[Clause] = []
    sec_no, sec_start, sec_heading = 0, 0, ""
    sentence_no = 0
    for block_no, (bs, be) in enumerate(blocks(text)):
        block = text[bs:be]
        if is_heading_line(block) and not block.isdigit():
            sections.append(Section(sec_no, sec_heading, sec_start, bs))
            sec_no, sec_start, sec_heading = sec_no + 1, bs, block
        if block[0] in BULLETS:
            sentence_no = _block_clauses(block[1:], bs + 1, sentence_no, sec_no, block_no, clauses)
        else:
            sentence_no = _block_clauses(block, bs, sentence_no, sec_no, block_no, clauses)
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
    sentence_start = pos = start  # pos: where the next piece starts
    first_clause = len(clauses)  # index of the first clause of the current sentence
    for piece, sep in zip(pieces, pieces):  # (piece, the separator after it)
        piece_start = pos
        pos += len(piece) + len(sep)
        if sep in _CLAUSE_ENDS:
            if piece:  # (else the separator is dropped)
                clause = piece + sep
                if clause.strip(_EMPTY):
                    clauses.append(Clause(piece_start, pos, clause, sentence_no + 1, sec_no, block_no))
            continue
        # A sentence separator, or the end of the block, ends the sentence and its last clause.
        if piece_start == sentence_start and not piece:  # no sentence before this separator
            sentence_start = pos
            continue
        clause = piece + sep
        if clause.strip(_EMPTY):
            clauses.append(Clause(piece_start, pos, clause, sentence_no + 1, sec_no, block_no))
        if len(clauses) > first_clause:
            sentence_no += 1
            first_clause = len(clauses)
        sentence_start = pos
    return sentence_no
