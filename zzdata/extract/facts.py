"""From clauses to facts: decide what each quantity measures, when, where and in what status.

The rules read only the text's own cues (headings, 力争/确保, 累计, 2018年以来, 1~11月 ...) and
the manifest (region, review year, target year); none depends on a particular file's
wording or position. Cue words, units, indicators and regions come from `zzdata/data/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from ..core import catalog, periods, schema
from .clean import CleanText, clean
from .quantities import QUALIFIER_AFTER, Quantity, find_quantities
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


# --- period cues --------------------------------------------------------------------------
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SINCE_YEAR = re.compile(r"(\d{4})年以来")
_YEARS_SINCE = re.compile(r"(?:过去|近)?([一二两三四五六七八九十]|\d{1,2})年(?:来|以来|累计|间)")
_MONTH_RANGE = re.compile(r"(?:(\d{4})年)?(?:1|一)\s*[~～\-—至到]\s*(\d{1,2})月")
_FIRST_MONTHS = re.compile(r"前(\d{1,2}|[一二三四五六七八九十]{1,2})个月")
_QUARTERS = re.compile(r"前([一二三])季度")
_HALF = re.compile(r"上半年")
_UNTIL_DAY = re.compile(r"截至(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_EXPLICIT_YEAR = re.compile(r"(?<![比较与和同])(\d{4})年(?:度)?(?!以来|工作|以前|前|起|底前)")
_HEADING_YEAR = re.compile(r"(\d{4})年")


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN_DIGIT[text[1]]
    return _CN_DIGIT[text]


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


class _SentenceState:
    """What the sentence read so far says about the figures that follow in it."""

    __slots__ = ("number", "start", "period", "preliminary", "target", "within_year", "facts")

    def __init__(self, number: int = -1, start: int = 0) -> None:
        self.number = number
        self.start = start
        self.period: str | None = None
        self.preliminary = False
        self.target = False
        self.within_year = False  # `今年以来…累计`, `全年累计`: a running total of one year
        self.facts: list[dict] = []


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
    quantities = find_quantities(ct.text)
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
            sent = _SentenceState(number=clause.sentence, start=clause.start)
        ctext = clause.text
        # Section-wide cues: `2018年以来`, `五年来` open a multi-year review until the next heading.
        dated = "年" in ctext or "月" in ctext or "季度" in ctext
        since = _since_period(ctext, meta) if dated else None
        if since and since[1] == "section":
            sec.period = since[0]
        while qi < n_q and quantities[qi].start < clause.start:
            qi += 1
        if qi == n_q or quantities[qi].start >= sentence_end[clause.sentence]:
            continue  # no figure left in this sentence: its sentence-wide cues cannot matter
        # Sentence-wide cues, from where they stand to the end of the sentence.
        part = _partial_period(ctext, meta) if dated else None
        if part:
            sent.period = part
        elif since and since[1] == "sentence":
            sent.period = since[0]
        else:
            explicit = _explicit_year(ctext) if dated else None
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


def _since_period(ctext: str, meta: DocMeta) -> tuple[str, str] | None:
    """(period, scope) for `2018年以来` (section), `五年来` (section), `三年累计` (clause)."""
    end_year = meta.review_year or meta.target_year
    if not end_year or "年" not in ctext:
        return None  # both patterns below need 年
    m = _SINCE_YEAR.search(ctext)
    if m and int(m.group(1)) < end_year:
        return periods.years(int(m.group(1)), end_year), "section"
    m = _YEARS_SINCE.search(ctext)
    if m:
        n = _cn_number(m.group(1))
        if 1 < n <= 10:
            scope = "section" if n == 5 and m.group(0).endswith("来") else "sentence"
            return periods.years(end_year - n + 1, end_year), scope
    return None


def _partial_period(ctext: str, meta: DocMeta) -> str | None:
    """A part of a year named in the clause: 截至11月30日, 1-11月, 前三季度, 上半年 …"""
    if "月" not in ctext and "季度" not in ctext and "上半年" not in ctext:
        return None  # every pattern below needs one of these
    year = meta.review_year or meta.target_year
    m = _UNTIL_DAY.search(ctext)
    if m:
        y = int(m.group(1) or year)
        return periods.up_to_day(y, int(m.group(2)), int(m.group(3)))
    m = _MONTH_RANGE.search(ctext)
    if m:
        y = int(m.group(1) or year)
        return periods.months(y, int(m.group(2)))
    m = _FIRST_MONTHS.search(ctext)
    if m and _cn_number(m.group(1)) < 12:
        return periods.months(year, _cn_number(m.group(1)))
    m = _QUARTERS.search(ctext)
    if m:
        return periods.months(year, _cn_number(m.group(1)) * 3)
    if _HALF.search(ctext):
        return periods.months(year, 6)
    return None


def _explicit_year(ctext: str) -> str | None:
    m = _EXPLICIT_YEAR.search(ctext)
    return m.group(1) if m else None


# --- labels, measures, status ---------------------------------------------------------------
_TRAILING_WORDS = (
    "分别", "同比", "比上年", "均", "年均", "累计", "共", "总计", "合计", "已", "全年", "达到", "达", "为", "至", "到",
    "完成", "实现", "增长", "增速", "增幅", "涨幅", "下降", "降幅", "减少", "降低", "提高", "提升", "增加", "保持在",
    "稳定在", "控制在", "保持", "稳定", "控制", "达到了", "有", "是", "在", "了", "的", "其中", "总数", "总量", "规模",
    "以上", "多", "和", "及", "与", "、",
)
_TRAILING = re.compile("(?:" + "|".join(_TRAILING_WORDS) + ")+$")  # words a label never ends with
_QUALIFIERS_AFTER = tuple(QUALIFIER_AFTER)  # 以上, 多, 余, 左右 …: what may follow a number
_LEADING_CHARS = "、，,：:“”\"‘’（）()《》●"
_LEADING_WORDS = (*_QUALIFIERS_AFTER, "和", "及", "与", "并", "其中", "全年", "今年", "同时",
                  "此外", "另外", "共", "累计", "均", "全市", "我市", "全区", "同比", "（下同）")
_LEADING = re.compile(  # what a label never starts with: punctuation, connectives, a year
    "^(?:[" + re.escape(_LEADING_CHARS) + r"\s]|" + "|".join(map(re.escape, _LEADING_WORDS)) + r"|\d{4}年?度?)+")
_PUNCT = dict.fromkeys(map(ord, "“”\"‘’《》「」"))  # quotes and title marks: `str.translate` deletes them
_CONNECTOR_ONLY = re.compile(r"^[、和及与或,，\s]*$")
_GENERIC = {"总数", "总量", "规模", "其中", "分别", "同比", "比上年", "增长", "增速", "全年", "共", "累计", "占比", "比重"}
_AFTER_STOP = re.compile(r"[，。；、,;：:（(\d]|前列|首位|全部|加快|投资|完成|纳入|开工|建成|实现|达到|通过|入选|获|被|落地|签约|交付|参与|覆盖|惠及")


_CONNECTORS = frozenset("、和及与")
_PARENS = re.compile(r"（[^）]*）|\([^)]*\)|^[^（(]*[）)]")
_INNER_VERBS = re.compile(r"(?<=.)(?:累计完成|累计|实现)(?=.)")  # 交易中心累计完成交易额 -> 交易中心交易额
_LEADING_MEASURE = re.compile(r"^[\d.,]+[万亿]?(?:平方米|平方公里|亩|公里|米)的")
_LEADING_QUAL = re.compile("^(?:" + "|".join(_QUALIFIERS_AFTER) + ")")
_LEADING_DE = re.compile(r"^(?:的|个)")
_VERBS_BEFORE = ("了", "达到", "达", "为")
_TRAILING_VERB = re.compile("(?:" + "|".join(_VERBS_BEFORE) + ")$")


def _strip_leading(label: str) -> str:
    """`_LEADING` removed; the cheap test first (most labels start with none of it)."""
    first = label[:1]
    if first and (first in _LEADING_CHARS or first.isspace() or first.isdigit() or label.startswith(_LEADING_WORDS)):
        return _LEADING.sub("", label)
    return label


@lru_cache(maxsize=8192)
def _clean_label(span: str) -> str:
    """The words before a number as a label: no brackets, quotes, leading connectives or
    trailing verbs (`比上年增长`, `达到`). Each pattern runs only where its test says it can match."""
    label = span
    if "（" in label or "(" in label or "）" in label or ")" in label:
        label = _PARENS.sub("", label)
    label = label.translate(_PUNCT)
    if "累计" in label or "实现" in label:
        label = _INNER_VERBS.sub("", label)  # 交易中心累计完成交易额 -> 交易中心交易额
    for _ in range(3):
        before = label
        label = _strip_leading(label)
        if label.endswith(_TRAILING_WORDS) or label[-1:] == "\n" and label[:-1].endswith(_TRAILING_WORDS):
            label = _TRAILING.sub("", label)  # (`$` also matches before a final newline)
        if label == before:
            break
    return label.strip()


@lru_cache(maxsize=8192)
def _own_label(span: str) -> str:
    """The words before a number as a label: period words and connectives removed, and empty
    when only a generic word (总量, 同比 …) is left."""
    if "年" in span or "月" in span or "季度" in span:  # every period word has one of these
        span = _PERIOD_WORDS.sub("", span)
    own = _clean_label(span)
    return "" if own in _GENERIC else own


_AFTER_LIMIT = 14  # the characters after a number read for the noun it counts


@lru_cache(maxsize=4096)
def _after_window(window: str) -> str:
    """The noun phrase at the start of `window`: an area or a qualifier word dropped, cut at the
    first punctuation, digit or verb (each pattern tried only where it can match)."""
    first = window[:1]
    if first.isdecimal() or first in (".", ","):
        window = _LEADING_MEASURE.sub("", window)
    if window.startswith(_QUALIFIERS_AFTER):
        window = _LEADING_QUAL.sub("", window)
    if window.startswith(("的", "个")):
        window = _LEADING_DE.sub("", window)
    window = window.replace("省、市", "省市")
    m = _AFTER_STOP.search(window)
    phrase = window[: m.start()] if m else window
    return phrase.translate(_PUNCT).strip("的")


def _measure(before: str, q: Quantity, clause_end: int, doc: _Doc) -> tuple[str, int]:
    """(measure, sign) from the words right before and after the number (up to 6 characters of
    the clause after it, read only for a % figure without a growth or decline verb)."""
    if q.kind == "rank":
        return "rank", 1
    # The verb right before the number goes (the qualifier word 超, 近 … is already left out).
    lead = _TRAILING_VERB.sub("", before) if before.endswith(_VERBS_BEFORE) or before[-1:] == "\n" else before
    if q.unit == "个百分点":
        sign = -1 if lead.endswith(doc.decline) else 1
        return "change", sign
    if q.unit == "%":
        if lead.endswith(doc.decline):
            return "growth", -1
        if lead.endswith(doc.growth):
            return "growth", 1
        tail = _LEADING_QUAL.sub("", doc.text[q.end : min(clause_end, q.end + 6)])
        if tail.startswith(("增长", "的增长", "增速", "的增速")):
            return "growth", 1
        return "share", 1
    if lead.endswith(doc.change):
        return "change", 1
    if lead.endswith(("减少", "下降")):
        return "change", -1
    return "level", 1


_PERIOD_WORDS = re.compile(r"前\d{1,2}个月|前[一二三]季度|\d{1,2}[~\-]\d{1,2}月|截至\d{1,2}月\d{1,2}日|今年以来|全年|今年|上半年|\d{4}年度?")
_RANK_WORDS = re.compile(r"(?:排名|排在|位居|居|晋升至|晋升|升至|在全国|全国|中)+$")


def _label(doc: _Doc, sent: "_SentenceState", q: Quantity, span: str, span_from_clause: str, noun: str,
           measure: str, prev_fact: dict | None, n_in_clause: int, index: int,
           n_prior: int) -> tuple[str, str | None]:
    """(label, indicator id) of one quantity from the words around it.

    Order of evidence: a catalog alias right before the number; the noun right after the
    number (`新组建140个工程技术研究中心`, `…等84个新基建项目`); the words before it; for a
    label-less rate (`、增长5.7%`, `占…的18.2%`) the subject of the previous figure. `n_prior`:
    how many of `sent.facts` come before the clause.
    """
    own = _own_label(span)
    share_of = None
    if "占" in own and measure == "share":
        share_of = own.split("占", 1)[0]
    if measure == "rank":
        own = _RANK_WORDS.sub("", own)
        own = re.sub(r"^(?:居|位居|在)", "", own)
    # `分别占全省总量的48%、37%`: one figure per earlier figure of the sentence.
    if span_from_clause.startswith("分别") and n_prior >= n_in_clause:
        src = sent.facts[n_prior - n_in_clause + index]
        return src["label"], src["indicator"] or None
    if share_of is not None:
        if share_of:
            hit = catalog.match_indicator(share_of)
            return _clean_label(share_of), (hit[0] if hit else None)
        if prev_fact is not None:
            return prev_fact["label"], prev_fact["indicator"] or None
    if span_from_clause.startswith(("居", "位居", "排名", "排")) and measure == "rank" and prev_fact is not None:
        return prev_fact["label"], prev_fact["indicator"] or None  # `…180万户，居全国第8位`
    after = noun if measure in ("level", "change") else ""
    if after.startswith(doc.verb_first) or len(after) < 2:
        after = ""
    if span[-1:] in _CONNECTORS and after and prev_fact is not None:
        own, span = "", ""  # `140个研究中心和46个重点实验室`: the words before belong to the figure before
    hit = catalog.match_indicator(span, q.unit, measure)
    if hit:
        return own, hit[0]
    if not own and prev_fact is not None and measure != "level":
        return prev_fact["label"], prev_fact["indicator"] or None  # `、增长5.7%`
    if own in doc.continuation or (not own and not after):
        # `累计运营6.5万套`, `前11个月开行3363班`, `…，完成1300亿元`: the subject stands earlier.
        hit = catalog.match_indicator(span_from_clause, q.unit, measure) or catalog.match_indicator(
            doc.text[sent.start : q.start - len(q.lead)], q.unit, measure)
        if hit:
            return own, hit[0]
    if after:
        hit = catalog.match_indicator(after, q.unit, measure)
        return after, (hit[0] if hit else None)
    if own.endswith("等"):
        own = own[:-1]
    if not own and prev_fact is not None and (measure != "level" or prev_fact["unit"] == q.unit):
        return prev_fact["label"], prev_fact["indicator"] or None
    return own, None


def _clause_facts(doc: _Doc, clause: Clause, qs: list[Quantity], sec: _SectionState, sent: _SentenceState,
                  heading: str, section: str, facts: list[dict]) -> None:
    """One fact per quantity of the clause, appended to `facts` and `sent.facts`. What the section's and
    the sentence's cues fix (mode, period, year) is read once for the clause, not per figure."""
    if not qs:
        return
    meta, text, offsets, regions = doc.meta, doc.text, doc.offsets, doc.regions
    cstart, cend = clause.start, clause.end
    n_qs = len(qs)
    pairs = _respectively(text, clause, qs) if n_qs > 1 else None
    sent_facts = sent.facts
    n_prior = len(sent_facts)  # the sentence's figures before this clause
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
    match_indicator, theme_in, find_region = catalog.match_indicator, catalog.theme_in, catalog.find_region
    prev_end = cstart
    clause_theme = None  # the theme the clause and its heading name, for figures whose label names none
    for i, q in enumerate(qs):
        q_end = q.end
        span_end = q.start - len(q.lead)  # the words before the number end at its qualifier word
        span = text[prev_end:span_end]
        span_from_clause = text[cstart:span_end]
        measure, sign = _measure(span, q, cend, doc)
        noun = _after_window(text[q_end : q_end + _AFTER_LIMIT])  # `…140个【工程技术研究中心】和…`
        prev_fact = sent_facts[-1] if sent_facts else None
        # After a connector only (`、`, `和`) a figure of the same unit measures what the one before does.
        if i and prev_fact["unit"] == q.unit and _CONNECTOR_ONLY.match(span) is not None:
            measure, sign = prev_fact["measure"], (-1 if prev_fact["value"] < 0 else 1)
        # Label and indicator.
        if pairs is not None:
            label = pairs[i]
            hit = match_indicator(label, q.unit, measure)
            indicator = hit[0] if hit else None
        else:
            label, indicator = _label(doc, sent, q, span, span_from_clause, noun, measure, prev_fact,
                                      n_qs, i, n_prior)
        if indicator:
            ind = doc.indicators[indicator]
            label = ind.name_zh
            theme = ind.theme
        else:
            theme = theme_in(label)
            if theme is None:
                if clause_theme is None:
                    clause_theme = _clause_theme(doc, clause.text, heading)
                theme = clause_theme
        if mode == "target":
            status = "target"
        elif measure in ("level", "change") and (multi_year or (
                cumulative is not None and cumulative.search(span_from_clause))):
            status = "cumulative"
        else:
            status = "actual"
        region = doc_region
        named = find_region(span_from_clause) if span_end > region_from else None
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
            "period": period,
            "year": year,
            "status": status,
            "indicator": indicator or "",
            "label": label,
            "measure": measure,
            "value": sign * q.value,
            "unit": q.unit,
            "value_text": q.value_text,
            "qualifier": q.qualifier,
            "preliminary": preliminary,
            "theme": theme,
            "section": section,
            "snippet": clause.text,
            "start": raw_start,
            "end": raw_end,
        }
        facts.append(fact)
        sent_facts.append(fact)
        prev_end = q_end
        if noun and text.startswith(noun, q_end) and text[q_end + len(noun) : q_end + len(noun) + 1] in _CONNECTORS:
            prev_end = q_end + len(noun)  # `3363班次标准列、增长18.2%`: the noun belongs to the figure before


