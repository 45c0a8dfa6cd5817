"""Find the quantities in a clean text: numbers with their multiplier, unit and qualifier.

Only numbers written in Arabic digits are quantities (docs/conventions.md). Years, dates,
ordinals in names (第4个, 6号线), codes (1210监管模式, “1+15+15”, 5G, PM2.5) and top-N claims
(20强) are recognised and left out. Units and nouns for people come from the package's
data files (`data/units.csv`, `data/people_nouns.csv`), not from code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MULTIPLIERS = {"万亿": 1e12, "千万": 1e7, "亿": 1e8, "万": 1e4}
QUALIFIER_BEFORE = {
    "超过": "over", "超出": "over", "突破": "over", "超": "over", "逾": "over", "多于": "over",
    "将近": "about", "接近": "about", "近": "about", "约": "about", "大约": "about", "大概": "about",
    "不到": "under", "不足": "under", "不超过": "under", "低于": "under",
}
QUALIFIER_AFTER = {"以上": "over", "多": "over", "余": "over", "左右": "about", "以内": "under", "以下": "under"}


@dataclass(frozen=True)
class Unit:
    printed: str
    unit: str
    kind: str


@lru_cache(maxsize=None)
def units() -> dict[str, Unit]:
    """The unit table, printed form -> Unit."""
    with resources.files("zzdata").joinpath("data/units.csv").open(encoding="utf-8") as fh:
        return {r["printed"]: Unit(r["printed"], r["unit"], r["kind"]) for r in csv.DictReader(fh)}


@lru_cache(maxsize=None)
def people_nouns() -> dict[str, str]:
    """Nouns that count people or households when no measure word is printed (48万群众)."""
    with resources.files("zzdata").joinpath("data/people_nouns.csv").open(encoding="utf-8") as fh:
        return {r["noun"]: r["unit"] for r in csv.DictReader(fh)}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def _quantity_re() -> re.Pattern:
    unit_alt = _alternation(u for u in units() if u != "位")
    noun_alt = _alternation(people_nouns())
    return re.compile(
        r"(?P<rank>第)?"
        r"(?P<num>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        r"(?P<a1>多|余)?"
        rf"(?P<mult>{_alternation(MULTIPLIERS)})?"
        r"(?P<a2>多|余)?"
        rf"(?:(?P<unit>{unit_alt})|(?P<noun>{noun_alt}))?"
        r"(?P<post>以上|以下|左右|以内|多|余)?"
    )


@dataclass(frozen=True)
class Quantity:
    """One number as read: where it stands in the clean text and what it says."""

    start: int  # clean-text span of the printed quantity (number, multiplier, unit)
    end: int
    number: str
    value: float
    unit: str
    kind: str  # percent, points, money, people, count, rank, ...
    qualifier: str
    value_text: str
    lead: str = ""  # the qualifier word printed before the number (超, 近 …), part of no label


def parse_number(text: str) -> float:
    """`1,450` -> 1450.0; `13.93` -> 13.93."""
    return float(text.replace(",", ""))


def scale(number: str, multiplier: str | None) -> float:
    """Apply a Chinese multiplier: ('13.93', '万') -> 139300.0, exact to the printed digits."""
    value = parse_number(number)
    if multiplier:
        value *= MULTIPLIERS[multiplier]
        decimals = len(number.split(".")[1]) if "." in number else 0
        value = round(value, max(0, decimals - len(str(int(MULTIPLIERS[multiplier]))) + 1))
    return value


_CODE_BEFORE = re.compile(r"[A-Za-z+×·∙/\-~]$")
_CODE_AFTER = re.compile(r"^(?:[A-Za-z+×·∙/~]|[.\-]\d|版|号|年|月|日|届|强|点0|周年|倍)")
_QUOTES_OPEN = "“\"‘'「『《"
_QUOTES_CLOSE = "”\"’'」』》"
_RANK_END = re.compile(r"^(?:位|名)")
_AFTER_RANK_OK = re.compile(r"^(?:$|[，。；、,;）)”\s和及与]|\n)")


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in a clean text, in order; non-quantities are skipped."""
    found: list[Quantity] = []
    table = units()
    nouns = people_nouns()
    for m in _quantity_re().finditer(text):
        s, e = m.start("num"), m.end()
        before = text[max(0, s - 1) : s]
        after_num = text[m.end("num") : m.end("num") + 2]
        if m.group("rank"):
            q = _rank(text, m)
            if q:
                found.append(q)
            continue
        if s > 0 and (text[s - 1].isdigit() or text[s - 1] == "."):
            continue  # tail of something already rejected
        if _CODE_BEFORE.search(before) or _CODE_AFTER.match(after_num):
            continue
        if before and before in _QUOTES_OPEN and text[m.end("num") : m.end("num") + 1] in _QUOTES_CLOSE:
            continue  # “1566”, “982” are names
        unit_printed, noun = m.group("unit"), m.group("noun")
        if not unit_printed and not noun:
            if m.group("mult") and "人" in text[max(0, s - 6) : s]:
                unit_printed = ""  # `人才总量超300万`: people, counted without a measure word
            else:
                continue  # a bare number: a year, a code, a name (1210监管模式, 728创新港)
        if unit_printed and table[unit_printed].kind == "duration" and not _AFTER_RANK_OK.match(text[e : e + 1]):
            continue  # `240小时过境免签政策`, `15分钟生活圈`: part of a name
        if unit_printed and text[e - len(m.group("post") or "") : e + 1].startswith("内") and "工作日" in unit_printed:
            continue  # `3个工作日内办结` names a service category
        if unit_printed == "个月" and text[max(0, s - 1) : s] == "前":
            continue  # `前11个月` is a period, not a quantity
        if unit_printed == "":
            unit, kind = "人", "people"
        elif unit_printed:
            u = table[unit_printed]
            unit, kind = u.unit, u.kind
            if kind == "rank":
                continue
        else:
            unit, kind = nouns[noun], "people"
            e = m.start("noun")
            if m.group("post"):
                pass
        qualifier = "none"
        post = m.group("post") if unit_printed else None
        if post:
            qualifier = QUALIFIER_AFTER[post]
        if m.group("a1") or m.group("a2"):
            qualifier = "over"
        lead = _qualifier_before(text, s)
        if lead:
            qualifier = QUALIFIER_BEFORE[lead]
        value_end = e - (len(post) if post else 0)
        if not unit_printed and m.group("a2"):
            value_end = m.end("a2")
        value_text = text[s:value_end]
        for word in ("多", "余"):
            value_text = value_text.replace(word, "")
        value = scale(m.group("num"), m.group("mult"))
        found.append(Quantity(s, value_end, m.group("num"), value, unit, kind, qualifier, value_text, lead or ""))
    return found


