"""Bad corrections: each gets a message naming the file, the line, what is wrong and what to do;
the other rows still apply, the build still succeeds, and nothing in data/raw is rewritten. The
command refuses a wrong value with the closest valid ones (exit 2) and writes nothing; it only
ever appends."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, copy_fixture_set, hash_tree
from zzdata.cli import main
from zzdata.correct import COLUMNS, CorrectionError, record
from zzdata.tables.load import load_corrections, load_facts

SET = ROOT / "tests" / "fixtures" / "corrections"
DOC = "guancheng_2017-01-06_work-report_corrections.txt"


def _main(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The fixture report built without corrections: (raw folder, processed folder, facts)."""
    root = tmp_path_factory.mktemp("base")
    raw, out = copy_fixture_set(SET, root / "raw"), root / "processed"
    code, _, err = _main("build", "--raw", str(raw), "--out", str(out), "--jobs", "1")
    assert code == 0, err
    return raw, out, load_facts(out)


def _fact(facts, value_text: str):
    return facts[facts["value_text"] == value_text].iloc[0]


def _row(fact, action: str, note: str = "a test", **fields) -> dict[str, str]:
    row = {c: "" for c in COLUMNS}
    row.update(file=fact["doc"], start=str(fact["start"]), end=str(fact["end"]), value_text=fact["value_text"],
               action=action, note=note, **{k: str(v) for k, v in fields.items()})
    return row


def _csv(rows: list[dict[str, str]], header=COLUMNS) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(c, "") for c in header])
    return buf.getvalue()


def _build_with(base, tmp_path, data: bytes) -> tuple[str, object, object]:
    """Build the report with corrections.csv holding `data`: (log, facts, corrections table);
    checks that the build wrote nothing into the raw folder."""
    raw = tmp_path / "raw"
    shutil.copytree(base[0], raw)
    (raw / "corrections.csv").write_bytes(data)
    before = hash_tree(raw)
    out = tmp_path / "out"
    code, _, log = _main("build", "--raw", str(raw), "--out", str(out), "--jobs", "1")
    assert code == 0, log
    assert hash_tree(raw) == before
    return log, load_facts(out), load_corrections(out)


def _milestone(facts):
    """A milestone read as a level (`相继跨过200亿元、300亿元两道关口`): line 2 of every file below drops it,
    and must still apply. (The slogan count `五个方面` was this fact until issue 19 made it no figure.)"""
    return _fact(facts, "200亿元")


BAD_ROWS = {  # name -> (the bad row from the fact 420亿元, words of the message, outcome)
    "unknown indicator": (lambda f: _row(f, "set", indicator="gdpp"), "did you mean gdp", "stale"),
    "unknown region": (lambda f: _row(f, "set", region="金水"), "did you mean 金水区", "refused"),
    "short region": (lambda f: _row(f, "set", region="管城区"), "write the gazetteer's name 管城回族区", "refused"),
    "bad period": (lambda f: _row(f, "set", period="2016年"), "period '2016年' does not parse", "refused"),
    "bad status": (lambda f: _row(f, "set", status="actaul"), "did you mean actual", "refused"),
    "bad value": (lambda f: _row(f, "set", value="四百亿"), "is not a number", "refused"),
    "bad unit": (lambda f: _row(f, "set", unit="根"), "not a base unit", "refused"),
    "bad action": (lambda f: _row(f, "delete"), "action 'delete' is not one of drop, set, unfile, add", "refused"),
    "span outside the text": (lambda f: {**_row(f, "drop"), "start": "99990", "end": "99995"},
                              "lie beyond the end", "stale"),
    "span off the figure": (lambda f: {**_row(f, "drop"), "start": str(f["start"] + 1), "end": str(f["end"] + 1)},
                            "not '420亿元'", "stale"),
    "formula note": (lambda f: _row(f, "drop", note="=HYPERLINK(\"x\")"), "runs as a formula", "refused"),
    "empty note": (lambda f: _row(f, "drop", note=""), "the note is empty", "refused"),
    "drop with fields": (lambda f: _row(f, "drop", indicator="gdp"), "a drop row gives fields", "refused"),
    "set without fields": (lambda f: _row(f, "set"), "a set row gives no field", "refused"),
}


