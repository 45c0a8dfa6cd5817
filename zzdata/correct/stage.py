"""The build's corrections stage: read data/raw/corrections.csv, apply it to the facts as read,
say what did not apply, and make the table of every row's outcome (data/processed/corrections.csv).

It runs after the extraction (whose per-document cache it leaves alone: editing the
corrections extracts no text again) and before the series.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..core import schema
from ..core.errors import InputError
from ..ingest.readers import raw_text
from .apply import Status, apply
from .rows import APPLIED, Reading, line_of, message, read_rows

TABLE_COLUMNS = schema.columns("corrections")  # data/columns.csv: the processed table


def run(raw_dir: Path, facts: pd.DataFrame, documents: pd.DataFrame,
        say: Callable[[str], None] = lambda _: None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(facts, documents, corrections table) with the corrections of `raw_dir` applied; `say`
    gets one line per row that did not apply (file, line, what changed or is wrong, what to do)."""
    regions = frozenset(documents["region"].astype(str)) if len(documents) else frozenset()
    reading = read_rows(raw_dir, regions)

    def text_of(file: str) -> str | None:
        try:
            return raw_text(Path(raw_dir) / file)
        except (OSError, InputError):
            return None

    facts, status = apply(facts, reading.rows, documents, text_of)
    table = outcome_table(reading, status)
    documents = documents.copy()
    applied = table[table["outcome"] == APPLIED]
    counts = applied.drop_duplicates("fact_id")["file"].value_counts()
    documents["n_corrected"] = documents["file"].map(counts).fillna(0).astype("int64") if len(documents) else \
        pd.Series(dtype="int64")
    for line in messages(reading, status):
        say(line)
    if reading.written:
        n = table["outcome"].value_counts()
        say(f"Corrections ({reading.where}): {n.get(APPLIED, 0)} applied, {n.get('stale', 0)} stale, "
            f"{n.get('refused', 0)} refused (data/processed/corrections.csv lists them)")
    return facts, documents, table


def messages(reading: Reading, status: Status) -> list[str]:
    """Every message of the rows and the file, in line order."""
    out = list(reading.problems)
    out += [message(reading.where, line, outcome, problem) for line, (outcome, _, problem) in status.items() if problem]
    return sorted(out, key=line_of)


def outcome_table(reading: Reading, status: Status) -> pd.DataFrame:
    """One row per correction as written, with its line, outcome, fact and problem."""
    lines = sorted(reading.written)
    found = [status.get(line) or (reading.left_out[line][0], "", reading.left_out[line][1]) for line in lines]
    columns = {"line": pd.array(lines, dtype="int64")}
    for col in TABLE_COLUMNS[1:]:
        if col in ("outcome", "fact_id", "problem"):
            values = [f[("outcome", "fact_id", "problem").index(col)] for f in found]
        else:
            values = [reading.written[line][col] for line in lines]
        columns[col] = pd.array(values, dtype="string")
    return pd.DataFrame(columns, columns=TABLE_COLUMNS)
