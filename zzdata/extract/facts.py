"""From clauses to facts: decide what each quantity measures, when, where and in what status.

The rules read only the text's own cues (headings, 力争/确保, 累计, 2018年以来, 1~11月 ...) and
the manifest (region, review year, target year); none depends on a particular file's
wording or position. Cue words, units, indicators and regions come from `zzdata/data/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ..core import catalog, periods, schema, vocab
from .clean import CleanText, clean
from .numbers import all_quantities
from .quantities import Quantity
from . import framing, labels, timing
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


#: Marks that join two sentences into one statement: a period opening the first holds in the second.
_JOINING = ("；", ";")


class _SentenceState:
    """What the sentence read so far says about the figures that follow in it."""

    __slots__ = ("number", "start", "period", "preliminary", "target", "within_year", "facts", "end_mark", "carried")

    def __init__(self, number: int = -1, start: int = 0, carried: dict | None = None) -> None:
        self.number = number
        self.start = start
        self.period: str | None = None
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


def extract_document(meta: DocMeta, raw: str) -> list[dict]:
    """Every fact of one raw text, as dicts with the FACT_COLUMNS (plus `sentence`)."""
    ct = clean(raw)
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
    if catalog.has_cue(heading, "review_heading"):
        mode = "actual"
    elif catalog.has_cue(heading, "target_heading"):
        mode = "target"
    period = parent.period
    m = _HEADING_YEAR.search(heading)
    if m:
        period = m.group(1)
    return _SectionState(level, mode, period)


def _sentence_ends(clauses: list[Clause]) -> dict[int, int]:
    """Sentence number -> clean offset where the sentence ends."""
    return {c.sentence: c.end for c in clauses}


def _facts(meta: DocMeta, ct: CleanText, sections: list[Section], clauses: list[Clause], quantities: list[Quantity]) -> list[dict]:
    doc = _Doc(meta, ct)
    headings = {s.number: s.heading for s in sections}
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
    lead: tuple[int, str] | None = None  # (block, period): a sentence opened by a part of a year alone
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
        if clause.sentence != sent.number:
            # `1—11月，A增长5%；B完成9亿元。`: a part of a year that opens a sentence on its own holds
            # over the sentences joined to it by ；, up to the 。 (in the same paragraph).
            joined = lead is not None and lead[0] == clause.block and sent.end_mark in _JOINING
            carried = sent.facts[-1] if sent.facts and sent_block == clause.block else None
            sent = _SentenceState(number=clause.sentence, start=clause.start, carried=carried)
            sent_block = clause.block
            if joined:
                sent.period = lead[1]
            else:
                lead = None
        sent.end_mark = clause.text[-1:]
        ctext = clause.text
        # Section-wide cues: `2018年以来`, `五年来` open a multi-year review until the next heading.
        dated = "年" in ctext or "月" in ctext or "季度" in ctext
        since = timing.since_period(ctext, meta) if dated else None
        if since and since[1] == "section":
            sec.period = since[0]
        while qi < n_q and quantities[qi].start < clause.start:
            qi += 1
        if qi == n_q or quantities[qi].start >= sentence_end[clause.sentence]:
            continue  # no figure left in this sentence: its sentence-wide cues cannot matter
        # Sentence-wide cues, from where they stand to the end of the sentence.
        part = timing.partial_period(ctext, meta) if dated else None
        if part:
            sent.period = part
            alone = clause.start == sent.start and (qi == n_q or quantities[qi].start >= clause.end)
            lead = (clause.block, part) if alone else None
        elif since and since[1] == "sentence":
            sent.period = since[0]
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
    """One fact per quantity of the clause, appended to `facts` and `sent.facts`. What the section's and
    the sentence's cues fix (mode, period, year) is read once for the clause, not per figure."""
    if not qs:
        return
    meta, text, offsets, regions = doc.meta, doc.text, doc.offsets, doc.regions
    cstart, cend = clause.start, clause.end
    n_qs = len(qs)
    pairs = labels.respectively(text, clause, qs) if n_qs > 1 else None
    sent_facts = sent.facts
    n_prior = len(sent_facts)  # the sentence's figures before this clause
    carried = labels.carried_over(text, clause, qs, sent_facts) if pairs is None and n_qs > 1 else None
    n_ranks = sum(1 for q in qs if q.kind == "rank")
    rank_before = None  # the words before the clause's first rank, read for every rank of the clause
    rank_index = 0
    listed: list[str] | None = None  # regions named earlier in the sentence, read when needed
    # Period and status: the clause's cues are read into `sec` and `sent` before it; none changes here.
    mode = "target" if (sec.mode == "target" or sent.target) else "actual"
    period = sent.period or sec.period or doc.default_period[mode]
    year = periods.last_year(period)
    multi_year = periods.is_multi_year(period)
    preliminary = sent.preliminary or periods.is_part_year(period)
    cumulative = None if sent.within_year else doc.cumulative  # a one-year running total is no cumulative
    # The first place that can begin a region's name: a span ending before it names no region.
    m = doc.region_starts.search(text, cstart, cend)
    region_from = m.start() if m else cend
    doc_region, doc_level = meta.region, doc.region_level
    match_indicator, theme_in, find_regions = catalog.match_indicator, catalog.theme_in, framing.subject_regions
    prev_end = cstart
    clause_theme = None  # the theme the clause and its heading name, for figures whose label names none
    for i, q in enumerate(qs):
        q_end = q.end
        span_end = q.start - len(q.lead)  # the words before the number end at its qualifier word
        span = text[prev_end:span_end]
        span_from_clause = text[cstart:span_end]
        measure, sign = labels.measure_of(span, q, cend, doc)
        base = timing.baseline(span, measure) if "年的" in span else None  # `由2015年的2.3%`: that year's
        nxt = qs[i + 1] if i + 1 < n_qs else None  # a figure in words right after (`600亿元【两个】台阶`) ends the window
        window_end = (q_end if nxt and nxt.start == q_end and not nxt.number[:1].isdigit()
                      else min(q_end + labels.AFTER_LIMIT, cend))
        noun = labels.after_window(text[q_end : window_end])  # `…140个【工程技术研究中心】和…`
        prev_fact = sent_facts[-1] if sent_facts else None
        # After a connector only (`、`, `和`) a figure of the same unit measures what the one before does.
        if i and prev_fact["unit"] == q.unit and labels.CONNECTOR_ONLY.match(span) is not None:
            measure, sign = prev_fact["measure"], (-1 if prev_fact["value"] < 0 else 1)
        # Label and indicator.
        if pairs is not None:
            label = pairs[i]
            hit = match_indicator(label, q.unit, measure)
            indicator = hit[0] if hit else None
        elif carried is not None:  # `…分别达到38500元、19800元，增长4.1%、6.3%`
            label, indicator = carried[i]["label"], carried[i]["indicator"] or None
        elif measure != "rank":
            label, indicator = labels.label_of(labels.Reading(doc, sent, q, span, span_from_clause, noun, measure,
                                                              prev_fact, n_qs, i, n_prior))
        rank_group = ""
        if measure == "rank":
            if rank_before is None:
                rank_before = span_from_clause
            label, indicator, rank_group = labels.rank_label(
                labels.rank_parts(rank_before), prev_fact, text[sent.start : cstart], n_ranks, rank_index)
            rank_index += 1
        if indicator:
            ind = doc.indicators[indicator]
            if measure != "rank" and not (measure == "share" and labels.is_share_of_whole(label)):
                label = ind.name_zh  # (`税收占全市比重` keeps its words: the share, not the indicator's level)
            theme = ind.theme
        else:
            theme = theme_in(label)
            if theme is None:
                if clause_theme is None:
                    clause_theme = _clause_theme(doc, clause.text, heading)
                theme = clause_theme
        if mode == "target":
            status = "target"
        elif measure in ("level", "change") and ((multi_year and base is None) or (
                cumulative is not None and cumulative.search(span_from_clause))):
            status = "cumulative"
        else:
            status = "actual"
        region = doc_region
        subjects = find_regions(span_from_clause) if span_end > region_from else ()
        named = None
        if subjects:  # `高新区、经开区…居第18位、第22位`: one region per figure, in order; else the last named
            named = subjects[i] if len(subjects) == n_qs > 1 else subjects[-1]
        if named and named != doc_region:
            region = named
        elif span_from_clause.startswith("分别"):
            if listed is None:
                listed = [r for r in catalog.find_regions(text[sent.start : cstart]) if r != doc_region]
            if len(listed) == n_qs:
                region = listed[i]  # `巩义、中牟登榜…，分别居第78位、第96位`
        if region == doc_region:
            region_level = doc_level
        else:
            region_level = regions[region].level if region in regions else meta.region_level
        raw_start, raw_end = offsets[q.start], offsets[q_end - 1] + 1  # CleanText.raw_span, inlined
        fact = {
            "fact_id": doc.fact_id + str(raw_start),
            "doc": meta.file,
            "region": region,
            "region_level": region_level,
            "period": base or period,
            "year": periods.last_year(base) if base else year,
            "status": status,
            "indicator": indicator or "",
            "label": label,
            "measure": measure,
            "value": sign * q.value,
            "unit": q.unit,
            "value_text": q.value_text,
            "qualifier": q.qualifier,
            "threshold": q.threshold,
            "preliminary": preliminary and base is None,
            "theme": theme,
            "section": section,
            "snippet": clause.text,
            "start": raw_start,
            "end": raw_end,
            "rank_group": rank_group,
        }
        facts.append(fact)
        sent_facts.append(fact)
        prev_end = q_end
        if noun and text.startswith(noun, q_end) and text[q_end + len(noun) : q_end + len(noun) + 1] in labels.CONNECTORS:
            prev_end = q_end + len(noun)  # `3363班次标准列、增长18.2%`: the noun belongs to the figure before


def _clause_theme(doc: _Doc, ctext: str, heading: str) -> str:
    """`catalog.theme_of(ctext, heading)`, the heading's theme read once per document."""
    theme = catalog.theme_in(ctext)
    if theme is not None:
        return theme
    if heading not in doc.heading_themes:
        doc.heading_themes[heading] = catalog.theme_in(heading)
    theme = doc.heading_themes[heading]
    return vocab.DEFAULT_THEME if theme is None else theme
