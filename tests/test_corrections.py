"""Hand corrections on a report written for them (tests/fixtures/corrections): its figures were
read by hand before the build ran on it (expected_facts.csv, with how each is to be reached:
read by the build, dropped, set or added). Through the command line, the build's facts become
the facts read by hand; a rebuild (also `--force`) keeps them without extracting again; a
changed text makes the rows stale, reported by line and applied to nothing."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, copy_fixture_set
from zzdata.cli import main
from zzdata.core import catalog
from zzdata.tables.load import load_corrections, load_documents, load_facts, load_series, raw_text

SET = ROOT / "tests" / "fixtures" / "corrections"
DOC = "guancheng_2017-01-06_work-report_corrections.txt"
ZONE = "郑州经济技术开发区"
COMPARED = ["value_text", "value", "unit", "measure", "status", "period", "region", "indicator"]
FIELD_FLAGS = ["indicator", "region", "period", "status", "measure", "unit", "value"]


def _expected() -> list[dict[str, str]]:
    with open(SET / "expected_facts.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _main(*argv: str) -> tuple[int, str, str]:
    """`python -m zzdata …` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _build(raw: Path, out: Path, *more: str) -> str:
    code, _, err = _main("build", "--raw", str(raw), "--out", str(out), "--jobs", "1", *more)
    assert code == 0, err
    return err


def _correct(raw: Path, out: Path, *args: str) -> tuple[int, str, str]:
    return _main("correct", *args, "--raw", str(raw), "--processed", str(out))


def _built_fixture(tmp_path: Path) -> tuple[Path, Path]:
    """The fixture report copied into a raw folder of its own and built, with no corrections."""
    raw, out = copy_fixture_set(SET, tmp_path / "raw"), tmp_path / "out"
    _build(raw, out)
    return raw, out


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _as_read_by_hand(facts: pd.DataFrame) -> list[tuple]:
    rows = []
    for r in facts.itertuples():
        rows.append((r.value_text, float(r.value), r.unit, r.measure, r.status, r.period, r.region, r.indicator))
    return sorted(rows)


def _expected_rows() -> list[tuple]:
    return sorted((e["value_text"], float(e["value"]), *(e[c] for c in COMPARED[2:]))
                  for e in _expected() if not e["how"].startswith("drop"))


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    """The fixture report built, then corrected through the CLI row by row from expected_facts.csv,
    then built again: (raw, out, facts as read, the CLI's outputs, the rebuild's log)."""
    root = tmp_path_factory.mktemp("corrections")
    raw, out = copy_fixture_set(SET, root / "raw"), root / "processed"
    _build(raw, out)
    as_read = load_facts(out)
    text = raw_text(DOC, raw)
    said = []
    used: set[str] = set()
    for e in _expected():
        how, _, note = e["how"].partition(": ")
        note = note or "as read by hand (tests/fixtures/corrections/expected_facts.csv)"
        if how == "drop":  # every fact printed within the words that are no figure
            for fid in as_read[as_read["value_text"].apply(lambda v: v in e["value_text"])]["fact_id"]:
                said.append(_correct(raw, out, fid, "--drop", "--note", note))
            continue
        if how == "add":
            start = text.index(e["value_text"])
            flags = [x for f in FIELD_FLAGS for x in (f"--{f}", e[f]) if e[f]]
            said.append(_correct(raw, out, "--add", DOC, str(start), str(start + len(e["value_text"])),
                                 *flags, "--note", note))
            continue
        fact = as_read[(as_read["value_text"] == e["value_text"]) & ~as_read["fact_id"].isin(used)].iloc[0]
        used.add(fact["fact_id"])
        differ = [f for f in FIELD_FLAGS
                  if (float(fact[f]) != float(e[f]) if f == "value" else str(fact[f]) != e[f])]
        if differ:
            flags = [x for f in differ for x in (f"--{f}", e[f])]
            said.append(_correct(raw, out, fact["fact_id"], *flags, "--note", f"read by hand: {note}"))
    log = _build(raw, out)
    return raw, out, as_read, said, log


