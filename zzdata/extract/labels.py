"""What a figure measures: its label (the words before the number, or the noun after it, or the
subject of the figure before), its measure and sign (level, growth, share, change, rank) and its
catalog indicator. The words a label never starts or ends with are data (``data/label_words.csv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..core import catalog
from .quantities import QUALIFIER_AFTER, Quantity, units
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
# A label that is an amount of what the figure before counts (`完成投资` after `重点项目64个`): word -> noun.
_OF_PREVIOUS = {w: "投资" for w in catalog.label_words("of_previous")}
# Where the noun after a number ends: punctuation, a digit, or a word of data/label_words.csv role
# `after_stop` (a verb or a rank word: `…140个工程技术研究中心【加快】建设`, `的土地【贡献】了`).
_AFTER_STOP = re.compile(r"[，。；、,;：:（(\d]|" + "|".join(map(re.escape, catalog.label_words("after_stop"))))


CONNECTORS = frozenset("、和及与")
_PARENS = re.compile(r"（[^）]*）|\([^)]*\)|^[^（(]*[）)]")
_INNER_VERB_WORDS = catalog.label_words("inner_verb")  # 累计完成, 累计, 实现: verbs inside a label
_INNER_VERBS = re.compile("(?<=.)(?:" + "|".join(map(re.escape, _INNER_VERB_WORDS)) + ")(?=.)")  # 交易中心累计完成交易额 -> 交易中心交易额
_LEADING_MEASURE = re.compile(  # `1个【5000平方米的】游园`: an area or a length before the noun (units.csv kinds area, length)
    r"^[\d.,]+[万亿]?(?:" + "|".join(sorted((re.escape(u.printed) for u in units().values() if u.kind in ("area", "length")),
                                            key=lambda w: (-len(w), w))) + ")的")
_LEADING_QUAL = re.compile("^(?:" + "|".join(_QUALIFIERS_AFTER) + ")")
_LEADING_DE = re.compile(r"^(?:的|个)")
_VERBS_BEFORE = catalog.label_words("verb_before")
_EVENTS_AFTER = frozenset(catalog.label_words("event_after"))
_GROWTH_NOUNS = tuple(sorted(catalog.label_words("growth_noun"), key=len))  # 增速 first
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
    if any(word in label for word in _INNER_VERB_WORDS):
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


def _joint(span: str) -> bool:
    """True when the alias ending `span` is joined by 和/及/与 to a noun before it (`中小学和幼儿园`),
    so that the figure counts both together."""
    alias = catalog.match_alias(span)
    if alias is None or alias[1] < 2 or span[alias[1] - 1] not in "和及与":
        return False
    before = _clean_label(span[: alias[1] - 1].split("，")[-1].split("、")[-1])
    return bool(before) and not before.endswith(_VERBS_BEFORE) and before not in doc_verbs()


@lru_cache(maxsize=1)
def doc_verbs() -> frozenset[str]:
    """Words that are verbs when they stand alone before 和 (`新建和改造`): the continuation cues."""
    return frozenset(catalog.cues().get("continuation", ()))


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
    if q.kind in _RATE_KINDS:
        if lead.endswith(doc.decline):
            return "growth", -1
        if lead.endswith(doc.growth):
            return "growth", 1
        tail = _LEADING_QUAL.sub("", doc.text[q.end : min(clause_end, q.end + 6)])
        if tail.removeprefix("的").startswith(doc.growth):  # `5%的增长`, `5%增速`
            return "growth", 1
        return "share", 1
    if lead.endswith(doc.change):
        return "change", 1
    if lead.endswith(doc.decline):
        return "change", -1
    return "level", 1


_RATE_KINDS = frozenset({"percent", "permille"})  # units.csv kinds of a rate: %, ‰
_SHARE_WORDS = catalog.label_words("share_word")  # 比重, 占比, 比例: a share of what stands before
_IN_WHOLE = re.compile(r"^在.+(?:中|里|之中)的?$")  # `在生产总值中的比重`: names the whole only
_SHARE_TAIL = re.compile("(?:的)?(?:" + "|".join(_SHARE_WORDS) + ")$")
_PERIOD_WORDS = re.compile(  # dates, and the period words of label_words.csv role period_word (今年以来, 全年 …)
    r"前\d{1,2}个月|前[一二三]季度|\d{1,2}[~\-]\d{1,2}月|截至\d{1,2}月\d{1,2}日|"
    + "|".join(map(re.escape, sorted(catalog.label_words("period_word"), key=lambda w: (-len(w), w)))) + r"|\d{4}年度?")


@dataclass(slots=True)
class Reading:
    """What the label steps read of one figure (none of them changes it, except `_words_of_the_figure_before`
    which is where the reading is settled): the document, the sentence so far, the quantity, the words
    before it (`span`: since the figure before; `span_from_clause`: since the clause's start), the noun
    after it, its measure, the figure before it in the sentence, and where it stands in its clause."""

    doc: object
    sent: object
    q: Quantity
    span: str
    span_from_clause: str
    noun: str
    measure: str
    prev_fact: dict | None
    n_in_clause: int
    index: int
    n_prior: int  # how many of `sent.facts` come before the clause
    own: str = ""  # the words before the number as a label (`_own_label(span)`)
    after: str = ""  # the noun after the number when it names what a level or change counts


Label = tuple[str, "str | None"]  # (label, indicator id)


def _of_fact(fact: dict) -> Label:
    return fact["label"], fact["indicator"] or None


def _share_of_whole(r: Reading) -> Label | None:
    """`占全市3%的土地`: 土地占全市比重, filed under what it is the share of (`税收` -> tax_revenue)."""
    if r.measure != "share":
        return None
    whole = share_of_whole(r.span, r.doc.text[r.q.end : r.q.end + AFTER_LIMIT])
    if whole is None:
        return None
    hit = catalog.match_indicator(whole[1])
    return whole[0], (hit[0] if hit else None)


def _respectively(r: Reading) -> Label | None:
    """`分别占全省总量的48%、37%`: one figure per earlier figure of the sentence."""
    if r.span_from_clause.startswith("分别") and r.n_prior >= r.n_in_clause:
        return _of_fact(r.sent.facts[r.n_prior - r.n_in_clause + r.index])
    return None


def _share_named(r: Reading) -> Label | None:
    """`第三产业比重`, `税收占比`, `税收占一般公共预算收入的`: the share of what stands before 占 or 比重;
    `在生产总值中的比重`, `占…的18.2%` with nothing before: the share of the figure before."""
    if r.measure != "share":
        return None
    own = r.own
    if "占" in own:
        share_of = own.split("占", 1)[0]
    elif own.endswith(_SHARE_WORDS) and not catalog.match_indicator(r.span, r.q.unit, r.measure):
        share_of = _SHARE_TAIL.sub("", own)
    else:
        return None
    if share_of and _IN_WHOLE.match(share_of):
        share_of = ""  # `…增加值29.8亿元，在生产总值中的比重达到37.9%`
    if share_of:
        hit = catalog.match_indicator(share_of)
        if hit is None:  # a share named as one alias (`主导产业占规模以上工业增加值比重`)
            whole = catalog.match_alias(own)
            hit = whole if whole and whole[2] == len(own) else None
        return _clean_label(share_of), (hit[0] if hit else None)
    return _of_fact(r.prev_fact) if r.prev_fact is not None else None


def _words_of_the_figure_before(r: Reading) -> None:
    """Settle the noun after the number and whether the words before are the figure before's: a
    noun counts only after a level or a change, not when it starts with a verb (`20余次带队赴…`) or
    is a milestone's (`600亿元【两个台阶】`); `140个研究中心和46个重点实验室`: the words before 46 belong
    to the figure before."""
    after = r.noun if r.measure in ("level", "change") else ""
    if after.startswith(r.doc.verb_first) or len(after) < 2 or is_threshold_noun(after):
        after = ""
    r.after = after
    if r.span[-1:] in CONNECTORS and after and r.prev_fact is not None:
        r.own, r.span = "", ""


def _alias_before(r: Reading) -> Label | None:
    """A catalog alias right before the number (`地区生产总值增长`); not a count of what happened to
    the things (`省市重点项目【新开工】197个`), nor one count of two kinds (`中小学和幼儿园12所`)."""
    hit = catalog.match_indicator(r.span, r.q.unit, r.measure)
    if hit is None:
        return None
    if r.q.unit in catalog.GENERIC_COUNTERS and r.span[hit[1]:] in _EVENTS_AFTER:
        return r.own, None
    return r.own, (None if _joint(r.span[: hit[1]]) else hit[0])


def _of_previous(r: Reading) -> Label | None:
    """`实施重点项目64个，完成投资71.5亿元`: the investment of the things counted before (重点项目投资)."""
    if r.own in _OF_PREVIOUS and r.prev_fact is not None:
        hit = catalog.match_indicator(r.prev_fact["label"] + _OF_PREVIOUS[r.own], r.q.unit, r.measure)
        if hit:
            return r.own, hit[0]
    return None


def _rate_of_previous(r: Reading) -> Label | None:
    """`…完成41.2亿元、增长5.7%`: a rate or change with no words of its own is the figure before's."""
    if not r.own and r.prev_fact is not None and r.measure != "level":
        return _change_of_rate(r.prev_fact) if r.q.kind == "points" else _of_fact(r.prev_fact)
    return None


def _change_of_rate(fact: dict) -> Label:
    """A change in points of the figure before: of its rate (`城镇化率…，提高1.2个百分点`: the indicator's),
    or of its growth rate (`增长8.3%，增速高于去年0.8个百分点`: 地区生产总值增速, no indicator: the
    indicator measures the level, not a difference of its growth rates)."""
    indicator = fact["indicator"] or None
    if indicator and catalog.compatible(catalog.indicators()[indicator], "百分点", "change"):
        return fact["label"], indicator
    label = fact["label"]
    if fact["measure"] == "growth" and not label.endswith(_GROWTH_NOUNS):
        label += _GROWTH_NOUNS[0]
    return label, None


def _earlier_subject(r: Reading) -> Label | None:
    """`累计运营6.5万套`, `前11个月开行3363班`, `…，完成1300亿元`: a verb alone before the number, the subject
    stands earlier in the clause or the sentence. With a noun after the number (`建成二十五个便民服务站`),
    only an indicator counted in that very unit."""
    if not (r.own in r.doc.continuation or (not r.own and not r.after)):
        return None
    q = r.q
    hit = catalog.match_indicator(r.span_from_clause, q.unit, r.measure) or catalog.match_indicator(
        r.doc.text[r.sent.start : q.start - len(q.lead)], q.unit, r.measure)
    if hit and not (r.after and r.doc.indicators[hit[0]].unit != q.unit):
        return r.own, hit[0]
    return None


def _noun_after(r: Reading) -> Label | None:
    """`新组建140个工程技术研究中心`, `…等84个新基建项目`: the noun after the number."""
    if not r.after:
        return None
    hit = catalog.match_indicator(r.after, r.q.unit, r.measure)
    return r.after, (hit[0] if hit else None)


def _subject_before(r: Reading) -> Label:
    """The words before the number; with none, the figure before in the sentence (same unit for a
    level) or, first of its sentence and ending its clause, the figure the sentence before in the
    paragraph ended with (`…迈上20亿元、30亿元台阶。2016年达到了33.5亿元，`)."""
    own = r.own[:-1] if r.own.endswith("等") else r.own
    if own:
        return own, None
    before = r.prev_fact
    if before is None and r.n_prior == 0 and r.sent.carried is not None \
            and r.sent.carried["unit"] == r.q.unit and r.doc.text[r.q.end : r.q.end + 1] in _CLAUSE_END_MARKS:
        before = r.sent.carried
    if before is not None and (r.measure != "level" or before["unit"] == r.q.unit):
        return _of_fact(before)
    return own, None


@lru_cache(maxsize=1)
def _comparison_re() -> re.Pattern:
    """A comparison word of two characters or more (cues.csv kind comparison: 高于, 低于, 快于, 超过 …) and
    what follows it: the one-character words (比, 和, 为 …) stand inside too many names to cut at."""
    words = sorted((w for w in catalog.cues().get("comparison", ()) if len(w) > 1), key=lambda w: (-len(w), w))
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ").*$")


