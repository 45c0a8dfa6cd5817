"""What a rank ranks and among whom: the label of a rank fact (`规模以上工业增加值增速全市六县(市)排名`),
its indicator and its group (data/rank_groups.csv), from the words before it. The verbs of ranking,
the adverbs before them and the words that name no subject are data (cues.csv, label_words.csv).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core import catalog
from .labels import GENERIC, PUNCT, clean_label, enumerated_items

# The verbs of ranking (cues.csv kind rank_verb, and label_words.csv role rank_verb_bare: `排`, `列`, too
# short to tell a ranking on their own), longest first: what stands before the last is what is ranked.
_RANK_VERBS = tuple(sorted({*catalog.cues().get("rank_verb", ()), *catalog.label_words("rank_verb_bare")},
                           key=lambda w: (-len(w), w)))
_RANK_VERB = re.compile("|".join(map(re.escape, _RANK_VERBS)))
_RANK_IN = re.compile(r"在(?P<group>[^在]+?)(?:之中|当中|中)(?P<rest>[^中在]*)$")
_RANK_TRAIL = re.compile(  # what never ends what is ranked: a verb of ranking, 中, 的, 分别
    "(?:" + "|".join(map(re.escape, (*_RANK_VERBS, *catalog.label_words("rank_trailing")))) + ")+$")
_GROWTH_WORDS = catalog.label_words("growth_noun")  # 增速, 增幅: the ranking is of a growth rate
_GROUP_NOTE = re.compile(r"（(?!市|区|县)[^）]*）|\((?!市|区|县)[^)]*\)")  # `（科学城）` goes, `（市）` stays
_RANK_ADVERBS = re.compile("(?:" + "|".join(map(re.escape, catalog.label_words("rank_adverb"))) + ")+$")
_RANK_GENERIC = frozenset({"", *catalog.label_words("rank_generic")})  # ranks the figure before (`总量居…`)


@lru_cache(maxsize=2048)
def rank_parts(before: str) -> tuple[str, str, str]:
    """(what is ranked, the group as printed, an aspect) from the words before a rank:
    `高新区、经开区在全国同类开发区中综合排名居` -> (高新区、经开区, 全国同类开发区, 综合);
    `增速居全市六县（市）` -> (增速, 全市六县（市）, ``); `总带宽全国` -> (总带宽, 全国, ``)."""
    s = before.translate(PUNCT).strip()
    what, group, rest = s, "", ""
    m = _RANK_IN.search(s)
    if m:
        what, group, rest = s[: m.start()], m["group"], m["rest"]
    else:
        verbs = list(_RANK_VERB.finditer(s))
        if verbs:
            what, group = s[: verbs[-1].start()], s[verbs[-1].end() :]
    what = _RANK_TRAIL.sub("", what)
    what = _RANK_ADVERBS.sub("", what)  # `综合实力【继续】稳居全省第12位`: the adverb is no part of what is ranked
    if not group:
        for word in catalog.rank_group_words():  # a group printed without a verb: `总带宽全国`
            if what.endswith(word):
                what, group = what[: -len(word)], word
                break
    group = _GROUP_NOTE.sub("", group).strip().removesuffix("中")
    aspect = _RANK_VERB.sub("", rest)
    return _RANK_TRAIL.sub("", what), group, aspect


def rank_label(parts: tuple[str, str, str], prev_fact: dict | None, sentence_before: str,
               n_ranks: int, index: int) -> tuple[str, str | None, str]:
    """(label, indicator, group) of a rank: the label names what is ranked and among whom
    (`规模以上工业增加值增速全市六县(市)排名`), by the group's name in data/rank_groups.csv
    (`六县`, `全市六县（市）` are both 全市六县(市)); a group the file does not know as printed. A rank with no subject of its own (`增速居…`, `，居全国省会城市…`)
    ranks the figure before it."""
    what, group, aspect = parts
    if n_ranks > 1 and what:
        items = enumerated_items(what, n_ranks)  # `高新区、经开区…居第18位、第22位`
        if items:
            what = items[index]
    growth = what.endswith(_GROWTH_WORDS)  # (before cleaning: 增速 is a word a label never ends with)
    base = what
    for word in _GROWTH_WORDS:
        base = base.removesuffix(word)
    base = clean_label(base) if base else ""
    indicator = None
    if base in _RANK_GENERIC or base in GENERIC:
        base = ""
        if prev_fact is not None and prev_fact["measure"] != "rank":
            base, indicator = prev_fact["label"], prev_fact["indicator"] or None
            growth = growth or prev_fact["measure"] == "growth"
    else:
        hit = catalog.match_alias(base)
        if hit and hit[2] == len(base):
            indicator = hit[0]
    if indicator:
        base = catalog.indicators()[indicator].name_zh
    if not group:  # `巩义、中牟登榜全国综合实力百强县，分别居第78位、第96位`
        found = [(sentence_before.rfind(w) + len(w), len(w), w) for w in catalog.rank_group_words() if w in sentence_before]
        group = max(found)[2] if found else ""  # the one ending last, the longest of those
    group = catalog.rank_group(group) if group else ""
    label = f"{base}{'增速' if growth and base else ''}{group}{aspect}排名"
    return label, indicator, group


# --- lists: `跻身中国城市综合竞争力20强`, `3家企业入选全国冷链物流百强`, `退出全国后20位` -------------------
_LEADING_COUNT = re.compile(r"^[\d一二两三四五六七八九十百千万]+[家个所项位名批]")
_SPELL = re.compile(r"(?:连续|已经|已)?[\d一二两三四五六七八九十]+年(?:来)?")  # `连续三年跻身…`: how long, not what


@lru_cache(maxsize=None)
def _list_verbs() -> tuple[str, ...]:
    return tuple(sorted(catalog.cues().get("rank_list_verb", ()), key=lambda w: (-len(w), w)))


def list_label(words: str, value_text: str) -> str | None:
    """The label of a rank in a list (`N强`, `前N家`, `后N位`) entered by a verb (cues.csv kind
    rank_list_verb): what entered it, the list, and the rank as printed (`企业全国冷链物流百强`,
    `中国城市综合竞争力20强`, `空气质量综合指数全国后20位`), or None when no such verb stands in
    `words` (the words before the number since the figure before). Regions named as the subject are
    the fact's region, not its label (`巩义、中牟登榜中国县域经济发展100强`)."""
    s = words.translate(PUNCT).strip()
    found = [(s.rfind(v), -len(v), v) for v in _list_verbs() if v in s]
    if not found:
        return None
    at, _, verb = max(found)
    what, listed = s[:at], s[at + len(verb):]
    for start, end, _name in reversed(catalog.region_spans(what)):
        what = what[:start] + what[end:]
    what = _SPELL.sub("", _LEADING_COUNT.sub("", what.strip("、，,和及与 ")))
    what = _RANK_ADVERBS.sub("", clean_label(what)) if what else ""
    return f"{what}{listed.strip()}{value_text}"