def test_the_build_misreads_what_the_report_was_written_for(corrected):
    """What the corrections are for: the milestones are read as figures, the zone's figure is filed
    under the district, the figure in 根 is not read. The slogan count is no figure (issue 19), and the
    paragraphs after the one that says `五年来` report the year (2016, actual): nothing to correct there."""
    _, _, as_read, _, _ = corrected
    printed = set(as_read["value_text"])
    assert {"200亿元", "300亿元"} <= printed and not any(v in "五个方面" for v in printed)
    assert as_read.loc[as_read["value_text"] == "680亿元", "region"].tolist() == ["管城回族区"]
    assert "1200根" not in printed
    after = as_read[as_read["value_text"].isin(["18条", "26万平方米", "680亿元"])]
    assert len(after) == 3 and set(after["period"]) == {"2016"} and set(after["status"]) == {"actual"}


def test_every_correction_was_recorded_and_applied(corrected):
    raw, out, _, said, _ = corrected
    assert said and all(code == 0 for code, _, _ in said), [err for _, _, err in said]
    assert all("corrections.csv line" in o for _, o, _ in said)
    table = load_corrections(out)
    assert len(table) == len(said) and set(table["outcome"]) == {"applied"}
    assert set(table["action"]) == {"drop", "set", "add"}
    assert table["line"].tolist() == list(range(2, 2 + len(said)))


def test_corrected_facts_are_the_facts_read_by_hand(corrected):
    _, out, _, _, _ = corrected
    facts = load_facts(out)
    assert _as_read_by_hand(facts) == _expected_rows()


def test_corrected_facts_say_what_and_why(corrected):
    _, out, as_read, _, _ = corrected
    facts = load_facts(out).set_index("value_text")
    zone = facts.loc["680亿元"]
    assert zone["region"] == ZONE and zone["region_level"] == catalog.regions()[ZONE].level
    assert zone["corrected"] == "region"  # the fields set (its period and status were read right)
    assert zone["year"] == 2016 and not zone["preliminary"]
    assert zone["correction_note"].startswith("read by hand: the zone's GDP")
    added = facts.loc["1200根"]
    charging = catalog.indicators()["charging_piles"]
    assert added["corrected"] == "add" and added["fact_id"] == f"{DOC}:{added['start']}"
    assert (added["label"], added["theme"]) == (charging.name_zh, charging.theme)
    assert "充电桩1200根" in added["snippet"] and added["section"] == "一、2016年工作回顾"
    assert raw_text(DOC, corrected[0])[added["start"]:added["end"]] == "1200根"
    untouched = facts.loc["420亿元"]
    assert untouched["corrected"] == "" and untouched["correction_note"] == ""
    assert not set(as_read["fact_id"][as_read["value_text"] == "200亿元"]) & set(facts["fact_id"])


def test_the_fields_set_are_named_in_a_fixed_order(corrected, tmp_path):
    """`corrected` names the fields set in a fixed order (zzdata.correct's), not in the order typed."""
    raw0, out0, _, _, _ = corrected
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(raw0, raw)
    shutil.copytree(out0, out)
    fact = load_facts(out).set_index("value_text").loc["18条"]
    code, _, err = _correct(raw, out, fact["fact_id"], "--status", "cumulative", "--period", "2012-2016",
                            "--note", "a test of the order")
    assert code == 0, err
    _build(raw, out)
    assert load_facts(out).set_index("value_text").loc["18条", "corrected"] == "period|status"


def test_series_take_the_corrections(corrected):
    _, out, _, _, _ = corrected
    series = load_series(out)
    gdp = series[(series["indicator"] == "gdp") & (series["measure"] == "level") & (series["year"] == 2016)]
    by_region = dict(zip(gdp["region"], gdp["value"]))
    assert by_region == {"管城回族区": 4.2e10, ZONE: 6.8e10}
    zone = gdp[gdp["region"] == ZONE].iloc[0]
    assert "region" in zone["corrected"].split("|") and zone["correction_note"]
    assert not series["other_values"].str.contains("2e+10|20000000000|30000000000").any()  # milestones gone
    docs = load_documents(out)
    assert docs["n_corrected"].tolist() == [load_corrections(out)["fact_id"].nunique()]


