"""Caches that are never stale: the readers' text cache (ingest/textcache.py) and the per-document
facts cache with the build stamp (tables/cache.py, stamp.py) are keyed by everything that can
change what they hold: the readers' code and data, and the libraries' and Python's versions.

The package is never edited: the fingerprints hash a copy of it (`PACKAGE_DIR` patched in
stamp and textcache), or a subprocess imports a copy from PYTHONPATH. The once-per-process
fingerprints are forgotten between builds, as a new `make data` process would.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RAW
from test_formats import HTML, ROW, make_docx, make_pdf, ARTICLE
from zzdata.core.paths import PACKAGE_DIR
from zzdata.ingest import libraries, readers, textcache
from zzdata.ingest.manifest import append_rows, read_manifest
from zzdata.tables import build as build_mod
from zzdata.tables import extracting, stamp
from zzdata.tables.build import build

TEXT = "zhengzhou_2024-12_year-review_2024.txt"  # a plain text beside the page and the Word file
DOCX = "report.docx"


def _forget() -> None:
    """The fingerprints a new process would compute again."""
    libraries.fingerprint.cache_clear()
    libraries._metadata_files.cache_clear()
    textcache.reader_fingerprint.cache_clear()


@pytest.fixture
def fresh():
    _forget()
    yield
    _forget()


@pytest.fixture
def pkg(tmp_path, monkeypatch, fresh) -> Path:
    """A copy of the package that the fingerprints hash instead of the real one; edit it freely."""
    dst = tmp_path / "pkg" / "zzdata"
    shutil.copytree(PACKAGE_DIR, dst, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamp, "PACKAGE_DIR", dst)
    monkeypatch.setattr(textcache, "PACKAGE_DIR", dst)
    return dst


@pytest.fixture
def raw(tmp_path) -> Path:
    """A raw folder with a saved web page, a Word file and a plain text."""
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copyfile(HTML, folder / HTML.name)
    make_docx(folder / DOCX, ARTICLE)
    shutil.copyfile(RAW / TEXT, folder / TEXT)
    text_row = next(s for s in read_manifest(RAW) if s.file == TEXT)
    append_rows(folder, [{"file": HTML.name, **ROW}, {"file": DOCX, **ROW},
                         {"file": TEXT, **{k: getattr(text_row, k) or "" for k in ROW}}])
    return folder


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files the readers of web pages and Word files parse (not those served from the text cache)."""
    names: list[str] = []
    for suffix in (".html", ".docx"):
        original = readers.READERS[suffix]

        @functools.wraps(original)  # the same __module__: the same text-cache key
        def counting(data, name, _f=original):
            names.append(name)
            return _f(data, name)

        monkeypatch.setitem(readers.READERS, suffix, counting)
    return names


@pytest.fixture
def extracted(monkeypatch) -> list[str]:
    """The files each build extracts (in this process: jobs=1)."""
    names: list[str] = []
    original = extracting.extract_one

    def counting(args):
        names.append(args[0].file)
        return original(args)

    monkeypatch.setattr(extracting, "extract_one", counting)
    return names


def _touch(path: Path) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n" if path.suffix == ".py" else "\n")


# -- the text cache ---------------------------------------------------------------------------

@pytest.mark.parametrize("edited, again", [  # (every file of a reader's key: test_reader_files_hold_what_reading_opens)
    ("data/page_chrome.csv", {HTML.name}),
    ("ingest/word.py", {DOCX}),
    ("core/script.py", {HTML.name, DOCX}),  # reached through decode.py
    ("data/cues.csv", set()),  # extraction, not reading: every text extracted, none read again
])
def test_editing_a_readers_code_or_data_reads_its_files_again(raw, tmp_path, pkg, reads, extracted, edited, again):
    out = tmp_path / "out"
    build(raw, out, quiet=True)
    assert sorted(reads) == sorted([HTML.name, DOCX])
    del reads[:], extracted[:]
    _touch(pkg / edited)
    _forget()  # the next `make data` is a new process
    assert build(raw, out, quiet=True) is True
    assert set(reads) == again and len(reads) == len(again)
    assert sorted(extracted) == sorted([HTML.name, DOCX, TEXT]), "every text extracted again"
    del reads[:]
    _forget()
    assert build(raw, out, quiet=True) is False and reads == []


