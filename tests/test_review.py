"""The review pages (`make review`, zzdata/review/): every figure marked in place with what it is,
escaped texts, pages rewritten only when what they show changed, the index's counts, and the links
from validation.md and the notebooks. The browser tests are in test_review_browser.py."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest

from conftest import FIXTURES, RAW, assert_read_as_by_hand, copy_fixture_set, expected_params, extract_raw, read_csv_rows

REVIEW = FIXTURES / "review"
EXPECTED = read_csv_rows(REVIEW / "expected_facts.csv")
DOC = EXPECTED[0]["doc"]
#: A report whose text and manifest row try to run script in a page that shows them.
HOSTILE = "hostile_2026-02-01_news.txt"
HOSTILE_TEXT = ('郑州市</script><script>window.pwned=1</script>新增城镇就业<b>12万人</b>，增长5%&amp;"\'。\n'
                '第二行<img src=x onerror="window.pwned=2"><!-- 注释 -->]]>。\n')
HOSTILE_TITLE = '<img src=x onerror="window.pwned=3">“标题”&amp;</title>'


@dataclass
class Project:
    """A project folder of its own: the shipped texts, the review fixture and the hostile report,
    built, validated and with its review pages."""

    root: Path
    raw: Path
    processed: Path
    review: Path
    report: Path


def make_project(folder: Path, pages: bool = True) -> Project:
    """Build a project in `folder` as `make data` and `make review` would (the caller sets
    ZZDATA_ROOT to it, so links and default paths are the project's)."""
    from zzdata.review.pages import write_pages
    from zzdata.tables.build import build
    from zzdata.validate.report import main as validate

    root = Path(folder)
    raw = root / "data" / "raw"
    shutil.copytree(RAW, raw)
    copy_fixture_set(REVIEW, root / "fixture")
    for name in (DOC,):
        shutil.copy(root / "fixture" / name, raw / name)
    (raw / HOSTILE).write_text(HOSTILE_TEXT, encoding="utf-8")
    with (raw / "sources.csv").open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerows(list(csv.reader((root / "fixture" / "sources.csv").open(encoding="utf-8")))[1:])
        w.writerow([HOSTILE, "郑州市", "city", "news", "2026-02-01", "2025", "", HOSTILE_TITLE, "<b>x</b>", ""])
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    processed = root / "data" / "processed"
    build(raw, processed, quiet=True)
    report = root / "reports" / "validation.md"
    validate(["--processed", str(processed), "--raw", str(raw), "--report", str(report), "--quiet", "--exit-zero"])
    review = root / "reports" / "review"
    if pages:
        write_pages(processed, raw, review, jobs=1, quiet=True)
    return Project(root, raw, processed, review, report)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    folder = tmp_path_factory.mktemp("review-project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZZDATA_ROOT", str(folder))
        yield make_project(folder)


class Page(HTMLParser):
    """A review page read back: the article's text as the browser shows it, its marks (id,
    data-fact, classes, text) and claims, and the page's JSON."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.text, self.marks, self.claims, self.scripts = [], [], [], {}
        self._in_text = 0
        self._mark = None
        self._script = None
        self.feed(source)
        self.text = "".join(self.text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article" and a.get("id") == "text":
            self._in_text = 1
        elif self._in_text:
            self._in_text += 1
            if tag == "mark":
                self._mark = {"id": a.get("id"), "fact": a.get("data-fact"), "cls": a.get("class", "").split(),
                              "start": len("".join(self.text)), "text": ""}
            elif tag == "span" and "claim" in a.get("class", ""):
                self.claims.append(len("".join(self.text)))
        if tag == "script":
            self._script = a.get("id") or "code"
            self.scripts.setdefault(self._script, "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if self._in_text:
            self._in_text -= 1
            if tag == "mark" and self._mark is not None:
                self.marks.append(self._mark)
                self._mark = None

    def handle_data(self, data):
        if self._script:
            self.scripts[self._script] += data
        elif self._in_text:
            self.text.append(data)
            if self._mark is not None:
                self._mark["text"] += data

    def data(self) -> dict:
        return json.loads(self.scripts["zz-data"])


def read_page(project: Project, doc: str) -> Page:
    return Page((project.review / f"{doc}.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("row,k", expected_params(EXPECTED))
def test_the_review_fixture_is_read_as_written_down(row, k, tmp_path):
    extracted = extract_raw(copy_fixture_set(REVIEW, tmp_path / "raw"))
    assert_read_as_by_hand(extracted, row, k, ["unit", "indicator", "region", "status", "measure", "qualifier",
                                              "threshold"])


def test_every_figure_is_marked_in_place_in_the_text_as_read(project):
    from zzdata.tables.load import load_facts, raw_text

    facts = load_facts(project.processed)
    for doc, mine in facts.groupby("doc"):
        page = read_page(project, doc)
        text = raw_text(doc, project.raw)
        assert page.text == text, doc
        marks = {m["id"]: m for m in page.marks}
        assert set(marks) == set(mine["fact_id"]), doc
        for fact in mine.itertuples():
            m = marks[fact.fact_id]
            assert m["fact"] == fact.fact_id
            assert (m["start"], m["text"]) == (fact.start, text[fact.start:fact.end])
            assert f"st-{fact.status}" in m["cls"]


def test_the_marks_say_what_each_figure_of_the_fixture_is(project):
    from zzdata.tables.load import load_series

    page = read_page(project, DOC)
    by_text = {m["text"]: m for m in page.marks}
    figures = {f["vt"]: f for f in page.data()["figures"]}
    for row in EXPECTED:
        m = by_text[row["value_text"]]
        assert ("thr" in m["cls"]) == (row["threshold"] == "True"), row["value_text"]
    assert "五个" not in by_text  # the slogan count (抓好五个方面工作) is no figure (issue 19's reading rules)
    # The development zone's figure filed under the city: not chosen; the series chose the city's.
    series = load_series(project.processed)
    key = series[(series["indicator"] == "gdp") & (series["region"] == "郑州市") & (series["year"] == 2025)
                 & (series["status"] == "actual") & (series["measure"] == "level")]
    assert "nc" in by_text["1380亿元"]["cls"] and figures["1380亿元"]["chosen"] == 0
    assert figures["1380亿元"]["alt"]["id"] == key["fact_id"].item() == figures["15200亿元"]["id"]
    assert figures["15200亿元"]["chosen"] == 1 and "nc" not in by_text["15200亿元"]["cls"]
    assert page.text[page.claims[0]:].startswith("前列")


def test_findings_are_marked_on_their_figures(project):
    findings = pd.read_csv(project.processed / "validation.csv", dtype=str, keep_default_na=False)
    named = {fid for ids in findings["fact_ids"] for fid in ids.split("|") if fid}
    assert named, "the shipped texts give validation findings"
    seen = set()
    for page_file in project.review.glob("*.txt.html"):
        page = Page(page_file.read_text(encoding="utf-8"))
        data = page.data()
        for m in page.marks:
            assert ("fd" in m["cls"]) == (m["id"] in named)
        for f in data["figures"]:
            for k in f["fd"]:
                assert f["id"] in data["findings"][k]["ids"]
            seen |= {f["id"]} if f["fd"] else set()
    assert seen == named


def test_untrusted_texts_are_escaped(project):
    source = (project.review / f"{HOSTILE}.html").read_text(encoding="utf-8")
    assert "window.pwned" in source  # the text is shown ...
    assert "<script>window.pwned" not in source and "<img src=x" not in source  # ... never as markup
    page = Page(source)
    assert page.text == HOSTILE_TEXT
    assert page.data()["doc"]["title"] == HOSTILE_TITLE
    assert html.unescape(re.search(r"<title>(.*?)</title>", source).group(1)).startswith(HOSTILE_TITLE)
    index = (project.review / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in index and html.escape(HOSTILE_TITLE) in index


def test_pages_are_written_again_only_when_what_they_show_changed(project, tmp_path):
    from zzdata.review.pages import write_pages

    out = tmp_path / "review"
    shutil.copytree(project.review, out)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = write_pages(project.processed, project.raw, out, jobs=2, quiet=True)
    assert again.written == [] and not again.index_written and again.unchanged == len(before) - 2
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != ".pages.json"} == \
        {k: v for k, v in before.items() if k != ".pages.json"}
    # One finding less: exactly the pages of its figures change.
    processed = tmp_path / "processed"
    shutil.copytree(project.processed, processed)
    findings = pd.read_csv(processed / "validation.csv", dtype=str, keep_default_na=False)
    gone = findings.iloc[0]
    findings.iloc[1:].to_csv(processed / "validation.csv", index=False)
    changed = write_pages(processed, project.raw, out, jobs=1, quiet=True)
    assert sorted(changed.written) == sorted({fid.rpartition(":")[0] for fid in gone["fact_ids"].split("|")})
    # A page removed by hand is written again.
    (out / f"{DOC}.html").unlink()
    assert write_pages(processed, project.raw, out, jobs=1, quiet=True).written == [DOC]


class Table(HTMLParser):
    """The index's table: per row, the cells' data-v."""

    def __init__(self, source: str):
        super().__init__()
        self.rows, self.heads, self._row, self._body = [], 0, None, False
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._row.append(a.get("data-v"))

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "tbody":
            self._body = False


def test_the_index_counts_every_report_from_the_tables(project):
    """Figures and filed from facts.csv, chosen from series.csv, with findings from validation.csv,
    corrected from facts.csv and corrections.csv: other outputs of the build than the ones the
    pages are made from."""
    facts = pd.read_csv(project.processed / "facts.csv", dtype=str, keep_default_na=False)
    series = pd.read_csv(project.processed / "series.csv", dtype=str, keep_default_na=False)
    findings = pd.read_csv(project.processed / "validation.csv", dtype=str, keep_default_na=False)
    named = {fid for ids in findings["fact_ids"] for fid in ids.split("|")}
    corrections = pd.read_csv(project.processed / "corrections.csv", dtype=str, keep_default_na=False)
    table = Table((project.review / "index.html").read_text(encoding="utf-8"))
    docs = pd.read_csv(project.processed / "documents.csv", dtype=str)["file"]
    assert sorted(r[0] for r in table.rows) == sorted(docs)
    for row in table.rows:
        mine = facts[facts["doc"] == row[0]]
        dropped = corrections[(corrections["file"] == row[0]) & (corrections["action"] == "drop")
                              & (corrections["outcome"] == "applied")]
        want = [len(mine), int((mine["indicator"] != "").sum()), int((series["doc"] == row[0]).sum()),
                int(mine["fact_id"].isin(named).sum()), int((mine["corrected"] != "").sum()) + len(dropped)]
        assert [int(v) for v in row[4:9]] == want, row[0]


def _links(markdown: str) -> list[str]:
    return re.findall(r"\]\(([^)]+)\)", markdown)


def test_validation_findings_link_to_their_figures(project):
    text = project.report.read_text(encoding="utf-8")
    hrefs = _links(text)
    assert hrefs, "every finding links to its figures"
    for href in hrefs:
        url = urlsplit(href)
        page = (project.report.parent / unquote(url.path)).resolve()
        assert page.parent == project.review.resolve() and page.exists(), href
        assert f'id="{html.escape(unquote(url.fragment), quote=True)}"' in page.read_text(encoding="utf-8")


def test_the_notebooks_table_links_each_fact_to_its_page(project):
    from zzdata.core import links
    from zzdata.tables.load import load_facts

    facts = load_facts(project.processed).head(3)
    notebooks = project.root / "notebooks"
    out = links.linked_table(facts[["label", "fact_id"]], from_dir=notebooks).to_html()
    for fid, doc in zip(facts["fact_id"], facts["doc"]):
        href = links.fact_href(fid, notebooks)
        assert href.startswith("../reports/review/") and f'href="{html.escape(href)}"' in out
        assert (notebooks / unquote(urlsplit(href).path)).resolve() == (project.review / f"{doc}.html").resolve()


def test_the_command_line_writes_the_pages_asked_for(project, tmp_path, capsys):
    from zzdata.cli import main

    out = tmp_path / "review"
    args = ["review", "--processed", str(project.processed), "--raw", str(project.raw), "--out", str(out)]
    assert main(args + [DOC]) == 0
    assert sorted(p.name for p in out.glob("*.html")) == sorted(["index.html", f"{DOC}.html"])
    assert "1 of 1 written" in capsys.readouterr().err
    assert main(args + ["no_such_report.txt"]) == 1
    err = capsys.readouterr().err
    assert "no report 'no_such_report.txt'" in err and "make add" in err


def test_pages_load_nothing_from_elsewhere(project):
    """Self-contained: no src or href to another site, no @import, no url() to fetch."""
    for page in project.review.glob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", source), page.name
        assert "@import" not in source and "url(" not in source, page.name


def test_hand_corrections_show_on_their_page(project, tmp_path):
    """A figure dropped by hand is struck through with its row's line; a corrected figure lists its
    row; a row that no longer matches its text is listed as stale with its line."""
    from zzdata.correct import record
    from zzdata.review.pages import write_pages
    from zzdata.tables.build import build

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(project.raw, raw)
    shutil.copytree(project.processed, processed)
    facts = pd.read_csv(processed / "facts.csv", dtype=str, keep_default_na=False)
    mine = facts[facts["doc"] == DOC].set_index("value_text")
    record(mine.loc["400亿元", "fact_id"], drop=True, note="越过的关口，不是当年水平", raw_dir=raw, processed_dir=processed)
    record(mine.loc["1380亿元", "fact_id"], fields={"region": "郑州经济技术开发区"}, note="主语在上一句",
           raw_dir=raw, processed_dir=processed)
    with (raw / "corrections.csv").open("a", encoding="utf-8", newline="") as fh:  # by hand: its figure is not there
        csv.writer(fh, lineterminator="\n").writerow([DOC, "0", "4", "9999亿元", "drop"] + [""] * 10 + ["不存在的数字"])
    build(raw, processed, quiet=True)
    write_pages(processed, raw, tmp_path / "review", jobs=1, quiet=True)
    source = (tmp_path / "review" / f"{DOC}.html").read_text(encoding="utf-8")
    page = Page(source)
    data = page.data()
    assert mine.loc["400亿元", "fact_id"] not in {m["id"] for m in page.marks}
    dropped = re.findall(r'<del class="dropped" data-corr="(\d+)"[^>]*>([^<]*)</del>', source)
    assert [text for _, text in dropped] == ["400亿元"] and data["corrections"][int(dropped[0][0])]["line"] == 2
    zone = next(f for f in data["figures"] if f["id"] == mine.loc["1380亿元", "fact_id"])
    assert zone["region"] == "郑州经济技术开发区" and zone["corrected"] == "region"
    assert [data["corrections"][i]["line"] for i in zone["cx"]] == [3]
    assert "cor" in next(m for m in page.marks if m["id"] == zone["id"])["cls"]
    stale = [c for c in data["corrections"] if c["outcome"] != "applied"]
    assert [c["line"] for c in stale] == [4]
    assert re.search(r'class="notice".*line 4', source, re.S)


def test_a_figures_link_is_its_pages_file_and_its_id_each_quoted():
    """Links written out by hand: the page is ``<file>.html`` quoted as a path, the fragment the
    fact id quoted with its colon kept, from any folder; an id the build did not make (no offset,
    an offset that is no number, another page given) is quoted the same way."""
    from zzdata.core import links

    cases = {
        ("zhengzhou_2101.txt:345", ""): "zhengzhou_2101.txt.html#zhengzhou_2101.txt:345",
        ("中原区 2101 #1.txt:7", "../review/"):
            "../review/%E4%B8%AD%E5%8E%9F%E5%8C%BA%202101%20%231.txt.html"
            "#%E4%B8%AD%E5%8E%9F%E5%8C%BA%202101%20%231.txt:7",
        ("a:b.txt:12", ""): "a%3Ab.txt.html#a:b.txt:12",
        ("r.txt:x y", ""): "r.txt.html#r.txt:x%20y",
        ("no-offset", ""): ".html#no-offset",
    }
    for (fid, prefix), href in cases.items():
        assert links.fact_href(fid, prefix=prefix) == href, fid
        assert links.fact_href(fid, prefix=prefix) == href  # the second from what was remembered
    assert links.fact_href("r.txt:5", prefix="", doc="other.txt") == "other.txt.html#r.txt:5"
    assert links.markdown_links(["r.txt:5", "", "s.txt:6"], prefix="p/") == \
        "[r.txt:5](p/r.txt.html#r.txt:5), [s.txt:6](p/s.txt.html#s.txt:6)"
