"""The curated knowledge shipped with the package: indicators, regions, cue words, themes.

All of it lives in CSV files under `zzdata/data/`, so adding an indicator or an alias is a
one-line edit of a data file, not a code change.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .patterns import alternation
from .vocab import DEFAULT_THEME


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("zzdata").joinpath(f"data/{name}").open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@lru_cache(maxsize=None)
def check_limit(name: str) -> float:
    """A limit of the checks of `make validate` (zzdata/data/check_limits.csv: growth_gap, …)."""
    limits = {r["name"]: float(r["value"]) for r in _rows("check_limits.csv")}
    if name not in limits:
        raise KeyError(f"no limit {name!r} in zzdata/data/check_limits.csv (known: {', '.join(sorted(limits))})")
    return limits[name]


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    name_en: str
    theme: str
    unit: str
    measure: str
    aliases: tuple[str, ...]
    better: str = "higher"  # "lower" for rates such as unemployment and prices
    additive: bool = True  # its amounts add up over regions (a district can be a share of the city)
    replaces: str = ""  # the indicator it replaced under a different definition (农民人均纯收入 -> 可支配收入)
    break_year: int | None = None  # first year of a new definition (under this name or after `replaces`)
    break_note: str = ""
    min: float | None = None  # plausible range of its values in `unit` (see `plausible_range`)
    max: float | None = None
    max_ratio: float | None = None  # largest plausible factor between two consecutive years' levels


def _number(text: str) -> float | None:
    return float(text) if text else None


@lru_cache(maxsize=None)
def indicators() -> dict[str, Indicator]:
    """The indicator catalog, id -> Indicator (aliases include the Chinese name)."""
    out = {}
    for r in _rows("indicators.csv"):
        aliases = [a.strip() for a in r["aliases"].split("|") if a.strip()]
        if r["name_zh"] not in aliases:
            aliases.append(r["name_zh"])
        out[r["id"]] = Indicator(r["id"], r["name_zh"], r["name_en"], r["theme"], r["unit"], r["measure"], tuple(aliases),
                                r["better"] or "higher", r["additive"] != "no", r.get("replaces", ""),
                                int(r["break_year"]) if r.get("break_year") else None, r.get("break_note", ""),
                                _number(r.get("min", "")), _number(r.get("max", "")), _number(r.get("max_ratio", "")))
    return out


#: The plausible range where the catalog gives none (docs/conventions.md, "Plausible ranges"):
#: a level is not negative; a share in % lies in 0..100; a growth rate in -50..+100 %; two
#: consecutive years' levels differ by a factor of at most 3.
DEFAULT_LEVEL_MIN = 0.0
DEFAULT_SHARE_RANGE = (0.0, 100.0)
DEFAULT_GROWTH_RANGE = (-50.0, 100.0)
DEFAULT_MAX_RATIO = 3.0


def plausible_range(ind: Indicator, measure: str, unit: str) -> tuple[float | None, float | None]:
    """(low, high) that a figure of the indicator with this measure and unit should lie in
    (None: no bound). The catalog's `min`/`max` bound the figures in the indicator's own unit and
    main measure (levels in 元, rates in %, a price rise in %); the defaults bound the rest."""
    if unit == ind.unit and (measure == ind.measure or (measure == "level" and ind.measure != "growth")):
        if ind.min is not None or ind.max is not None:
            return ind.min, ind.max
    if measure == "growth":
        return DEFAULT_GROWTH_RANGE
    if measure == "share" and unit == "%":
        return DEFAULT_SHARE_RANGE
    if measure == "level":
        return DEFAULT_LEVEL_MIN, None
    return None, None


def max_ratio(ind: Indicator) -> float:
    """The largest plausible factor between the levels of two consecutive years."""
    return ind.max_ratio if ind.max_ratio else DEFAULT_MAX_RATIO


def successor(ind_id: str) -> str | None:
    """The indicator that replaced this one under a new definition, if any."""
    for ind in indicators().values():
        if ind.replaces == ind_id:
            return ind.id
    return None


def break_between(ind_id: str, year_a: int, year_b: int) -> str | None:
    """Why the values of an indicator in two years are not one series (a definitional break
    between them), or None. A comparison across a break is never made silently."""
    ind = indicators().get(ind_id)
    if ind is None or ind.break_year is None:
        return None
    low, high = sorted((int(year_a), int(year_b)))
    if low < ind.break_year <= high:
        return ind.break_note or f"{ind.id}: new definition from {ind.break_year}"
    return None


@lru_cache(maxsize=None)
def non_additive_units() -> frozenset[str]:
    """Base units whose amounts never add up over regions (days, %, ranks: units.csv `additive`)."""
    return frozenset(r["unit"] for r in _rows("units.csv") if r["additive"] == "no")


@lru_cache(maxsize=None)
def label_words(role: str) -> tuple[str, ...]:
    """Words of one role in labels (data/label_words.csv), in the file's order: ``trailing`` (a
    label never ends with them), ``leading`` (never starts with them), ``generic`` (not a label
    on their own), ``verb_before`` (the verb right before a number)."""
    words = tuple(r["word"] for r in _rows("label_words.csv") if r["role"] == role)
    if not words:
        raise KeyError(f"no label words of role {role!r} in zzdata/data/label_words.csv")
    return words


def indicator_rows() -> list[dict[str, str]]:
    """The catalog as it is in the file, for indicators.csv and the Excel workbook."""
    return _rows("indicators.csv")


def _owners(pairs) -> dict[str, str]:
    """word -> what the first (word, owner) pair listing the word gives it (later ones are ignored)."""
    owner: dict[str, str] = {}
    for word, who in pairs:
        owner.setdefault(word, who)
    return owner


def _first_chars_re(words) -> re.Pattern:
    """A one-character class of the characters the words begin with (a cheap first test)."""
    return re.compile("[" + "".join(sorted({re.escape(w[0]) for w in words})) + "]")


@lru_cache(maxsize=None)
def _alias_owner() -> dict[str, str]:
    """alias -> the indicator that owns it (the first to list it)."""
    return _owners((alias, ind.id) for ind in indicators().values() for alias in ind.aliases)


@lru_cache(maxsize=None)
def _alias_trie() -> dict:
    """The aliases spelled backwards as a trie (char -> node; key "" holds the indicator id):
    walking back from a place in a span visits exactly the aliases that end there, longest last."""
    root: dict = {}
    for alias, ind_id in _alias_owner().items():
        node = root
        for ch in reversed(alias):
            node = node.setdefault(ch, {})
        node[""] = ind_id
    return root


@lru_cache(maxsize=None)
def _alias_tail_re() -> re.Pattern:
    """The reversed aliases as one regular expression (a trie, see `patterns.alternation`), to
    run on a reversed span: its first match is the longest alias ending closest to the span's end
    (a longer alias is tried before the shorter one it contains). One search in C replaces a
    Python walk over every place of the span, which is what most spans (naming no alias) need."""
    return re.compile(alternation(alias[::-1] for alias in _alias_owner()))


GENERIC_COUNTERS = frozenset("个家所项处座户")
ALIAS_WINDOW = 32  # an alias further than this before the number names something else


def compatible(ind: Indicator, unit: str, measure: str) -> bool:
    """Can a figure with this unit and measure be a value of the indicator?

    A growth rate fits any indicator; a level must share the indicator's unit (counting
    words such as 个/家/所 are interchangeable); a share or change in % must be a rate.
    """
    if measure == "growth" or measure == "rank":
        return True
    if unit == "百分点" and ind.unit == "%":
        return True  # a change of a rate in percentage points
    if unit == ind.unit:
        return True
    if unit in GENERIC_COUNTERS and ind.unit in GENERIC_COUNTERS:
        return True
    return False


def match_alias(span: str) -> tuple[str, int, int] | None:
    """The catalog alias standing closest to the end of `span` (the longest of those ending
    there), within ALIAS_WINDOW: (indicator id, start, end) of it in `span`, or None."""
    m = _alias_tail_re().search(span[::-1], 0, ALIAS_WINDOW)
    if m is None:
        return None
    end = len(span) - m.start()
    return _alias_owner()[m.group()[::-1]], end - len(m.group()), end


def match_indicator(span: str, unit: str | None = None, measure: str | None = None) -> tuple[str, int] | None:
    """The catalog indicator named in `span` closest to its end: (id, position after the alias).

    Overlapping aliases are all considered; the one ending last wins, then the longest. With
    `unit` and `measure`, indicators the figure cannot belong to are passed over.
    """
    # The reversed span searched only up to ALIAS_WINDOW (`endpos`), as if cut to the window.
    m = _alias_tail_re().search(span[::-1], 0, ALIAS_WINDOW)
    if m is None:
        return None  # no alias ends in the window
    end = len(span) - m.start()
    ind_id = _alias_owner()[m.group()[::-1]]
    if unit is None:
        return ind_id, end
    inds = indicators()
    if compatible(inds[ind_id], unit, measure or "level"):
        return ind_id, end
    floor = max(0, len(span) - ALIAS_WINDOW)
    # The closest alias does not fit the figure: walk back through all of them.
    root = _alias_trie()
    for end in range(end, floor, -1):
        node = root.get(span[end - 1])
        if node is None:
            continue
        found = []  # (indicator id) of the aliases ending at `end`, shortest first
        i = end - 1
        while node is not None:
            if "" in node:
                found.append(node[""])
            i -= 1
            node = node.get(span[i]) if i >= floor else None
        for ind_id in reversed(found):
            if compatible(inds[ind_id], unit, measure or "level"):
                return ind_id, end
    return None


_GROUP_COUNT = re.compile(r"[\d一二三四五六七八九十]+个")
_GROUP_PARENS = str.maketrans("（）", "()")


def _group_key(printed: str) -> str:
    """A rank group as looked up in rank_groups.csv: ASCII brackets, no spaces, no count (`八个`)."""
    return _GROUP_COUNT.sub("", printed.translate(_GROUP_PARENS)).replace(" ", "")


@lru_cache(maxsize=None)
def _rank_groups() -> dict[str, str]:
    return {_group_key(r["printed"]): r["group"] for r in _rows("rank_groups.csv")}


def rank_group(printed: str) -> str:
    """The group a rank is taken in, by its name in rank_groups.csv (`六县（市）` and
    `全市六县(市)` are both 全市六县(市), `九个国家中心城市` and `国家中心城市` the same group);
    a group the file does not know is returned as printed (ASCII brackets)."""
    printed = printed.strip()
    return _rank_groups().get(_group_key(printed), printed.translate(_GROUP_PARENS))


def is_rank_scope(word: str) -> bool:
    """True for a group that is a bare scope (全国, 全省, 全市): its name goes before 排名."""
    return word in ("全国", "全省", "全市")


@lru_cache(maxsize=None)
def rank_group_words() -> tuple[str, ...]:
    """The printed names of rank groups, longest first (for a group printed without a verb:
    `总带宽全国第9位`)."""
    return tuple(sorted({r["printed"] for r in _rows("rank_groups.csv")}, key=len, reverse=True))


@lru_cache(maxsize=None)
def contractions() -> dict[str, tuple[str, ...]]:
    """A printed contraction -> the items it stands for, in order (`存贷款` -> 存款, 贷款), the
    longest contraction first."""
    rows = sorted(_rows("contractions.csv"), key=lambda r: len(r["printed"]), reverse=True)
    return {r["printed"]: tuple(r["parts"].split("|")) for r in rows}


@dataclass(frozen=True)
class Region:
    name: str
    level: str
    kind: str
    parent: str
    aliases: tuple[str, ...]
    name_en: str = ""  # the official English name, for English charts


@lru_cache(maxsize=None)
def regions() -> dict[str, Region]:
    """The gazetteer of Zhengzhou: name -> Region."""
    out = {}
    for r in _rows("regions.csv"):
        aliases = tuple(a for a in r["aliases"].split("|") if a)
        out[r["name"]] = Region(r["name"], r["level"], r["kind"], r["parent"], aliases, r.get("name_en", ""))
    return out


@lru_cache(maxsize=None)
def _region_re() -> tuple[re.Pattern, dict[str, str]]:
    owner = _owners((alias, reg.name) for reg in regions().values() for alias in (reg.name, *reg.aliases))
    alt = "|".join(re.escape(a) for a in sorted(owner, key=len, reverse=True))
    # `华为中原区域总部` names no district; 全市/我市 always mean the report's own region.
    return re.compile(f"(?:{alt})(?!域)"), owner


@lru_cache(maxsize=None)
def region_aliases() -> tuple[str, ...]:
    """Every name and alias of the gazetteer as printed, longest first."""
    return tuple(sorted(_region_re()[1], key=len, reverse=True))


def find_regions(span: str) -> list[str]:
    """Every gazetteer region named in `span`, in order, each once (`巩义、中牟…`)."""
    pattern, owner = _region_re()
    out: list[str] = []
    for m in pattern.finditer(span):
        name = owner[m.group(0)]
        if name not in out:
            out.append(name)
    return out


@lru_cache(maxsize=None)
def region_starts() -> re.Pattern:
    """The characters a region's name or alias can begin with (a cheap first test)."""
    return _first_chars_re(_region_re()[1])


