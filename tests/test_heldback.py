"""The held-back fixtures of issue 19 (tests/fixtures/heldback): the set loads as a raw folder and
its hand-read expected facts parse into the gold's frame, with values the rest of the project
understands. Its floors (issue 19) are asserted at the end: they came with the rule changes it was held
back from."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES, copy_fixture_set, read_csv_rows
from zzdata.core import catalog
from zzdata.core.vocab import MEASURES, QUALIFIERS, REGION_LEVELS, STATUSES
from zzdata.ingest.manifest import read_manifest
from zzdata.ingest.readers import raw_text
from zzdata.validate.evaluate import ATTRIBUTES, HELD_BACK, load_expected

HELD = FIXTURES / "heldback"
EXPECTED = HELD / "expected_facts.csv"
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{4})|-(\d{2})\.\.(\d{2})(?:-\d{2})?|-\d{2}-\d{2}\.\.\d{2}-\d{2})?$")


def _assumed_ids() -> set[str]:
    """The indicator ids the README says the expected facts assume (issue 19, part 3): the first
    cell of each row of its table of assumed ids."""
    text = (HELD / "README.md").read_text(encoding="utf-8")
    table = text.split("## Indicator ids assumed", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9_]+)` \|", table, flags=re.M))


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    return read_manifest(copy_fixture_set(HELD, tmp_path_factory.mktemp("heldback") / "raw"))


def test_the_set_is_the_one_evaluate_scores():
    assert (FIXTURES.parent.parent / HELD_BACK).resolve() == HELD.resolve()


def test_the_set_loads_as_a_raw_folder(sources):
    """At least eight reports of districts, counties and zones over 2005-2025, each 1,500-4,000
    characters, with work reports, year reviews and a news story."""
    assert len(sources) >= 8
    levels = {s.region_level for s in sources}
    assert levels <= set(REGION_LEVELS) - {"city"} and len(levels) == 2
    assert {s.doc_type for s in sources} == {"work_report", "year_review", "news"}
    years = sorted(s.review_year for s in sources)
    assert years[0] <= 2006 and years[-1] >= 2024
    for s in sources:
        text = raw_text(HELD / s.file)
        assert 1500 <= len("".join(text.split())) <= 4000, s.file


def test_expected_facts_parse(sources):
    """Every row parses into the gold frame with known measures, statuses, qualifiers and regions;
    its year is the last of its period; only ranks have a group; an indicator is the catalog's or
    one the README lists as assumed."""
    gold = load_expected(EXPECTED)
    rows = read_csv_rows(EXPECTED)
    assert {"doc", "value_text", "value", "unit", "context", *ATTRIBUTES} <= set(gold.columns)
    assert len(gold) == len(rows) > 8 * 30
    region_of = {s.file: s.region for s in sources}
    texts = {s.file: "".join(raw_text(HELD / s.file).split()) for s in sources}
    known = set(catalog.indicators()) | _assumed_ids()
    problems = []
    for i, row in enumerate(rows, start=2):
        where = f"expected_facts.csv line {i} ({row['value_text']})"
        period = _PERIOD.match(row["period"])
        if row["doc"] not in region_of:
            problems.append(f"{where}: {row['doc']} is not in sources.csv")
        elif row["region"] not in catalog.regions():
            problems.append(f"{where}: region {row['region']} is not a name of the gazetteer")
        if not (row["measure"] in MEASURES and row["status"] in STATUSES and row["qualifier"] in QUALIFIERS):
            problems.append(f"{where}: measure, status or qualifier not in zzdata/data/vocab.csv")
        if not period or int(row["year"]) != int(period.group(2) or period.group(1)):
            problems.append(f"{where}: year {row['year']} is not the last year of period {row['period']}")
        if bool(row["rank_group"]) != (row["measure"] == "rank"):
            problems.append(f"{where}: a rank group belongs to a rank and only to one")
        if row["indicator"] and row["indicator"] not in known:
            problems.append(f"{where}: indicator {row['indicator']} is neither in the catalog nor in the README")
        if row["threshold"] not in ("True", "False") or (row["threshold"] == "True" and row["qualifier"] != "over"):
            problems.append(f"{where}: threshold must be True (qualifier over) or False")
        if not (row["label"] and row["unit"] and row["context"] in texts.get(row["doc"], "")):
            problems.append(f"{where}: label and unit are required, and the context must be words of the text")
    assert not problems, "\n".join(problems)


#: Issue 19's floors for text the rules were not tuned on (measured after the rule changes: label
#: 0.964, precision 1.000, coverage 0.811, filed right 0.992; before them 0.904, 0.979, 0.663, 0.991).
HELD_BACK_FLOORS = {"label": 0.90, "precision": 0.95, "coverage": 0.75, "filed_right": 0.99}


def test_the_rules_hold_on_text_they_were_not_tuned_to():
    from zzdata.validate.evaluate import evaluate_fixture_set

    total = evaluate_fixture_set(HELD).table.set_index("doc").loc["TOTAL"]
    low = {k: round(float(total[k]), 3) for k, floor in HELD_BACK_FLOORS.items() if float(total[k]) < floor}
    assert not low, f"below issue 19's floors on the held-back set: {low}"
