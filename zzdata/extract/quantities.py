"""Find the quantities in a clean text: numbers with their multiplier, unit and qualifier.

Only numbers written in Arabic digits are quantities (docs/conventions.md). Years, dates,
ordinals in names (第4个, 6号线), codes (1210监管模式, “1+15+15”, 5G, PM2.5) and top-N claims
(20强) are recognised and left out. Units and nouns for people come from the package's
data files (`data/units.csv`, `data/people_nouns.csv`), not from code.
"""

from __future__ import annotations

import csv
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..core.patterns import alternation

MULTIPLIERS = {"万亿": 1e12, "千万": 1e7, "亿": 1e8, "万": 1e4}


def _qualifier_rows() -> list[dict[str, str]]:
    with resources.files("zzdata").joinpath("data/qualifiers.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


#: Qualifier words (data/qualifiers.csv) before a number (超过, 近, 约 …) and after it (以上, 多, 左右 …),
#: word -> over, about or under, in the file's order.
QUALIFIER_BEFORE = {r["word"]: r["qualifier"] for r in _qualifier_rows() if r["position"] == "before"}
QUALIFIER_AFTER = {r["word"]: r["qualifier"] for r in _qualifier_rows() if r["position"] == "after"}
#: A qualifier word after one of these characters ends another word (签约, 最近, 赶超): no qualifier.
_NOT_QUALIFIER = {r["word"]: r["not_after"] for r in _qualifier_rows() if r["not_after"]}


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


def _optional(pattern: str) -> str:
    """`(?:pattern|)`: reads exactly as `(?:pattern)?`, but `re` runs it as a plain alternative
    instead of a repeat with its bookkeeping (the quantity pattern matches a fifth faster)."""
    return f"(?:{pattern}|)"


@lru_cache(maxsize=None)
def _quantity_re() -> re.Pattern:
    """A number with what may follow it. A 第 before it (a rank) is looked at by the caller.

    The number is written `\\d(?:\\d*…|\\d*…)`, which reads exactly as `\\d+…|\\d+…`, so that the
    pattern opens with a digit class: `re` then skips in C to the next digit instead of trying
    a match at every position.
    """
    unit_alt = alternation(u for u in units() if u != "位")
    noun_alt = alternation(people_nouns())
    decimals = _optional(r"\.\d+")
    return re.compile(
        rf"(?P<num>\d(?:\d*(?:,\d{{3}})+{decimals}|\d*{decimals}))"
        + _optional(r"(?P<a1>多|余)")
        + _optional(rf"(?P<mult>{alternation(MULTIPLIERS)})")
        + _optional(r"(?P<a2>多|余)")
        + _optional(rf"(?P<unit>{unit_alt})|(?P<noun>{noun_alt})")
        + _optional(f"(?P<post>{'|'.join(QUALIFIER_AFTER)})")
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
    threshold: bool = False  # a milestone passed (突破2万亿元, 跨越…两个台阶), not a level: extract/numbers.py


def parse_number(text: str) -> float:
    """`1,450` -> 1450.0; `13.93` -> 13.93."""
    return float(text.replace(",", ""))


_MULTIPLIER_DIGITS = {word: len(str(int(factor))) for word, factor in MULTIPLIERS.items()}  # 万 -> 5


def scale(number: str, multiplier: str | None) -> float:
    """Apply a Chinese multiplier: ('13.93', '万') -> 139300.0, exact to the printed digits."""
    value = float(number.replace(",", ""))  # parse_number, inlined: this runs once per number
    if not multiplier:
        return value
    value *= MULTIPLIERS[multiplier]
    dot = number.find(".")  # float() above has refused any number with two dots
    if dot < 0:
        return value  # a whole number times 10^k is whole: rounding to k digits leaves it as it is
    decimals = len(number) - dot - 1
    return round(value, max(0, decimals - _MULTIPLIER_DIGITS[multiplier] + 1))


_new_object = object.__new__
_set_attribute = object.__setattr__  # a frozen dataclass refuses its own __setattr__, even for __dict__


def make_quantity(
    start: int, end: int, number: str, value: float, unit: str, kind: str, qualifier: str, value_text: str, lead: str,
    threshold: bool = False,
) -> Quantity:
    """`Quantity(...)`, built without the frozen dataclass's `object.__setattr__` per field.

    Those ten calls were a fifth of the time spent per number. The instance gets a `__dict__`
    with the fields in declaration order, as `__init__` would fill it (equal, same hash and
    pickle; tests/test_quantities.py checks it). `find_quantities` inlines the same two lines.
    """
    q = _new_object(Quantity)
    _set_attribute(q, "__dict__", {
        "start": start, "end": end, "number": number, "value": value, "unit": unit, "kind": kind,
        "qualifier": qualifier, "value_text": value_text, "lead": lead, "threshold": threshold,
    })
    return q


# What stands right before or after the digits of a code, a date or a name rather than a
# quantity: 5G, 6+N, F1H2O, 7×24, 1~11月, PM2.5, 2.0版, 6号线, 2月, 10强, 7·20, 点0, 周年.
# (A digit or a dot right before is the tail of a number already rejected.)
_NOT_BEFORE = frozenset(string.ascii_letters + "+×·∙/-~.")
_NOT_AFTER = frozenset(string.ascii_letters + "+×·∙/~" + "版号年月日届强")
_NOT_AFTER_IF_DIGIT_NEXT = frozenset(".-")  # 1.2.3, 1-11月
_NOT_AFTER_PAIRS = {"点": "点0", "周": "周年"}
_QUOTES_OPEN = frozenset("“\"‘'「『《")
_QUOTES_CLOSE = "”\"’'」』》"  # a str: the end of the text ("") counts as a closing quote too
# Every character after the digits that one of the tests above may reject: any other passes
# them all at once (as does the first character of most units, 万 and 亿).
_AFTER_SUSPECT = _NOT_AFTER | _NOT_AFTER_IF_DIGIT_NEXT | frozenset(_NOT_AFTER_PAIRS) | frozenset(_QUOTES_CLOSE)
_RANK_END = ("位", "名")
_CLAUSE_END = frozenset("，。；、,;）)”和及与")


@lru_cache(maxsize=None)
def unit_readings() -> dict[str, tuple[str, str]]:
    """Printed unit -> (unit, kind), the two fields a quantity takes from the unit table."""
    return {printed: (u.unit, u.kind) for printed, u in units().items()}


@lru_cache(maxsize=None)
def _units_read_in_context() -> frozenset[str]:
    """The printed units that `unit_is_quantity` must look at; every other unit always counts."""
    return frozenset(
        printed for printed, u in units().items()
        if u.kind in ("duration", "rank") or "工作日" in printed or u.unit in ("个月", "个季度")
    )


def unit_is_quantity(text: str, printed: str, kind: str, before: str, end: int, post: str | None) -> bool:
    """False if the number with this unit names something rather than counts it."""
    if kind == "duration" and not ends_clause(text, end):
        return False  # `240小时过境免签政策`, `15分钟生活圈`: part of a name
    if "工作日" in printed and text.startswith("内", end - len(post or "")):
        return False  # `3个工作日内办结` names a service category
    if printed in ("个月", "个季度") and before == "前":
        return False  # `前11个月`, `前3个季度` are periods, not quantities
    if printed == "季度" and before != "续":
        return False  # `连续四季度` counts quarters; `4季度`, `四季度` alone name the fourth one
    return kind != "rank"


def ends_clause(text: str, at: int) -> bool:
    """True if the text ends at `at` or a clause break, space or 和/及/与 stands there."""
    char = text[at : at + 1]
    return not char or char in _CLAUSE_END or char.isspace()


def _rejected_after(text: str, num_end: int, before: str, after: str) -> bool:
    """True if the character after the digits (`after`, one of `_AFTER_SUSPECT`) makes the number
    part of a code, a date or a name."""
    if after in _NOT_AFTER:
        return True
    if after in _NOT_AFTER_IF_DIGIT_NEXT and text[num_end + 1 : num_end + 2].isdecimal():  # as `\d` reads
        return True
    if after in _NOT_AFTER_PAIRS and text.startswith(_NOT_AFTER_PAIRS[after], num_end):
        return True
    return before in _QUOTES_OPEN and after in _QUOTES_CLOSE  # “1566”, “982” are names


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in a clean text, in order; non-quantities are skipped.

    This loop runs once per number, so the common case (digits and a unit) is kept to few
    operations: bare numbers are dropped first, and the rarer tests sit behind set lookups.
    """
    found: list[Quantity] = []
    append = found.append
    readings = unit_readings()
    in_context = _units_read_in_context()
    nouns = people_nouns()
    prev_end = 0
    for m in _quantity_re().finditer(text):
        num, a1, mult, a2, unit_printed, noun, post = m.groups()
        s, e = m.span()
        before = text[s - 1 : s]  # "" at the start of the text
        if before == "第" and s - 1 >= prev_end:  # a rank, unless the 第 ended the previous match
            prev_end = e
            q = _rank(text, s - 1, num, bool(mult or unit_printed or noun))
            if q:
                append(q)
            continue
        prev_end = e
        if not (unit_printed or noun or mult):
            continue  # a bare number: a year, a code, a name (1210监管模式, 728创新港)
        if before in _NOT_BEFORE or before.isdigit():
            continue
        num_end = s + len(num)
        after = text[num_end]  # a multiplier, unit or noun (or 多/余 before one) follows the digits
        if after in _AFTER_SUSPECT and _rejected_after(text, num_end, before, after):
            continue
        if unit_printed:
            unit, kind = readings[unit_printed]
            if unit_printed in in_context and not unit_is_quantity(text, unit_printed, kind, before, e, post):
                continue
        elif noun:
            unit, kind = nouns[noun], "people"
            e -= len(post or "") + len(noun)  # the value ends where the noun starts
            post = None  # after a noun, 以上/多 is not read as a qualifier
        elif "人" in text[max(0, s - 6) : s]:  # (a multiplier was read)
            unit_printed = ""  # `人才总量超300万`: people, counted without a measure word
            unit, kind = "人", "people"
            post = None  # nor after a bare 万 (it stays in the value text)
        else:
            continue  # a number with a bare multiplier is not counted
        if a1 or a2:
            qualifier = "over"
        elif post:
            qualifier = QUALIFIER_AFTER[post]
        else:
            qualifier = "none"
        # A qualifier word ends right before the number (or before a line break there).
        lead = qualifier_before(text, s) if before in _LEAD_BEFORE else None
        if lead:
            qualifier = QUALIFIER_BEFORE[lead]
        else:
            lead = ""
        value_end = e - len(post) if post else e
        if a2 and not unit_printed:
            value_end = m.end("a2")
        value_text = text[s:value_end]
        if "多" in value_text or "余" in value_text:
            value_text = value_text.replace("多", "").replace("余", "")
        if mult:
            value = scale(num, mult)
        else:  # scale() without a multiplier, inlined
            value = float(num.replace(",", "")) if "," in num else float(num)
        q = _new_object(Quantity)  # make_quantity(), inlined
        _set_attribute(q, "__dict__", {
            "start": s, "end": value_end, "number": num, "value": value, "unit": unit, "kind": kind,
            "qualifier": qualifier, "value_text": value_text, "lead": lead, "threshold": False,
        })
        append(q)
    return found


_QUALIFIER_LENGTHS = sorted({len(w) for w in QUALIFIER_BEFORE}, reverse=True)
_QUALIFIER_LAST = frozenset(w[-1] for w in QUALIFIER_BEFORE)
_LEAD_BEFORE = _QUALIFIER_LAST | {"\n"}  # what may stand right before a number led by a qualifier word


def qualifier_before(text: str, start: int) -> str | None:
    """The qualifier word right before a number (超过, 近, 约 …), unless it ends another word (签约).

    Only the 4 characters before the number are read; a line break right before the number is
    stepped over (the word may end the previous line, as a regex `$` allows).
    """
    end = start - 1 if start > 0 and text[start - 1] == "\n" else start
    if end <= 0 or text[end - 1] not in _QUALIFIER_LAST:
        return None
    lowest = max(0, start - 4)
    for length in _QUALIFIER_LENGTHS:  # the longest word ending at `end` wins
        at = end - length
        if at < lowest:
            continue
        word = text[at:end]
        if word in QUALIFIER_BEFORE:
            # A shorter word inside the longest one is never tried (签约 is not 约).
            if at > 0 and text[at - 1] in _NOT_QUALIFIER.get(word, ""):
                return None
            return word
    return None


def _rank(text: str, start: int, num: str, more: bool) -> Quantity | None:
    """`第15位`, `第 8位`, `居第18位、第22位`: a rank. `第4个`, `第二批`: an ordinal, skipped.

    `start` is where 第 stands; `more` says a multiplier, unit or noun was read after the number.
    """
    num_end = start + 1 + len(num)
    if text.startswith(_RANK_END, num_end):
        end = num_end + 1
    elif not more and ends_clause(text, num_end):
        end = num_end
    else:
        return None
    return make_quantity(start, end, num, parse_number(num), "位", "rank", "none", text[start:end], "")
