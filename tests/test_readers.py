"""The registry of readers: the build, raw_text and trace read every file through the reader of
its suffix, so a new format is one entry in ingest.readers.READERS."""

from __future__ import annotations

from zzdata.ingest import readers
from zzdata.tables.build import build
from zzdata.tables.load import load_facts, raw_text


def test_plain_text_suffixes_and_the_fallback():
    assert readers.reader_for("a.txt") is readers.read_plain_text
    assert readers.reader_for("A.TXT") is readers.read_plain_text
    assert readers.reader_for("notes.md") is readers.read_plain_text
    assert readers.reader_for("report.unknown") is readers.DEFAULT_READER


def test_a_registered_reader_feeds_the_build_and_the_offsets(tmp_path, monkeypatch):
    """A made-up format (the text stored reversed): the build extracts from what the reader
    returns, and raw_text gives that same text back, so offsets stay exact."""
    text = "一、2030年工作回顾\n全市生产总值达到1234.5亿元，增长6.5%。\n"

    def read_reversed(data: bytes, name: str) -> readers.Decoded:
        return readers.Decoded(data.decode("utf-8")[::-1], "utf-8", format="rev", extractor="reversal")

    monkeypatch.setitem(readers.READERS, ".rev", read_reversed)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "made_up.rev").write_bytes(text[::-1].encode("utf-8"))
    (raw / "sources.csv").write_text(
        "file,region,region_level,doc_type,delivered,review_year,target_year,title,publisher,url\n"
        "made_up.rev,测试市,city,work_report,2031-01-10,2030,2031,t,p,\n", encoding="utf-8")
    out = tmp_path / "processed"
    build(raw, out, force=True, quiet=True)
    facts = load_facts(out)
    assert raw_text("made_up.rev", raw) == text
    printed = {text[s:e] for s, e in zip(facts["start"], facts["end"])}
    assert {"1234.5亿元", "6.5%"} <= printed
