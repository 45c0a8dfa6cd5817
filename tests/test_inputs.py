"""Inputs as researchers will bring them: other encodings and character forms, and bad input.

Encodings and forms: one report (tests/fixtures, a full city report) saved as UTF-8 with and
without BOM, with CRLF or CR line ends, as GB18030, GBK, UTF-16 with and without BOM, with
full-width digits, and in Traditional characters (UTF-8 and Big5). Every version must give the
same facts, and every fact's offsets must point at the quantity in that version's raw text.

Bad input: each case gets one clear `error:` line naming the file and the problem, exit 1 from
`python -m zzdata build`, the output folder byte for byte as it was, and the raw folder
untouched. Text that begins with = + - @ never becomes a formula in the CSV or Excel outputs.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, WS, edit_manifest, hash_tree
from zzdata import cli
from zzdata.ingest import readers as textio
from zzdata.core.script import is_traditional, to_simplified
from zzdata.core.errors import InputError
from zzdata.ingest.manifest import REQUIRED_COLUMNS
from zzdata.ingest.decode import decode
from zzdata.ingest.readers import raw_text

CITY = "zhengzhou_2024-01-10_work-report_full.txt"
CITY_HANT = "zhengzhou_2024-01-10_work-report_full.zh-Hant.txt"
FACT_COLUMNS = ["value", "unit", "measure", "status", "period", "year", "region", "indicator", "label",
                "qualifier", "value_text", "theme", "preliminary"]


def _manifest(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=REQUIRED_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _row(file: str, **over) -> dict[str, str]:
    row = {"file": file, "region": "郑州市", "region_level": "city", "doc_type": "work_report",
           "delivered": "2024-01-10", "review_year": "2023", "target_year": "2024",
           "title": "郑州市人民政府工作报告（合成测试文本）", "publisher": "zzdata tests", "url": ""}
    row.update(over)
    return row


def _fullwidth(text: str) -> str:
    return text.translate(str.maketrans({**{chr(48 + i): chr(0xFF10 + i) for i in range(10)}, "%": "％", ".": "．"}))


# --- encodings and character forms -----------------------------------------------------------

SIMPLIFIED = (FIXTURES / CITY).read_text(encoding="utf-8")
TRADITIONAL = (FIXTURES / CITY_HANT).read_text(encoding="utf-8")
VARIANTS = {
    "utf8.txt": ("utf-8", SIMPLIFIED.encode("utf-8")),
    "utf8-bom.txt": ("utf-8-sig", b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8")),
    "crlf.txt": ("utf-8", SIMPLIFIED.replace("\n", "\r\n").encode("utf-8")),
    "cr.txt": ("utf-8", SIMPLIFIED.replace("\n", "\r").encode("utf-8")),
    "bom-crlf.txt": ("utf-8-sig", b"\xef\xbb\xbf" + SIMPLIFIED.replace("\n", "\r\n").encode("utf-8")),
    "gb18030.txt": ("gb18030", SIMPLIFIED.encode("gb18030")),
    "gbk-crlf.txt": ("gb18030", SIMPLIFIED.replace("\n", "\r\n").encode("gbk")),
    "utf16.txt": ("utf-16", SIMPLIFIED.encode("utf-16")),
    "utf16le-nobom.txt": ("utf-16-le", SIMPLIFIED.encode("utf-16-le")),
    "fullwidth.txt": ("utf-8", _fullwidth(SIMPLIFIED).encode("utf-8")),
    "hant-utf8.txt": ("utf-8", TRADITIONAL.encode("utf-8")),
    "hant-big5-crlf.txt": ("big5", TRADITIONAL.replace("\n", "\r\n").encode("cp950")),
    "hant-utf8-bom-fullwidth.txt": ("utf-8-sig", b"\xef\xbb\xbf" + _fullwidth(TRADITIONAL).encode("utf-8")),
}


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    """All versions of the city report in one raw folder, built once."""
    from zzdata.tables.build import build
    from zzdata.tables.load import load_documents, load_facts

    base = tmp_path_factory.mktemp("variants")
    raw, out = base / "raw", base / "out"
    raw.mkdir()
    for name, (_, data) in VARIANTS.items():
        (raw / name).write_bytes(data)
    (raw / "sources.csv").write_text(_manifest([_row(n) for n in VARIANTS]), encoding="utf-8")
    before = hash_tree(raw)
    build(raw, out, force=True, quiet=True)
    assert hash_tree(raw) == before, "the build wrote into the raw folder"
    return raw, load_facts(out), load_documents(out)


def test_the_traditional_fixture_is_traditional():
    assert is_traditional(TRADITIONAL) and not is_traditional(SIMPLIFIED)
    assert "億元" in TRADITIONAL and "亿元" not in TRADITIONAL


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_encoding_and_form_gives_the_same_facts(variants, name):
    _, facts, _ = variants
    base = facts[facts["doc"] == "utf8.txt"][FACT_COLUMNS].reset_index(drop=True)
    this = facts[facts["doc"] == name][FACT_COLUMNS].reset_index(drop=True)
    assert len(base) == 22  # 21 in digits and the rank 百强 (登榜全国综合实力百强县)
    assert this.to_dict("records") == base.to_dict("records")


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_offsets_point_at_the_quantity_in_each_raw_text(variants, name):
    raw, facts, _ = variants
    text = raw_text(raw / name)
    rows = facts[facts["doc"] == name]
    assert len(rows) > 0
    for r in rows.itertuples():
        printed = WS.sub("", text[r.start : r.end])
        assert to_simplified(printed) == r.value_text, (r.start, printed)
        if name.startswith("hant"):
            assert printed != r.value_text or not re.search(r"[万亿]", printed)  # the original form is kept


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_documents_record_the_encoding(variants, name):
    _, _, docs = variants
    assert docs.set_index("file").loc[name, "encoding"] == VARIANTS[name][0]


def test_traditional_text_is_traceable_to_its_original_characters(variants):
    from zzdata.tables.load import trace

    raw, facts, _ = variants
    fact = facts[(facts["doc"] == "hant-big5-crlf.txt") & (facts["value_text"] == "1150.6亿元")].iloc[0]
    assert "【1150.6億元】" in trace(fact, raw_dir=raw)


def test_gb18030_is_not_mistaken_for_big5_and_back():
    assert decode(SIMPLIFIED.encode("gb18030")).text == SIMPLIFIED
    assert decode(TRADITIONAL.encode("cp950")).text == TRADITIONAL
    assert decode(TRADITIONAL.encode("gb18030")).text == TRADITIONAL  # GB18030 holds every character


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b" \r\n\t\n", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not a text file"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200) + b"word/document.xml", "not a text file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4, "not a text file"),
        (SIMPLIFIED.encode("utf-8")[:500] + b"\xff" + SIMPLIFIED.encode("utf-8")[500:1000], "invalid byte"),
        ("Zhengzhou GDP rose 7.4% in 2023 — résumé of the report".encode("cp1252"), "UTF-8"),
        (SIMPLIFIED.encode("utf-8")[:-5], "invalid byte"),  # cut inside the last character
        ("郑州市地区生产总值增长".encode("utf-8")[:-1] * 40, "not UTF-8, GB18030/GBK or Big5"),
    ],
    ids=["empty", "whitespace", "bom-only", "png", "docx", "pdf", "damaged-utf8", "cp1252", "truncated-utf8",
         "garbled"],
)
def test_unreadable_bytes_are_refused_with_a_clear_message(data, words):
    with pytest.raises(InputError) as err:
        decode(data, "report.txt")
    message = str(err.value)
    assert message.startswith("report.txt: ") and words in message and "\n" not in message


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "MAX_BYTES", 1000)
    ok, big = tmp_path / "ok.txt", tmp_path / "big.txt"
    text = "增长7%。" * 90 + "x" * 10
    assert len(text.encode("utf-8")) == 1000
    ok.write_text(text, encoding="utf-8")
    big.write_text(text + "x", encoding="utf-8")
    assert textio.read_raw(ok).text
    with pytest.raises(InputError, match=r"big\.txt: .*larger than any report.*split it"):
        textio.read_raw(big)


# --- bad input through the command line ------------------------------------------------------

NO_NUMBERS = "各位代表：\n\n现在，我代表市人民政府向大会报告工作，请予审议。\n\n一、过去一年的工作\n\n全市上下团结奋斗，经济社会发展取得新成效。\n"


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A good raw folder (the city report and a text without numbers) and its built outputs."""
    base = tmp_path_factory.mktemp("good")
    raw = base / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / CITY, raw / CITY)
    (raw / "no_numbers.txt").write_text(NO_NUMBERS, encoding="utf-8")
    (raw / "sources.csv").write_text(_manifest([_row(CITY), _row("no_numbers.txt")]), encoding="utf-8")
    out = base / "out"
    assert cli.main(["build", "--raw", str(raw), "--out", str(out), "--quiet"]) == 0
    return raw, out