@pytest.mark.parametrize("name", list(BAD_ROWS))
def test_a_bad_row_is_left_out_with_its_line_and_the_others_apply(base, tmp_path, name):
    make, words, outcome = BAD_ROWS[name]
    facts = base[2]
    good, bad = _row(_milestone(facts), "drop"), make(_fact(facts, "420亿元"))
    log, after, table = _build_with(base, tmp_path, _csv([good, bad]).encode())
    message = next(line for line in log.splitlines() if "corrections.csv line 3:" in line)
    assert words in message and "raw/corrections.csv line 3:" in message
    assert table.set_index("line").loc[3, "outcome"] == outcome
    assert table.set_index("line").loc[2, "outcome"] == "applied"
    assert _milestone(facts)["fact_id"] not in set(after["fact_id"])  # the good row applied
    assert _fact(after, "420亿元")["corrected"] == ""  # the bad one did not


def test_a_row_with_too_many_fields(base, tmp_path):
    facts = base[2]
    text = _csv([_row(_milestone(facts), "drop")]) + f"{DOC},1,2,x,drop,,,,,,,,,,,a,b,extra\n"
    log, after, _ = _build_with(base, tmp_path, text.encode())
    assert "corrections.csv line 3: refused: 18 fields where the header has 16" in log
    assert _milestone(facts)["fact_id"] not in set(after["fact_id"])


def test_duplicates_and_contradictions(base, tmp_path):
    facts = base[2]
    gdp, rev, milestone = _fact(facts, "420亿元"), _fact(facts, "31.5亿元"), _milestone(facts)
    rows = [_row(milestone, "drop"), _row(milestone, "drop", note="again"),  # 2, 3: a duplicate
            _row(gdp, "set", indicator="gdp"), _row(gdp, "set", indicator="retail_sales"),  # 4, 5: two values
            _row(rev, "drop"), _row(rev, "set", period="2016")]  # 6, 7: drop and set
    log, after, table = _build_with(base, tmp_path, _csv(rows).encode())
    outcome = table.set_index("line")["outcome"].to_dict()
    assert outcome == {2: "applied", 3: "refused", 4: "refused", 5: "refused", 6: "refused", 7: "refused"}
    assert "line 3: refused: duplicate of line 2" in log
    assert "line 4: refused: sets indicator to 'gdp', line 5 to 'retail_sales': they contradict each other" in log
    assert "line 6: refused: drops the figure that line 7 set" in log and "line 7: refused: sets a figure that line 6 drops" in log
    assert rev["fact_id"] in set(after["fact_id"]) and milestone["fact_id"] not in set(after["fact_id"])


@pytest.mark.parametrize("header, words, applies", [
    ([c for c in COLUMNS if c != "qualifier"], "lacks the column(s) qualifier", True),
    ([*COLUMNS, "comment"], "not corrections' (comment: ignored)", True),
    ([c for c in COLUMNS if c != "note"], "no correction was applied", False),
])
def test_missing_or_extra_columns(base, tmp_path, header, words, applies):
    milestone = _milestone(base[2])
    log, after, _ = _build_with(base, tmp_path, _csv([_row(milestone, "drop")], header).encode())
    assert "corrections.csv line 1: the header" in log and words in log
    assert (milestone["fact_id"] not in set(after["fact_id"])) == applies


def test_a_gb18030_file_is_read_and_named(base, tmp_path):
    milestone = _milestone(base[2])
    text = _csv([_row(milestone, "drop", note="关口，不是水平值")])
    log, after, _ = _build_with(base, tmp_path, text.encode("gb18030"))
    assert "corrections.csv: encoded in GB18030, not UTF-8" in log and "save it as UTF-8" in log
    assert milestone["fact_id"] not in set(after["fact_id"])
    raw = tmp_path / "raw"
    with pytest.raises(CorrectionError, match="GB18030, not UTF-8; save it as UTF-8 first"):
        record(_fact(base[2], "420亿元")["fact_id"], drop=True, note="x", raw_dir=raw, processed_dir=base[1])
    assert (raw / "corrections.csv").read_bytes() == text.encode("gb18030")


# --------------------------------------------------------------------------- the command


