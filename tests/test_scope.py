"""A chart is handed only the rows of the shared tables it can show (zzdata.viz.scope): the same
picture as with the whole tables, and a report about one region and year redraws the charts that
show them, not every chart. On small synthetic collections."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from zzdata.series import choice  # noqa: E402
from zzdata.tools import synthetic  # noqa: E402
from zzdata.viz import book as chartbook  # noqa: E402
from zzdata.viz import reuse, scope, views  # noqa: E402
from zzdata.viz.save import Saved  # noqa: E402
from zzdata.viz.words import Words  # noqa: E402


def _content(fig) -> list[str]:
    """What a figure shows, artist by artist: every text with its place, every line's points, every
    patch's box, every collection's offsets (the chart as drawn, without rendering it)."""
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    out = []
    for artist in fig.findobj():
        if not artist.get_visible():
            continue
        if isinstance(artist, Text) and artist.get_text():
            out.append(f"text {artist.get_text()!r} {artist.get_position()}")
        elif isinstance(artist, Line2D):
            out.append(f"line {artist.get_xydata().tolist()}")
        elif isinstance(artist, Patch):
            out.append(f"patch {artist.get_path().vertices.tolist()} {artist.get_facecolor()}")
        elif isinstance(artist, Collection):
            out.append(f"collection {artist.get_offsets().tolist()}")
    return out


def _recording(monkeypatch) -> dict[str, list[str]]:
    """Charts drawn without the store (``ZZDATA_REUSE_CHARTS=0``) are recorded, not rendered: the
    content of each figure, its source line and note, by notebook and chart name."""
    seen: dict[str, list[str]] = {}

    def record(fig, notebook, name, source, note=None, root=None, *args, **kwargs):
        seen[f"{notebook}/{name}"] = _content(fig) + [f"source {source}", f"note {note}"]
        return Saved({"png": root / f"{notebook}/{name}.png"}, b"", [])  # not written: render lists it

    monkeypatch.setattr(chartbook, "save_chart", record)
    return seen


def _charts(root, monkeypatch) -> dict[str, list[str]]:
    """Every chart type the notebooks draw, of a small synthetic collection, as recorded."""
    seen = _recording(monkeypatch)
    synthetic.render(root, 3, 4, langs=("zh",), strict=True, themes=1, years=[synthetic.FIRST_YEAR + 3])
    return seen


def test_every_chart_is_the_same_drawn_from_the_rows_it_shows_or_from_the_whole_tables(tmp_path, monkeypatch):
    narrowed = _charts(tmp_path / "narrowed", monkeypatch)
    monkeypatch.setattr(scope, "alternatives_for", lambda frame, alternatives: alternatives)
    monkeypatch.setattr(scope, "documents_for", lambda documents, *frames: documents)
    monkeypatch.setattr(scope, "rows_for", lambda table, frame, key: table)
    monkeypatch.setattr(scope, "region_rows", lambda frame, region: frame)
    whole = _charts(tmp_path / "whole", monkeypatch)
    assert len(whole) >= 10 and whole.keys() == narrowed.keys()
    named = Words("zh").phrase("slope_other", name="", year="", chosen="", chosen_doc="", other_doc="", other="")
    hollow = named[named.rindex("（"):]  # how a note names another text's value: (hollow orange point)
    assert any(hollow in line for chart in whole.values() for line in chart), \
        "no chart names another text's value: the test would not see one left out"
    differ = sorted(name for name in whole if whole[name] != narrowed[name])
    assert not differ, f"charts drawn differently from the rows they show: {differ}"


def test_a_chart_is_handed_the_other_values_and_documents_of_its_own_rows():
    facts, series, documents = synthetic.tables(3, 4)
    alternatives = choice.alternatives(series, choice.candidates(facts, documents))
    assert len(alternatives), "the synthetic collection has no disagreement to look up"
    row = alternatives.iloc[0]
    frame = pd.DataFrame({"indicator": [row["indicator"]], "district": [row["region"]], "city": ["-"],
                          "year": [row["year"]], "district_doc": [row["chosen_doc"]]})
    shown = scope.alternatives_for(frame, alternatives)
    same = ((alternatives["indicator"] == row["indicator"]) & (alternatives["region"] == row["region"])
            & (alternatives["year"] == row["year"]))
    assert len(shown) == int(same.sum()) and 0 < len(shown) < len(alternatives)
    docs = scope.documents_for(documents, frame, shown)
    assert set(docs["file"]) == {row["chosen_doc"], *shown["doc"], *shown["chosen_doc"]}
    assert list(docs.index) == list(range(len(docs)))  # a report listed before it does not move its key
    assert scope.alternatives_for(frame.iloc[0:0], alternatives).empty


def test_a_row_without_a_year_is_handed_the_other_values_without_one():
    others = pd.DataFrame({"indicator": ["gdp", "gdp", "gdp"], "region": ["甲区", "甲区", "乙区"],
                           "year": pd.array([2101, None, None], dtype="Int64"), "doc": ["a.txt", "b.txt", "c.txt"],
                           "chosen_doc": ["z.txt"] * 3})
    frame = pd.DataFrame({"indicator": ["gdp"], "region": ["甲区"], "year": pd.array([None], dtype="Int64")})
    assert scope.alternatives_for(frame, others)["doc"].tolist() == ["b.txt"]
    frame["year"] = pd.array([2101], dtype="Int64")
    assert scope.alternatives_for(frame, others)["doc"].tolist() == ["a.txt"]


def _draw_all(root, facts, documents, years) -> list[str]:
    """A notebook's charts of the city (one theme) and of every region in ``years``, through the
    chart store (unless switched off); their names."""
    nb = views.notebook_from("scoped", facts, choice.build_series(facts, documents), documents, Words("zh"),
                             root=root, formats=("png",))
    theme = sorted(nb.series["theme"].unique())[0]
    views.year_over_year(nb, theme)
    views.growth_rates(nb, theme)
    views.targets(nb, theme)
    for year in years:
        views.regions_overview(nb, year)
        for kind in views.REGION_CHARTS:
            views.regions_ranked(nb, year, kind)
    views.conflicts(nb, nb.alternatives)
    return list(nb.book.paths)


@pytest.fixture
def drawn(monkeypatch):
    """The names of the charts drawn (not put back from the store)."""
    names: list[str] = []
    original = reuse.save_chart

    def save_chart(fig, notebook, name, *args, **kwargs):
        names.append(name)
        return original(fig, notebook, name, *args, **kwargs)

    monkeypatch.setattr(reuse, "save_chart", save_chart)
    return names


def test_a_report_about_one_district_and_year_redraws_only_the_charts_of_that_year(tmp_path, drawn, monkeypatch):
    facts, documents = synthetic.collection(2, 3)
    district = documents[(documents["region_level"] != "city") & (documents["doc_type"] == "work_report")]
    report = district.iloc[len(district) // 2]
    year = int(report["review_year"])
    years = [year, int(documents["review_year"].max())]  # the report's and the last, with its reviews
    assert years[0] != years[1]
    before = (facts[facts["doc"] != report["file"]].reset_index(drop=True),
              documents[documents["file"] != report["file"]].reset_index(drop=True))
    assert set(facts.loc[facts["doc"] == report["file"], "year"]) == {year}

    first = _draw_all(tmp_path, *before, years=years)
    assert len(drawn) == len(first) >= 10
    drawn.clear()
    after = _draw_all(tmp_path, facts, documents, years=years)  # the report added, the store kept
    assert drawn, "no chart was drawn again, though the charts of the report's year show it"
    elsewhere = [name for name in drawn if str(year) not in name]
    assert not elsewhere, f"charts without the report's region and year were drawn again: {elsewhere}"
    assert len(drawn) < len(after) / 2

    # None put back stale: each chart the store gave back is the same drawn from the new tables.
    monkeypatch.setenv(reuse.ENV, "0")
    content = _recording(monkeypatch)
    _draw_all(tmp_path / "old", *before, years=years)
    old = dict(content)
    content.clear()
    _draw_all(tmp_path / "new", facts, documents, years=years)
    kept = [name for name in after if name not in drawn]
    assert kept and all(f"scoped/{name}" in content for name in kept)
    stale = [name for name in kept if content[f"scoped/{name}"] != old[f"scoped/{name}"]]
    assert not stale, f"charts put back from the store that the new tables draw differently: {stale}"


def test_a_correction_or_a_reread_redraws_no_chart_through_the_documents_table(tmp_path, drawn):
    """A correction counts itself in its text's ``n_corrected``; a reread with another reader
    changes ``chars``, ``sha256``, ``extractor``. No chart shows these (only
    ``scope.DOCUMENT_COLUMNS``), so none of them draws a chart again: before, one correction drew
    every chart citing its text again, in every theme."""
    facts, documents = synthetic.collection(2, 3)
    years = sorted(documents["review_year"].dropna().astype(int).unique())[-2:]
    first = _draw_all(tmp_path, facts, documents, years=years)
    assert len(drawn) == len(first) >= 10
    drawn.clear()
    changed = documents.copy()
    unseen = [c for c in changed.columns if c.startswith("n_")] + ["chars", "sha256", "extractor", "encoding",
                                                                    "title", "publisher", "url"]
    assert not set(unseen) & set(scope.DOCUMENT_COLUMNS)
    for column in unseen:
        changed[column] = changed[column] + 1 if pd.api.types.is_integer_dtype(changed[column]) \
            else changed[column] + "·"
    assert choice.build_series(facts, changed).equals(choice.build_series(facts, documents))
    again = _draw_all(tmp_path, facts, changed, years=years)
    assert again == first
    assert not drawn, f"charts drawn again for a change to documents columns no chart shows: {drawn}"
