"""`make bench` in small: the synthetic collection, the timed builds and the figures it prints.

The real benchmark (1,000 texts) prints figures and checks nothing; this smoke test runs it on
30 texts and checks that the collection is what it claims and that every figure is measured.
"""

from __future__ import annotations

import argparse

import pytest

from conftest import RAW, ROOT
from zzdata.tools import bench
from zzdata.core import catalog
from zzdata.ingest.manifest import read_manifest

N = 20  # a few seconds


def test_collection_varies_region_and_year(tmp_path):
    raw = tmp_path / "raw"
    nbytes = bench.make_collection(raw, N, raw_in=RAW)  # the shipped texts, not a researcher's additions
    sources = read_manifest(raw)  # a valid manifest: every file has its row, every row its file
    assert len(sources) == N
    assert nbytes == sum((raw / s.file).stat().st_size for s in sources)
    regions = catalog.regions()
    assert len({s.region for s in sources}) == min(N, len(regions))
    assert all(s.region_level == regions[s.region].level for s in sources)
    assert len({s.review_year for s in sources if s.review_year}) >= 5
    originals = {p.name: p.read_bytes() for p in RAW.glob("*.txt")}
    for s in sources:  # byte-for-byte copies of the five texts
        assert (raw / s.file).read_bytes() == originals[s.file.split("_", 1)[1]]


def test_bench_measures_every_figure(tmp_path):
    lines: list[str] = []
    fig = bench.run(N, jobs=2, workdir=tmp_path, say=lines.append, raw_in=RAW)
    assert fig["docs"] == N and fig["mb"] > 0.2
    assert fig["build_s"] > 0 and fig["mb_per_s"] == pytest.approx(fig["mb"] / fig["build_s"])
    runs = fig["build_runs_s"]  # three cold builds, the median one reported
    assert len(runs) == bench.REPEAT == 3 and runs == sorted(runs) and fig["build_s"] == runs[1]
    # facts.parquet is written before the series table and the workbook: reached before the end
    assert fig["extract_s"] < fig["to_parquet_s"] < fig["build_s"]
    assert fig["to_parquet_mb_per_s"] == pytest.approx(fig["mb"] / fig["to_parquet_s"])
    assert fig["peak_self_mb"] > 50
    assert fig["noop_rebuilt"] is False and fig["noop_s"] < fig["build_s"]
    assert fig["noop_cli_exit"] == 0
    # one text changed: it alone is extracted again, the others come from the cache
    assert fig["one_changed_rebuilt"] is True and fig["one_changed_extracted"] == 1
    assert fig["one_changed_s"] > 0
    assert fig["n_facts"] > 50 * N  # every copy gives its facts
    assert fig["load_s"] > 0
    text = "\n".join(lines)
    assert fig["corrections"] == bench.N_CORRECTIONS and 0 < fig["corrections_s"] < fig["corrections_rebuild_s"]
    for words in ("raw text -> facts.parquet", "MB/s", "peak memory", "no-op", "one text changed", "load_facts()",
                  "corrections (data/raw/corrections.csv"):
        assert words in text


def test_bench_refuses_to_write_into_the_repository_data(capsys):
    args = argparse.Namespace(docs=2, jobs=1, workdir=str(ROOT / "data" / "bench"))
    assert bench.main(args) == 1
    assert "outside" in capsys.readouterr().err
    assert not (ROOT / "data" / "bench").exists()
