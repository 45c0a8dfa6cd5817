"""`make bench` in small: the synthetic collection, the timed builds and the figures it prints.

The real benchmark (1,000 texts) prints figures and checks nothing; this smoke test runs it on
30 texts and checks that the collection is what it claims and that every figure is measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

import pytest

from conftest import RAW, ROOT
from zzdata.tools import bench, chartbench, interpreter, savebench, synthetic
from zzdata.viz import reuse
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


def test_bench_measures_every_figure(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "LONG_RUN_S", 0.0)  # `make data` timed once (as when it takes long)
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
    # make data as a researcher runs it: every command of the Makefile's `data`, each stage timed
    made = fig["make_data"]
    assert list(made["stages"]) == [stage for stage, _ in bench.make_data_commands(2) if stage != bench.REVIEW_STAGE]
    assert made["review_s"] > 0, "the review pages are timed after make data, not in its whole"
    assert len(made["runs"]) == 1 and made["whole_s"] == pytest.approx(sum(made["stages"].values()))
    assert made["whole_mb_per_s"] == pytest.approx(fig["mb"] / made["whole_s"])
    assert made["stages"][bench.BUILD_STAGE] > fig["noop_cli_s"]
    # the checks ran inside the build, which said how long they took
    checks = made["validation"]
    assert set(checks) == {"checks", "report", bench.UNCHECKED, "added"}
    assert 0 < checks["checks"] < made["stages"][bench.BUILD_STAGE]
    # and in turn with it, the build without them: what they add to make data
    assert checks[bench.UNCHECKED] > fig["noop_cli_s"]
    assert checks["added"] == pytest.approx(made["whole_s"] - checks[bench.UNCHECKED])
    assert (tmp_path / "reports" / "validation.md").is_file(), "the validation ran on the collection, not the project"
    # a save from the review pages, timed on its own collection, each step said
    save = fig["save"]
    assert save["docs"] == min(N, savebench.SAVE_DOCS) and len(save["saves"]) == savebench.SAVES
    assert all(set(a) == {"check", "build", "validate", "pages", "total"} and a["total"] > a["build"] > 0
               for a in save["saves"])
    text = "\n".join(lines)
    assert fig["corrections"] == bench.N_CORRECTIONS and 0 < fig["corrections_s"] < fig["corrections_rebuild_s"]
    for words in ("raw text -> facts.parquet", "MB/s", "peak memory", "no-op", "one text changed", "load_facts()",
                  "corrections (data/raw/corrections.csv", "make data from nothing", "validation", "whole",
                  "a save from the review pages"):
        assert words in text


def test_bench_refuses_to_write_into_the_repository_data(capsys):
    args = argparse.Namespace(docs=2, jobs=1, workdir=str(ROOT / "data" / "bench"))
    assert bench.main(args) == 1
    assert "outside" in capsys.readouterr().err
    assert not (ROOT / "data" / "bench").exists()


def _makefile_data_commands() -> list[list[str]]:
    """The commands of the Makefile's `data` target, as arguments of python."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("data:"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip().split()[1:])  # without $(PYTHON)
    return recipe


def test_make_data_is_timed_as_the_makefile_runs_it():
    """The bench's `make data` is the Makefile's: the same commands in the same order (the build
    with the bench's --jobs); the review pages are timed where the command exists."""
    commands = bench.make_data_commands(2)
    timed = [args for stage, args in commands if stage != bench.REVIEW_STAGE]
    assert [[a for a in args if a not in ("--jobs", "2")] for args in timed] == _makefile_data_commands()
    assert bench._has_command("build") and not bench._has_command("no-such-command")
    assert (bench.REVIEW_STAGE in dict(commands)) == bench._has_command("review")


def test_review_pages_are_timed_where_the_command_exists(monkeypatch):
    monkeypatch.setattr(bench, "_has_command", lambda name: name == "review")
    stage, args = bench.make_data_commands(3)[-1]
    assert stage == bench.REVIEW_STAGE and args[:3] == ["-m", "zzdata", "review"] and "--quiet" in args


def test_sizes_print_how_each_stage_grows(tmp_path, monkeypatch):
    """--sizes: `make data` on each size in turn, and each stage's growth against the collection's
    (the times here are made up: the build in proportion, the validation with the square)."""
    def fake(workdir, jobs):
        n = len(read_manifest(workdir / "data" / "raw"))
        return {"build": 0.01 * n, "validation": 0.001 * n * n, "@checks": 0.002 * n, "@report": 0.001 * n,
                bench.REVIEW_STAGE: 0.005 * n}

    monkeypatch.setattr(bench, "_make_data_once", fake)
    monkeypatch.setattr(bench, "_unchecked_build_once",
                        lambda workdir, jobs: 0.009 * len(read_manifest(workdir / "data" / "raw")))
    lines: list[str] = []
    rows = bench.series([4, 8, 16], jobs=1, workdir=tmp_path, say=lines.append, repeat=1)
    assert [r["docs"] for r in rows] == [4, 8, 16]
    assert [r["stages"]["build"] for r in rows] == pytest.approx([0.04, 0.08, 0.16])
    assert rows[2]["whole_mb_per_s"] == pytest.approx(rows[2]["mb"] / (0.16 + 0.256))
    growth = {line.split(":")[0].strip(): line for line in lines if "x the growth" in line}
    assert "1.00 x the growth" in growth["build"]
    assert "4.00 x the growth" in growth["validation"]
    assert lines[0].startswith("4 texts") and "validation 0.02 s" in lines[0]
    assert "1.00 x the growth" in growth["validation checks"] and "checks 0.01 s" in lines[0]
    assert rows[2]["validation"]["added"] == pytest.approx(0.16 + 0.256 - 0.144)
    assert "the build without them 0.04 s, so the validation adds 0.02 s" in lines[0]
    assert "1.00 x the growth" in growth["then make review"] and "then make review 0.02 s" in lines[0]
    assert rows[2]["whole_s"] == pytest.approx(0.16 + 0.256), "the checks inside the build are not counted twice"