def _clause_theme(doc: _Doc, ctext: str, heading: str) -> str:
    """`catalog.theme_of(ctext, heading)`, the heading's theme read once per document."""
    theme = catalog.theme_in(ctext)
    if theme is not None:
        return theme
    if heading not in doc.heading_themes:
        doc.heading_themes[heading] = catalog.theme_in(heading)
    theme = doc.heading_themes[heading]
    return "economy" if theme is None else theme


_ENUM_SPLIT = re.compile(r"[、和及与]")


def _respectively(text: str, clause: Clause, qs: list[Quantity]) -> list[str] | None:
    """Labels for `A、B分别达到x、y` (or `A、B…下降x和y`): one enumerated subject per number."""
    if len(qs) < 2:
        return None
    for a, b in zip(qs, qs[1:]):
        if _CONNECTOR_ONLY.match(text[a.end : b.start]) is None:
            return None  # something other than 、/和 stands between two of the numbers
    subject = text[clause.start : qs[0].start]
    cut = subject.find("分别")
    if cut < 0:
        m = re.search(r"(?:同比)?(?:增长|下降|达到|为)$", subject)
        if not m:
            return None
        cut = m.start()
    subject = subject[:cut].translate(_PUNCT)
    items = [i for i in _ENUM_SPLIT.split(subject) if i]
    if len(items) != len(qs):
        return None
    # A shared head noun (`汽车、家电产品以旧换新`): keep each item as printed, cleaned.
    return [_clean_label(i) or i for i in items]
