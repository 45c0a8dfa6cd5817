"""Regular expressions built from word lists, shared by the extraction and the catalog."""

from __future__ import annotations

import re


def alternation(words) -> str:
    """A regex alternation of the words, longest first, so that the longest printed form wins.

    Written as a trie (`个(?:工作日|百分点|月|)|千(?:瓦时|瓦|米)|…|[%亩件…]`): words are grouped
    under their first character, in the order they would be tried, and lone one-character words
    form one class. Words with different first characters never match at the same place, so
    the engine picks the same word as from the flat list, without trying 60 words one by one.
    """
    ordered = sorted(words, key=len, reverse=True)
    groups: dict[str, list[str]] = {}
    for w in ordered:
        groups.setdefault(w[:1], []).append(w[1:])
    branches, singles = [], []
    for first, rests in groups.items():
        if first == "":
            continue  # the empty word: added last, after every longer one
        if rests == [""]:
            singles.append(first)
        elif len(rests) == 1:
            branches.append(re.escape(first + rests[0]))
        else:
            branches.append(re.escape(first) + f"(?:{alternation(rests)})")
    if singles:
        branches.append(re.escape(singles[0]) if len(singles) == 1 else
                        "[" + "".join(re.escape(c) for c in singles) + "]")
    if "" in groups:
        branches.append("")
    return "|".join(branches)