def test_a_page_chrome_pattern_reaches_the_text(raw, tmp_path):
    """End to end, as a researcher sees it: a line pattern added to page_chrome.csv (in a copy of
    the package imported from PYTHONPATH) removes that line's figures on the next build, and the
    text `raw_text` and `trace` read is the new one. The old text cache served the old text."""
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGE_DIR, pkg / "zzdata", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(pkg)}
    out = tmp_path / "out"
    probe = f"""
import json, sys
import zzdata
from zzdata.tables.build import build
from zzdata.tables.load import load_documents, load_facts, raw_text
assert zzdata.__file__.startswith({str(pkg)!r}), zzdata.__file__
build({str(raw)!r}, {str(out)!r}, quiet=True)
facts = load_facts({str(out)!r})
page = facts[facts["doc"] == {HTML.name!r}]
print(json.dumps({{"values": sorted(set(page["value_text"])), "text": raw_text({HTML.name!r}, {str(raw)!r}),
                  "chars": int(load_documents({str(out)!r}).set_index("file").loc[{HTML.name!r}, "chars"])}}))
"""

    def run() -> dict:
        proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.strip().splitlines()[-1])

    line = next(a for a in ARTICLE if a.startswith("城镇居民"))  # a line of the article with figures in it
    before = run()
    assert line in before["text"] and "46120元" in before["values"]
    with open(pkg / "zzdata" / "data" / "page_chrome.csv", "a", encoding="utf-8") as fh:
        fh.write(f"{line[:8]}.*,a test: the article's income line taken for chrome\n")
    after = run()
    assert line not in after["text"] and "46120元" not in after["values"]
    assert after["chars"] == before["chars"] - len(line) - 1
    assert after["text"] == before["text"].replace(line + "\n", "")


def test_reader_files_hold_what_reading_opens(tmp_path):
    """What a reader opens of the package while it reads a file (the modules it imports, even inside
    a function, and the data files it reads) is in its text-cache key: watched by an audit hook
    in a fresh process, one per format."""
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copyfile(HTML, folder / HTML.name)
    make_docx(folder / DOCX, ARTICLE)
    make_pdf(folder / "report.pdf", ARTICLE[:6])
    script = """
import json, sys
from pathlib import Path
from zzdata.core.paths import PACKAGE_DIR
from zzdata.ingest import readers, textcache
opened = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        opened.add(os.fsdecode(args[0]))
import os
path = Path(sys.argv[1])
sys.addaudithook(hook)
readers.read_raw(path, cache=False)
sys.addaudithook(lambda *a: None)
mine = set()
for name in opened:
    p = Path(name).resolve()
    if PACKAGE_DIR in p.parents:
        if p.parent.name == "__pycache__":
            p = p.parent.parent / (p.name.split(".")[0] + ".py")
        mine.add(p.relative_to(PACKAGE_DIR).as_posix())
module = readers.reader_for(path).__module__
keyed = [f.relative_to(PACKAGE_DIR).as_posix() for f in textcache.reader_files(module)]
print(json.dumps([sorted(mine), keyed]))
"""
    seen_data = set()
    for name in (HTML.name, DOCX, "report.pdf"):
        proc = subprocess.run([sys.executable, "-c", script, str(folder / name)], capture_output=True, text=True,
                              cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        opened, keyed = json.loads(proc.stdout.strip().splitlines()[-1])
        assert set(opened) <= set(keyed), f"{name}: read but not in its key: {set(opened) - set(keyed)}"
        seen_data |= {f for f in opened if f.startswith("data/")}
    assert "data/page_chrome.csv" in seen_data, "the hook sees the data files a reader reads"


def test_a_pdf_reader_edit_reads_pdfs_only(tmp_path, pkg, fresh):
    """The key of each reader follows its own module: editing pdf.py leaves the web page's text."""
    web, pdf = textcache.reader_fingerprint("zzdata.ingest.web"), textcache.reader_fingerprint("zzdata.ingest.pdf")
    _touch(pkg / "ingest" / "pdf.py")
    _forget()
    assert textcache.reader_fingerprint("zzdata.ingest.web") == web
    assert textcache.reader_fingerprint("zzdata.ingest.pdf") != pdf


# -- library versions ---------------------------------------------------------------------------

def test_versions_are_those_importlib_reads(fresh):
    from importlib import metadata

    found = libraries.installed()
    for name in ("trafilatura", "pypdf", "python-docx", "lxml"):  # lxml: under trafilatura and python-docx
        assert found[name] == metadata.version(name), name
    for name, version in found.items():
        try:
            expected = metadata.version(name)
        except metadata.PackageNotFoundError:
            expected = ""
        assert version == expected, name


@pytest.mark.parametrize("library", ["trafilatura", "lxml"])  # a reader's library, one it requires
def test_a_library_upgrade_reads_and_extracts_again(raw, tmp_path, reads, extracted, fresh, monkeypatch, library):
    """A new version of a reader's library (or of one it requires) is a new key: `make data` is no
    no-op, every text is extracted again (the facts cache), the files read again (the text cache)."""
    out = tmp_path / "out"
    build(raw, out, quiet=True)
    del reads[:], extracted[:]
    real = libraries.version
    monkeypatch.setattr(libraries, "version", lambda name: "999.0" if libraries.canonical(name) == library else real(name))
    _forget()
    assert build(raw, out, quiet=True) is True, "a library upgrade is a change"
    assert sorted(extracted) == sorted([HTML.name, DOCX, TEXT])
    assert sorted(reads) == sorted([HTML.name, DOCX])


def test_a_python_upgrade_is_a_change(fresh, monkeypatch):
    before = stamp.stage_fingerprints()
    monkeypatch.setattr(libraries.sys, "version", "3.99.0 (an upgrade)")
    _forget()
    after = stamp.stage_fingerprints()
    assert after["extract"] != before["extract"] and after["tables"] != before["tables"]