_NOT_QUALIFIER = {"约": "签合节预公制条契", "近": "最附邻将接", "超": "赶"}


_QUALIFIER_RE = re.compile("(?:" + "|".join(re.escape(w) for w in sorted(QUALIFIER_BEFORE, key=len, reverse=True)) + ")$")


def _qualifier_before(text: str, start: int) -> str | None:
    """The qualifier word right before a number (超过, 近, 约 …), unless it ends another word (签约)."""
    window_start = max(0, start - 4)
    m = _QUALIFIER_RE.search(text, window_start, start)
    if not m:
        return None
    word, at = m.group(0), m.start()
    # The longest word ending at `start` wins; a shorter one inside it is never tried again.
    if at > 0 and text[at - 1] in _NOT_QUALIFIER.get(word, ""):
        return None
    return word


def _rank(text: str, m: re.Match) -> Quantity | None:
    """`第15位`, `第 8位`, `居第18位、第22位`: a rank. `第4个`, `第二批`: an ordinal, skipped."""
    s = m.start("rank")
    num_end = m.end("num")
    rest = text[num_end : num_end + 2]
    if _RANK_END.match(rest):
        end = num_end + 1
    elif not m.group("mult") and not m.group("unit") and not m.group("noun") and _AFTER_RANK_OK.match(rest):
        end = num_end
    else:
        return None
    return Quantity(s, end, m.group("num"), parse_number(m.group("num")), "位", "rank", "none", text[s:end])