def _without_comparison(own: str) -> str:
    """`增速高于去年`, `高于郑州市平均水平`: the words of a change in points without what it is compared
    with; empty when only a generic word is left (the change is then the figure before's)."""
    cut = _comparison_re().sub("", own)
    return "" if cut in _GENERIC else cut


#: The evidence for a label, in the order it is weighed: the first step that answers decides.
_BEFORE_NOUN = (_share_of_whole, _respectively, _share_named)
_AFTER_NOUN = (_alias_before, _of_previous, _rate_of_previous, _earlier_subject, _noun_after)


def label_of(r: Reading) -> Label:
    """(label, indicator id) of one figure that is no rank (see `rank_label`), from the words
    around it: each step of `_BEFORE_NOUN`, then `_words_of_the_figure_before`, each step of
    `_AFTER_NOUN`, and last `_subject_before`; the first step that answers decides."""
    r.own = _own_label(r.span)
    if r.measure == "change" and r.q.kind == "points" and r.own:
        r.own = _without_comparison(r.own)
    for step in _BEFORE_NOUN:
        found = step(r)
        if found is not None:
            return found
    _words_of_the_figure_before(r)
    for step in _AFTER_NOUN:
        found = step(r)
        if found is not None:
            return found
    return _subject_before(r)


_CLAUSE_END_MARKS = frozenset("，。；,;")
_COUNT_PREFIX = re.compile(r"^[\d一二两三四五六七八九十]*[个道]?")


