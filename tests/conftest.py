"""Shared fixtures: the project's raw data built once per test session into a temporary folder,
so the suite never depends on (or changes) data/processed/."""

from __future__ import annotations

import atexit
import csv
import hashlib
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
#: The project's own raw folder, as the researcher has it now (it may hold reports they added).
PROJECT_RAW = ROOT / "data" / "raw"


def _shipped_raw() -> Path:
    """The texts the project ships (those with a hand-read gold file) and their manifest rows, copied
    into a folder of their own: the tests that check the shipped texts read these, so a report a
    researcher adds to data/raw never turns `make test` red."""
    stems = {p.stem for p in GOLD.glob("*.csv")}  # tests/gold/<raw file without its suffix>.csv
    shipped = {p.name for p in PROJECT_RAW.iterdir() if p.stem in stems and p.name != "sources.csv"}
    folder = Path(tempfile.mkdtemp(prefix="zzdata-shipped-")) / "raw"
    folder.mkdir()
    atexit.register(shutil.rmtree, folder.parent, ignore_errors=True)
    lines = (PROJECT_RAW / "sources.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",", 1)[0] in shipped]
    (folder / "sources.csv").write_text("".join(kept), encoding="utf-8")
    for name in sorted(shipped):
        shutil.copyfile(PROJECT_RAW / name, folder / name)
    return folder


#: The shipped texts (see _shipped_raw): what every test of the seeds reads.
RAW = _shipped_raw()
FIXTURES = ROOT / "tests" / "fixtures"
WS = re.compile(r"[\s\u3000\u200b\ufeff]+")  # what may sit inside a printed quantity in a raw text


def edit_manifest(raw: Path, edit) -> None:
    """Rewrite raw/sources.csv as `edit` (list of lines -> list of lines) returns it."""
    path = raw / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


def hash_tree(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under `folder`: compare before and after a step."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def pytest_collection_modifyitems(config, items) -> None:
    """The modules that hold a test marked `slow` (notebooks executed, large inputs drawn or built:
    up to a minute each) run first, in their own order, the rest after them: on `make test`'s
    workers a long test that starts last keeps one core busy alone for its whole length, while
    short ones at the end fill both. Meant for --dist worksteal (pyproject.toml), where the other
    worker takes queued tests from the end; under --dist load the first worker's first batch would
    hold every slow module."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)  # stable: each module keeps its tests' order


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The shipped texts (RAW) built into a fresh folder; returns that folder."""
    from zzdata.tables.build import build

    out = tmp_path_factory.mktemp("processed")
    build(RAW, out, force=True, quiet=True)
    return out


@pytest.fixture(scope="session")
def facts(built):
    from zzdata.tables.load import load_facts

    return load_facts(built)


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A throw-away copy of the shipped texts (RAW) to break in a test."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst


# --------------------------------------------------------------------------- fixture sets
# A fixture set is a folder of hand-written reports with their sources.csv and the facts they
# state, written down before the extractor ran (tests/fixtures, years/, heldout/, rules/).


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def copy_fixture_set(folder: Path, dst: Path) -> Path:
    """A fixture set's reports and manifest copied into a raw folder of their own (`dst`)."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy(folder / "sources.csv", dst / "sources.csv")
    for row in read_csv_rows(folder / "sources.csv"):
        shutil.copy(folder / row["file"], dst / row["file"])
    return dst


def extract_raw(raw: Path) -> dict[str, list[dict]]:
    """doc -> its facts, in text order, as the build extracts them."""
    from zzdata.extract.facts import extract_document
    from zzdata.ingest.manifest import read_manifest
    from zzdata.ingest.readers import raw_text

    return {s.file: extract_document(s, raw_text(raw / s.file)) for s in read_manifest(raw)}


def expected_params(expected: list[dict[str, str]]) -> list:
    """One pytest param per expected fact, (row, k): the k-th fact of its document printed as its
    value_text; a row with a `known_failure` is a strict xfail."""
    params, seen = [], Counter()
    for row in expected:
        key = (row["doc"], row["value_text"])
        k = seen[key]
        seen[key] += 1
        ident = f"{row['doc'].split('_')[0]}:{row['value_text']}" + (f"#{k + 1}" if k else "")
        marks = ([pytest.mark.xfail(strict=True, reason=row["known_failure"])]
                 if row.get("known_failure") else [])
        params.append(pytest.param(row, k, id=ident, marks=marks))
    return params


def assert_read_as_by_hand(extracted: dict[str, list[dict]], row: dict[str, str], k: int, columns) -> None:
    """The k-th fact printed as row's value_text has the row's value, year and `columns`
    (an indicator of `*` in the row means: no single right indicator, not checked)."""
    found = [f for f in extracted[row["doc"]] if f["value_text"] == row["value_text"]]
    assert len(found) > k, f"{row['value_text']} not extracted from {row['doc']}"
    fact = found[k]
    want = {"value": pytest.approx(float(row["value"]), rel=1e-12), "year": int(row["year"]),
            **{c: (row[c] == "True") if isinstance(fact.get(c), bool) else row[c] for c in columns if c in row}}
    if want.get("indicator") == "*":
        del want["indicator"]
    if want.get("label") == "":
        del want["label"]  # a label is checked only where the row writes one
    got = {c: fact[c] for c in want}
    assert got == want, f"snippet: {fact['snippet']}"


def assert_every_quantity(extracted: dict[str, list[dict]], expected: list[dict[str, str]], doc: str) -> None:
    """No fact lost, none invented: the document's facts are exactly its expected value_texts."""
    want = Counter(r["value_text"] for r in expected if r["doc"] == doc)
    assert Counter(f["value_text"] for f in extracted[doc]) == want


@pytest.fixture
def strict_charts(monkeypatch):
    """Charts saved in the test fail on overlapping text (viz/overlap.py); matplotlib's settings
    are restored and every figure closed afterwards. Use it with
    ``pytestmark = pytest.mark.usefixtures("strict_charts")``."""
    import matplotlib
    import matplotlib.pyplot as plt

    from zzdata.viz import overlap

    monkeypatch.setenv(overlap.STRICT_ENV, "1")
    with matplotlib.rc_context():
        yield
    plt.close("all")
