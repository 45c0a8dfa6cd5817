"""A chart whose inputs and code did not change is not drawn again (zzdata.viz.reuse): its files
come from the store beside the figures, the same bytes; a changed value, a damaged stored file or
ZZDATA_REUSE_CHARTS=0 draws it. On a synthetic collection of two regions."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from zzdata.tools import synthetic  # noqa: E402
from zzdata.viz import book as chartbook  # noqa: E402
from zzdata.viz import overlap, reuse, style, views  # noqa: E402
from zzdata.viz.words import Words  # noqa: E402


@pytest.fixture(scope="module")
def tables():
    return synthetic.tables(2, 3)


@pytest.fixture
def counted(monkeypatch):
    """The ranking form, counting the times it is run."""
    calls = []
    original = views.region_panels

    def region_panels(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(views, "region_panels", region_panels)
    return calls


def _run(tables, root, series=None):
    """The shares chart of the last year, drawn as a notebook would: its files' bytes and its table."""
    facts, base, documents = tables
    nb = views.notebook_from("reuse_test", facts, base if series is None else series, documents, Words("zh"), root=root)
    year = views.pair_years(nb)[-1]
    views.regions_ranked(nb, year, "shares")
    files = {f"{name}.{ext}": path.read_bytes() for name, paths in nb.book.paths.items() for ext, path in paths.items()}
    assert files, "the view drew no chart"
    return files, nb.book.sources()


def test_a_chart_drawn_from_the_same_inputs_comes_from_the_store(tables, tmp_path, counted):
    first, first_sources = _run(tables, tmp_path)
    assert len(counted) == 1
    second, second_sources = _run(tables, tmp_path)
    assert len(counted) == 1, "the form was run again for unchanged inputs"
    assert second == first  # every format, byte for byte
    pd.testing.assert_frame_equal(second_sources, first_sources)  # the facts the chart drew, recorded
    assert any((tmp_path / "reports" / "figures" / reuse.FOLDER).glob("*.png"))


def test_a_changed_value_draws_the_chart_again(tables, tmp_path, counted):
    first, _ = _run(tables, tmp_path)
    facts, series, documents = tables
    changed = series.copy()
    year = views.pair_years(views.notebook_from("x", facts, series, documents, Words("zh"), root=tmp_path))[-1]
    rows = (changed["year"] == year) & (changed["measure"] == "level") & (changed["region_level"] != "city")
    assert rows.any()
    changed.loc[rows, "value"] = changed.loc[rows, "value"] * 0.5
    second, _ = _run(tables, tmp_path, series=changed)
    assert len(counted) == 2
    assert second.keys() == first.keys() and second != first


def test_a_damaged_stored_file_is_not_used(tables, tmp_path, counted):
    first, _ = _run(tables, tmp_path)
    stored = sorted((tmp_path / "reports" / "figures" / reuse.FOLDER).glob("*.pdf"))
    assert stored
    for path in stored:  # another program wrote into the file (and so into the chart's own, a link of it)
        path.write_bytes(path.read_bytes()[:-10] + b"%%damaged\n")
    second, _ = _run(tables, tmp_path)
    assert len(counted) == 2, "a damaged file was put in place"
    assert second == first


def test_switched_off_every_chart_is_drawn(tables, tmp_path, counted, monkeypatch):
    monkeypatch.setenv(reuse.ENV, "0")
    first, _ = _run(tables, tmp_path)
    second, _ = _run(tables, tmp_path)
    assert len(counted) == 2 and second == first
    assert not (tmp_path / "reports" / "figures" / reuse.FOLDER).exists()


def _overlapping(label: str):
    """A chart form whose two texts overlap."""
    fig, ax = style.new_figure()
    ax.text(0.5, 0.5, label, transform=ax.transAxes)
    ax.text(0.5, 0.5, label, transform=ax.transAxes)
    return chartbook.Chart(fig, [], [], None)


def test_overlapping_texts_are_reported_again_when_a_chart_is_reused(tmp_path):
    documents = pd.DataFrame(columns=["file", "delivered", "region", "doc_type"])
    facts = pd.DataFrame(columns=["fact_id", "doc"])
    for run in range(2):
        book = chartbook.ChartBook("reuse_test", facts, documents, Words("zh"), root=tmp_path, formats=("png",))
        chart = reuse.draw(book, _overlapping, "两次 twice")
        assert (chart.fig is None) == (run == 1)  # the second time the form is not run
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            book.save(chart, "overlap", show=False)
        assert [w.category for w in caught] == [overlap.OverlapWarning], f"run {run + 1}"
        with pytest.raises(overlap.OverlapError):
            reuse.Reused.save(chart.reuse, None, "reuse_test", "overlap", "来源 Source: x", root=tmp_path,
                              strict=True, formats=("png",))
