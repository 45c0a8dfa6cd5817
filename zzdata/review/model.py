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

from ..core import catalog, paths
from ..series import choice
from ..tables.csvio import unescape_text
from ..tables.load import load_claims, load_documents, load_facts
from ..viz.numbers import format_value
from ..viz.words import region_name

#: Columns of facts the correction stage adds (zzdata/correct/); a page shows them when present.
CORRECTION_COLUMNS = ("corrected", "correction_note")
#: Columns of the candidates the flagging stage adds (series/flags.py, docs/flow.md): the step of
#: CHOICE_RULE that put a candidate below the chosen one (-1 for the chosen) and its error checks.
#: Shown when present; nothing here computes them.
CHOICE_COLUMNS = ("decided_by", "flags")
#: The document fields a page's header shows.
DOC_FIELDS = ("file", "region", "region_level", "doc_type", "delivered", "title", "publisher", "url", "format", "chars")


@dataclass
class Collection:
    """The built tables joined for the pages: `facts` sorted by document and offset, with the
    choice (``chosen``: 1, 0 or -1 for a figure without indicator; ``rank``; ``chosen_row``: the
    row of the fact chosen for the key) and ``findings`` (indices into `findings`)."""

    facts: pd.DataFrame
    documents: pd.DataFrame
    claims: pd.DataFrame
    findings: pd.DataFrame
    present: tuple[str, ...] = field(default_factory=tuple)  # the optional columns the build wrote


def read_findings(processed: Path) -> pd.DataFrame:
    """validation.csv (`make validate`), or no findings when it was not run."""
    path = Path(processed) / "validation.csv"
    if not path.exists():
        return pd.DataFrame(columns=["check", "level", "region", "year", "indicator", "message", "fact_ids"])
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return df.apply(lambda col: col.map(unescape_text))


def load(processed: Path | None = None) -> Collection:
    """The built tables of `processed` (data/processed/) joined for the pages."""
    processed = Path(processed or paths.processed_dir())
    return join(load_facts(processed), load_documents(processed), load_claims(processed), read_findings(processed))


def join(facts: pd.DataFrame, documents: pd.DataFrame, claims: pd.DataFrame, findings: pd.DataFrame) -> Collection:
    """Each fact with its choice and findings (see :class:`Collection`)."""
    facts = facts.sort_values(["doc", "start"], kind="stable").reset_index(drop=True)
    present = tuple(c for c in CORRECTION_COLUMNS if c in facts.columns)
    facts["_row"] = np.arange(len(facts))
    cands = choice.candidates(facts, documents)
    present += tuple(c for c in CHOICE_COLUMNS if c in cands.columns)
    rows = cands["_row"].to_numpy()
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
    facts["chosen"], facts["rank"], facts["chosen_row"] = chosen, rank, chosen_row
    for col in CHOICE_COLUMNS:
        if col in cands.columns:
            values = np.full(n, -1 if col == "decided_by" else "", dtype=object)
            values[rows] = cands[col].to_numpy(dtype=object)
            facts[col] = values
    by_fact: dict[str, list[int]] = {}
    for i, ids in enumerate(findings["fact_ids"].tolist()):
        for fid in str(ids).split("|"):
            if fid:
                by_fact.setdefault(fid, []).append(i)
    facts["findings"] = [by_fact.get(fid, []) for fid in facts["fact_id"].tolist()]
    claims = claims.sort_values(["doc", "start"], kind="stable").reset_index(drop=True)
    return Collection(facts.drop(columns="_row"), documents.reset_index(drop=True), claims,
                      findings.reset_index(drop=True), present)