@pytest.fixture
def raw(base, tmp_path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(base[0], folder)
    return folder


def _correct(raw: Path, base, *args: str) -> tuple[int, str, str]:
    return _main("correct", *args, "--raw", str(raw), "--processed", str(base[1]))


@pytest.mark.parametrize("args, words", [
    (["{doc}:1", "--drop"], "the nearest in " + DOC),
    (["nothing.txt:5", "--drop"], "no fact 'nothing.txt:5'"),
    (["{gdp}", "--indicator", "gdpp"], "did you mean gdp"),
    (["{gdp}", "--region", "金水"], "did you mean 金水区"),
    (["{gdp}", "--period", "2016年"], "does not parse"),
    (["{gdp}", "--measure", "levle"], "did you mean level"),
    (["{gdp}", "--drop", "--indicator", "gdp"], "not both"),
    (["{gdp}"], "not neither"),
    (["--add", DOC, "5", "99999"], "are not a span of"),
    (["--add", DOC, "{gdp_start}", "{gdp_end}", "--indicator", "gdp"], "already; correct it with"),
    (["--add", "guancheng.txt", "1", "3", "--label", "x"], "no report 'guancheng.txt' in sources.csv"),
    (["--add", DOC, "{words}", "{words_end}", "--label", "区"], "give its value and unit"),
    (["--add", DOC, "x", "3", "--label", "x"], "whole numbers"),
])
def test_the_command_refuses_a_wrong_value_and_writes_nothing(base, raw, args, words):
    gdp = _fact(base[2], "420亿元")
    text = (raw / DOC).read_text(encoding="utf-8")
    at = text.index("全区")
    fill = {"doc": DOC, "gdp": gdp["fact_id"], "gdp_start": gdp["start"], "gdp_end": gdp["end"],
            "words": at, "words_end": at + 2}
    before = hash_tree(raw)
    code, out, err = _correct(raw, base, *[a.format(**fill) for a in args], "--note", "a test")
    assert code == 2 and words in err and "Nothing was written." in err, err
    assert hash_tree(raw) == before


def test_note_is_required(base, raw):
    with pytest.raises(SystemExit) as exit_:
        _correct(raw, base, _fact(base[2], "420亿元")["fact_id"], "--drop")
    assert exit_.value.code == 2
    assert not (raw / "corrections.csv").exists()


def test_the_command_refuses_a_row_that_contradicts_one_there(base, raw):
    gdp = _fact(base[2], "420亿元")["fact_id"]
    assert _correct(raw, base, gdp, "--indicator", "gdp", "--note", "first")[0] == 0
    before = (raw / "corrections.csv").read_bytes()
    code, _, err = _correct(raw, base, gdp, "--indicator", "retail_sales", "--note", "second")
    assert code == 2 and "line 3 (not written): sets indicator to 'retail_sales', line 2 to 'gdp'" in err
    code, _, err = _correct(raw, base, gdp, "--indicator", "gdp", "--note", "again")
    assert code == 2 and "duplicate of line 2" in err
    assert (raw / "corrections.csv").read_bytes() == before


def test_record_appends_without_touching_the_rows_there(base, raw):
    """A file written by hand (CRLF line ends, a quoted note, no line end at its end): the new row is
    appended after its bytes, in its line ends; the row returned says where."""
    milestone = _milestone(base[2])
    hand = _csv([_row(milestone, "drop", note='关口, "200亿元"')]).replace("\n", "\r\n").rstrip("\r\n").encode()
    (raw / "corrections.csv").write_bytes(hand)
    gdp = _fact(base[2], "420亿元")
    row = record(gdp["fact_id"], fields={"period": "2016"}, note="the review year", raw_dir=raw,
                 processed_dir=base[1])
    data = (raw / "corrections.csv").read_bytes()
    assert data.startswith(hand + b"\r\n") and data.endswith(b"\r\n") and data.count(b"\r\n") == 3
    assert row["line"] == 3 and row["action"] == "set" and row["period"] == "2016"
    assert row["start"] == str(gdp["start"]) and row["value_text"] == "420亿元"
    assert not [p for p in raw.iterdir() if p.name.startswith(".")]  # no temporary file left
    with pytest.raises(CorrectionError, match="not a field of a correction: year"):
        record(gdp["fact_id"], fields={"year": "2016"}, note="x", raw_dir=raw, processed_dir=base[1])
