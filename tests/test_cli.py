"""The command line a researcher uses from the terminal."""

from __future__ import annotations

from zzdata.cli import main


def test_query_lists_values_across_texts(built, capsys):
    assert main(["query", "new_urban_jobs", "--processed", str(built)]) == 0
    out = capsys.readouterr().out
    assert "中原区" in out and "郑州市" in out and "target" in out


def test_query_without_match_says_what_to_try(built, capsys):
    assert main(["query", "没有这个指标", "--processed", str(built)]) == 1
    assert "python -m zzdata indicators" in capsys.readouterr().err


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
    assert main(["show", "nope.txt:1"]) == 1
    assert "no fact" in capsys.readouterr().err


def test_default_jobs_follow_the_usable_cores_up_to_eight(monkeypatch):
    import os

    from zzdata import cli

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert cli.default_jobs() == 8  # a big host: capped (each worker holds ~90 MB)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert cli.default_jobs() == 1  # a container limited to one core
