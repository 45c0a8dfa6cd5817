"""Read `data/raw/corrections.csv`, the researcher's hand corrections: one row per figure to
drop, set or add, checked row by row.

A wrong row is left out with a message naming the file, the line, what is wrong and what to
do; the other rows still apply, and the build still succeeds. A missing file is no
corrections. The file is read as it is and never rewritten (record.py only appends to it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..core import schema
from ..core.errors import InputError, ProblemsError
from ..ingest.decode import decode
from ..ingest.manifest import CORRECTIONS, folder_name
from .conflicts import left_out_by_conflicts
from .checks import ACTIONS, FIELDS, FREE_TEXT, FORMULA_STARTS, UNFILED, field_problems, formula_problem

COLUMNS = tuple(schema.columns("raw_corrections"))  # data/columns.csv, in the file's order
KEY = ("file", "start", "end", "value_text")  # the figure a row is about
REQUIRED = (*KEY, "action", "note")  # without these columns no row can be read
UTF8 = ("utf-8", "utf-8-sig")

#: Outcomes of a row (the processed table's `outcome`).
APPLIED, STALE, REFUSED = "applied", "stale", "refused"


class CorrectionError(ProblemsError):
    """A correction refused: `problems` holds one message each (file, line, what, what to do)."""


@dataclass(frozen=True)
class Row:
    """One correction whose fields passed the checks (it may still be stale against the text)."""

    line: int
    file: str
    start: int
    end: int
    value_text: str
    action: str
    fields: tuple[tuple[str, str], ...]  # the fields it gives, in FIELDS order
    note: str

    @property
    def key(self) -> tuple[str, int, int, str]:
        return self.file, self.start, self.end, self.value_text

    def given(self) -> dict[str, str]:
        """The fields the row sets: those it gives, or for an unfile row no indicator."""
        return dict(UNFILED) if self.action == "unfile" else dict(self.fields)


@dataclass
class Reading:
    """What the file holds: the rows that passed, and per line the values as written and, for a
    row left out, its outcome and problem."""

    path: Path
    where: str  # how messages name the file: data/raw/corrections.csv
    rows: list[Row] = field(default_factory=list)
    written: dict[int, dict[str, str]] = field(default_factory=dict)  # line -> the row as written
    left_out: dict[int, tuple[str, str]] = field(default_factory=dict)  # line -> (outcome, problem)
    problems: list[str] = field(default_factory=list)  # every message, in line order
    encoding: str = "utf-8"
    header: list[str] = field(default_factory=list)

    def leave_out(self, line: int, outcome: str, problem: str) -> None:
        self.left_out[line] = (outcome, problem)
        self.problems.append(message(self.where, line, outcome, problem))


def message(where: str, line: int, outcome: str, problem: str) -> str:
    """How a row's problem is said: the file, the line, stale or not, what is wrong and what to do."""
    said = {STALE: "stale, applied to nothing: ", REFUSED: "refused: "}.get(outcome, "")
    return f"{where} line {line}: {said}{problem}"


def where_of(raw_dir: Path) -> str:
    return f"{folder_name(Path(raw_dir))}{CORRECTIONS}"


def read_rows(raw_dir: Path, regions: frozenset[str] | set[str] = frozenset()) -> Reading:
    """The corrections of `raw_dir` (none when the file is missing), checked; `regions`: the
    manifest's regions, accepted beside the gazetteer's."""
    path = Path(raw_dir) / CORRECTIONS
    data = path.read_bytes() if path.is_file() else None
    return parse(data, path, where_of(raw_dir), regions)


