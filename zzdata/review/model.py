"""The review pages' model: every figure of a report with what its page says of it.

What the build wrote (facts, documents, claims, `make validate`'s findings) is joined once for
the whole collection (:func:`load`): each fact gets the series' choice for its key
(:func:`zzdata.series.choice.candidates`: chosen or not, its rank, the fact chosen instead) and the
findings that name it. :func:`page_model` then makes one report's model, a plain dict the page
embeds as JSON and whose hash decides whether the page is written again. Nothing here reads a
report's text or writes HTML.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..core import catalog, paths, schema
from ..core.runs import runs
from ..series import choice
from ..tables.csvio import unescape_text
from ..correct import CORRECTION_COLUMNS  # facts columns the correction stage adds; a page shows them when present
from ..correct.checks import FIELDS
from ..tables.load import DataNotBuilt, load_claims, load_corrections, load_documents, load_facts
from ..viz.numbers import format_value
from ..viz.words import region_name

#: Columns of the candidates (series/choice.py, series/flags.py; docs/flow.md) a page shows: the
#: step of CHOICE_RULE that put a candidate below the chosen one (-1 for the chosen), the error
#: checks that rule it out (``|``-joined) and whether its level jumps from its neighbouring years.
CHOICE_COLUMNS = ("decided_by", "flag", "jump")
#: What a figure's marks on its page say, in the order the legend lists them: (class on the mark, label key).
MARKS = (("nf", "review_mark_unfiled"), ("thr", "review_mark_threshold"), ("fd", "review_mark_finding"),
         ("cor", "review_mark_corrected"), ("nc", "review_mark_not_chosen"))
#: The document fields a page's header shows.
DOC_FIELDS = ("file", "region", "region_level", "doc_type", "delivered", "title", "publisher", "url", "format", "chars")


@dataclass
class Collection:
    """The built tables joined for the pages: `facts` sorted by document and offset, with the
    choice (``chosen``: 1, 0 or -1 for a figure without indicator; ``rank``; ``alt_*``: the fact
    chosen instead), and the findings that name each fact (`findings_of`, rows of `findings`)."""

    facts: pd.DataFrame
    documents: pd.DataFrame
    claims: pd.DataFrame
    findings: pd.DataFrame
    corrections: pd.DataFrame  # data/processed/corrections.csv: every hand correction and its outcome
    findings_of: dict[int, list[int]] = field(default_factory=dict)  # a fact's row -> its findings
    present: tuple[str, ...] = field(default_factory=tuple)  # the optional columns the build wrote


def read_findings(processed: Path) -> pd.DataFrame:
    """validation.csv (`make validate`), or no findings when it was not run."""
    path = Path(processed) / "validation.csv"
    if not path.exists():
        return pd.DataFrame(columns=["check", "level", "region", "year", "indicator", "message", "fact_ids"])
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return df.apply(lambda col: col.map(unescape_text))


def findings_as_read(findings: pd.DataFrame) -> pd.DataFrame:
    """The checks' findings made in this process as :func:`read_findings` reads them back from
    validation.csv (every cell text, a missing year empty), so a page is the same either way."""
    out = findings.copy()
    out["year"] = ["" if pd.isna(y) else str(int(y)) for y in out["year"].tolist()]
    return out.astype(str)


def no_corrections() -> pd.DataFrame:
    """No corrections: the corrections table's columns without rows."""
    return pd.DataFrame(columns=schema.columns("corrections"))


def read_corrections(processed: Path) -> pd.DataFrame:
    """corrections.csv of the build (every hand correction with its outcome), or none."""
    try:
        return load_corrections(processed)
    except DataNotBuilt:
        return no_corrections()


def load(processed: Path | None = None) -> Collection:
    """The built tables of `processed` (data/processed/) joined for the pages."""
    processed = Path(processed or paths.processed_dir())
    return join(load_facts(processed), load_documents(processed), load_claims(processed), read_findings(processed),
                read_corrections(processed))


