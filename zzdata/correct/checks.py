"""The checks of one correction row, each with a message that says what is wrong and what to do:
the fields against the catalog, the gazetteer, the period grammar and the fixed lists; the
figure's span against the text; and the rows against each other (duplicates, contradictions).

The build (apply.py) and `zzdata correct` (record.py) call these same functions, so a row the
command accepts is a row the build applies.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection, Iterable
from functools import lru_cache

from ..core import catalog, periods, vocab
from ..core.script import normalise
from ..extract.quantities import units

#: The fields a `set` or `add` row may give, in the order `facts.corrected` lists them.
FIELDS = ("indicator", "label", "period", "region", "status", "measure", "qualifier", "threshold", "value", "unit")
ACTIONS = ("drop", "set", "unfile", "add")
#: The facts columns the corrections add (data/columns.csv): the fields a correction set, its note.
CORRECTION_COLUMNS = ("corrected", "correction_note")
#: What an ``unfile`` row sets: no indicator (the figure leaves the series and stays in the facts).
UNFILED = {"indicator": ""}
#: Free-text fields: a spreadsheet runs a cell beginning with one of FORMULA_STARTS as a formula.
FREE_TEXT = ("label", "note")
FORMULA_STARTS = ("=", "+", "-", "@")
_WS = re.compile(r"[\s\u3000\u200b\ufeff]+")  # what may stand inside a printed figure
_TRUE, _FALSE = ("true",), ("false",)


def printed(span: str) -> str:
    """A span of raw text as `facts.value_text` gives a figure: the pipeline's character forms
    (half-width digits), white space removed."""
    return _WS.sub("", normalise(span))


def closest(value: str, names: Iterable[str], n: int = 3) -> list[str]:
    """The names nearest `value` (difflib), else those containing it: for `did you mean …`."""
    names = sorted({str(x) for x in names if str(x)})
    near = difflib.get_close_matches(value, names, n=n, cutoff=0.5)
    return near or [x for x in names if value and (value in x or x in value)][:n]


def _offer(value: str, names: Iterable[str], what: str) -> str:
    near = closest(value, names)
    return f"did you mean {', '.join(near)}?" if near else f"write one of {what}"


@lru_cache(maxsize=None)
def base_units() -> frozenset[str]:
    """The units a figure can have (zzdata/data/units.csv, column unit)."""
    return frozenset(u.unit for u in units().values())


def period_problem(period: str) -> str | None:
    """Why `period` is not a period of the facts' grammar (core/periods.py), or None."""
    ok = periods.kind(period) != "other" and periods.label(period) != period
    if ok:
        try:
            periods.label(period, "en")  # a month beyond 12
        except IndexError:
            ok = False
    if ok:
        return None
    return (f"period {period!r} does not parse; write a year (YYYY), years (YYYY-YYYY), months of a year "
            "(YYYY-01..MM) or up to a day (YYYY-01-01..MM-DD)")


def region_problem(region: str, known: Collection[str]) -> str | None:
    """Why `region` is not a region the tables can hold (the gazetteer's official name, or a region
    of the manifest), or None."""
    regions = catalog.regions()
    if region in regions or region in known:
        return None
    official = catalog.find_region(region)
    if official and region in regions[official].aliases:
        return f"region {region!r} is a short name; write the gazetteer's name {official}"
    return (f"region {region!r} is not in the gazetteer (zzdata/data/regions.csv) or the manifest; "
            + _offer(region, [*regions, *known], "its names"))


def indicator_problem(indicator: str) -> str | None:
    """Why `indicator` is not a catalog id (named by its successor when it was replaced), or None."""
    cat = catalog.indicators()
    if indicator in cat:
        return None
    after = [i.id for i in cat.values() if i.replaces == indicator]
    if after:
        return f"indicator {indicator!r} left the catalog: {after[0]} replaced it; write {after[0]}"
    return (f"indicator {indicator!r} is not in the catalog (zzdata/data/indicators.csv; `python -m zzdata "
            f"indicators` lists them); " + _offer(indicator, cat, "its ids"))


def field_problems(fields: dict[str, str], regions: Collection[str] = ()) -> tuple[list[str], list[str]]:
    """The problems of a row's fields: (refusing: the row is wrong, stale: its indicator is not (or
    no longer) in the catalog). `regions`: the manifest's regions, accepted beside the gazetteer's."""
    refuse: list[str] = []
    stale: list[str] = []
    for name, value in fields.items():
        if name == "indicator":
            problem = indicator_problem(value)
            if problem:
                stale.append(problem)
        elif name == "period":
            problem = period_problem(value)
            if problem:
                refuse.append(problem)
        elif name == "region":
            problem = region_problem(value, regions)
            if problem:
                refuse.append(problem)
        elif name in ("status", "measure", "qualifier"):
            allowed = {"status": vocab.STATUSES, "measure": vocab.MEASURES, "qualifier": vocab.QUALIFIERS}[name]
            if value not in allowed:
                refuse.append(f"{name} {value!r} is not one of {', '.join(allowed)}; "
                              + _offer(value, allowed, "them"))
        elif name == "threshold":
            if value.lower() not in (*_TRUE, *_FALSE):
                refuse.append(f"threshold {value!r} is neither True nor False; write True (a milestone passed) or False")
        elif name == "value":
            try:
                ok = math.isfinite(float(value))
            except ValueError:
                ok = False
            if not ok:
                refuse.append(f"value {value!r} is not a number; write it in base units (5e10 for 500亿元, "
                              "6.5 for 6.5%)")
        elif name == "unit":
            if value not in base_units():
                refuse.append(f"unit {value!r} is not a base unit (zzdata/data/units.csv); "
                              + _offer(value, base_units(), "its units"))
        if name in FREE_TEXT and value.startswith(FORMULA_STARTS):
            refuse.append(formula_problem(name))
    return refuse, stale


def formula_problem(name: str) -> str:
    return (f"the {name} begins with {'/'.join(FORMULA_STARTS)}, which a spreadsheet runs as a formula; "
            "begin it with a word")


def threshold_value(text: str) -> bool:
    """A checked threshold field as a bool."""
    return text.lower() in _TRUE


def span_problem(text: str | None, start: int, end: int, value_text: str, file: str) -> str | None:
    """Why chars start..end of `text` do not hold the figure `value_text` (None: they do), saying
    what changed: the report gone, the span beyond its end, other characters there, the figure
    printed elsewhere now."""
    redo = "; find the figure again (python -m zzdata query) and correct it anew, then delete this row"
    if text is None:
        return f"the report {file} is gone (no such file, or no row in sources.csv); restore it or delete this row"
    if end > len(text):
        return f"chars {start}-{end} lie beyond the end of {file} ({len(text)} characters){redo}"
    now = printed(text[start:end])
    if now == value_text:
        return None
    moved = [m.start() for m in re.finditer(re.escape(value_text), normalise(text))] if value_text else []
    where = ""
    if moved:
        nearest = min(moved, key=lambda m: abs(m - start))
        where = f"; {value_text} is printed at char {nearest} now ({nearest - start:+d})"
    return f"chars {start}-{end} of {file} hold {now!r}, not {value_text!r}{where}{redo}"
