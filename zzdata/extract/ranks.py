"""Rank words as rank facts (unit 位): `第一`, `第二` and `首位` (a position), `百强`, `前20强`,
`前十名`, `前百家` (qualifier ``top``: within the first N), `后20位` (``bottom``: within the last N).

A rank word counts only where the clause reads as a ranking (cues.csv): a position after a
verb of ranking (kind ``rank_verb``: `居`, `排名`) or a scope (kind ``rank_scope``: `全国第一`,
`市内六区第一`), so `坚持安全第一`, `放在首位`, `首位度`, `第一方阵`, `第二批` are none; a list
(`N强`) only after a verb of entering one (kind ``rank_list_verb``: `跻身`, `进入`, `入选`, `登榜`),
so `世界500强企业`, `百强榜` are none. (`第15位` in Arabic digits is read with the amounts.)
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core import catalog
from ..core.numerals import NUMERAL_CHARS
from .numerals import cn_value, in_short_quote
from .quantities import Quantity, ends_clause, make_quantity

_ORDINAL = re.compile(r"第([一二三四五六七八九十]+)(?:位|名)?")
_FIRST = re.compile(r"首位(?!度)")
# `前20强`, `前十名`, `前百家`, `后20位`; `20强`, `百强` (two patterns, each opening with a class the
# engine scans for in C).
_SIDED = re.compile(rf"(?P<side>[前后])(?P<num>\d+|[{NUMERAL_CHARS}]+)\s*(?P<suffix>强|名|位|家)")
_STRONG = re.compile(rf"(?P<side>)(?P<num>\d+|[{NUMERAL_CHARS}]+)\s*(?P<suffix>强)")  # searched back from each 强
_CLAUSE_BREAKS = "，。；：,;:\n"
_SIDES = {"前": "top", "后": "bottom", "": "top"}


@lru_cache(maxsize=None)
def _cues(kind: str) -> tuple[str, ...]:
    return catalog.cues().get(kind, ())


def _clause_before(text: str, start: int) -> str:
    """The clause's words before `start`."""
    cut = max(text.rfind(c, 0, start) for c in _CLAUSE_BREAKS)
    return text[cut + 1 : start]


def _ranking(before: str) -> bool:
    """Does the clause read as a ranking up to here (a verb of ranking in it, or a scope right before)?"""
    return any(v in before for v in _cues("rank_verb")) or before.rstrip().endswith(_cues("rank_scope"))


def _entering(before: str) -> bool:
    return any(v in before for v in _cues("rank_list_verb"))


def find_rank_words(text: str) -> list[Quantity]:
    """Rank facts written with words or Chinese numerals in a clean text, in order."""
    found: list[Quantity] = []
    if "第" in text:
        for m in _ORDINAL.finditer(text):
            s, e = m.span()
            if (e - s == len(m.group(1)) + 1 and not ends_clause(text, e)) or text[s - 1 : s] == "双":
                continue  # 第二批, 第一方阵, 第十六届; “双第一”
            if in_short_quote(text, s, e) or not _ranking(_clause_before(text, s)):
                continue  # 坚持安全第一
            value = cn_value(m.group(1))
            if value:
                found.append(make_quantity(s, e, m.group(1), value, "位", "rank", "none", m.group(0), ""))
    if "首位" in text:
        for m in _FIRST.finditer(text):
            s, e = m.span()
            if not in_short_quote(text, s, e) and _ranking(_clause_before(text, s)):
                found.append(make_quantity(s, e, "首", 1.0, "位", "rank", "none", "首位", ""))
    lists = list(_SIDED.finditer(text))
    at = text.find("强")
    while at > 0:  # numbers are many and 强 is rare: read back from each 强
        m = _STRONG.search(text, max(0, at - 12), at + 1)
        while m is not None and m.end() != at + 1:
            m = _STRONG.search(text, m.start() + 1, at + 1)
        if m is not None:
            lists.append(m)
        at = text.find("强", at + 1)
    for m in lists:
        side, num, suffix = m.group("side", "num", "suffix")
        if suffix == "强":
            if side == "后" or text.startswith("榜", m.end()):
                continue  # 百强榜: the name of a list
        elif not side:
            continue  # 20名, 两位数: people or no rank
        s, e = m.start("num"), m.end()
        if text[s - 1 : s] in ("第", ".") or (not side and (text[s - 1 : s].isdigit() or text[s - 1 : s] in "前后")):
            continue  # (`前20强` is read by _SIDED)
        before = _clause_before(text, m.start())
        if not (_entering(before) or (side and _ranking(before))) or in_short_quote(text, s, e):
            continue
        value = float(num) if num.isdigit() else cn_value(num)
        if value:
            value_text = re.sub(r"\s", "", text[s:e])
            found.append(make_quantity(s, e, num, value, "位", "rank", _SIDES[side], value_text, ""))
    found.sort(key=lambda q: q.start)
    return [q for i, q in enumerate(found) if not i or q.start != found[i - 1].start]