def join(facts: pd.DataFrame, documents: pd.DataFrame, claims: pd.DataFrame, findings: pd.DataFrame,
         corrections: pd.DataFrame | None = None, cands: pd.DataFrame | None = None) -> Collection:
    """Each fact with its choice and findings (see :class:`Collection`); `cands`, the build's own
    candidates of these facts (choice.series_candidates), spares working them out again."""
    facts = facts.sort_values(["doc", "start"], kind="stable").reset_index(drop=True)
    present = tuple(c for c in CORRECTION_COLUMNS if c in facts.columns)
    if cands is None:
        facts["_row"] = np.arange(len(facts))
        cands = choice.candidates(facts, documents)
        rows = cands["_row"].to_numpy()
        facts = facts.drop(columns="_row")
    else:
        rows = pd.Index(facts["fact_id"]).get_indexer(cands["fact_id"])
    n = len(facts)
    chosen = np.full(n, -1, dtype=np.int8)
    chosen[rows] = cands["chosen"].to_numpy(dtype=bool)
    rank = np.zeros(n, dtype=np.int64)
    rank[rows] = cands["rank"].to_numpy()
    group = cands.groupby(choice.SERIES_KEY, sort=False, dropna=False).ngroup().to_numpy()
    first = cands["rank"].to_numpy() == 1
    best = np.zeros(group.max() + 1 if len(group) else 0, dtype=np.int64)
    best[group[first]] = rows[first]
    chosen_row = np.full(n, -1, dtype=np.int64)
    chosen_row[rows] = best[group]
    facts["chosen"], facts["rank"] = chosen, rank
    # The fact chosen instead of a candidate that was not: its id, text, value (one gather per column).
    other = np.flatnonzero(chosen == 0)
    for col in ("fact_id", "doc", "value_text", "period", "unit", "value"):
        values = np.full(n, np.nan if col == "value" else "", dtype="float64" if col == "value" else object)
        values[other] = facts[col].to_numpy(dtype=values.dtype)[chosen_row[other]]
        facts["alt_" + col] = values
    for col, missing, dtype in (("decided_by", -1, "int64"), ("flag", "", object), ("jump", False, bool)):
        values = np.full(n, missing, dtype=dtype)  # a figure without indicator is no candidate
        values[rows] = cands[col].to_numpy(dtype=dtype)
        facts[col] = values
    row_of = dict(zip(facts["fact_id"].tolist(), range(n)))
    by_row: dict[int, list[int]] = {}
    for i, ids in enumerate(findings["fact_ids"].tolist()):
        for fid in str(ids).split("|"):
            if fid in row_of:
                by_row.setdefault(row_of[fid], []).append(i)
    claims = claims.sort_values(["doc", "start"], kind="stable").reset_index(drop=True)
    if corrections is None:
        corrections = no_corrections()
    return Collection(facts, documents.reset_index(drop=True), claims,
                      findings.reset_index(drop=True), corrections.reset_index(drop=True), by_row, present)


def counts(coll: Collection) -> pd.DataFrame:
    """Per report: figures, filed (with an indicator), chosen by the series, with findings,
    corrected by hand (the figures whose fields were set or that were added, and those dropped),
    claims; one row per document, indexed by file."""
    f = coll.facts
    corrected = f["corrected"].astype(str).ne("") if "corrected" in f else pd.Series(False, index=f.index)
    tally = pd.DataFrame({
        "doc": f["doc"], "figures": 1, "filed": f["indicator"].ne(""), "chosen": f["chosen"] == 1,
        "findings": np.isin(np.arange(len(f)), list(coll.findings_of)), "corrected": corrected,
    }).groupby("doc").sum()
    tally["claims"] = coll.claims.groupby("doc").size()
    c = coll.corrections
    dropped = c[(c["action"] == "drop") & (c["outcome"] == "applied")].groupby("file").size()
    tally["corrected"] = tally["corrected"].add(dropped, fill_value=0)
    files = coll.documents["file"]
    return tally.reindex(files).fillna(0).astype(int)


@lru_cache(maxsize=65536)
def _value(value: float, unit: str, lang: str) -> str:
    try:
        return format_value(value, unit, lang)
    except ValueError:  # a rank that is not a whole number: as printed in value_text
        return ""


@lru_cache(maxsize=4096)
def _names(indicator: str) -> tuple[str, str]:
    ind = catalog.indicators().get(indicator)
    return (ind.name_zh, ind.name_en) if ind else ("", "")


@lru_cache(maxsize=4096)
def _region_en(region: str) -> str:
    return region_name(region, "en") if region else ""