def test_editing_corrections_extracts_no_text_and_force_keeps_them(corrected, tmp_path):
    raw, out, _, _, log = corrected
    assert "0 texts extracted, 1 from the cache" in log
    before = _hashes(out)
    raw_before = _hashes(raw)
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    _build(raw, copy, "--force")
    assert _hashes(copy) == before  # the same bytes: the corrections kept, the build deterministic
    assert _hashes(raw) == raw_before  # the build writes nothing into data/raw


def test_a_changed_text_makes_the_rows_stale(corrected, tmp_path):
    raw0, _, _, _, _ = corrected
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(raw0, raw)
    text = (raw / DOC).read_text(encoding="utf-8")
    # a line inserted before the milestones (every later span moves) and the zone's figure revised
    changed = text.replace("五年来，", "全年新增市场主体1.2万户。五年来，").replace("680亿元", "690亿元")
    (raw / DOC).write_text(changed, encoding="utf-8")
    rows = list(csv.DictReader((raw / "corrections.csv").open(encoding="utf-8")))
    stale_lines = {i + 2 for i, r in enumerate(rows) if int(r["start"]) > text.index("五年来")}
    log = _build(raw, out)
    table = load_corrections(out).set_index("line")
    assert set(table.index[table["outcome"] == "stale"]) == stale_lines
    for line in stale_lines:
        assert f"corrections.csv line {line}: stale, applied to nothing:" in log
    zone = table[table["value_text"] == "680亿元"].iloc[0]
    assert "not '680亿元'" in zone["problem"] and "printed at" not in zone["problem"]  # revised: printed nowhere
    moved = table[table["value_text"] == "200亿元"].iloc[0]
    assert "200亿元 is printed at char" in moved["problem"] and "(+" in moved["problem"]
    facts = load_facts(out)
    assert {"200亿元", "300亿元", "690亿元"} <= set(facts["value_text"])  # dropped and set: applied to nothing
    assert facts.loc[facts["value_text"] == "690亿元", "region"].tolist() == ["管城回族区"]
    from zzdata.validate.report import validate

    findings = validate(out, raw)
    stale = findings[findings["check"] == "stale_correction"]
    assert len(stale) == len(stale_lines) and set(stale["level"]) == {"warning"}
    assert all(f"line {line} " in " ".join(stale["message"]) for line in stale_lines)


