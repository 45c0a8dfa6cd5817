"""Reports as researchers get them: a saved web page (GB2312, with the site's chrome), a PDF with
a text layer, a scanned PDF, a Word file. Each is read to the article's text, built like a .txt,
and proposed as a manifest row by `zzdata add`. The expected facts were written down before the
extractor ran (tests/fixtures/formats/expected_facts.csv)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, RAW, hash_tree
from zzdata.core.errors import InputError
from zzdata.ingest import add as add_mod
from zzdata.ingest.manifest import append_rows, read_manifest
from zzdata.ingest.pdf import read_pdf
from zzdata.ingest.readers import read_raw
from zzdata.ingest.web import read_html
from zzdata.ingest.word import read_docx
from zzdata.tables.build import build
from zzdata.tables.load import load_documents, load_facts, raw_text, trace

FORMATS = FIXTURES / "formats"
HTML = FORMATS / "jinshui_2019_work-report.html"
ARTICLE = (FORMATS / "article.txt").read_text(encoding="utf-8").splitlines()
ROW = {"region": "金水区", "region_level": "district", "doc_type": "work_report", "delivered": "2019-01-10",
       "review_year": "2018", "target_year": "2019", "title": "2019年金水区政府工作报告",
       "publisher": "fixture", "url": ""}
#: What the site puts around the article; none of it may reach the text.
CHROME = ("网站首页", "无障碍", "政务公开", "当前位置", "发布时间", "浏览次数", "2317", "字号", "打印本页",
          "分享到", "相关链接", "2017年金水区政府工作报告", "主办单位", "ICP", "访客", "setFont", "_hmt", ".nav",
          "document.write")


def _expected() -> set[tuple]:
    with (FORMATS / "expected_facts.csv").open(encoding="utf-8", newline="") as fh:
        return {(float(r["value"]), r["unit"], r["measure"], r["status"], int(r["year"]), r["qualifier"], r["indicator"])
                for r in csv.DictReader(fh)}


def _facts(facts) -> set[tuple]:
    return {(float(r.value), r.unit, r.measure, r.status, int(r.year), r.qualifier, r.indicator)
            for r in facts.itertuples()}


def _font_path() -> str:
    """A TrueType font with the CJK characters of the article, from the project's own dependencies."""
    import mplfonts

    return str(Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf")


def make_pdf(path: Path, lines: list[str], per_page: int = 5, scan: bool = False) -> None:
    """A PDF of `lines` as a report prints them: a running header on every page, the page number
    `— N —` at the foot, and long paragraphs broken into lines of 30 characters (so a sentence
    runs over a line and a page break). With `scan`, the pages are pictures (no text layer)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages

    font = font_manager.FontProperties(fname=_font_path())
    printed = []
    for line in lines:
        printed += [line[i : i + 30] for i in range(0, len(line), 30)] or [""]
    pages = [printed[i : i + per_page] for i in range(0, len(printed), per_page)]
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for n, page in enumerate(pages, start=1):
            fig = plt.figure(figsize=(8.27, 11.69))
            texts = [(0.5, 0.96, "金水区人民政府工作报告（2019）", "center"), (0.5, 0.04, f"— {n} —", "center")]
            texts += [(0.08, 0.9 - i * 0.03, text, "left") for i, text in enumerate(page)]
            for x, y, text, ha in texts:
                fig.text(x, y, text, fontproperties=font, fontsize=12, ha=ha)
            if scan:
                fig.canvas.draw()
                image = fig.canvas.buffer_rgba()
                plt.close(fig)
                fig = plt.figure(figsize=(8.27, 11.69))
                fig.figimage(image, resize=True)
            pdf.savefig(fig)
            plt.close(fig)


def make_docx(path: Path, lines: list[str]) -> None:
    """A Word file of `lines`, with a small table after the review, as reports often have."""
    import docx

    d = docx.Document()
    d.core_properties.title = "2019年金水区政府工作报告"
    for line in lines:
        d.add_paragraph(line)
        if line.startswith("城镇居民"):
            table = d.add_table(rows=2, cols=2)
            for r, (a, b) in enumerate((("指标", "2018年"), ("地区生产总值（亿元）", "1316.4"))):
                table.cell(r, 0).text, table.cell(r, 1).text = a, b
    d.save(path)


def _built(tmp_path: Path, source: Path, name: str | None = None) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(source, raw / (name or source.name))
    append_rows(raw, [{"file": name or source.name, **ROW}])
    out = tmp_path / "processed"
    build(raw, out, force=True, quiet=True)
    return out


# --------------------------------------------------------------------------- web pages


def test_web_page_keeps_the_article_and_drops_the_chrome():
    decoded = read_html(HTML.read_bytes(), HTML.name)
    assert decoded.format == "html" and decoded.encoding == "gb18030" and decoded.extractor.startswith("trafilatura")
    for line in ARTICLE:
        assert line in decoded.text, line
    left = [word for word in CHROME if word in decoded.text]
    assert not left, f"site chrome reached the text: {left}"


def test_web_page_declared_charset_wins_and_a_wrong_one_falls_back():
    from zzdata.ingest.web import page_html

    html = HTML.read_bytes()
    assert page_html(html, "p.html")[1] == "gb18030"  # declared gb2312, read as its superset
    utf8 = html.decode("gb18030").encode("utf-8")  # the same page saved as UTF-8 but still saying gb2312
    text, charset = page_html(utf8, "p.html")
    assert charset == "utf-8" and "金水区第十五届人民代表大会" in text


def test_a_page_without_an_article_is_refused():
    with pytest.raises(InputError, match="no article text"):
        page = "<html><head><title>x</title></head><body><div class='nav'><a href='/'>首页</a></div></body></html>"
        read_html(page.encode("utf-8"), "empty.html")


# --------------------------------------------------------------------------- PDF and Word


def test_pdf_lines_joined_page_numbers_and_running_header_dropped(tmp_path):
    path = tmp_path / "report.pdf"
    make_pdf(path, ARTICLE)
    decoded = read_pdf(path.read_bytes(), path.name)
    assert decoded.format == "pdf" and decoded.extractor.startswith("pypdf")
    text = decoded.text
    assert "— 1 —" not in text and "— 2 —" not in text, "page numbers stay out"
    assert "金水区人民政府工作报告（2019）" not in text, "the running header stays out"
    for line in ARTICLE:
        assert line in text.splitlines(), f"paragraph not joined back: {line}"


def test_pdf_without_a_text_layer_says_it_needs_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    make_pdf(path, ARTICLE, scan=True)
    with pytest.raises(InputError, match="no text layer.*OCR"):
        read_pdf(path.read_bytes(), path.name)


def test_damaged_pdf_and_old_word_are_refused_with_what_to_do(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(InputError, match="not a readable PDF"):
        read_raw(bad)
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(InputError, match=r"save it as \.docx"):
        read_raw(old)


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = tmp_path / "report.docx"
    make_docx(path, ARTICLE)
    decoded = read_docx(path.read_bytes(), path.name)
    lines = decoded.text.splitlines()
    assert decoded.format == "docx" and decoded.extractor.startswith("python-docx")
    assert [line for line in lines if " | " not in line] == ARTICLE
    assert lines.index("地区生产总值（亿元） | 1316.4") == ARTICLE.index(next(a for a in ARTICLE if a.startswith("城镇居民"))) + 2


# --------------------------------------------------------------------------- the build


@pytest.mark.parametrize("kind", ["html", "pdf", "docx"])
def test_every_format_builds_the_expected_facts(tmp_path, kind):
    if kind == "html":
        out = _built(tmp_path, HTML)
        name = HTML.name
    else:
        name = f"report.{kind}"
        src = tmp_path / name
        (make_pdf if kind == "pdf" else make_docx)(src, ARTICLE)
        out = _built(tmp_path, src)
    facts = load_facts(out)
    assert _facts(facts) == _expected()
    raw = tmp_path / "raw"
    text = raw_text(name, raw)
    for r in facts.itertuples():  # offsets index the extracted text; trace shows the number
        assert "".join(text[r.start : r.end].split()) == r.value_text
        assert f"【{text[r.start:r.end]}】" in trace(r._asdict(), raw_dir=raw)
    doc = load_documents(out).iloc[0]
    assert doc["format"] == kind and doc["extractor"]


# --------------------------------------------------------------------------- zzdata add


def test_add_infers_the_row_from_the_page():
    p = add_mod.propose(HTML)
    assert {k: f.value for k, f in p.fields.items() if k in ROW and k not in ("publisher", "url")} == {
        k: v for k, v in ROW.items() if k not in ("publisher", "url")}
    assert "congress line" in p.fields["region"].source and "gazetteer" in p.fields["region_level"].source


def test_add_infers_a_date_in_chinese_numerals(tmp_path):
    path = tmp_path / "county.txt"
    path.write_text("政府工作报告\n——二〇一二年二月三日在中牟县第十四届人民代表大会第二次会议上\n一、2011年工作回顾\n"
                    "全县生产总值达到210.5亿元。\n二、2012年工作安排\n", encoding="utf-8")
    p = add_mod.propose(path)
    row = p.row()
    assert (row["region"], row["region_level"], row["delivered"], row["review_year"], row["target_year"]) == (
        "中牟县", "county", "2012-02-03", "2011", "2012")


def test_add_copies_the_file_and_appends_the_row(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    said = []
    assert add_mod.add([HTML], yes=True, raw_dir=raw, say=said.append) == 0
    assert (raw / HTML.name).read_bytes() == HTML.read_bytes()
    row = next(s for s in read_manifest(raw) if s.file == HTML.name)
    assert (row.region, row.delivered, row.review_year, row.target_year) == ("金水区", "2019-01-10", 2018, 2019)
    # The same bytes under another name are refused, and nothing changes.
    again = tmp_path / "copy.html"
    shutil.copyfile(HTML, again)
    before = hash_tree(raw)
    assert add_mod.add([again], yes=True, raw_dir=raw, say=said.append) == 1
    assert hash_tree(raw) == before and "already in" in said[-1]


def test_add_refuses_what_it_cannot_infer_naming_the_flag(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    path = tmp_path / "note.txt"
    path.write_text("一段没有会议、日期和地区的文字，数字为12.5亿元。\n", encoding="utf-8")
    before = hash_tree(raw)
    said = []
    assert add_mod.add([path], yes=True, raw_dir=raw, say=said.append) == 1
    assert hash_tree(raw) == before
    for flag in ("--region", "--doc-type", "--delivered"):
        assert flag in said[-1]
    # Given by hand, the same file goes in.
    given = {"region": "金水区", "doc_type": "news", "delivered": "2020-05", "review_year": "2020"}
    assert add_mod.add([path], given=given, yes=True, raw_dir=raw, say=said.append) == 0
    assert any(s.file == "note.txt" and s.doc_type == "news" for s in read_manifest(raw))


def test_add_refuses_a_scan_and_an_unreadable_format(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    scan = tmp_path / "scan.pdf"
    make_pdf(scan, ARTICLE, scan=True)
    said = []
    assert add_mod.add([scan, FORMATS / "README.md", tmp_path / "missing.pdf"], yes=True, raw_dir=raw,
                       say=said.append) == 3
    assert "OCR" in said[0] and "no such file" in said[-1]
    assert not (raw / "scan.pdf").exists()


def test_the_text_of_a_page_is_read_once(tmp_path, monkeypatch):
    """The extracted text is kept beside the raw folder: the second read does not parse the page."""
    from zzdata.ingest import readers

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(HTML, raw / HTML.name)
    append_rows(raw, [{"file": HTML.name, **ROW}])
    first = read_raw(raw / HTML.name)
    assert list((tmp_path / "interim" / "text").glob("*.json"))

    def no_parse(data, name):
        raise AssertionError("parsed again")

    monkeypatch.setitem(readers.READERS, ".html", no_parse)
    monkeypatch.setattr(no_parse, "__module__", "zzdata.ingest.web", raising=False)
    assert read_raw(raw / HTML.name) == first


@pytest.mark.parametrize("text, delivered, review_year", [
    # No year named: a story of January-March looks back on the year before, a later one on its own year.
    ("郑州高新区经济运行平稳\n\n记者从区统计部门获悉，全区地区生产总值增长6.1%。\n", "2025-02-20", "2024"),
    ("郑州高新区经济运行平稳\n\n记者获悉，上半年全区地区生产总值增长5.2%。\n", "2025-07-18", "2025"),
    # The text agrees with the date: 去年 in February is the year before.
    ("经开区去年成绩单\n\n2月18日，记者获悉，去年全区地区生产总值增长6.1%，今年将力争增长6.5%。\n", "2025-02-20", "2024"),
    ("二七区2024年经济运行综述\n\n2024年全区一般公共预算收入增长3.2%。\n", "2025-01-08", "2024"),
    # A comparison year names no period: 比2023年.
    ("二七区去年经济运行\n\n去年全区进出口总值比2023年增长9%。\n", "2025-03-02", "2024"),
])
def test_add_a_news_story_with_its_date_only(tmp_path, text, delivered, review_year):
    path = tmp_path / "news.txt"
    path.write_text(text, encoding="utf-8")
    p = add_mod.propose(path, {"doc_type": "news", "delivered": delivered, "region": "二七区"})
    assert p.fields["review_year"].value == review_year and not p.missing()
    assert "date" in p.fields["review_year"].source


@pytest.mark.parametrize("text, delivered", [
    ("郑东新区一月开门红\n\n今年1月，全区规模以上工业增加值增长8%。\n", "2025-02-20"),  # names 2025, the date says 2024
    ("回望2023年\n\n2023年全区地区生产总值增长5%。\n", "2025-02-20"),
])
def test_add_asks_when_the_text_names_another_year_than_the_date(tmp_path, text, delivered):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    path = tmp_path / "news.txt"
    path.write_text(text, encoding="utf-8")
    said = []
    assert add_mod.add([path], given={"doc_type": "news", "delivered": delivered, "region": "郑东新区"}, yes=True,
                       raw_dir=raw, say=said.append) == 1
    assert "--review-year" in said[-1] and "names" in said[-1]
