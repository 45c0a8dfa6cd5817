"""From a quantity of a clause to a fact, in small steps: each refines a draft of the fact (its
measure, label and indicator, rank, theme, status, region) from what the clause fixes for all its
figures (`ClauseReading`: mode, period, the lists of `分别` and carried subjects) and the words around
the number. `extract.facts` walks the document and calls them in the order of `STEPS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from re import Pattern

from ..core import catalog, periods, vocab
from . import framing, labels, rank_labels, timing
from .quantities import Quantity
from .segment import Clause


@dataclass(slots=True)
class ClauseReading:
    """What one clause fixes for every figure in it, read once: the section's and the sentence's cues
    (mode, period), the clause's lists (`A、B分别达到x、y`, a list carried from before), where a region's
    name can start; and what the figures read so far leave (`prev_end`, the first rank's words)."""

    doc: object  # facts._Doc
    clause: Clause
    qs: list[Quantity]
    sent: object  # facts._SentenceState
    heading: str
    section: str
    n_prior: int  # the sentence's figures before this clause
    pairs: list[str] | None
    carried: list[dict] | None
    n_ranks: int
    mode: str
    period: str
    year: int | None
    multi_year: bool
    preliminary: bool
    cumulative: Pattern | None
    region_from: int  # the first place that can begin a region's name: a span ending before it names none
    prev_end: int  # where the words of the next figure start
    rank_before: str | None = None  # the words before the clause's first rank, read for every rank of it
    rank_index: int = 0
    listed: list[str] | None = None  # regions named earlier in the sentence, read when needed
    theme: str | None = None  # the theme the clause and its heading name, read when needed


@dataclass(slots=True)
class Draft:
    """One figure on its way to a fact."""

    i: int
    q: Quantity
    span: str  # the words since the figure before (or the clause's start) up to the number's qualifier word
    span_from_clause: str
    span_end: int
    noun: str  # the noun right after the number
    prev_fact: dict | None  # the figure before in the sentence
    measure: str = "level"
    sign: int = 1
    base: str | None = None  # `由2015年的2.3%`: the period of a baseline
    label: str = ""
    indicator: str | None = None
    rank_group: str = ""
    theme: str = ""
    status: str = "actual"
    region: str = ""
    region_level: str = ""


def read_clause(doc, clause: Clause, qs: list[Quantity], sec, sent, heading: str, section: str) -> ClauseReading:
    """What the clause fixes for its figures. The clause's cues were read into `sec` and `sent` before
    it; none changes while its figures are read."""
    text, n_qs = doc.text, len(qs)
    pairs = labels.respectively(text, clause, qs) if n_qs > 1 else None
    carried = labels.carried_over(text, clause, qs, sent.facts) if pairs is None and n_qs > 1 else None
    mode = "target" if (sec.mode == "target" or sent.target) else "actual"
    period = sent.clause_period or sent.period or sec.period or doc.default_period[mode]
    m = doc.region_starts.search(text, clause.start, clause.end)
    return ClauseReading(
        doc, clause, qs, sent, heading, section, len(sent.facts), pairs, carried,
        sum(1 for q in qs if q.kind == "rank"), mode, period, periods.last_year(period), periods.is_multi_year(period),
        sent.preliminary or periods.is_part_year(period),
        None if sent.within_year else doc.cumulative,  # a one-year running total is no cumulative
        m.start() if m else clause.end, clause.start)


def draft(c: ClauseReading, i: int) -> Draft:
    """The i-th figure of the clause with the words around it: before it (since the figure before, and
    since the clause's start) and the noun after it, up to a figure in words right after
    (`600亿元【两个】台阶`) or the clause's end."""
    text, q, qs = c.doc.text, c.qs[i], c.qs
    span_end = q.start - len(q.lead)  # the words before the number end at its qualifier word
    nxt = qs[i + 1] if i + 1 < len(qs) else None
    window_end = (q.end if nxt and nxt.start == q.end and not nxt.number[:1].isdigit()
                  else min(q.end + labels.AFTER_LIMIT, c.clause.end))
    facts = c.sent.facts
    return Draft(i, q, text[c.prev_end:span_end], text[c.clause.start:span_end], span_end,
                 labels.after_window(text[q.end:window_end]), facts[-1] if facts else None)


def measure_step(c: ClauseReading, d: Draft) -> None:
    """Level, growth, share, change, rank or multiple, and the sign; after a connector only (`、`, `和`) a
    figure of the same unit measures what the one before does; `由2015年的2.3%`: a baseline's period."""
    d.measure, d.sign = labels.measure_of(d.span, d.q, c.clause.end, c.doc)
    prev = d.prev_fact
    if d.i and prev["unit"] == d.q.unit and labels.CONNECTOR_ONLY.match(d.span) is not None:
        d.measure, d.sign = prev["measure"], (-1 if prev["value"] < 0 else 1)
    if "年的" in d.span:
        d.base = timing.baseline(d.span, d.measure)


def label_step(c: ClauseReading, d: Draft) -> None:
    """Label and indicator: the clause's list (`A、B分别达到x、y`), a list carried from before
    (`…，增长4.1%、6.3%`), else the words around the figure (`labels.label_of`; ranks: `rank_step`)."""
    if c.pairs is not None:
        d.label = c.pairs[d.i]
        hit = catalog.match_indicator(d.label, d.q.unit, d.measure)
        d.indicator = hit[0] if hit else None
    elif c.carried is not None:
        d.label, d.indicator = c.carried[d.i]["label"], c.carried[d.i]["indicator"] or None
    elif d.measure != "rank":
        d.label, d.indicator = labels.label_of(labels.Reading(
            c.doc, c.sent, d.q, d.span, d.span_from_clause, d.noun, d.measure, d.prev_fact, len(c.qs), d.i, c.n_prior))


def rank_step(c: ClauseReading, d: Draft) -> None:
    """A rank's label, indicator and group: what is ranked and among whom (`rank_labels.rank_label`)."""
    if d.measure != "rank":
        return
    if c.rank_before is None:
        c.rank_before = d.span_from_clause
    d.label, d.indicator, d.rank_group = rank_labels.rank_label(
        rank_labels.rank_parts(c.rank_before), d.prev_fact, c.doc.text[c.sent.start : c.clause.start], c.n_ranks,
        c.rank_index)
    c.rank_index += 1
    if d.q.qualifier in ("top", "bottom"):  # a list: `跻身中国城市综合竞争力20强`, `、荣膺全球营商环境友好城市100强`
        listed = rank_labels.list_label(d.span, d.q.value_text)
        if listed:
            d.label = listed


def indicator_step(c: ClauseReading, d: Draft) -> None:
    """The catalog's name and theme of the indicator; without one, the theme the label, else the clause
    and its heading name. (`税收占全市比重` keeps its words: the share, not the indicator's level.)"""
    if d.indicator:
        ind = c.doc.indicators[d.indicator]
        if d.measure != "rank" and not (d.measure == "share" and labels.is_share_of_whole(d.label)):
            d.label = ind.name_zh
        d.theme = ind.theme
        return
    theme = catalog.theme_in(d.label)
    if theme is None:
        if c.theme is None:
            c.theme = clause_theme(c.doc, c.clause.text, c.heading)
        theme = c.theme
    d.theme = theme


def status_step(c: ClauseReading, d: Draft) -> None:
    """`target` in a plan, `cumulative` for a level over several years or with a cumulative cue, else `actual`."""
    if c.mode == "target":
        d.status = "target"
    elif d.measure in ("level", "change") and ((c.multi_year and d.base is None) or (
            c.cumulative is not None and c.cumulative.search(d.span_from_clause))):
        d.status = "cumulative"
    else:
        d.status = "actual"


def region_step(c: ClauseReading, d: Draft) -> None:
    """The document's region unless the clause's subject is another (`framing.subject_regions`): regions
    listed as the subject of as many figures take one each (`高新区、经开区…居第18位、第22位`), and
    `巩义、中牟登榜…，分别居第78位、第96位` takes those named earlier in the sentence."""
    doc, n_qs = c.doc, len(c.qs)
    doc_region = doc.meta.region
    region = doc_region
    subjects = framing.subject_regions(d.span_from_clause) if d.span_end > c.region_from else ()
    named = (subjects[d.i] if len(subjects) == n_qs > 1 else subjects[-1]) if subjects else None
    if named and named != doc_region:
        region = named
    elif d.span_from_clause.startswith("分别"):
        if c.listed is None:
            c.listed = [r for r in catalog.find_regions(doc.text[c.sent.start : c.clause.start]) if r != doc_region]
        if len(c.listed) == n_qs:
            region = c.listed[d.i]
    d.region = region
    if region == doc_region:
        d.region_level = doc.region_level
    else:
        d.region_level = doc.regions[region].level if region in doc.regions else doc.meta.region_level


#: The steps from a draft to a fact, in order (each reads what the ones before it settled).
STEPS = (measure_step, label_step, rank_step, indicator_step, status_step, region_step)


def row(c: ClauseReading, d: Draft) -> dict:
    """The fact as a row of facts.csv (plus what the extraction keeps: snippet, section)."""
    doc, q = c.doc, d.q
    raw_start, raw_end = doc.offsets[q.start], doc.offsets[q.end - 1] + 1  # CleanText.raw_span, inlined
    base = d.base
    return {
        "fact_id": doc.fact_id + str(raw_start),
        "doc": doc.meta.file,
        "region": d.region,
        "region_level": d.region_level,
        "period": base or c.period,
        "year": periods.last_year(base) if base else c.year,
        "status": d.status,
        "indicator": d.indicator or "",
        "label": d.label,
        "measure": d.measure,
        "value": d.sign * q.value,
        "unit": q.unit,
        "value_text": q.value_text,
        "qualifier": q.qualifier,
        "threshold": q.threshold,
        "preliminary": c.preliminary and base is None,
        "theme": d.theme,
        "section": c.section,
        "snippet": c.clause.text,
        "start": raw_start,
        "end": raw_end,
        "rank_group": d.rank_group,
    }


def advance(c: ClauseReading, d: Draft) -> None:
    """Where the next figure's words start: after this number, or after its noun when a connector follows
    it (`3363班次标准列、增长18.2%`: the noun belongs to the figure before)."""
    text, end, noun = c.doc.text, d.q.end, d.noun
    c.prev_end = end
    if noun and text.startswith(noun, end) and text[end + len(noun) : end + len(noun) + 1] in labels.CONNECTORS:
        c.prev_end = end + len(noun)


def clause_theme(doc, ctext: str, heading: str) -> str:
    """`catalog.theme_of(ctext, heading)`, the heading's theme read once per document."""
    theme = catalog.theme_in(ctext)
    if theme is not None:
        return theme
    if heading not in doc.heading_themes:
        doc.heading_themes[heading] = catalog.theme_in(heading)
    theme = doc.heading_themes[heading]
    return vocab.DEFAULT_THEME if theme is None else theme
