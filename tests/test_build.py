"""make data's contract: columns and dtypes, traceable offsets, determinism, incremental and
atomic builds, the Excel workbook, the panel."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import RAW
from zzdata.core import catalog, schema, vocab
from zzdata.tables import stamp
from zzdata.tables.build import build
from zzdata.core.script import _TRANSLATE
from zzdata.tables.load import load_documents, load_indicators, load_series, raw_text


def _hashes(folder: Path) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in stamp.OUTPUTS}


def test_facts_follow_the_documented_contract(built, facts):
    assert list(facts.columns) == schema.columns("facts")
    csv = pd.read_csv(built / "facts.csv", dtype=str, keep_default_na=False)
    assert list(csv.columns) == schema.columns("facts") and len(csv) == len(facts)
    assert str(facts["year"].dtype) == "Int64" and str(facts["value"].dtype) == "float64"
    assert set(facts["status"]) <= {"actual", "target", "cumulative"}
    assert set(facts["measure"]) <= set(vocab.MEASURES)
    assert set(facts["theme"]) <= set(vocab.THEMES)
    assert set(facts["qualifier"]) <= set(vocab.QUALIFIERS) == {"none", "over", "about", "under", "top", "bottom"}
    assert set(facts["indicator"]) - {""} <= set(catalog.indicators())
    assert facts["fact_id"].is_unique


def test_every_document_gives_facts(built, facts):
    docs = load_documents(built)
    assert set(docs["file"]) == {p.name for p in RAW.glob("*.txt")}
    for d in docs.itertuples():
        assert d.n_facts == (facts["doc"] == d.file).sum() > 20
        assert d.n_with_indicator > 0


def test_offsets_point_at_the_printed_quantity(facts):
    texts = {doc: raw_text(doc) for doc in facts["doc"].unique()}
    for f in facts.itertuples():
        printed = texts[f.doc][f.start : f.end]
        squeezed = re.sub(r"\s|多|余", "", printed.translate(_TRANSLATE))
        assert squeezed == f.value_text, (f.fact_id, printed, f.value_text)


def test_growth_rates_are_signed(facts):
    falls = facts[facts["snippet"].str.contains("下降") & (facts["measure"] == "growth")]
    assert len(falls) > 0 and (falls["value"] < 0).all()


def test_rebuild_is_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    build(RAW, again, force=True, quiet=True)
    assert _hashes(again) == _hashes(built)


def test_incremental(raw_copy, tmp_path):
    out = tmp_path / "out"
    assert build(raw_copy, out, quiet=True) is True
    assert build(raw_copy, out, quiet=True) is False, "nothing changed: no rebuild"
    manifest = raw_copy / "sources.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("郑州本地报纸版面", "郑州日报"), encoding="utf-8")
    assert build(raw_copy, out, quiet=True) is True, "a changed manifest rebuilds"


def test_failure_leaves_previous_outputs(raw_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(raw_copy, out, quiet=True)
    before = _hashes(out)
    import zzdata.tables.excel

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(zzdata.tables.excel, "write_workbook", boom)
    (raw_copy / "sources.csv").write_text((raw_copy / "sources.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        build(raw_copy, out, quiet=True)
    assert _hashes(out) == before
    assert not list(out.parent.glob(".build-*")), "no temporary folder left behind"


def test_workbook(built, facts):
    wb = openpyxl.load_workbook(built / "zzdata.xlsx")
    assert wb.sheetnames == ["README", "facts", "series", "panel", "claims", "documents", "indicators"]
    ws = wb["facts"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert [c.value for c in ws[1]] == list(facts.columns)
    assert ws.max_row == len(facts) + 1
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    readme = "\n".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    for col in schema.columns("facts"):
        assert col in readme


def test_loaders_give_documented_dtypes(built):
    series = load_series(built)
    assert list(series.columns) == schema.columns("series")
    assert str(series["year"].dtype) == "Int64" and series["conflict"].dtype == bool
    ind = load_indicators(built)
    assert {"id", "name_zh", "name_en", "theme", "unit", "measure", "aliases"} <= set(ind.columns)


@pytest.mark.parametrize("table", sorted({r["table"] for r in schema._rows()}))
def test_every_written_column_is_documented(built, table, raw_copy):
    """Each CSV's header is exactly its columns in zzdata/data/columns.csv, in order (the column
    dictionary in the README and the workbook is generated from that file); `sources` is the
    manifest the build reads, data/raw/sources.csv; `raw_corrections` the corrections file beside
    it, as `zzdata correct` starts it."""
    path = RAW / "sources.csv" if table == "sources" else built / f"{table}.csv"
    if table == "raw_corrections":
        from zzdata.correct import record
        from zzdata.tables.load import load_facts

        first = load_facts(built)["fact_id"].iloc[0]
        record(first, drop=True, note="a test", raw_dir=raw_copy, processed_dir=built)
        path = raw_copy / "corrections.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    if table == "panel":  # the fixed columns, then one per indicator and measure, each in its dictionary
        fixed = schema.columns("panel")
        assert header[:len(fixed)] == fixed
        listed = pd.read_csv(built / "panel_columns.csv", dtype=str, keep_default_na=False)["column"].tolist()
        assert header == listed and all(re.fullmatch(r"[a-z0-9_]+__[a-z]+", c) for c in header[len(fixed):])
        return
    assert header == schema.columns(table)


def test_the_build_cleans_each_text_once(monkeypatch):
    """The extraction of one text cleans it once (extract.document.read_document) and gives what the
    facts and the claims read on their own give."""
    from zzdata.extract import clean as clean_module
    from zzdata.extract.claims import extract_claims
    from zzdata.extract.facts import extract_document
    from zzdata.ingest.manifest import read_manifest
    from zzdata.ingest.readers import read_raw
    from zzdata.tables.extracting import extract_one

    source = read_manifest(RAW)[0]
    text = read_raw(RAW / source.file).text
    alone = extract_document(source, text), extract_claims(source.file, text)
    calls: list[int] = []
    real = clean_module._clean
    monkeypatch.setattr(clean_module, "_clean", lambda raw: calls.append(len(raw)) or real(raw))
    file, info, facts, claims, error = extract_one((source, str(RAW)))
    assert error is None and file == source.file and info["chars"] == len(text)
    assert calls == [len(text)]
    assert (facts, claims) == alone and facts and claims


def test_the_workers_extract_while_the_build_imports_pandas(tmp_path):
    """The build starts the extraction's workers before it loads pandas (0.3 s of imports that
    then run beside them): neither the command line nor the build's module loads it, and the
    workers never do (pyarrow would, only to ask whether a list is a pandas object). What they
    extract is what one process extracts."""
    import subprocess
    import sys

    from zzdata.tools.collection import make_collection

    raw = tmp_path / "raw"
    make_collection(raw, 12, RAW)  # more texts than the build gives one process
    script = f"""