def test_a_report_gone_makes_its_rows_stale(corrected, tmp_path):
    raw0, _, _, _, _ = corrected
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(raw0, raw)
    rows = (raw / "corrections.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (raw / "corrections.csv").write_text("".join(rows + [rows[1].replace(DOC, "gone.txt", 1)]), encoding="utf-8")
    log = _build(raw, out)
    assert f"corrections.csv line {len(rows) + 1}: stale, applied to nothing: the report gone.txt is gone" in log


def test_no_corrections_file_changes_nothing(tmp_path):
    raw, out = _built_fixture(tmp_path)
    assert not (raw / "corrections.csv").exists()
    assert load_corrections(out).empty
    facts = load_facts(out)
    assert set(facts["corrected"]) == {""} and set(facts["correction_note"]) == {""}
    assert set(load_documents(out)["n_corrected"]) == {0}


# --------------------------------------------------------------------------- unfile: a figure of no indicator


def _gdp_2016(out: Path) -> pd.DataFrame:
    series = load_series(out)
    return series[(series["indicator"] == "gdp") & (series["measure"] == "level") & (series["year"] == 2016)]


def test_an_unfiled_figure_leaves_the_series_and_stays_in_the_facts(tmp_path):
    """The zone's GDP (680亿元, printed after the district's 420亿元) is read as the district's GDP
    of 2016 (expected_facts.csv: gdp; only its region is wrong). A researcher who keeps no series
    of the zone files it under no indicator: the district's series keeps its own 420亿元 alone, the
    figure stays in the facts, marked, and a forced rebuild keeps it so."""
    raw, out = _built_fixture(tmp_path)
    zone = load_facts(out).set_index("value_text").loc["680亿元"]
    assert (zone["indicator"], zone["region"]) == ("gdp", "管城回族区")  # as read, before any correction
    before = _gdp_2016(out)
    assert zone["fact_id"] in set(before["fact_id"]) or before["other_values"].str.contains("680").any()

    code, said, err = _correct(raw, out, zone["fact_id"], "--unfile", "--note", "the zone's GDP: no series of ours")
    assert code == 0, err
    assert "unfile" in said and "corrections.csv line 2" in said
    (row,) = list(csv.DictReader((raw / "corrections.csv").open(encoding="utf-8")))
    assert (row["action"], row["value_text"], row["start"]) == ("unfile", "680亿元", str(zone["start"]))
    assert not any(row[f] for f in ("indicator", "label", "period", "region", "value", "unit"))  # no field given

    log = _build(raw, out)
    assert "0 texts extracted" in log  # a correction reruns only what follows the extraction
    facts = load_facts(out).set_index("fact_id")
    after = facts.loc[zone["fact_id"]]
    assert after["indicator"] == "" and after["corrected"] == "indicator"
    assert after["correction_note"] == "the zone's GDP: no series of ours"
    for kept in ("value", "unit", "label", "theme", "region", "period", "status", "snippet"):
        assert after[kept] == zone[kept], kept  # only its indicator changed
    gdp = _gdp_2016(out)
    assert zone["fact_id"] not in set(load_series(out)["fact_id"])
    assert gdp[gdp["region"] == "管城回族区"][["value", "conflict", "other_values"]].values.tolist() == [[4.2e10, False, ""]]
    table = load_corrections(out)
    assert table[["action", "outcome", "fact_id"]].values.tolist() == [["unfile", "applied", zone["fact_id"]]]

    forced = tmp_path / "forced"
    shutil.copytree(out, forced)
    _build(raw, forced, "--force")
    assert _hashes(forced) == _hashes(out)
    assert load_facts(forced).set_index("fact_id").loc[zone["fact_id"], ["indicator", "corrected"]].tolist() == [
        "", "indicator"]


def test_unfiling_is_refused_where_it_makes_no_sense(tmp_path):
    raw, out = _built_fixture(tmp_path)
    facts = load_facts(out).set_index("value_text")
    zone, roads = facts.loc["680亿元", "fact_id"], facts.loc["18条", "fact_id"]  # 18条: of no indicator as read
    assert facts.loc["18条", "indicator"] == ""
    for args, said in (((zone, "--indicator", ""), "--unfile instead of --indicator"),
                       ((roads, "--unfile"), "filed under no indicator already"),
                       ((zone, "--unfile", "--drop"), "not both"),
                       ((zone, "--unfile", "--label", "经开区生产总值"), "give either --unfile or the fields")):
        code, _, err = _correct(raw, out, *args, "--note", "a test")
        assert code == 2 and said in err and "Nothing was written." in err, (args, err)
    assert not (raw / "corrections.csv").exists()

    # By hand: an unfile row that gives a field, and one that contradicts a row setting the indicator.
    start = facts.loc["680亿元", "start"]
    header = "file,start,end,value_text,action,indicator,label,period,region,status,measure,qualifier,threshold,value,unit,note"
    rows = [f"{DOC},{start},{start + 6},680亿元,unfile,,,,,,,,,,,the zone's",
            f"{DOC},{start},{start + 6},680亿元,set,general_budget_revenue,,,,,,,,,,a wrong filing",
            f"{DOC},{facts.loc['420亿元', 'start']},{facts.loc['420亿元', 'start'] + 6},420亿元,unfile,gdp,,,,,,,,,,both"]
    (raw / "corrections.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    log = _build(raw, out)
    assert "line 2: refused: unfiles it, line 3 sets indicator to 'general_budget_revenue': they contradict" in log
    assert "line 3: refused: sets indicator to 'general_budget_revenue', line 2 unfiles it" in log
    assert "line 4: refused: an unfile row gives fields (indicator)" in log
    assert set(load_facts(out)["corrected"]) == {""}  # nothing applied