def parse(data: bytes | None, path: Path, where: str, regions: frozenset[str] | set[str] = frozenset()) -> Reading:
    """`read_rows` on the file's bytes (None: no file)."""
    reading = Reading(path, where)
    if data is None:
        return reading
    try:
        decoded = decode(data, where)
    except InputError as err:
        reading.problems.append(f"{err}; no correction was applied")
        return reading
    reading.encoding = decoded.encoding
    if decoded.encoding not in UTF8:
        reading.problems.append(f"{where}: encoded in {decoded.encoding.upper()}, not UTF-8; its rows were read and "
                                f"applied, but save it as UTF-8 (e.g. `iconv -f {decoded.encoding} -t UTF-8`) so "
                                "that `zzdata correct` can append to it")
    try:
        records = list(_records(decoded.text))
    except csv.Error as err:
        reading.problems.append(f"{where}: not a readable CSV file ({err}); save it as comma-separated UTF-8 with "
                                f"the header {','.join(COLUMNS)}; no correction was applied")
        return reading
    if not records:
        return reading
    _, header = records[0]
    header = [h.strip() for h in header]
    reading.header = header
    missing = [c for c in COLUMNS if c not in header]
    extra = [h for h in header if h not in COLUMNS]
    doubled = sorted({h for h in header if header.count(h) > 1})
    fatal = [c for c in REQUIRED if c not in header]
    if missing or extra or doubled:
        what = "; ".join(part for part in (
            f"lacks the column(s) {', '.join(missing)}" if missing else "",
            f"has column(s) that are not corrections' ({', '.join(extra)}: ignored)" if extra else "",
            f"names {', '.join(doubled)} twice" if doubled else "") if part)
        reading.problems.append(f"{where} line 1: the header {what}; it must be {','.join(COLUMNS)}"
                                + ("; no correction was applied" if fatal or doubled else ""))
    for line, values in records[1:]:
        if not any(v.strip() for v in values):
            continue
        row = {h: v.strip() for h, v in zip(header, values) if h in COLUMNS}
        reading.written[line] = {c: row.get(c, "") for c in COLUMNS}
        if fatal or doubled:
            reading.leave_out(line, REFUSED, "the file's header is wrong (see line 1); fix it")
            continue
        if len(values) != len(header):
            reading.leave_out(line, REFUSED, f"{len(values)} fields where the header has {len(header)}; "
                                             "quote fields that contain commas")
            continue
        checked = check_row(line, reading.written[line], regions)
        if isinstance(checked, Row):
            reading.rows.append(checked)
        else:
            reading.leave_out(line, *checked)
    for line, problem in left_out_by_conflicts(reading.rows).items():
        reading.leave_out(line, REFUSED, problem)
    reading.rows = [r for r in reading.rows if r.line not in reading.left_out]
    reading.problems.sort(key=line_of)
    return reading


def line_of(message: str) -> int:
    """A message's line (0 for the file's own), to list the messages in line order."""
    head = message.split(": ", 1)[0]
    tail = head.rsplit(" line ", 1)
    return int(tail[1]) if len(tail) == 2 and tail[1].isdigit() else 0


def _records(text: str):
    """(first line, values) of each CSV record (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    done = 0
    for values in reader:
        yield done + 1, values
        done = reader.line_num


def check_row(line: int, values: dict[str, str], regions: frozenset[str] | set[str] = frozenset()) -> Row | tuple[str, str]:
    """A row as written, checked on its own: the Row, or (outcome, problem) when it is left out."""
    problems: list[str] = []
    action = values.get("action", "")
    if action not in ACTIONS:
        problems.append(f"action {action!r} is not one of {', '.join(ACTIONS)}; write drop (not a figure), set "
                        "(change fields), unfile (a figure, but of no indicator of the catalog) or add (a figure "
                        "the build missed)")
    if not values.get("file"):
        problems.append("file is empty; give the report's file name in data/raw/")
    offsets = []
    for name in ("start", "end"):
        text = values.get(name, "")
        if not text.isdigit():
            problems.append(f"{name} {text!r} is not a character offset (a whole number ≥ 0); copy it from the "
                            "fact (facts.csv, or `python -m zzdata show FACT_ID`)")
        offsets.append(int(text) if text.isdigit() else 0)
    if all(values.get(n, "").isdigit() for n in ("start", "end")) and offsets[1] <= offsets[0]:
        problems.append(f"end {offsets[1]} is not after start {offsets[0]}; a figure spans start..end")
    if not values.get("value_text"):
        problems.append("value_text is empty; give the figure as printed (facts.value_text)")
    note = values.get("note", "")
    if not note:
        problems.append("the note is empty; say why the figure is corrected")
    elif note.startswith(FORMULA_STARTS):
        problems.append(formula_problem("note"))
    given = {f: values[f] for f in FIELDS if values.get(f, "")}
    if action in ("drop", "unfile") and given:
        problems.append(f"a{'n' if action == 'unfile' else ''} {action} row gives fields ({', '.join(given)}); leave "
                        "them empty, or set them in a set row" + (" of its own" if action == "unfile" else ""))
    if action == "set" and not given:
        problems.append("a set row gives no field; give at least one of " + ", ".join(FIELDS))
    if action == "add" and not (given.get("indicator") or given.get("label")):
        problems.append("an add row needs an indicator or a label (what the figure measures)")
    refuse, stale = field_problems(given, regions)
    problems += refuse
    if problems:
        return REFUSED, "; ".join(problems)
    if stale:
        return STALE, "; ".join(stale)
    return Row(line, values["file"], offsets[0], offsets[1], values["value_text"], action,
               tuple(given.items()), note)


__all__ = ["APPLIED", "COLUMNS", "CORRECTIONS", "CorrectionError", "FREE_TEXT", "KEY", "REFUSED", "Reading", "Row",
           "STALE", "check_row", "message", "parse", "read_rows", "where_of"]
