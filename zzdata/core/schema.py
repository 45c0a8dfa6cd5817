"""Column-level metadata of the output tables (`data/columns.csv`): dtypes and meanings.

One source for the loaders' dtypes, the Excel README sheet, the README's column dictionary
and the tests that check the outputs keep their contract.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def _rows() -> tuple[dict[str, str], ...]:
    with resources.files("zzdata").joinpath("data/columns.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def columns(table: str) -> list[str]:
    """The documented columns of a table, in order."""
    return [r["column"] for r in _rows() if r["table"] == table]


def dtypes(table: str) -> dict[str, str]:
    """pandas dtypes of a table's columns."""
    return {r["column"]: r["dtype"] for r in _rows() if r["table"] == table}


def column_descriptions() -> dict[tuple[str, str], str]:
    """(table, column) -> meaning."""
    return {(r["table"], r["column"]): r["description"] for r in _rows()}


def markdown_dictionary(table: str) -> str:
    """The column dictionary of a table as a Markdown table (for the README)."""
    lines = ["| column | type | meaning |", "|---|---|---|"]
    lines += [f"| `{r['column']}` | {r['dtype']} | {r['description']} |" for r in _rows() if r["table"] == table]
    return "\n".join(lines)