import importlib, sys
import zzdata.cli, zzdata.tables.build
from zzdata.ingest.manifest import read_manifest
from zzdata.tables.extracting import Extraction
assert "pandas" not in sys.modules, "pandas loaded before the workers start"
sources = read_manifest({str(raw)!r})
two = Extraction({str(raw)!r}, sources, jobs=2)
assert two.pool is not None, "the texts are extracted by workers"
refused = two.pool.submit(importlib.import_module, "pandas").exception()
import gc
frozen = two.pool.submit(gc.get_freeze_count).result()
facts, claims, infos = two.tables()
one = Extraction({str(raw)!r}, sources, jobs=1).tables()
print(type(refused).__name__, facts.equals(one[0]) and claims.equals(one[1]) and infos == one[2], facts.num_rows,
      frozen)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    refused, same, rows, frozen = proc.stdout.split()
    assert refused == "ModuleNotFoundError" and same == "True" and int(rows) > 100
    assert int(frozen) > 1000, "what the workers inherit is frozen: their collections skip it"


def test_the_build_process_takes_arrows_arrays_from_the_system_allocator_unless_told_otherwise(tmp_path):
    """keep_freed_memory puts Arrow's arrays on the allocator whose freed memory it keeps (Arrow's
    system pool), even once pyarrow is loaded; a pool the researcher chose
    (ARROW_DEFAULT_MEMORY_POOL) stands."""
    import os
    import subprocess
    import sys

    script = """
import pyarrow as pa
pa.array([1, 2, 3])  # pyarrow loaded and used first, as in the CLI
from zzdata.tables.build import keep_freed_memory
keep_freed_memory()
print(pa.default_memory_pool().backend_name)
"""
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}

    def backend(**extra):
        return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              cwd=tmp_path, env={**env, **extra}).stdout.strip()
    assert backend() == "system"
    assert backend(ARROW_DEFAULT_MEMORY_POOL="mimalloc") == "mimalloc"


@pytest.mark.skipif(__import__("platform").libc_ver()[0] != "glibc", reason="glibc's malloc only")
def test_the_build_process_keeps_the_memory_it_frees(tmp_path):
    """keep_freed_memory (what `python -m zzdata build` calls): arrays of a few MB made and freed
    over and over reuse the memory freed, instead of faulting fresh pages in each time."""
    import subprocess
    import sys

    script = """
import resource, sys
import numpy as np
if sys.argv[1] == "keep":
    from zzdata.tables.build import keep_freed_memory
    keep_freed_memory()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for i in range(40):
    a = np.ones(2**18 * (1 + i % 7))  # 2-14 MB, each freed when the next is made
    b = [np.ones(2**15) for _ in range(30)]
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""
    faults = {how: int(subprocess.run([sys.executable, "-c", script, how], capture_output=True, text=True,
                                      check=True, cwd=tmp_path).stdout) for how in ("plain", "keep")}
    assert faults["keep"] * 2 < faults["plain"], faults