class Columns:
    """The collection's columns as Arrow arrays and numbers, each report's rows read as Python lists
    when its page is made (:meth:`rows_of`). Shared with forked workers without copying: a list
    of Python objects would be copied page by page as the workers touch its objects' counts."""

    TEXT = ("fact_id", "doc", "region", "period", "status", "indicator", "label", "measure", "unit", "value_text",
            "qualifier", "rank_group", "section", "alt_fact_id", "alt_doc", "alt_value_text", "alt_period", "alt_unit",
            "flag")
    NUMBERS = ("start", "end", "chosen", "rank", "year", "value", "alt_value", "threshold", "preliminary",
               "decided_by", "jump")

    def __init__(self, coll: Collection):
        f = coll.facts
        self.n = len(f)
        self.present = coll.present
        self.arrays = {c: pa.array(f[c].astype("string").fillna(""), type=pa.string()) for c in self.TEXT}
        self.arrays.update({c: pa.array([_text(v) for v in f[c].tolist()], type=pa.string()) for c in coll.present})
        self.arrays.update({c: pa.array(f[c]) for c in self.NUMBERS})
        self.findings_of = coll.findings_of
        # One number per row for the content hash (pandas' fixed-key hash of every column a page
        # shows): a report's rows are compared without making its page's model.
        shown = list(self.TEXT + self.NUMBERS + tuple(coll.present))
        self.row_hash = pd.util.hash_pandas_object(f[shown], index=False).to_numpy()
        docs = f["doc"].to_numpy(dtype=object)
        self.rows = {docs[a]: (a, b) for a, b in zip(*runs(docs))}  # the facts come sorted by document
        c = coll.claims
        self.claims: dict[str, list[dict]] = {}
        for d, s, e, word, kind in zip(c["doc"].astype(str).tolist(), c["start"].tolist(), c["end"].tolist(),
                                       c["claim"].astype(str).tolist(), c["kind"].astype(str).tolist()):
            self.claims.setdefault(d, []).append({"s": int(s), "e": int(e), "claim": word, "kind": kind})
        self.findings = coll.findings[["check", "level", "message"]].astype(str).to_dict("records")
        self.findings_ids = coll.findings["fact_ids"].astype(str).tolist()
        self.documents = {r["file"]: r for r in coll.documents.to_dict("records")}
        self.corrections: dict[str, list[dict]] = {}
        for r in coll.corrections.astype({"line": "int64"}).to_dict("records"):
            span = [int(r[k]) if str(r[k]).isdigit() else None for k in ("start", "end")]
            self.corrections.setdefault(str(r["file"]), []).append({
                "line": r["line"], "action": str(r["action"]), "s": span[0], "e": span[1], "vt": str(r["value_text"]),
                "fields": {k: str(r[k]) for k in FIELDS if str(r[k])}, "note": str(r["note"]),
                "outcome": str(r["outcome"]), "fact": str(r["fact_id"]), "problem": str(r["problem"])})

    def digest(self, doc: str, *extra: str) -> str:
        """The content hash of a report's page: its rows, the findings naming them, its claims and
        corrections, its document row (and `extra`: the pages' code)."""
        lo, hi = self.rows.get(doc, (0, 0))
        named = sorted({k for i in range(lo, hi) for k in self.findings_of.get(i, ())})
        findings = [[self.findings[k], self.findings_ids[k]] for k in named]
        side = json.dumps([self.documents.get(doc, {}), findings, self.claims.get(doc, []),
                           self.corrections.get(doc, [])], ensure_ascii=False, default=str, sort_keys=True)
        return content_hash(*extra, self.row_hash[lo:hi].tobytes().hex(), side)

    def rows_of(self, doc: str) -> tuple[int, dict[str, list]]:
        """A report's first row and its rows' columns as Python lists."""
        lo, hi = self.rows.get(doc, (0, 0))
        return lo, {c: a.slice(lo, hi - lo).to_pylist() for c, a in self.arrays.items()}