def is_threshold_noun(noun: str) -> bool:
    """Is `noun` a milestone's noun, with the count of the steps before it (`两个台阶`, `三道关口`, `台阶`)?"""
    rest = noun[_COUNT_PREFIX.match(noun).end():]
    return bool(rest) and rest.startswith(catalog.cues().get("threshold_after", ()))


_SHARE_SCOPE_WORDS = catalog.label_words("share_scope")  # 全市, 全省 …: a whole a share is printed against
_SHARE_OF_WHOLE = re.compile(r".+占.+比重$")


def is_share_of_whole(label: str) -> bool:
    """Is the label a share of a whole as `share_of_whole` writes it (`税收占全市比重`)?"""
    return _SHARE_OF_WHOLE.match(label) is not None


def share_of_whole(span: str, after_text: str) -> tuple[str, str] | None:
    """`用占全市3%的【土地】贡献了全市8%的【税收】`: a share printed before what it is the share of, as
    `占<whole>x%的<noun>` or `<whole>x%的<noun>`: (the label `<noun>占<whole>比重`, the noun), or None."""
    if not after_text.startswith("的"):
        return None
    whole = None
    for word in (*_SHARE_SCOPE_WORDS, *catalog.region_aliases()):
        if span.endswith(word) and (whole is None or len(word) > len(whole)):
            whole = word
    if whole is None:
        return None
    noun = after_window(after_text[1:])
    return (f"{noun}占{whole}比重", noun) if noun else None



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
    items = enumerated_items(subject, len(qs))
    if items is None:
        return None
    return [_clean_label(i) or i for i in items]


