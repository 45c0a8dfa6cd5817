"""The command line a researcher uses from the terminal."""

from __future__ import annotations

from zzdata.cli import main


def test_query_lists_values_across_texts(built, capsys):
    assert main(["query", "new_urban_jobs", "--processed", str(built)]) == 0
    out = capsys.readouterr().out
    assert "中原区" in out and "郑州市" in out and "target" in out


def test_query_without_match_says_what_to_try(built, capsys):
    assert main(["query", "没有这个指标", "--processed", str(built)]) == 2
    assert "python -m zzdata indicators" in capsys.readouterr().err
    assert main(["query", "new_urban_job", "--processed", str(built)]) == 2
    assert "did you mean new_urban_jobs" in capsys.readouterr().err


def test_show_traces_a_fact_to_its_sentence(facts, capsys, monkeypatch):
    import zzdata.tables.load

    monkeypatch.setattr(zzdata.tables.load, "load_facts", lambda *a, **k: facts)
    row = facts[facts["indicator"] == "gdp"].iloc[0]
    assert main(["show", row["fact_id"]]) == 0
    out = capsys.readouterr().out
    assert "【" in out and row["doc"] in out


def test_show_unknown_fact(facts, capsys, monkeypatch):
    import zzdata.tables.load

    monkeypatch.setattr(zzdata.tables.load, "load_facts", lambda *a, **k: facts)
    assert main(["show", "nope.txt:1"]) == 2
    assert "no document 'nope.txt'" in capsys.readouterr().err
    row = facts.iloc[0]
    assert main(["show", f"{row['doc']}:{row['start'] + 1}"]) == 2
    assert f"the nearest in {row['doc']}: {row['fact_id']}" in capsys.readouterr().err


def test_unknown_theme_and_region_are_errors_with_the_closest_names(built, capsys):
    assert main(["indicators", "--theme", "nonexistent", "--processed", str(built)]) == 2
    assert main(["indicators", "--theme", "housin", "--processed", str(built)]) == 2
    assert "did you mean housing" in capsys.readouterr().err
    assert main(["query", "new_urban_jobs", "--region", "中原", "--processed", str(built)]) == 2
    assert "did you mean 中原区" in capsys.readouterr().err


def test_numbers_print_for_reading(built, capsys):
    """Values a person reads: no exponents, counts as integers, 万/亿 and the unit as the texts write them."""
    assert main(["indicators", "--theme", "housing", "--processed", str(built)]) == 0
    out = capsys.readouterr().out
    assert ".0 " not in out and "e+" not in out
    assert main(["query", "gdp", "--processed", str(built)]) == 0
    out = capsys.readouterr().out
    assert "e+" not in out and "亿元" in out


def test_add_from_the_command_line(tmp_path, capsys):
    import shutil

    from conftest import FIXTURES, RAW
    from zzdata.ingest.manifest import read_manifest

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    page = FIXTURES / "formats" / "jinshui_2019_work-report.html"
    assert main(["add", str(page), "--raw", str(raw), "--publisher", "某区政府网站"]) == 1  # no terminal, no --yes
    assert not (raw / page.name).exists()
    assert main(["add", str(page), "--raw", str(raw), "--publisher", "某区政府网站", "--yes"]) == 0
    row = next(s for s in read_manifest(raw) if s.file == page.name)
    assert (row.region, row.publisher) == ("金水区", "某区政府网站")


def test_default_jobs_follow_the_usable_cores_up_to_eight(monkeypatch):
    import os

    from zzdata import cli

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert cli.default_jobs() == 8  # a big host: capped (each worker holds ~90 MB)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert cli.default_jobs() == 1  # a container limited to one core


def test_the_command_line_is_parsed_without_pandas():
    """A no-op `make data` (`python -m zzdata build` on built tables) answers in a tenth of a
    second: making the command line's parser imports no pandas (the corrections' options read
    their fields from zzdata.correct without loading the package's tables code)."""
    import subprocess
    import sys

    code = "import sys; from zzdata import cli; cli.parser(); print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", f"the parser imported {out}"