def test_what_the_validation_adds_is_taken_run_by_run(tmp_path, monkeypatch):
    """The host drifts between runs: each `make data` less the unchecked build just before it, then the
    median (0.40 s here; the difference of the two medians would say 0.60 s)."""
    unchecked, whole = iter([4.0, 5.0, 3.0]), iter([4.3, 5.4, 4.6])
    monkeypatch.setattr(bench, "_unchecked_build_once", lambda workdir, jobs: next(unchecked))
    monkeypatch.setattr(bench, "_make_data_once",
                        lambda workdir, jobs: {bench.BUILD_STAGE: next(whole), "@checks": 0.5, "@report": 0.02})
    fig = bench.make_data(tmp_path, 10.0, jobs=2, repeat=3)
    assert fig["validation"]["added"] == pytest.approx(0.4) and fig["added_runs"] == pytest.approx([0.3, 0.4, 1.6])
    said = bench.describe_make_data(fig, 10.0)
    assert "so the validation adds 0.40 s to make data (the median of 0.30, 0.40, 1.60 s" in said


def test_main_with_sizes_times_make_data_only(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(bench, "series", lambda sizes, jobs, workdir, repeat: calls.append((sizes, jobs, repeat)))
    monkeypatch.setattr(bench, "run", lambda *a, **k: calls.append("run"))
    args = argparse.Namespace(docs=None, jobs=2, repeat=None, workdir=str(tmp_path / "w"), sizes="250, 500,1000")
    assert bench.main(args) == 0
    assert calls == [([250, 500, 1000], 2, bench.REPEAT)]


def test_bench_first_says_which_python_runs_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench, "series", lambda *a, **k: None)
    monkeypatch.setattr(interpreter, "reference_seconds", lambda *a, **k: 0.1234)
    args = argparse.Namespace(docs=None, jobs=2, repeat=None, workdir=str(tmp_path / "w"), sizes="3")
    assert bench.main(args) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"interpreter: {platform.python_implementation()} {platform.python_version()} ")
    assert os.path.realpath(sys.executable) in first and "reference loop 0.123 s" in first


def test_the_reference_loop_is_timed_on_its_work():
    assert interpreter.reference_work(1000) == interpreter.reference_work(1000) > interpreter.reference_work(10)
    short, long = interpreter.reference_seconds(2_000, repeat=3), interpreter.reference_seconds(200_000, repeat=1)
    assert 0 < short < long  # a hundred times the rounds: the time follows the work, not a constant


@pytest.mark.parametrize("sizes", ["250,x", "0,10", "250;500"])
def test_sizes_that_are_not_numbers_say_what_to_give(tmp_path, capsys, sizes):
    args = argparse.Namespace(docs=None, jobs=2, repeat=None, workdir=str(tmp_path / "w"), sizes=sizes)
    assert bench.main(args) == 2
    assert "--sizes 250,500,1000" in capsys.readouterr().err and not (tmp_path / "w").exists()


def _pngs(figures):
    """The charts' PNGs in a figures folder (not the chart store's copies)."""
    return [p for p in figures.glob("*/*.png") if p.parent.name != reuse.FOLDER]


@pytest.mark.slow
def test_bench_counts_charts_per_second(tmp_path):
    """`make bench`'s chart part (--charts) in small: every chart kind of a synthetic collection in
    both languages (one theme's: the others draw the same kinds), each in three formats, and the
    charts per second printed; then a district's report added, and the charts drawn again counted."""
    lines: list[str] = []
    figures = tmp_path / "charts" / "reports" / "figures"
    first: dict[str, int] = {}

    def say(line: str) -> None:
        lines.append(line)
        if len(lines) == 1:  # after the first pass: which file each chart is (a chart put back keeps it)
            first.update({p.relative_to(figures).as_posix(): p.stat().st_ino for p in _pngs(figures)})

    fig = chartbench.charts(tmp_path, n_regions=2, n_years=2, region_years=1, jobs=1, say=say, themes=1)
    assert fig["charts"] >= 10 and set(fig["by_lang"]) == {"zh", "en"}
    assert fig["charts_per_s"] == pytest.approx(fig["charts"] / fig["charts_s"])
    assert "charts/s" in lines[0]
    pngs = {p.relative_to(figures).as_posix(): p for p in _pngs(figures)}
    assert len(pngs) == fig["charts_after_report"] >= fig["charts"] == len(first)
    assert all(p.with_suffix(".pdf").exists() and p.with_suffix(".svg").exists() for p in pngs.values())
    # A district's report held back, then added: the charts of its year are drawn again, and the
    # disagreements (the report gives other values than the year-end reviews of its year); the
    # others come back from the store as the same files.
    year = str(synthetic.FIRST_YEAR + 1)
    drawn = sorted(name for name, p in pngs.items() if first.get(name) != p.stat().st_ino)
    assert drawn and all(year in name or name.split("/")[1].startswith("conflicts") for name in drawn), drawn
    assert len(drawn) == fig["redrawn_after_report"]
    after = fig["charts_after_report"]
    assert f"{fig['redrawn_after_report']} of {after} charts drawn again" in lines[1]
