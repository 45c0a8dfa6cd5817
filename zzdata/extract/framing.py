"""Whose figure: the region a figure is about, read from its clause.

A figure is the document's region's own unless its clause gives another region's own figure:
that region is the clause's subject. It opens the clause (after punctuation, a date and the
words of cues.csv kind ``subject_lead``: `其中，巩义市地区生产总值增长6.8%`, `巩义、中牟登榜…`)
and is not framed by what follows it (kind ``frame_after``: `郑州市所辖县(市)中`, `郑州市的`,
`郑州市平均水平`) nor an example (kind ``example_end``: `…等6所学校`). A region named anywhere
else frames the figure or names something
(`增速在郑州市所辖县(市)中居第2位`, `占郑州市的18%`, `高于郑州市平均水平`,
`郑州外国语学校荥阳分校等6所学校`), and the figure stays the document's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core import catalog
from ..core.patterns import alternation

_LIST_JOIN = frozenset("、和及与")  # between two regions of one subject (`巩义、中牟`)


@lru_cache(maxsize=None)
def _lead() -> re.Pattern:
    """What may stand at the start of a clause before its subject: punctuation and spaces, a date
    (`2023年`, `1~11月`, `前三季度`) and the `subject_lead` words."""
    words = catalog.cues().get("subject_lead", ())
    dates = (r"\d{4}年度?(?:底|末)?|\d{1,2}\s*(?:[~～\-—至到]\s*\d{1,2})?月(?:份|底|末)?|前[一二三]季度"
             r"|截至(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:底|末)?")
    alt = f"|{alternation(words)}" if words else ""
    return re.compile(rf"(?:[\s、，,：:；;“”\"‘’（）()●]|{dates}{alt})*")


@lru_cache(maxsize=None)
def _cues(kind: str) -> tuple[str, ...]:
    return catalog.cues().get(kind, ())


def subject_regions(span: str) -> list[str]:
    """The regions that are the subject of the figures whose clause starts `span` (the words of the
    clause before the number), in the order listed (`高新区、经开区…居第18位、第22位`: both), or [] when
    the clause names none as its subject. A region printed right after its parent is the one meant:
    the longest name wins over a leading 郑州 (`郑州市高新区` is 郑州高新区)."""
    found = catalog.region_spans(span)
    if not found or span.rstrip().endswith(_cues("example_end")):
        return []  # `郑州外国语学校荥阳分校等6所学校`: the region names an example, not the subject
    at = _lead().match(span).end()
    regions = catalog.regions()
    subjects: list[str] = []
    k = 0
    while k < len(found):
        start, end, name = found[k]
        if start < at:
            k += 1
            continue  # inside the lead (cannot happen with the lead's words, kept for safety)
        if start != at:
            break
        while k + 1 < len(found) and found[k + 1][0] == end and regions[found[k + 1][2]].parent == name:
            k += 1
            start, end, name = found[k]  # 郑州市【高新区】: the child printed right after its parent
        subjects.append(name)
        rest = span[end:]
        if rest[:1] in _LIST_JOIN and len(rest) > 1:
            at = end + 1
            k += 1
            continue
        if rest.startswith(_cues("frame_after")):
            return []  # `郑州市所辖县(市)中`, `郑州市的`, `郑州市平均水平`
        break
    return subjects


def subject_region(span: str) -> str | None:
    """The region that is the subject of the figure whose clause starts `span`, or None. With
    several regions listed at the start (`巩义、中牟登榜…`), the last one (see `subject_regions`)."""
    found = subject_regions(span)
    return found[-1] if found else None
