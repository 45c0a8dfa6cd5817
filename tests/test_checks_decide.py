"""The checks decide what is drawn: on a collection of the shipped texts and every fixture set of
other districts, counties, zones and years (the held-back set among them), no value that a check
finds impossible is charted as if it were fine, and the city's series are the city's."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, RAW
from zzdata.core import catalog
from zzdata.series import compare
from zzdata.tables.build import build
from zzdata.tables.load import load_documents, load_facts, load_series
from zzdata.validate.checks import run_checks

SETS = ("years", "heldout", "heldback", "rules")


@pytest.fixture(scope="module")
def collection(tmp_path_factory) -> Path:
    """The shipped texts and the fixture sets' texts, with their manifests, built once."""
    root = tmp_path_factory.mktemp("mixed")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    with (raw / "sources.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    rows = []
    for name in SETS:
        folder = FIXTURES / name
        with (folder / "sources.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                shutil.copyfile(folder / row["file"], raw / row["file"])
                rows.append([row.get(c, "") for c in header])
    with (raw / "sources.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    build(raw, root / "processed", quiet=True, cache_dir=False)
    return root / "processed"


def test_no_value_a_check_rules_out_is_left_unflagged(collection):
    facts, series = load_facts(collection), load_series(collection)
    found = run_checks(facts, series)
    errors = {fid for f in found if f.level == "error" for fid in f.fact_ids}
    charted = series[series["fact_id"].isin(errors)]
    assert (charted["flag"] != "").all(), charted[["indicator", "region", "year", "value", "fact_id"]].to_string()
    drawn = compare.levels(series)  # what the charts draw as values
    assert not drawn["fact_id"].isin(errors).any()


def test_the_city_series_are_the_citys(collection):
    """Every chosen city value comes from a text about the city, or was stated in another text
    with the city as its subject: never a district's or zone's own figure filed under the city."""
    series = load_series(collection)
    docs = load_documents(collection).set_index("file")
    city = next(r.name for r in catalog.regions().values() if r.level == "city")
    rows = series[(series["region"] == city) & (series["flag"] == "")]
    assert len(rows) > 50
    others = rows[rows["doc"].map(docs["region"]) != city]
    facts = load_facts(collection).set_index("fact_id")
    # a figure of the city in a district's text names the city in its clause
    aliases = catalog.regions()[city].aliases
    named = pd.Series([any(a in facts.loc[f, "snippet"] for a in aliases) for f in others["fact_id"]], index=others.index,
                      dtype=bool)
    assert named.all(), others.loc[~named, ["indicator", "year", "value", "doc", "fact_id"]].to_string()