def counts(coll: Collection) -> pd.DataFrame:
    """Per report: figures, filed (with an indicator), chosen by the series, with findings,
    corrected by hand, claims; one row per document, indexed by file."""
    f = coll.facts
    corrected = f["corrected"].astype(str).ne("") if "corrected" in f else pd.Series(False, index=f.index)
    tally = pd.DataFrame({
        "doc": f["doc"], "figures": 1, "filed": f["indicator"].ne(""), "chosen": f["chosen"] == 1,
        "findings": f["findings"].map(bool), "corrected": corrected,
    }).groupby("doc").sum()
    tally["claims"] = coll.claims.groupby("doc").size()
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
    """The collection's columns as Python lists (read by row number, much faster than pandas per
    row), made once per process."""

    TEXT = ("fact_id", "doc", "region", "period", "status", "indicator", "label", "measure", "unit", "value_text",
            "qualifier", "rank_group", "section")

    def __init__(self, coll: Collection):
        f = coll.facts
        self.n = len(f)
        self.cols = {c: f[c].astype(str).tolist() for c in self.TEXT}
        self.cols["year"] = [None if y is pd.NA else int(y) for y in f["year"].tolist()]
        for c in ("start", "end", "chosen", "rank", "chosen_row"):
            self.cols[c] = f[c].astype("int64").tolist()
        for c in ("threshold", "preliminary"):
            self.cols[c] = f[c].astype(bool).tolist()
        self.cols["value"] = f["value"].astype("float64").tolist()
        self.cols["findings"] = f["findings"].tolist()
        self.present = coll.present
        for c in coll.present:
            self.cols[c] = f[c].tolist()
        docs = f["doc"].to_numpy(dtype=object)
        starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]]) if self.n else np.array([], dtype=int)
        ends = np.r_[starts[1:], self.n]
        self.rows = {docs[a]: (int(a), int(b)) for a, b in zip(starts.tolist(), ends.tolist())}
        c = coll.claims
        cdocs = c["doc"].to_numpy(dtype=object)
        self.claims = {}
        for i, (d, s, e, word, kind) in enumerate(zip(cdocs.tolist(), c["start"].tolist(), c["end"].tolist(),
                                                      c["claim"].astype(str).tolist(), c["kind"].astype(str).tolist())):
            self.claims.setdefault(d, []).append({"s": int(s), "e": int(e), "claim": word, "kind": kind})
        self.findings = coll.findings[["check", "level", "message"]].astype(str).to_dict("records")
        self.findings_ids = coll.findings["fact_ids"].astype(str).tolist()
        self.documents = {r["file"]: r for r in coll.documents.to_dict("records")}


def _figure(cols: dict, i: int, local: dict[int, int]) -> dict:
    """One figure's record (the keys the page's script reads)."""
    value, unit = cols["value"][i], cols["unit"][i]
    ind = cols["indicator"][i]
    zh, en = _names(ind) if ind else ("", "")
    finite = value is not None and not (isinstance(value, float) and math.isnan(value))
    rec = {
        "id": cols["fact_id"][i], "s": cols["start"][i], "e": cols["end"][i], "vt": cols["value_text"][i],
        "label": cols["label"][i], "ind": ind, "ind_zh": zh, "ind_en": en,
        "period": cols["period"][i], "year": cols["year"][i], "region": cols["region"][i],
        "region_en": _region_en(cols["region"][i]), "status": cols["status"][i], "measure": cols["measure"][i],
        "qual": cols["qualifier"][i], "thr": cols["threshold"][i], "pre": cols["preliminary"][i],
        "unit": unit, "v": value if finite else None,
        "v_zh": _value(value, unit, "zh") if finite else "", "v_en": _value(value, unit, "en") if finite else "",
        "rg": cols["rank_group"][i], "section": cols["section"][i],
        "chosen": cols["chosen"][i], "rank": cols["rank"][i],
        "fd": sorted(local.setdefault(k, len(local)) for k in cols["findings"][i]),
    }
    best = cols["chosen_row"][i]
    if rec["chosen"] == 0 and best >= 0:
        bv = cols["value"][best]
        rec["alt"] = {"id": cols["fact_id"][best], "doc": cols["doc"][best], "vt": cols["value_text"][best],
                      "period": cols["period"][best],
                      "v_en": _value(bv, cols["unit"][best], "en") if bv == bv else ""}
    for c in ("corrected", "correction_note", "flags"):
        if c in cols:
            rec[c] = _text(cols[c][i])
    if "decided_by" in cols:
        step = cols["decided_by"][i]
        rec["decided_by"] = int(step) if _text(step).lstrip("-").isdigit() else -1
    return rec


def _text(v) -> str:
    """An optional column's cell as text: nothing for a missing value, a list joined by ``|``."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (list, tuple, np.ndarray)):
        return "|".join(map(str, v))
    return str(v)


def page_model(columns: Columns, doc: str) -> dict:
    """One report's model: the document, its figures in text order, its claims, the findings
    that name its figures (each figure's ``fd`` indexes them), and which optional columns exist."""
    lo, hi = columns.rows.get(doc, (0, 0))
    local: dict[int, int] = {}
    figures = [_figure(columns.cols, i, local) for i in range(lo, hi)]
    findings = [None] * len(local)
    for k, j in local.items():
        findings[j] = {**columns.findings[k], "ids": columns.findings_ids[k].split("|")}
    row = columns.documents.get(doc, {"file": doc})
    document = {k: ("" if row.get(k) is None or row.get(k) is pd.NA else row.get(k)) for k in DOC_FIELDS}
    document = {k: (int(v) if isinstance(v, (np.integer,)) else v) for k, v in document.items()}
    return {"doc": document, "figures": figures, "claims": columns.claims.get(doc, []), "findings": findings,
            "present": list(columns.present)}


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
