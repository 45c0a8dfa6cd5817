"""What a figure measures: its label (the words before the number, or the noun after it, or the
subject of the figure before), its measure and sign (level, growth, share, change, rank) and its
catalog indicator. The words a label never starts or ends with are data (``data/label_words.csv``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core import catalog
from .quantities import QUALIFIER_AFTER, Quantity
from .segment import Clause

_TRAILING_WORDS = catalog.label_words("trailing")
_TRAILING = re.compile("(?:" + "|".join(_TRAILING_WORDS) + ")+$")  # words a label never ends with
_QUALIFIERS_AFTER = tuple(QUALIFIER_AFTER)  # 以上, 多, 余, 左右 …: what may follow a number
_LEADING_CHARS = "、，,：:“”\"‘’（）()《》●"
_LEADING_WORDS = (*_QUALIFIERS_AFTER, *catalog.label_words("leading"))
_LEADING = re.compile(  # what a label never starts with: punctuation, connectives, a year
    "^(?:[" + re.escape(_LEADING_CHARS) + r"\s]|" + "|".join(map(re.escape, _LEADING_WORDS)) + r"|\d{4}年?度?)+")
_PUNCT = dict.fromkeys(map(ord, "“”\"‘’《》「」"))  # quotes and title marks: `str.translate` deletes them
CONNECTOR_ONLY = re.compile(r"^[、和及与或,，\s]*$")
_GENERIC = frozenset(catalog.label_words("generic"))
_AFTER_STOP = re.compile(r"[，。；、,;：:（(\d]|前列|首位|全部|加快|投资|完成|纳入|开工|建成|实现|达到|通过|入选|获|被|落地|签约|交付|参与|覆盖|惠及")


CONNECTORS = frozenset("、和及与")
_PARENS = re.compile(r"（[^）]*）|\([^)]*\)|^[^（(]*[）)]")
_INNER_VERBS = re.compile(r"(?<=.)(?:累计完成|累计|实现)(?=.)")  # 交易中心累计完成交易额 -> 交易中心交易额
_LEADING_MEASURE = re.compile(r"^[\d.,]+[万亿]?(?:平方米|平方公里|亩|公里|米)的")
_LEADING_QUAL = re.compile("^(?:" + "|".join(_QUALIFIERS_AFTER) + ")")
_LEADING_DE = re.compile(r"^(?:的|个)")
_VERBS_BEFORE = catalog.label_words("verb_before")
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


AFTER_LIMIT = 14  # the characters after a number read for the noun it counts


@lru_cache(maxsize=4096)
def after_window(window: str) -> str:
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


def measure_of(before: str, q: Quantity, clause_end: int, doc) -> tuple[str, int]:
    """(measure, sign) from the words right before and after the number (up to 6 characters of
    the clause after it, read only for a % figure without a growth or decline verb)."""
    if q.kind == "rank":
        return "rank", 1
    if q.kind == "multiple":
        return "multiple", 1  # 三倍, 翻一番
    # The verb right before the number goes (the qualifier word 超, 近 … is already left out).
    lead = _TRAILING_VERB.sub("", before) if before.endswith(_VERBS_BEFORE) or before[-1:] == "\n" else before
    if q.kind == "points":  # 个百分点, 百分点
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
    if lead.endswith(doc.decline):
        return "change", -1
    return "level", 1


_PERIOD_WORDS = re.compile(r"前\d{1,2}个月|前[一二三]季度|\d{1,2}[~\-]\d{1,2}月|截至\d{1,2}月\d{1,2}日|今年以来|全年|今年|上半年|\d{4}年度?")
_RANK_WORDS = re.compile(r"(?:排名|排在|位居|居|晋升至|晋升|升至|在全国|全国|中)+$")


def label_of(doc, sent, q: Quantity, span: str, span_from_clause: str, noun: str,
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
    if span[-1:] in CONNECTORS and after and prev_fact is not None:
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



_ENUM_SPLIT = re.compile(r"[、和及与]")


def respectively(text: str, clause: Clause, qs: list[Quantity]) -> list[str] | None:
    """Labels for `A、B分别达到x、y` (or `A、B…下降x和y`): one enumerated subject per number."""
    if len(qs) < 2:
        return None
    for a, b in zip(qs, qs[1:]):
        if CONNECTOR_ONLY.match(text[a.end : b.start]) is None:
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
