"""Apply the checked corrections to the facts as read: drop a figure, set its fields, add one the
build missed.

A row finds its figure by file, span and the figure as printed, so it never lands on another
figure after a text changed: a row whose figure is no longer read there (its report gone, the
text changed) is stale, applied to nothing, with what changed. The texts are read only for the
rows that need them (an added figure's clause, a stale row's diagnosis).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
import pandas as pd

from .added import added_fact
from .checks import CORRECTION_COLUMNS, span_problem
from .fields import READ, Docs, changes
from .rows import APPLIED, REFUSED, STALE, Row

#: line -> (outcome, fact_id, problem)
Status = dict[int, tuple[str, str, str]]


def with_correction_columns(facts: pd.DataFrame) -> pd.DataFrame:
    """`facts` with the CORRECTION_COLUMNS (empty when absent)."""
    for col in CORRECTION_COLUMNS:
        if col not in facts.columns:
            facts[col] = pd.Series("", index=facts.index, dtype="string")
    return facts


def apply(facts: pd.DataFrame, rows: list[Row], documents: pd.DataFrame,
          text_of: Callable[[str], str | None]) -> tuple[pd.DataFrame, Status]:
    """The facts with `rows` applied, and each row's outcome.

    `documents`: the documents table (a row's report must be one of them; an added figure takes
    its region and default period from it); `text_of(file)`: the raw text of a report (None when
    it cannot be read), asked only for added and stale rows."""
    facts = with_correction_columns(facts.copy() if rows else facts)
    status: Status = {}
    if not rows:
        return facts, status
    docs = Docs.of(documents)
    # The facts a row can find: those with its file and start, i.e. its fact_id (file:start); the
    # keys are made for these few only.
    near = facts[facts["fact_id"].isin({f"{r.file}:{r.start}" for r in rows})]
    index = {key: pos for key, pos in zip(zip(near["doc"].tolist(), near["start"].tolist(), near["end"].tolist(),
                                              near["value_text"].tolist()), near.index.tolist())}
    texts: dict[str, str | None] = {}

    def text(file: str) -> str | None:
        if file not in texts:
            texts[file] = text_of(file) if file in docs.rows else None
        return texts[file]

    new: list[dict] = []  # the added facts
    created: set[int] = set()  # the lines of the add rows that made them
    for r in sorted((r for r in rows if r.action == "add"), key=lambda r: r.line):
        if r.key in index:  # the build reads the figure now: the row's fields are set on it (below)
            continue
        problem = span_problem(text(r.file), r.start, r.end, r.value_text, r.file)
        if problem:
            status[r.line] = (STALE, "", problem)
            continue
        fact, problem = added_fact(r, docs, text(r.file))
        if fact is None:
            status[r.line] = (REFUSED, "", problem)
            continue
        index[r.key] = ("new", len(new))
        new.append(fact)
        created.add(r.line)

    by_doc: dict[str, object] = {}  # doc -> the positions of its facts, made when a row is stale
    sets: dict[object, list[Row]] = defaultdict(list)  # position -> the set rows applied to it
    drops: list[object] = []
    for r in sorted(rows, key=lambda r: r.line):
        if r.line in status:
            continue
        pos = index.get(r.key)
        if pos is None:
            status[r.line] = (STALE, "", _gone(r, text(r.file), facts, by_doc))
            continue
        fact_id = f"{r.file}:{r.start}"
        if r.line in created:
            status[r.line] = (APPLIED, fact_id, "")
            continue
        problem = (f"the build reads this figure itself now ({fact_id}); the row's fields were set on it"
                   if r.action == "add" else "")
        status[r.line] = (APPLIED, fact_id, problem)
        if r.action == "drop":
            drops.append(pos)
        else:
            sets[pos].append(r)

    _set_fields(facts, new, sets, docs)
    keep = ~facts.index.isin([p for p in drops if not isinstance(p, tuple)])
    if not new:  # dropping keeps the order of the others
        return facts[keep].reset_index(drop=True), status
    # The added facts in their places by document and offset: one take of every column.
    added = pd.DataFrame(new, columns=list(facts.columns)).astype(facts.dtypes.to_dict())
    both = pd.concat([facts, added], ignore_index=True)
    rows_kept = np.flatnonzero(np.r_[keep, np.ones(len(added), dtype=bool)])
    docs_order = pd.factorize(both["doc"].to_numpy(dtype=object)[rows_kept], sort=True)[0]
    order = np.lexsort((both["start"].to_numpy()[rows_kept], docs_order))  # stable: the read facts first on a tie
    return both.take(rows_kept[order]).reset_index(drop=True), status


def _gone(r: Row, text: str | None, facts: pd.DataFrame, by_doc: dict) -> str:
    """Why a drop or set row found no figure: what changed in the text, or that the build reads
    no figure with that span now (`by_doc`: doc -> its facts' positions, filled on first use)."""
    problem = span_problem(text, r.start, r.end, r.value_text, r.file)
    if problem:
        return problem
    if not by_doc:
        by_doc.update(facts.groupby("doc", sort=False).indices)
    mine = facts.iloc[by_doc.get(r.file, [])]
    near = mine[(mine["start"] < r.end) & (mine["end"] > r.start)]
    said = f"the text still prints {r.value_text} at chars {r.start}-{r.end}, but the build"
    if len(near):
        read = ", ".join(near["value_text"] + " (" + near["fact_id"] + ")")
        return f"{said} reads {read} there now; correct that fact instead, and delete this row"
    if r.action in ("drop", "unfile"):
        return f"{said} reads no figure there now: nothing to {r.action}; delete this row"
    return f"{said} reads no figure there now; add it with an add row (python -m zzdata correct --add)"


def _set_fields(facts: pd.DataFrame, new: list[dict], sets: dict[object, list[Row]], docs: Docs) -> None:
    """Write the set rows' fields, and the columns that follow from them, into `facts` (one
    assignment per column) and the added facts `new`."""
    existing = [p for p in sets if not isinstance(p, tuple)]
    read = facts.loc[existing, list(READ)].to_dict("index") if existing else {}
    columns: dict[str, tuple[list, list]] = {}
    for pos, rs in sets.items():
        if isinstance(pos, tuple):
            new[pos[1]].update(changes(new[pos[1]], rs, docs))
            continue
        for col, value in changes(read[pos], rs, docs).items():
            at, values = columns.setdefault(col, ([], []))
            at.append(pos)
            values.append(value)
    for col, (at, values) in columns.items():
        facts.loc[at, col] = pd.array(values, dtype=facts[col].dtype)