def test_manifest_without_rows_builds_empty_tables(tmp_path):
    """A collection with no texts yet (a header-only sources.csv) builds empty tables with their
    columns, not a traceback."""
    from zzdata.core import schema
    from zzdata.tables.build import build
    from zzdata.tables.load import load_documents, load_facts
    from zzdata.ingest.manifest import REQUIRED_COLUMNS

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "sources.csv").write_text(",".join(REQUIRED_COLUMNS) + "\n", encoding="utf-8")
    assert build(raw, out, quiet=True)
    assert len(load_facts(out)) == 0
    docs = load_documents(out)
    assert len(docs) == 0 and list(docs.columns) == schema.columns("documents")


def test_text_without_numbers_builds_with_no_facts(good):
    from zzdata.tables.load import load_documents, load_facts

    _, out = good
    docs = load_documents(out).set_index("file")
    assert docs.loc["no_numbers.txt", "n_facts"] == 0
    assert docs.loc[CITY, "n_facts"] == 22
    facts = load_facts(out)
    assert (facts["doc"] == "no_numbers.txt").sum() == 0 and len(facts) == 22


def _write(name: str, data: bytes):
    return lambda raw: (raw / name).write_bytes(data)


def _huge(raw: Path) -> None:
    with open(raw / CITY, "r+b") as fh:  # sparse: 50 MB without writing them
        fh.truncate(50 * 1024 * 1024)


