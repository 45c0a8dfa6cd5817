"""From clauses to facts: decide what each quantity measures, when, where and in what status.

The rules read only the text's own cues (headings, 力争/确保, 累计, 2018年以来, 1~11月 ...) and
the manifest (region, review year, target year); none depends on a particular file's
wording or position. Cue words, units, indicators and regions come from `zzdata/data/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ..core import catalog, periods, schema
from .clean import CleanText, clean
from .numbers import all_quantities
from .quantities import Quantity
from . import steps, timing
from .segment import Clause, Section, segment

FACT_COLUMNS = schema.columns("facts")  # data/columns.csv


class DocMeta(Protocol):
    """What the extraction reads of a document's manifest row (``ingest.manifest.Source`` is one)."""

    file: str
    region: str
    region_level: str
    review_year: int | None
    target_year: int | None
    doc_type: str
    delivered: str


_HEADING_YEAR = re.compile(r"(\d{4})年")


def _heading_level(heading: str) -> int:
    if heading.startswith("#"):
        return len(heading) - len(heading.lstrip("#"))
    if re.match(r"[一二三四五六七八九十]{1,3}、", heading) or heading.startswith(("关键词", "第")):
        return 1
    return 2


@dataclass(slots=True)
class _SectionState:
    level: int
    mode: str  # actual or target
    period: str | None  # None: the document's default
    # A heading above says what the text is about (a year, a review, a plan): a span of years in it
    # reaches no further than its paragraph (`timing.since_reach`).
    dated: bool = False


#: Marks that join two sentences into one statement: a period opening the first holds in the second.
_JOINING = ("；", ";")


class _SentenceState:
    """What the sentence read so far says about the figures that follow in it."""

    __slots__ = ("number", "start", "period", "clause_period", "preliminary", "target", "within_year", "facts",
                 "end_mark", "carried", "opens_paragraph")

    def __init__(self, number: int = -1, start: int = 0, carried: dict | None = None) -> None:
        self.number = number
        self.start = start
        self.period: str | None = None
        self.clause_period: str | None = None  # a span of years named inside the current clause only
        self.opens_paragraph = False  # the sentence is its paragraph's first
        self.preliminary = False
        self.target = False
        self.within_year = False  # `今年以来…累计`, `全年累计`: a running total of one year
        self.facts: list[dict] = []
        self.end_mark = ""  # the last character of the sentence's latest clause (。 ； …)
        # The last figure of the sentence before in the same paragraph: a sentence with no subject of its
        # own (`2016年达到了33.5亿元`) measures what it measured.
        self.carried = carried


class _Doc:
    """What every clause of one document reads: looked up once per document, not once per figure."""

    __slots__ = ("meta", "text", "offsets", "fact_id", "region_level", "default_period", "decline", "growth", "change",
                 "verb_first", "continuation", "cumulative",
                 "region_starts", "regions", "indicators", "heading_themes")

    def __init__(self, meta: DocMeta, ct: CleanText) -> None:
        self.meta = meta
        self.text = ct.text
        self.offsets = ct.offsets
        self.fact_id = meta.file + ":"  # a fact's id is this and its raw offset
        self.regions = catalog.regions()
        # The level of the document's own region, that of most facts.
        self.region_level = self.regions[meta.region].level if meta.region in self.regions else meta.region_level
        self.default_period = {mode: _default_period(meta, mode) for mode in ("actual", "target")}
        cues = catalog.cues()
        self.decline, self.growth, self.change = (cues.get(k, ()) for k in ("decline", "growth", "change"))
        self.verb_first = cues.get("verb_first", ())
        self.continuation = frozenset(cues.get("continuation", ()))  # a label that is itself one of these words
        self.cumulative = catalog.cue_re("cumulative")
        self.region_starts = catalog.region_starts()
        self.indicators = catalog.indicators()
        self.heading_themes: dict[str, str | None] = {}  # heading -> its theme (headings repeat per clause)


def extract_document(meta: DocMeta, raw: str | CleanText) -> list[dict]:
    """Every fact of one text, as dicts with the FACT_COLUMNS (plus `sentence`); `raw` is the raw
    text or its clean text when the caller has it already (`extract.document.read_document`)."""
    ct = raw if isinstance(raw, CleanText) else clean(raw)
    sections, clauses = segment(ct.text)
    quantities = all_quantities(ct.text)
    return _facts(meta, ct, sections, clauses, quantities)


def _doc_mode(meta: DocMeta) -> str:
    return "target" if meta.target_year and not meta.review_year else "actual"


def _default_period(meta: DocMeta, mode: str) -> str:
    year = meta.target_year if mode == "target" else meta.review_year
    year = year or meta.review_year or meta.target_year
    return periods.year(year) if year else ""


def _section_state(heading: str, level: int, parent: _SectionState) -> _SectionState:
    """The state a section opened by `heading` (at `level`) starts with: a review heading means
    figures, a target heading (that is no review heading) targets, else the parent's mode."""
    mode = parent.mode
    review, plan = catalog.has_cue(heading, "review_heading"), catalog.has_cue(heading, "target_heading")
    if review:
        mode = "actual"
    elif plan:
        mode = "target"
    period = parent.period
    m = _HEADING_YEAR.search(heading)
    if m:
        period = m.group(1)
    dated = parent.dated or review or plan or m is not None
    return _SectionState(level, mode, period, dated)


def _sentence_ends(clauses: list[Clause]) -> dict[int, int]:
    """Sentence number -> clean offset where the sentence ends."""
    return {c.sentence: c.end for c in clauses}


