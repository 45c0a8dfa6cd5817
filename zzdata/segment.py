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

_SENTENCE_END = re.compile(r"[。！？；;!?]+|……|”(?=“)")
_CLAUSE_END = re.compile(r"[，：:]|,(?!\d{3})|(?<!\d),")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str
    sentence: int  # running number of the sentence in the document
    section: int  # running number of the section
    block: int  # running number of the block (paragraph, bullet item or heading)


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
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return [(s, e) for s, e in spans if e > s]


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
        body_start = bs + 1 if block[0] in BULLETS else bs
        for ss, se in _spans(text, body_start, be, _SENTENCE_END):
            sentence_no += 1
            for cs, ce in _spans(text, ss, se, _CLAUSE_END):
                clauses.append(Clause(cs, ce, text[cs:ce], sentence_no, sec_no, block_no))
    sections.append(Section(sec_no, sec_heading, sec_start, len(text)))
    return sections, clauses


def _spans(text: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Split text[start:end] at pattern matches, the separator staying with the left piece."""
    out, pos = [], start
    for m in pattern.finditer(text, start, end):
        if m.end() > pos and m.start() > pos:
            out.append((pos, m.end()))
        pos = max(pos, m.end())
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip("，,：:。；;！？!? ")]