BAD_INPUTS = {
    # case: (break the raw folder, words the single error line must hold)
    "empty-file": (_write(CITY, b""), [CITY, "empty"]),
    "binary-file": (_write(CITY, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16), [CITY, "not a text file"]),
    "damaged-utf8": (_write(CITY, SIMPLIFIED.encode("utf-8")[:-2]), [CITY, "invalid byte"]),
    "50MB-text": (_huge, [CITY, "50 MB", "split it"]),
    "manifest-is-tsv": (lambda raw: edit_manifest(raw, lambda ls: [l.replace(",", "\t") for l in ls]),
                        ["sources.csv", "not a comma-separated table"]),
    "manifest-is-xlsx": (_write("sources.csv", b"PK\x03\x04\x14\x00\x06\x00" + bytes(300)),
                         ["sources.csv", "not a text file"]),
    "manifest-is-json": (_write("sources.csv", json.dumps([_row(CITY)], ensure_ascii=False).encode()),
                         ["sources.csv", "header lacks the column(s)"]),
    "missing-column": (lambda raw: edit_manifest(raw, lambda ls: [",".join(l.split(",")[:4] + l.split(",")[5:]) for l in ls]),
                       ["sources.csv", "delivered"]),
    "bad-date": (lambda raw: edit_manifest(raw, lambda ls: [ls[0], ls[1].replace(",2024-01-10,", ",2024-02-30,"), ls[2]]),
                 ["sources.csv", "line 2", CITY, "'2024-02-30' is not a date"]),
    "bad-date-words": (lambda raw: edit_manifest(raw, lambda ls: [ls[0], ls[1].replace(",2024-01-10,", ",Jan 2024,"), ls[2]]),
                       ["sources.csv", CITY, "is not a date"]),
    "duplicate-row": (lambda raw: edit_manifest(raw, lambda ls: ls + [ls[1]]), ["line 4", CITY, "duplicate"]),
    "unknown-file": (lambda raw: edit_manifest(raw, lambda ls: ls + [ls[1].replace(CITY, "jinshui_2023.txt")]),
                     ["jinshui_2023.txt", "no such file"]),
    "file-without-row": (_write("erqi_2024.txt", "二七区新增城镇就业1.2万人。".encode()), ["erqi_2024.txt", "no row"]),
    "region-level-wrong": (lambda raw: edit_manifest(raw, lambda ls: [ls[0], ls[1].replace("郑州市,city", "金水区,city"), ls[2]]),
                           [CITY, "region_level 'city' does not fit 金水区", "'district'"]),
    "region-short-name": (lambda raw: edit_manifest(raw, lambda ls: [ls[0], ls[1].replace("郑州市,city", "巩义,county"), ls[2]]),
                          [CITY, "short name", "巩义市"]),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_one_clear_line_and_nothing_changed(good, tmp_path, capsys, case):
    good_raw, good_out = good
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(good_raw, raw)
    shutil.copytree(good_out, out)
    outputs_before = hash_tree(out)
    assert outputs_before == hash_tree(good_out)
    breaker, words = BAD_INPUTS[case]
    breaker(raw)
    raw_before = hash_tree(raw)
    capsys.readouterr()
    code = cli.main(["build", "--raw", str(raw), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, err
    for word in words:
        assert word in errors[0], errors[0]
    assert hash_tree(out) == outputs_before, "the outputs changed"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build-")], "a temporary folder was left"
    assert hash_tree(raw) == raw_before, "the raw folder changed"


def test_exit_code_of_the_real_command(good, tmp_path):
    good_raw, good_out = good
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(good_raw, raw)
    shutil.copytree(good_out, out)
    before = hash_tree(out)
    (raw / CITY).write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "zzdata", "build", "--raw", str(raw), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert f"error: {CITY}: the file is empty" in run.stderr
    assert hash_tree(out) == before


# --- formulas --------------------------------------------------------------------------------

FORMULA_TEXT = "=新增绿地25万平方米。\n+新建公园游园12个。\n-新增学位3000个。\n@新增托位500个。\n"
FORMULA_TITLE = '=HYPERLINK("http://example.invalid","报告")'


@pytest.fixture(scope="module")
def formula_build(tmp_path_factory):
    from zzdata.tables.build import build

    base = tmp_path_factory.mktemp("formula")
    raw, out = base / "raw", base / "out"
    raw.mkdir()
    (raw / "formula.txt").write_text(FORMULA_TEXT, encoding="utf-8")
    (raw / "sources.csv").write_text(_manifest([_row("formula.txt", title=FORMULA_TITLE)]), encoding="utf-8")
    build(raw, out, force=True, quiet=True)
    return out


def test_csv_cells_never_begin_with_a_formula_sign(formula_build):
    from zzdata.tables.csvio import unescape_text

    for name in ("facts.csv", "documents.csv", "claims.csv", "series.csv"):
        with open(formula_build / name, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                assert not [c for c in row if c[:1] in ("=", "+", "-", "@")], (name, row)
    with open(formula_build / "facts.csv", encoding="utf-8", newline="") as fh:
        snippets = [unescape_text(r["snippet"]) for r in csv.DictReader(fh)]
    assert snippets == ["=新增绿地25万平方米。", "+新建公园游园12个。", "-新增学位3000个。", "@新增托位500个。"]
    with open(formula_build / "documents.csv", encoding="utf-8", newline="") as fh:
        [doc] = list(csv.DictReader(fh))
    assert doc["title"] == "'" + FORMULA_TITLE and unescape_text(doc["title"]) == FORMULA_TITLE


def test_loaders_give_the_text_back(formula_build):
    from zzdata.tables.load import load_documents, load_facts

    assert load_facts(formula_build)["snippet"].str[:1].tolist() == ["=", "+", "-", "@"]
    assert load_documents(formula_build)["title"].tolist() == [FORMULA_TITLE]


def test_excel_cells_are_strings_not_formulas(formula_build):
    from openpyxl import load_workbook

    wb = load_workbook(formula_build / "zzdata.xlsx")
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    seen += 1
    facts = wb["facts"]
    header = [c.value for c in facts[1]]
    snippets = [r[header.index("snippet")] for r in facts.iter_rows(min_row=2, values_only=True)]
    assert snippets == ["=新增绿地25万平方米。", "+新建公园游园12个。", "-新增学位3000个。", "@新增托位500个。"]
    assert seen >= 5  # the four snippets and the title, at least