def _facts(meta: DocMeta, ct: CleanText, sections: list[Section], clauses: list[Clause], quantities: list[Quantity]) -> list[dict]:
    doc = _Doc(meta, ct)
    headings = {s.number: s.heading for s in sections}
    heading_ends = {s.number: s.start + len(s.heading) for s in sections}  # a clause before it is in the heading
    heading = headings.get(0, "")
    section = heading.lstrip("# ")
    root = _SectionState(0, _doc_mode(meta), None)
    stack = [root, _SectionState(99, root.mode, None)]  # the text before the first heading
    current_section = 0
    sent = _SentenceState()
    facts: list[dict] = []
    sentence_end = _sentence_ends(clauses)
    target_cue, within_cue, prelim_cue = (catalog.cue_re(k) for k in ("target", "within_year", "preliminary"))
    any_cue = catalog.any_cue_re(("target", "within_year", "preliminary"))  # one search rules out all three
    n_q, qi = len(quantities), 0
    lead: tuple[int, str] | None = None  # (block, period): a sentence opened by a part of a year or a span alone
    paragraph: tuple[int, str] | None = None  # (paragraph, period): a period that holds to the paragraph's end
    paragraph_starts, pi = ct.paragraphs, 0  # pi: the paragraph of the clause
    sent_block = -1  # the block (paragraph) of the sentence `sent`
    for clause in clauses:
        if clause.section != current_section:
            current_section = clause.section
            heading = headings.get(clause.section, "")
            section = heading.lstrip("# ")
            level = _heading_level(heading)
            while len(stack) > 1 and stack[-1].level >= level:
                stack.pop()
            stack.append(_section_state(heading, level, stack[-1]))
        sec = stack[-1]
        while pi + 1 < len(paragraph_starts) and paragraph_starts[pi + 1] <= clause.start:
            pi += 1
        if clause.sentence != sent.number:
            # `1—11月，A增长5%；B完成9亿元。`: a part of a year that opens a sentence on its own holds
            # over the sentences joined to it by ；, up to the 。 (in the same paragraph).
            joined = lead is not None and lead[0] == clause.block and sent.end_mark in _JOINING
            carried = sent.facts[-1] if sent.facts and sent_block == clause.block else None
            sent = _SentenceState(number=clause.sentence, start=clause.start, carried=carried)
            sent.opens_paragraph = clause.start <= paragraph_starts[pi]
            sent_block = clause.block
            if joined:
                sent.period = lead[1]
            else:
                lead = None
                if paragraph is not None and paragraph[0] == pi:
                    sent.period = paragraph[1]
        sent.end_mark = clause.text[-1:]
        sent.clause_period = None
        ctext = clause.text
        while qi < n_q and quantities[qi].start < clause.start:
            qi += 1
        alone = qi == n_q or quantities[qi].start >= clause.end  # the clause holds no figure
        opens = clause.start == sent.start  # the clause opens its sentence
        # A span of years (`2018年以来`, `五年来`, `三年累计`) reaches as far as timing.since_reach says:
        # a heading's its section, a review opening a sentence the paragraph, another span its sentence.
        dated = "年" in ctext or "月" in ctext or "季度" in ctext
        since = timing.since_period(ctext, meta) if dated else None
        reach = None
        if since:
            reach = timing.since_reach(since, clause.start < heading_ends[clause.section],
                                       opens and (since.at == 0 or alone), sent.opens_paragraph, sec.dated)
            if reach == "section":
                sec.period = since.period
            elif reach == "paragraph":
                paragraph = (pi, since.period)
        elif dated and opens and alone and sent.opens_paragraph and periods.is_multi_year(sent.period or sec.period or ""):
            # In a review of several years, a paragraph opened by a year alone (`2015年，`) is that year's.
            year = timing.explicit_year(ctext, meta)
            if year:
                paragraph = (pi, year)
        if qi == n_q or quantities[qi].start >= sentence_end[clause.sentence]:
            continue  # no figure left in this sentence: its sentence-wide cues cannot matter
        # Sentence-wide cues, from where they stand to the end of the sentence.
        part = timing.partial_period(ctext, meta) if dated else None
        if part:
            sent.period = part
            lead = (clause.block, part) if opens and alone else None
        elif since and reach == "clause":
            sent.clause_period = since.period
        elif since and reach != "section":
            sent.period = since.period
            if reach == "sentence" and opens and alone:
                lead = (clause.block, since.period)
        else:
            explicit = timing.explicit_year(ctext, meta) if dated else None
            if explicit:
                sent.period = explicit
        if any_cue is not None and any_cue.search(ctext):
            if not sent.target and target_cue is not None and target_cue.search(ctext):
                sent.target = True
            if not sent.within_year and within_cue is not None and within_cue.search(ctext):
                sent.within_year = True
            if not sent.preliminary and prelim_cue is not None and prelim_cue.search(ctext):
                sent.preliminary = True
        first = qi
        while qi < n_q and quantities[qi].start < clause.end:
            qi += 1
        if qi > first:
            _clause_facts(doc, clause, quantities[first:qi], sec, sent, heading, section, facts)
    return facts


def _clause_facts(doc: _Doc, clause: Clause, qs: list[Quantity], sec: _SectionState, sent: _SentenceState,
                  heading: str, section: str, facts: list[dict]) -> None:
    """One fact per quantity of the clause, appended to `facts` and `sent.facts`: what the clause fixes
    (mode, period, lists) is read once (`steps.read_clause`), then each figure's draft goes through
    `steps.STEPS`."""
    if not qs:
        return
    c = steps.read_clause(doc, clause, qs, sec, sent, heading, section)
    for i in range(len(qs)):
        d = steps.draft(c, i)
        for step in steps.STEPS:
            step(c, d)
        fact = steps.row(c, d)
        facts.append(fact)
        sent.facts.append(fact)
        steps.advance(c, d)