def region_spans(span: str) -> list[tuple[int, int, str]]:
    """Every gazetteer name or alias printed in `span`: (start, end, official name), in order."""
    pattern, owner = _region_re()
    return [(m.start(), m.end(), owner[m.group(0)]) for m in pattern.finditer(span)]


def find_region(span: str) -> str | None:
    """The last gazetteer region named in `span`, by its official name."""
    if region_starts().search(span) is None:
        return None
    pattern, owner = _region_re()
    found = None
    for m in pattern.finditer(span):
        found = owner[m.group(0)]
    return found


@lru_cache(maxsize=None)
def cues() -> dict[str, tuple[str, ...]]:
    """Cue words by kind (target, cumulative, growth, decline, change, preliminary, ...)."""
    out: dict[str, list[str]] = {}
    for r in _rows("cues.csv"):
        out.setdefault(r["kind"], []).append(r["cue"])
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@lru_cache(maxsize=None)
def theme_keywords() -> tuple[tuple[str, str], ...]:
    """(keyword, theme) pairs, longest keyword first."""
    pairs = [(r["keyword"], r["theme"]) for r in _rows("theme_keywords.csv")]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@lru_cache(maxsize=None)
def _theme_last_re() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern whose one match is the keyword starting last in a text, the longest of those
    starting there (group 1), and keyword -> theme. The greedy `.*` backs off from the text's end
    one place at a time; the lookahead rejects a place that starts no keyword with one set test,
    before the keywords' trie (`patterns.alternation`) is tried."""
    owner = _owners(theme_keywords())  # the first pair to list a keyword owns it
    starts = _first_chars_re(owner).pattern
    return re.compile(f"(?s:.*)(?={starts})({alternation(owner)})"), owner


def theme_in(text: str) -> str | None:
    """The theme of the keyword standing last in `text` (the longest where two start at the same
    place), or None when it names none."""
    pattern, owner = _theme_last_re()
    m = pattern.match(text)
    return None if m is None else owner[m.group(1)]


def theme_of(*texts: str) -> str:
    """The theme of a fact without an indicator: that of the first text naming a keyword
    (see `theme_in`), else the default theme (vocab.DEFAULT_THEME)."""
    for text in texts:
        theme = theme_in(text)
        if theme is not None:
            return theme
    return DEFAULT_THEME


@lru_cache(maxsize=None)
def any_cue_re(kinds: tuple[str, ...]) -> re.Pattern | None:
    """One alternation of the cue words of all these kinds, longest first: a text it finds nothing
    in contains no cue word of any of them (None when they have none)."""
    words = sorted({w for kind in kinds for w in cues().get(kind, ())}, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def cue_re(kind: str) -> re.Pattern | None:
    """One compiled alternation of the cue words of a kind (None when the kind has none)."""
    return any_cue_re((kind,))


def has_cue(text: str, kind: str) -> bool:
    """Does `text` contain a cue word of this kind?"""
    pattern = cue_re(kind)
    return bool(pattern and pattern.search(text))
