"""The validation report (`make validate`): the checks a statistician runs on the built tables.

No error-level finding on the seeds (data/raw) nor on the fixtures of other years; and a small
collection of texts written for this test (numbers invented), built as `make data` builds it,
in which each check has something to find.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, RAW
from zzdata.validate.report import COLUMNS, main, report_markdown, validate

SOURCES_HEADER = "file,region,region_level,doc_type,delivered,review_year,target_year,title,publisher,url"

#: file -> (region, level, delivered, review year, text)
TEXTS = {
    "zhengzhou_2023-01_work-report.txt": ("郑州市", "city", "2023-01-10", 2022,
        "一、2022年工作回顾\n\n全市地区生产总值达到1000亿元，增长8%。一般公共预算收入完成80亿元。"
        "农民人均纯收入达到9000元。\n"),
    "zhengzhou_2024-01_work-report.txt": ("郑州市", "city", "2024-01-10", 2023,
        "一、2023年工作回顾\n\n全市地区生产总值达到1300亿元，增长5%。一般公共预算收入完成400亿元。"
        "城镇化率达到120%。\n"),
    "zhongyuan_2024-02_work-report.txt": ("中原区", "district", "2024-02-14", 2023,
        "一、2023年工作回顾\n\n全区地区生产总值达到1500亿元。农村居民人均可支配收入达到21000元。"
        "全区农民人均纯收入达到9800元。生产总值、规上工业增加值分别增长6%、6%。地区生产总值增长6%、8%。\n"),
}


def write_collection(raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    lines = [SOURCES_HEADER]
    for name, (region, level, delivered, year, text) in TEXTS.items():
        (raw / name).write_text(text, encoding="utf-8")
        lines.append(f"{name},{region},{level},work_report,{delivered},{year},{year + 1},测试文本,zzdata tests,")
    (raw / "sources.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> tuple[Path, Path]:
    from zzdata.tables.build import build

    root = tmp_path_factory.mktemp("validate")
    raw, out = root / "raw", root / "processed"
    write_collection(raw)
    build(raw, out, force=True, quiet=True)
    return raw, out


@pytest.fixture(scope="module")
def findings(collection) -> pd.DataFrame:
    raw, out = collection
    return validate(out, raw)


def _one(findings: pd.DataFrame, check: str, **where) -> pd.Series:
    sel = findings[findings["check"] == check]
    for col, value in where.items():
        sel = sel[sel[col] == value]
    assert len(sel) >= 1, f"no {check} {where} in\n{report_markdown(findings)}"
    return sel.iloc[0]


# --- the seeds and the fixtures ------------------------------------------------------------------
def test_no_error_on_the_seeds(built):
    df = validate(built, RAW)
    assert list(df.columns) == COLUMNS
    assert not (df["level"] == "error").any(), report_markdown(df[df["level"] == "error"])


@pytest.mark.parametrize("folder", ["", "years"])
def test_no_error_on_the_fixtures(tmp_path, folder):
    from zzdata.tables.build import build

    src, raw = FIXTURES / folder, tmp_path / "raw"
    raw.mkdir()
    shutil.copy(src / "sources.csv", raw)
    for name in pd.read_csv(src / "sources.csv", dtype=str)["file"]:
        shutil.copy(src / name, raw)
    build(raw, tmp_path / "out", force=True, quiet=True)
    df = validate(tmp_path / "out", raw)
    assert not (df["level"] == "error").any(), report_markdown(df[df["level"] == "error"])


# --- each check finds what it is for ---------------------------------------------------------------
def test_stated_growth_against_two_levels(findings):
    f = _one(findings, "growth_vs_levels", region="郑州市", indicator="gdp", year=2023)
    assert f["level"] == "warning" and "30.0%" in f["message"]  # 1000 -> 1300 is 30 %, stated 5 %
    assert len(f["fact_ids"].split("|")) == 3


def test_district_above_its_city(findings):
    f = _one(findings, "district_above_city", region="中原区", indicator="gdp")
    assert f["level"] == "error" and "150,000,000,000" in f["message"] and "郑州市" in f["message"]


def test_share_above_100(findings):
    f = _one(findings, "share_above_100", indicator="urbanization_rate")
    assert f["level"] == "error"


def test_level_that_jumps(findings):
    f = _one(findings, "level_jump", indicator="general_budget_revenue")
    assert f["level"] == "warning" and "5.00" in f["message"]


def test_list_that_lends_one_name_to_two_rates(findings):
    f = _one(findings, "one_indicator_two_values", indicator="gdp", region="中原区")
    assert f["level"] == "warning"


def test_same_value_under_two_indicators(findings):
    f = _one(findings, "same_value_two_indicators")
    assert set(f["indicator"].split("|")) == {"gdp", "industrial_value_added"}


def test_a_definitional_break_is_never_crossed_silently(findings):
    f = _one(findings, "definition_break", region="中原区", indicator="rural_disposable_income")
    assert f["level"] == "info" and "rural_net_income" in f["message"]
    # The two income measures are two series: no growth or jump is computed across them.
    assert not findings["indicator"].isin(["rural_net_income"]).any() or \
        findings.loc[findings["indicator"] == "rural_net_income", "check"].isin(["definition_break", "conflict"]).all()


def test_every_finding_names_its_facts_and_traces_them(collection, findings):
    from zzdata.tables.load import load_facts

    facts = set(load_facts(collection[1])["fact_id"])
    for _, f in findings.iterrows():
        ids = f["fact_ids"].split("|")
        assert ids and set(ids) <= facts, f
        assert f["level"] in ("error", "warning", "info")
        assert "【" in f["trace"] and "】" in f["trace"], f


def test_cli_writes_the_report_and_fails_on_errors_only(collection, tmp_path, capsys):
    raw, out = collection
    report = tmp_path / "validation.md"
    assert main(["--processed", str(out), "--raw", str(raw), "--report", str(report), "--quiet"]) == 1
    assert main(["--processed", str(out), "--raw", str(raw), "--report", str(report), "--quiet", "--exit-zero"]) == 0
    assert "error" in capsys.readouterr().out
    assert report.read_text(encoding="utf-8").startswith("# Validation")
    table = pd.read_csv(out / "validation.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == COLUMNS and len(table) > 0


def test_cli_passes_on_the_seeds(built, tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(built, processed)
    assert main(["--processed", str(processed), "--raw", str(RAW), "--report", str(tmp_path / "v.md"), "--quiet"]) == 0


def test_missing_tables_say_what_to_run(tmp_path, capsys):
    assert main(["--processed", str(tmp_path / "none"), "--quiet"]) == 1
    assert "make data" in capsys.readouterr().err


def test_validate_if_stale_reruns_the_checks_only_after_a_build(collection, tmp_path):
    """`python -m zzdata.validate --if-stale`: nothing runs while the outputs are newer than the
    build stamp; after a build they are written again."""
    import os
    import subprocess
    import sys
    import time

    raw, built_dir = collection
    processed = tmp_path / "processed"
    shutil.copytree(built_dir, processed)
    report = tmp_path / "v.md"
    cmd = [sys.executable, "-m", "zzdata.validate", "--processed", str(processed), "--raw", str(raw),
           "--report", str(report), "--quiet", "--exit-zero", "--if-stale"]
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    first = (processed / "validation.csv").stat().st_mtime_ns
    assert subprocess.run(cmd, capture_output=True, text=True).stdout == ""  # up to date: nothing ran
    assert (processed / "validation.csv").stat().st_mtime_ns == first
    later = time.time() + 5
    os.utime(processed / ".build-stamp.json", (later, later))  # a new build
    assert "validation:" in subprocess.run(cmd, capture_output=True, text=True).stdout


def test_make_data_checks_tables_it_finds_up_to_date_when_their_validation_is_stale(collection, tmp_path):
    """`make data` is one command: `python -m zzdata build` finds the tables up to date and then
    asks whether their validation is (the checks' code or the catalog changed since, or the
    report is missing): if not, it runs the checks on them; if so, nothing, without pandas."""
    import os
    import subprocess
    import sys
    import time

    def pandas_imported(importtime: str) -> bool:  # (-X importtime's line of the package itself)
        return re.search(r"\|\s*pandas$", importtime, re.M) is not None

    raw, built_dir = collection
    processed = tmp_path / "processed"
    shutil.copytree(built_dir, processed)
    report = tmp_path / "v.md"  # none yet: the validation is stale
    cmd = [sys.executable, "-X", "importtime", "-m", "zzdata", "build", "--raw", str(raw), "--out", str(processed),
           "--report", str(report)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    assert run.returncode == 0 and "is up to date" in run.stderr and "validation:" in run.stderr, run.stderr
    assert report.is_file() and "# Validation" in report.read_text(encoding="utf-8")
    first = (processed / "validation.csv").stat().st_mtime_ns
    run = subprocess.run(cmd, capture_output=True, text=True)
    assert "is up to date" in run.stderr and "validation:" not in run.stderr
    assert not pandas_imported(run.stderr), "nothing to check: pandas not even imported"
    assert (processed / "validation.csv").stat().st_mtime_ns == first
    later = time.time() + 5
    os.utime(processed / ".build-stamp.json", (later, later))  # as after a change of the checks
    run = subprocess.run([*cmd, "--quiet"], capture_output=True, text=True)
    assert run.returncode == 0 and pandas_imported(run.stderr) and "validation:" not in run.stderr
    assert (processed / "validation.csv").stat().st_mtime_ns > first
    no_checks = subprocess.run([*cmd, "--no-validate"], capture_output=True, text=True)
    assert not pandas_imported(no_checks.stderr)


def test_validation_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """Each file is written to a temporary file that then takes its place: a failure (a full disk
    in the CSV, anything in the report) leaves the previous file whole and no temporary file."""
    import errno

    from zzdata.validate import report

    csv_path, md = tmp_path / "validation.csv", tmp_path / "reports" / "validation.md"
    rows = [{"check": "range", "level": level, "region": "郑州市", "year": 2024, "indicator": "gdp",
             "message": f"a {level} finding", "fact_ids": "f1|f2", "trace": "…【1316.4亿元】…"}
            for level in ("error", "warning", "info")]
    df = pd.DataFrame(rows, columns=report.COLUMNS).astype({"year": "Int64"})
    report.write(df, md, csv_path)
    before = {p: p.read_bytes() for p in (csv_path, md)}

    def half(frame, path):
        Path(path).write_bytes(before[csv_path][:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report, "write_csv", half)
    with pytest.raises(OSError):
        report.write(df.head(1), md, csv_path)
    assert {p: p.read_bytes() for p in (csv_path, md)} == before, "the CSV failed half-way: both files as they were"
    monkeypatch.undo()
    monkeypatch.setattr(report, "report_markdown", lambda frame, **_: (_ for _ in ()).throw(MemoryError()))
    with pytest.raises(MemoryError):
        report.write(df.head(1), md, csv_path)
    assert csv_path.read_bytes() != before[csv_path], "the CSV, written whole, is the new one"
    assert md.read_bytes() == before[md], "the report failed: the previous one stays whole"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["validation.csv", "validation.md"]


def _copy_fixture(folder: str, raw: Path) -> None:
    src = FIXTURES / folder
    raw.mkdir(parents=True)
    shutil.copy(src / "sources.csv", raw)
    for name in pd.read_csv(src / "sources.csv", dtype=str)["file"]:
        shutil.copy(src / name, raw)


@pytest.mark.parametrize("folder", ["made up", "heldback", "heldout"])
def test_the_build_checks_its_tables_as_make_validate_does(tmp_path, folder):
    """`python -m zzdata build` runs the checks on the tables in memory, beside the workbook: the
    same validation.csv and report, byte for byte, as `make validate` reading the files; then
    `--if-stale` finds them current. With another `--out` and no `--report`,
    it writes no report (nothing lands in the project's reports/)."""
    import subprocess
    import sys

    from zzdata.cli import main as cli

    raw = tmp_path / "raw"
    if folder == "made up":
        write_collection(raw)
    else:
        _copy_fixture(folder, raw)
    out = tmp_path / "processed"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert cli(["build", "--raw", str(raw), "--out", str(out), "--report", str(tmp_path / "a" / "v.md"), "--quiet"]) == 0
    in_build = (out / "validation.csv").read_bytes()
    cmd = [sys.executable, "-m", "zzdata.validate", "--processed", str(out), "--raw", str(raw),
           "--report", str(tmp_path / "a" / "v.md"), "--quiet", "--exit-zero", "--if-stale"]
    assert subprocess.run(cmd, capture_output=True, text=True).stdout == "", "the build's checks count as current"
    assert main(["--processed", str(out), "--raw", str(raw), "--report", str(tmp_path / "b" / "v.md"),
                 "--quiet", "--exit-zero"]) == 0
    assert (out / "validation.csv").read_bytes() == in_build
    assert (tmp_path / "a" / "v.md").read_bytes() == (tmp_path / "b" / "v.md").read_bytes()
    assert len(pd.read_csv(out / "validation.csv")) > 0, "a collection with findings to compare"
    # With two jobs the checks run in a process of their own (the build's `beside`), with one here.
    for jobs in ("1", "2"):
        (tmp_path / jobs).mkdir()
        assert cli(["build", "--raw", str(raw), "--out", str(out), "--report", str(tmp_path / jobs / "v.md"),
                    "--quiet", "--force", "--jobs", jobs]) == 0
        assert (out / "validation.csv").read_bytes() == in_build
        assert (tmp_path / jobs / "v.md").read_bytes() == (tmp_path / "b" / "v.md").read_bytes()

    other = tmp_path / "elsewhere"
    assert cli(["build", "--raw", str(raw), "--out", str(other), "--quiet"]) == 0
    assert (other / "series.csv").exists() and not (other / "validation.csv").exists()


def test_the_seconds_the_build_prints_for_its_checks_are_read_back():
    # make bench reads them from the build's output: the line and its reader live side by side.
    from zzdata.validate.report import CHECKS_LINE, checks_seconds

    line = CHECKS_LINE.format(summary="0 errors, 1 warning, 2 infos", checks=2.345, report=0.06, target="r/v.md")
    assert checks_seconds(f"Reading 5 texts\n{line}\n") == {"checks": 2.35, "report": 0.06}
    assert checks_seconds("Reading 5 texts\n") == {}


# --- the lookups the checks and the report make in Arrow -------------------------------------------
def test_a_conflict_names_the_first_four_other_values_that_differ_from_the_chosen():
    """checks.conflicts looks each other fact's value up by its id: a value equal to the chosen one
    is not named, a missing or empty id neither, an id the facts do not hold is (its value is not
    known to agree), at most four, in the series' order; a duplicated fact id counts its first row."""
    from zzdata.validate.checks import conflicts

    facts = pd.DataFrame({"fact_id": ["a.txt:1", "b.txt:5", "c.txt:9", "d.txt:2", "e.txt:3", "f.txt:4", "g.txt:6",
                                      "c.txt:9", "h.txt:7"],
                          "value": [10.0, 12.0, 10.0, 13.0, 14.0, 15.0, 16.0, 99.0, 20.0]})
    series = pd.DataFrame({
        "region": ["甲区", "乙区", "丙区"], "year": pd.array([2101, 2102, 2103], dtype="Int64"),
        "indicator": ["gdp", "gdp", "gdp"], "value": [10.0, 20.0, 30.0], "unit": ["元"] * 3,
        "doc": ["a.txt", "h.txt", "x.txt"], "other_values": ["12; 13", "", ""],
        "fact_id": ["a.txt:1", "h.txt:7", "x.txt:1"],
        "other_fact_ids": ["b.txt:5|c.txt:9||d.txt:2|zz.txt:8|e.txt:3|f.txt:4|g.txt:6", "h.txt:7", None],
        "conflict": [True, True, False]})
    found = conflicts(series, facts)
    assert [f.region for f in found] == ["甲区", "乙区"]
    # c.txt:9 is 10.0 in its first row, as chosen: not named; zz.txt:8 is not among the facts: named.
    assert found[0].fact_ids == ["a.txt:1", "b.txt:5", "d.txt:2", "zz.txt:8", "e.txt:3"]
    assert found[1].fact_ids == ["h.txt:7"]  # its one other id is itself, the same value
    assert found[0].year == 2101 and "chosen 10 元 (a.txt)" in found[0].message
    # The same with nullable values (pandas' own missing value): an other fact without a value is
    # named, as its value is not known to agree.
    nullable = facts.astype({"value": "Float64"})
    nullable.loc[nullable["fact_id"] == "d.txt:2", "value"] = pd.NA
    again = conflicts(series.astype({"value": "Float64"}), nullable)
    assert [f.fact_ids for f in again] == [f.fact_ids for f in found]


def test_the_report_traces_each_facts_first_row_and_skips_ids_it_does_not_hold(tmp_path):
    from zzdata.validate.report import _trace_texts

    (tmp_path / "a.txt").write_text("甲乙丙丁\n戊己", encoding="utf-8")
    facts = pd.DataFrame({"fact_id": ["a.txt:1", "gone.txt:5", "a.txt:1", "a.txt:6"],
                          "doc": ["a.txt", "gone.txt", "z.txt", "a.txt"], "start": [1, 5, 2, 5], "end": [3, 9, 4, 7]})
    traced = _trace_texts(facts, {"a.txt:1", "a.txt:6", "gone.txt:5", "q.txt:0"}, tmp_path)
    assert traced == {"a.txt:1": "a.txt line 1, chars 1-3: …甲【乙丙】丁戊己…",  # the first row of the id
                      "a.txt:6": "a.txt line 2, chars 5-7: …甲乙丙丁【戊己】…",  # the text's line break left out
                      "gone.txt:5": "gone.txt:5 (raw text not found)"}  # q.txt:0: no such fact, no line
    assert _trace_texts(facts, set(), tmp_path) == {}


def test_a_missing_value_in_a_finding_is_an_empty_cell():
    import numpy as np

    from zzdata.validate.report import _text_column

    assert _text_column([None, pd.NA, np.nan, "甲区", 3]).tolist() == ["", "", "", "甲区", "3"]
