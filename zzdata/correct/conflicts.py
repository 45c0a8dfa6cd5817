"""Rows that cannot all be right: the same correction twice, or two rows about one figure that
contradict each other (a drop and a set, two values for one field, two adds). The later of two
duplicates is left out; every row of a contradiction is, since only the researcher can say
which is wrong.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rows import Row


def _lines(rows) -> str:
    lines = [str(r.line) for r in rows]
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(lines)


UNFILES = "unfiles it"


def _sets(name: str, value: str, sets: str = "") -> str:
    """What a row does to a field, in a message: sets indicator to 'gdp' (`sets` says how it
    begins: "sets indicator to", or "to" after another row's), or that it unfiles the figure."""
    return UNFILES if name == "indicator" and not value else f"{sets or f'sets {name} to'} {value!r}"


def left_out_by_conflicts(rows: list[Row]) -> dict[int, str]:
    """line -> why the row is left out, for duplicates and contradictions among `rows`."""
    by_key: dict[tuple, list[Row]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r.line):
        by_key[r.key].append(r)
    out: dict[int, str] = {}
    for group in by_key.values():
        if len(group) < 2:
            continue
        first: dict[tuple, int] = {}
        kept = []
        for r in group:
            sig = (r.action, r.fields)
            if sig in first:
                out[r.line] = (f"duplicate of line {first[sig]} (the same figure, action and fields); "
                               "delete one of them")
            else:
                first[sig] = r.line
                kept.append(r)
        drops = [r for r in kept if r.action == "drop"]
        others = [r for r in kept if r.action != "drop"]
        if drops and others:
            for r in drops:
                out[r.line] = (f"drops the figure that {_lines(others)} {'/'.join(sorted({o.action for o in others}))}; "
                               "they contradict each other: delete the rows that are wrong")
            for r in others:
                out[r.line] = (f"{r.action}s a figure that {_lines(drops)} drops; they contradict each other: "
                               "delete the rows that are wrong")
            continue
        adds = [r for r in kept if r.action == "add"]
        for r in adds[1:]:
            out[r.line] = (f"the figure is added on line {adds[0].line} already; merge the two rows, or change "
                           "the added figure's fields with a set row")
        values: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
        for r in kept:
            if r.line not in out:
                for name, value in r.given().items():  # an unfile row: no indicator
                    values[name][value].append(r)
        for name, by_value in values.items():
            if len(by_value) < 2:
                continue
            for value, setters in by_value.items():
                rivals = [(v, o) for v, rs in by_value.items() if v != value for o in rs]
                to = "to" if _sets(name, value) != UNFILES else f"sets {name} to"
                said = "; ".join(f"line {o.line} {_sets(name, v, to)}" for v, o in sorted(rivals, key=lambda p: p[1].line))
                for r in setters:
                    out.setdefault(r.line, f"{_sets(name, value)}, {said}: they contradict each other; "
                                           "delete the row that is wrong")
    return out