def enumerated_items(subject: str, n: int) -> list[str] | None:
    """The `n` items of an enumerated subject, each with the head noun they share
    (`城镇和农村居民人均可支配收入` -> 城镇居民人均可支配收入, 农村居民人均可支配收入), or None.
    A contraction (`存贷款`, `城乡居民`: data/contractions.csv) is opened when the count of
    figures asks for it."""
    items = None
    for printed, parts in catalog.contractions().items():  # longest first
        if printed in subject:
            opened = [i for i in _ENUM_SPLIT.split(subject.replace(printed, "、".join(parts), 1)) if i]
            if len(opened) == n:
                items = opened
                break
    if items is None:
        items = [i for i in _ENUM_SPLIT.split(subject) if i]
        if len(items) != n:
            return None
    last = items[-1]
    return [_with_head(i, last) for i in items[:-1]] + [last]


def _with_head(item: str, last: str) -> str:
    """`item` completed with the tail of the last item when the two make a catalog alias that
    begins inside `item` (`城镇` + `农村居民人均可支配收入` -> 城镇居民人均可支配收入); else `item`."""
    hit = catalog.match_alias(item)
    if hit and hit[2] == len(item) and hit[1] == 0:
        return item  # the item is itself a catalog name (`化学需氧量`)
    for k in range(1, len(last)):
        candidate = item + last[k:]
        hit = catalog.match_alias(candidate)
        if hit and hit[2] == len(candidate) and hit[1] < len(item):
            return candidate
    return item


def carried_over(text: str, clause: Clause, qs: list[Quantity], sent_facts: list[dict]) -> list[dict] | None:
    """`…分别达到38500元、19800元，增长4.1%、6.3%`: a clause that lists as many figures as the
    sentence listed just before, with no subject of its own, measures the same things in the same
    order. The facts it follows, or None."""
    n = len(qs)
    if n < 2 or len(sent_facts) < n:
        return None
    for a, b in zip(qs, qs[1:]):
        between = text[a.end : b.start]
        if not between.strip() or CONNECTOR_ONLY.match(between) is None:
            return None  # not a list (`1个5000平方米的游园`: two figures of one thing)
    if _own_label(text[clause.start : qs[0].start - len(qs[0].lead)].replace("分别", "")):
        return None  # the clause names its own subject
    before = sent_facts[-n:]
    if len({f["snippet"] for f in before}) > 1 or len({(f["label"], f["indicator"]) for f in before}) < n:
        return None  # the figures before are not one list of n different things
    return before


# Public names of what the rank labels (extract/rank_labels.py) read too.
clean_label = _clean_label
GENERIC = _GENERIC
PUNCT = _PUNCT