def _figure(cols: dict, j: int, findings: list[int], local: dict[int, int]) -> dict:
    """One figure's record (the keys the page's script reads); `j` its row in the page's `cols`."""
    value, unit = cols["value"][j], cols["unit"][j]
    ind = cols["indicator"][j]
    zh, en = _names(ind) if ind else ("", "")
    finite = value is not None and not math.isnan(value)
    rec = {
        "id": cols["fact_id"][j], "s": cols["start"][j], "e": cols["end"][j], "vt": cols["value_text"][j],
        "label": cols["label"][j], "ind": ind, "ind_zh": zh, "ind_en": en,
        "period": cols["period"][j], "year": cols["year"][j], "region": cols["region"][j],
        "region_en": _region_en(cols["region"][j]), "status": cols["status"][j], "measure": cols["measure"][j],
        "qual": cols["qualifier"][j], "thr": bool(cols["threshold"][j]), "pre": bool(cols["preliminary"][j]),
        "unit": unit, "v": value if finite else None,
        "v_zh": _value(value, unit, "zh") if finite else "", "v_en": _value(value, unit, "en") if finite else "",
        "rg": cols["rank_group"][j], "section": cols["section"][j],
        "chosen": cols["chosen"][j], "rank": cols["rank"][j], "decided_by": cols["decided_by"][j],
        "flag": cols["flag"][j], "jump": bool(cols["jump"][j]),
        "fd": sorted(local.setdefault(k, len(local)) for k in findings),
    }
    if rec["chosen"] == 0:
        bv, bu = cols["alt_value"][j], cols["alt_unit"][j]
        rec["alt"] = {"id": cols["alt_fact_id"][j], "doc": cols["alt_doc"][j], "vt": cols["alt_value_text"][j],
                      "period": cols["alt_period"][j],
                      "v_en": _value(bv, bu, "en") if bv is not None and not math.isnan(bv) else ""}
    for c in CORRECTION_COLUMNS:
        if c in cols:
            rec[c] = cols[c][j]
    return rec


def _text(v) -> str:
    """An optional column's cell as text: nothing for a missing value, a list joined by ``|``."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (list, tuple, np.ndarray)):
        return "|".join(map(str, v))
    return str(v)


def flags(f: dict) -> tuple[str, str]:
    """The mark classes of a figure (MARKS) and the letters the list shows and filters on (the
    record's ``k``: u unfiled, t threshold, f findings, c corrected)."""
    cls, keys = [], ""
    if not f["ind"]:
        cls.append("nf")
        keys += "u"
    if f["thr"]:
        cls.append("thr")
        keys += "t"
    if f["fd"]:
        cls.append("fd")
        keys += "f"
    if f.get("corrected"):
        cls.append("cor")
        keys += "c"
    if f["chosen"] == 0:
        cls.append("nc")
    return " ".join(cls), keys


def page_model(columns: Columns, doc: str) -> dict:
    """One report's model: the document, its figures in text order, its claims, the findings
    that name its figures (each figure's ``fd`` indexes them), and which optional columns exist."""
    lo, cols = columns.rows_of(doc)
    local: dict[int, int] = {}
    none: list[int] = []
    figures = [_figure(cols, j, columns.findings_of.get(lo + j, none), local) for j in range(len(cols["fact_id"]))]
    for f in figures:
        f["k"] = flags(f)[1]
    findings = [None] * len(local)
    for k, j in local.items():
        findings[j] = {**columns.findings[k], "ids": columns.findings_ids[k].split("|")}
    row = columns.documents.get(doc, {"file": doc})
    document = {k: _plain_cell(row.get(k)) for k in DOC_FIELDS}
    corrections = columns.corrections.get(doc, [])
    by_fact: dict[str, list[int]] = {}
    for i, c in enumerate(corrections):
        if c["fact"]:
            by_fact.setdefault(c["fact"], []).append(i)
    for f in figures:
        f["cx"] = by_fact.get(f["id"], [])
    return {"doc": document, "figures": figures, "claims": columns.claims.get(doc, []), "findings": findings,
            "corrections": corrections, "present": list(columns.present)}


def _plain_cell(v):
    """A documents cell as JSON takes it."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    return int(v) if isinstance(v, np.integer) else v


def model_json(model: dict) -> str:
    """The model as compact JSON, safe inside a ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    text = json.dumps(model, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_plain)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plain(v):
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if v is pd.NA:
        return None
    raise TypeError(f"cannot put {type(v).__name__} into a review page")


def content_hash(*parts: str) -> str:
    """The hash that decides whether a page is written again."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:32]
