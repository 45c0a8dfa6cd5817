"""`make data`: raw texts + manifest -> data/processed/ (facts, documents, indicators, series, Excel).

Incremental (a fingerprint of the inputs and the package), deterministic (sorted rows, fixed
float formatting, no timestamps in any file) and atomic (everything is written to a temporary
folder first; the previous outputs are replaced only when the whole build has succeeded).
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from . import catalog, stamp
from .errors import BuildError
from .claims import CLAIM_COLUMNS, extract_claims
from .extract import FACT_COLUMNS, extract_document
from .sources import REQUIRED_COLUMNS, Source, read_manifest
from .textio import InputError, read_raw


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


def _extract_one(args: tuple[Source, str]) -> tuple[str, dict | None, list[tuple], list[dict], str | None]:
    """Read and extract one text (in a worker process): facts as tuples in FACT_COLUMNS order,
    which cross the process boundary and become a DataFrame faster than dicts."""
    source, raw_dir = args
    path = Path(raw_dir) / source.file
    try:
        decoded = read_raw(path)
    except InputError as err:
        return source.file, None, [], [], str(err)
    facts = [tuple(f[c] for c in FACT_COLUMNS) for f in extract_document(source.meta(), decoded.text)]
    claims = extract_claims(source.file, decoded.text)  # clean() reuses the clean text of the facts
    info = {
        "encoding": decoded.encoding,
        "chars": len(decoded.text),
        "sha256": decoded.sha256,
    }
    return source.file, info, facts, claims, None


def extract_all(raw_dir: Path, sources: list[Source], jobs: int = 1,
                quiet: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Facts, documents and claims for every source; raises BuildError listing unreadable files."""
    work = [(s, str(raw_dir)) for s in sorted(sources, key=lambda s: s.file)]
    results = []
    if jobs > 1 and len(work) > 8:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_extract_one, work, chunksize=max(1, len(work) // (jobs * 8))))
    else:
        for i, item in enumerate(work, 1):
            results.append(_extract_one(item))
            if len(work) <= 50 or i % 100 == 0:
                _log(f"  [{i}/{len(work)}] {item[0].file}: {len(results[-1][2])} facts", quiet)
    errors = [err for *_, err in results if err]
    if errors:
        raise BuildError("\n".join(errors))
    infos, all_facts, all_claims = {}, [], []
    for name, info, facts, claims, _ in results:
        infos[name] = info
        all_facts.extend(facts)
        all_claims.extend(claims)
    facts = facts_frame(all_facts)
    docs = documents_frame(sources, infos, facts)
    claims = pd.DataFrame(all_claims, columns=CLAIM_COLUMNS)
    return facts, docs, claims


def facts_frame(rows: list[dict] | list[tuple]) -> pd.DataFrame:
    """The facts table with its contract's column order and dtypes, sorted by document and offset
    (rows are dicts with the FACT_COLUMNS, or tuples in that order)."""
    if rows and isinstance(rows[0], dict):
        rows = [tuple(r[c] for c in FACT_COLUMNS) for r in rows]
    df = pd.DataFrame.from_records(rows, columns=FACT_COLUMNS) if rows else pd.DataFrame(columns=FACT_COLUMNS)
    if df.empty:
        return df.astype({"year": "Int64", "value": "float64", "start": "int64", "end": "int64", "preliminary": "bool"})
    df = df.sort_values(["doc", "start"], kind="stable").reset_index(drop=True)
    df["year"] = df["year"].astype("Int64")
    df["value"] = df["value"].astype("float64")
    df["start"] = df["start"].astype("int64")
    df["end"] = df["end"].astype("int64")
    df["preliminary"] = df["preliminary"].astype("bool")
    return df


def documents_frame(sources: list[Source], infos: dict[str, dict], facts: pd.DataFrame) -> pd.DataFrame:
    """The manifest plus what the build learned of each text (encoding, size, hash, fact counts)."""
    # One pass over the facts (filtering the table once per document is quadratic).
    counts: dict[str, Counter] = {}
    columns = (facts[c].tolist() for c in ("doc", "indicator", "status"))
    for doc, indicator, status in zip(*columns):
        n = counts.get(doc)
        if n is None:
            n = counts[doc] = Counter()
        n["n_facts"] += 1
        n["n_with_indicator"] += indicator != ""
        n[status] += 1
    rows = []
    for s in sorted(sources, key=lambda s: s.file):
        n = counts.get(s.file, Counter())
        info = infos.get(s.file) or {}
        row = {c: getattr(s, c) for c in REQUIRED_COLUMNS}
        row.update(dict(s.extra))
        row.update({
            "encoding": info.get("encoding", ""),
            "chars": info.get("chars", 0),
            "sha256": info.get("sha256", ""),
            "n_facts": int(n["n_facts"]),
            "n_with_indicator": int(n["n_with_indicator"]),
            "n_actual": int(n["actual"]),
            "n_target": int(n["target"]),
            "n_cumulative": int(n["cumulative"]),
        })
        rows.append(row)
    df = pd.DataFrame(rows)
    for col in ("review_year", "target_year"):
        df[col] = df[col].astype("Int64")
    return df


def indicators_frame() -> pd.DataFrame:
    """The catalog as shipped in the package."""
    return pd.DataFrame(catalog.indicator_rows())


def _fmt_float(v: float) -> str:
    if pd.isna(v):
        return ""
    return np.format_float_positional(v, trim="-")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _guard_formula(value):
    """A text cell beginning with = + - @ would be a formula in a spreadsheet: prefix a quote.

    `zzdata.load_*` removes the quote again (load.unescape_text).
    """
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """CSV in UTF-8 with \\n line ends; floats without exponents so a rerun is byte-identical."""
    try:
        columns = [_csv_cells(df[col]) for col in df.columns]
    except _Unhandled:
        _write_csv_pandas(df, path)
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([str(c) for c in df.columns])
        writer.writerows(zip(*columns))


class _Unhandled(Exception):
    """A column `_csv_cells` does not write exactly as pandas would: let pandas write the table."""


def _text_cell(v) -> str:
    if isinstance(v, str):
        return "'" + v if v[:1] in _FORMULA_START else v
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    raise _Unhandled


def _csv_cells(col: pd.Series) -> list[str]:
    """A column as the cells `_write_csv_pandas` writes for it (fixed float format, formula
    guard), without pandas' per-cell machinery: the same bytes, a quarter less time."""
    dtype = col.dtype
    if dtype == bool:
        return ["True" if v else "False" for v in col.tolist()]
    if pd.api.types.is_float_dtype(dtype):
        memo: dict[float, str] = {}
        get = memo.get
        out = []
        for v in col.tolist():
            text = get(v) if v else None  # 0.0 and -0.0 are equal keys but print as 0 and -0
            if text is None:
                text = memo[v] = _fmt_float(v)
            out.append(text)
        return out
    if pd.api.types.is_integer_dtype(dtype):
        return ["" if v is None or v is pd.NA else str(int(v)) for v in col.astype(object).tolist()]
    if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        guard, cell = _FORMULA_START, _text_cell
        return [v if v.__class__ is str and v[:1] not in guard else cell(v) for v in col.tolist()]
    raise _Unhandled


def _write_csv_pandas(df: pd.DataFrame, path: Path) -> None:
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].map(_fmt_float)
        elif pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_guard_formula)
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    df.to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def build(raw_dir: Path, out_dir: Path, force: bool = False, jobs: int = 1, quiet: bool = False) -> bool:
    """Build out_dir from raw_dir. Returns False when it was already up to date."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    digest = stamp.fingerprint(raw_dir)
    if not force and stamp.is_current(raw_dir, out_dir):
        _log(f"{out_dir} is up to date", quiet)
        return False
    t0 = time.perf_counter()
    sources = read_manifest(raw_dir)
    _log(f"Reading {len(sources)} texts from {raw_dir}", quiet)
    facts, docs, claims = extract_all(raw_dir, sources, jobs=jobs, quiet=quiet)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir.parent))
    try:
        # The facts first: they are what every other table is derived from.
        write_parquet(facts, tmp / "facts.parquet")
        write_csv(facts, tmp / "facts.csv")
        write_csv(docs, tmp / "documents.csv")
        write_csv(claims, tmp / "claims.csv")
        from . import compare, excel

        series = compare.build_series(facts, docs)
        indicators = indicators_frame()
        write_csv(indicators, tmp / "indicators.csv")
        write_csv(series, tmp / "series.csv")
        excel.write_workbook(tmp / "zhengzhou.xlsx", facts=facts, indicators=indicators, documents=docs,
                             series=series)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in stamp.OUTPUTS:
            (tmp / name).replace(out_dir / name)
        stamp.write_stamp(out_dir, digest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n_ind = int((facts["indicator"] != "").sum())
    _log(f"Wrote {len(facts)} facts ({n_ind} with a catalog indicator) from {len(docs)} texts to {out_dir} "
         f"in {time.perf_counter() - t0:.1f} s", quiet)
    return True
