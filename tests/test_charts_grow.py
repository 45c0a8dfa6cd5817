"""Charts that stay true and legible as the collection grows (issue 10): every chart type drawn
from synthetic collections -- 12 districts and counties over 10 years, and 2 over 2 -- in Chinese
and English with the strict overlap check; a real year axis with visible gaps; labels only where
they fit; a panel cap with further charts; every region against the city; like with like.

The synthetic collections (zzdata.tools.synthetic) are built in memory and drawn into a
temporary folder: nothing is written to data/processed/."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from conftest import ROOT  # noqa: E402

from zzdata.core import catalog  # noqa: E402
from zzdata.series import compare  # noqa: E402
from zzdata.tools import synthetic  # noqa: E402
from zzdata.viz import overlap, pieces, views, words  # noqa: E402
from zzdata.viz.forms import ranking, slopes  # noqa: E402
from zzdata.viz.words import Title, Words  # noqa: E402

PNG = ("png",)

TITLE = Title("标题", "Title")


pytestmark = pytest.mark.usefixtures("strict_charts")  # conftest: overlapping text fails


@pytest.fixture(scope="module")
def large():
    return synthetic.tables(12, 10)


def _processed_state() -> dict[str, float]:
    folder = ROOT / "data" / "processed"
    return {p.name: p.stat().st_mtime for p in folder.glob("*")} if folder.is_dir() else {}


# --------------------------------------------------------------------------- the synthetic collection


def test_the_synthetic_collection_is_marked_varied_and_holds_every_case(large):
    facts, series, documents = large
    marker = words.phrase("synthetic_region", "zh", name="")
    regions = series["region"].unique()
    assert len(regions) == 13 and all(r.startswith(marker) for r in regions)
    assert all(words.region_name(r, "en").startswith("Synthetic ") for r in regions)
    assert documents["title"].str.contains("非真实数据").all()
    assert series["year"].nunique() >= 10
    varied = series[series["measure"] == "level"].groupby("indicator")["value"].nunique()
    assert (varied > 20).all()
    assert set(series["theme"]) >= {"economy", "livelihoods", "environment", "housing"}
    # Every reason not to compare meets a case.
    yoy = compare.year_over_year(series, statuses=("actual", "cumulative"))
    dvc = pd.concat([compare.district_vs_city(series, y) for y in compare.district_years(series)])
    reasons = set(yoy["reason"]) | set(dvc["reason"])
    assert {"multi_year", "part_year", "exceeds_city"} <= reasons
    # Gaps: some series skip a year.
    assert (yoy["years_apart"].dropna() > 1).any()


# --------------------------------------------------------------------------- every chart type, no overlap


def _draw_every_chart_type(facts, series, documents, lang, root):
    """The views of the notebooks on one year (the region charts) and the whole range (year over
    year): every chart form once."""
    nb = views.notebook_from("every", facts, series, documents, Words(lang), root=root, formats=PNG)
    last = max(views.pair_years(nb))
    views.year_over_year(nb, "economy")
    views.year_over_year(nb, "livelihoods")
    views.growth_rates(nb, "economy")
    views.targets(nb, "economy")
    views.targets(nb, "livelihoods")
    for theme in ("economy", "environment"):
        charts = ranking.region_panels(views.pairs(nb, last, theme), documents, TITLE, Words(lang),
                                       alternatives=nb.alternatives)
        nb.book.save_all(charts, f"theme_{theme}", show=False)
    views.regions_overview(nb, last)
    for kind in views.REGION_CHARTS:
        views.regions_ranked(nb, last, kind)
    from zzdata.viz.forms.conflicts import conflict_panels

    nb.book.save_all(conflict_panels(nb.alternatives, nb.series, documents, TITLE, Words(lang)), "conflicts",
                     show=False)
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_type_of_twelve_regions_over_ten_years_has_no_overlapping_text(large, lang, tmp_path):
    before = _processed_state()
    nb = _draw_every_chart_type(*large, lang, tmp_path)
    saved = set(nb.book.saved)
    assert {"yoy_levels", "yoy_growth_rates", "conflicts"} <= saved
    assert any(n.startswith("overview_") for n in saved) and any(n.startswith("growth_") for n in saved)
    assert any(n.startswith("shares_") for n in saved) and any(n.startswith("levels_") for n in saved)
    assert any(n.startswith("targets_") for n in saved) and any(n.startswith("theme_") for n in saved)
    for paths in nb.book.paths.values():
        assert paths["png"].is_relative_to(tmp_path) and paths["png"].stat().st_size > 10_000
    assert _processed_state() == before


@pytest.fixture(scope="module", params=["zh", "en"])
def small(request, tmp_path_factory):
    """Every chart type of 2 districts and counties over 2 years in one language (the fixture's
    param), drawn once for the tests that read them, with the strict overlap check:
    (lang, the PNGs per folder, the notebooks that drew them)."""
    lang = request.param
    books = []
    real = views.notebook_from

    def keep(*args, **kwargs):  # synthetic.render's notebooks, for their charts' texts
        books.append(real(*args, **kwargs))
        return books[-1]

    with pytest.MonkeyPatch.context() as mp, matplotlib.rc_context():
        mp.setattr(views, "notebook_from", keep)
        made = synthetic.render(tmp_path_factory.mktemp(f"small-{lang}"), 2, 2, langs=(lang,), strict=True,
                                formats=PNG)
    plt.close("all")
    return lang, made, books


@pytest.mark.slow
def test_every_chart_type_of_two_regions_over_two_years_has_no_overlapping_text(small):
    lang, made, books = small
    names = {p.stem for pngs in made.values() for p in pngs}
    assert {"yoy_levels", "yoy_growth_rates", "conflicts"} <= names  # two years: growth as bars
    assert any(n.startswith("overview_") for n in names)


# --------------------------------------------------------------------------- long series


def _series(years, values, prev_reasons=None, region_level="city"):
    rows = pd.DataFrame({"indicator": "gdp", "region": "X", "region_level": region_level, "status": "actual",
                         "measure": "level", "unit": "元", "year": years, "value": values, "period": [str(y) for y in years],
                         "preliminary": False, "fact_id": [f"f{y}" for y in years], "name_zh": "地区生产总值",
                         "name_en": "GDP"})
    rows["prev_year"] = rows["year"].shift(1)
    rows["prev_value"] = rows["value"].shift(1)
    rows["years_apart"] = rows["year"] - rows["prev_year"]
    rows["change"] = rows["value"] - rows["prev_value"]
    rows["pct_change"] = rows["change"] / rows["prev_value"] * 100
    rows["reason"] = prev_reasons or [""] * len(rows)
    rows["n_years"] = len(rows)
    return rows


def test_a_missing_year_is_a_dotted_gap_and_an_unlike_pair_is_not_joined():
    fig, axes = pieces.new(1, 1, (4, 3))
    ax = axes[0, 0]
    frame = _series([2101, 2102, 2104, 2105], [10.0, 11.0, 13.0, 14.0], ["", "", "", "part_year"])
    slopes.draw_slope(ax, frame, words=Words("zh"))
    segments = [line for line in ax.lines if len(line.get_xdata()) == 2 and min(line.get_xdata()) > 2000]
    assert [tuple(line.get_xdata()) for line in segments] == [(2101, 2102), (2102, 2104)]
    assert segments[0].get_linestyle() == "-" and segments[1].get_linestyle() != "-"  # the gap is dotted
    # The year axis has a mark on every year, the missing 2103 too.
    assert 2103 in list(ax.xaxis.get_minor_locator()())
    note = " ".join(slopes.not_compared_pairs(frame, Words("en")))
    assert "2104–2105" in note and "part of a year" in note


def test_a_twenty_year_series_labels_the_last_first_and_extremes_first():
    years = list(range(2101, 2121))
    values = [100.0 + (i % 7) * 3 + i for i in range(20)]
    fig, axes = pieces.new(1, 1, (2.6, 2.4))
    slopes.draw_slope(axes[0, 0], _series(years, values), words=Words("zh"))
    labels = [t for t in axes[0, 0].texts if (t.get_gid() or "").startswith(overlap.OPTIONAL)]
    assert len(labels) <= 4  # first, last, highest, lowest: no label for every point
    priorities = sorted(int(t.get_gid().split(":")[1]) for t in labels)
    assert priorities[:2] == [0, 1]
    ticks = axes[0, 0].xaxis.get_major_locator()()
    assert 2 <= len(ticks) <= 5  # round steps, not twenty crowded labels


def test_a_panel_cap_sends_further_indicators_to_further_charts(large):
    facts, series, documents = large
    yoy = compare.year_over_year(series, statuses=("actual",), min_years=2)
    yoy = yoy[yoy["region"] == compare.city_of(series)]
    n = yoy.groupby(slopes.KEY).ngroups
    charts = slopes.slope_panels(yoy, None, documents, TITLE, Words("en"), max_panels=6)
    assert len(charts) == -(-n // 6)
    assert f"chart 1 of {len(charts)}" in charts[0].note and f"of {n}" in charts[0].note
    assert sum(len([a for a in c.fig.axes if a.axison]) for c in charts) == n


# --------------------------------------------------------------------------- every region against the city


def test_region_panels_grow_with_the_number_of_regions_and_shorten_long_names(large):
    facts, series, documents = large
    last = int(series.loc[series["status"] == "actual", "year"].max())
    dvc = compare.district_vs_city(series, last)
    dvc = dvc[dvc["measure"] == "growth"]
    many = ranking.region_panels(dvc, documents, TITLE, Words("zh"))
    two_regions = dvc[dvc["district"].isin(sorted(dvc.loc[dvc["comparable"], "district"].unique())[:2])]
    few = ranking.region_panels(two_regions, documents, TITLE, Words("zh"))
    per_panel = [c.fig.get_figheight() / max(1, len([a for a in c.fig.axes if a.axison])) for c in (many[0], few[0])]
    assert per_panel[0] > per_panel[1]
    ticks = {t.get_text() for c in many for a in c.fig.axes for t in a.get_yticklabels()}
    assert all(len(t) <= 8 for t in ticks), ticks  # short names: 合成航空港区, not the 16-character name
    names = [name for name, _en, _level in synthetic.region_names(16)[1:]]
    for lang, limit in (("zh", 8), ("en", 36)):
        labels, note = pieces.region_labels(names, Words(lang), width=18)
        assert note and ("简称" in note or "short names" in note)
        assert all(len(label) <= limit for label in labels.values()), labels
    # The city is a dashed reference line in every ranking panel.
    for a in many[0].fig.axes:
        if a.axison:
            assert any(line.get_linestyle() == "--" for line in a.lines)


def test_every_region_of_the_gazetteer_has_a_short_name():
    for name, region in catalog.regions().items():
        for lang in ("zh", "en"):
            short = Words(lang).short_region(name)
            assert short and len(short) <= len(words.region_name(name, lang)), (name, short)
        zh = Words("zh").short_region(name)
        assert zh.endswith(("区", "县", "市")), (name, zh)
    assert Words("zh").short_region("郑州航空港经济综合实验区") == "航空港区"
    assert Words("zh").short_region("郑州经济技术开发区") == "经开区"
    assert Words("zh").short_region("管城回族区") == "管城区"
    assert Words("en").short_region("郑州经济技术开发区") == "Econ. & Tech. Dev. Zone"


def test_pairs_not_compared_are_left_out_and_named_with_their_reason(large):
    facts, series, documents = large
    last = int(series.loc[series["status"] == "actual", "year"].max())
    dvc = compare.district_vs_city(series, last)
    odd = dvc[dvc["reason"] != ""]
    assert len(odd)
    charts = ranking.region_panels(dvc, documents, TITLE, Words("zh"))
    drawn = {t.get_text() for c in charts for a in c.fig.axes for t in a.texts}
    assert "未比较" in charts[-1].note
    for reason in set(odd["reason"]):
        assert Words("zh").reason(reason) in charts[-1].note
    assert len(drawn)


def test_growth_bars_span_only_the_values_they_draw():
    """Another theme's disagreeing figure (a +112.9% of cars) must not stretch the axis of a
    chart of +29.8% bars that does not draw it."""
    from zzdata.viz.forms import growth

    rows = pd.DataFrame({"indicator": "commercial_housing_sales", "name_zh": "商品房销售面积", "name_en": "Housing sales",
                         "region": "X", "status": "actual", "measure": "growth", "unit": "%", "year": [2031, 2034],
                         "period": ["2031", "2034"], "value": [29.8, 29.8], "fact_id": ["a", "b"], "label": "商品房销售面积"})
    others = pd.DataFrame({"indicator": ["nev_output"], "year": [2031], "value": [112.9], "fact_id": ["c"],
                           "period": ["2031"], "chosen_value": [98.0], "doc": ["d"], "chosen_doc": ["e"]})
    fig, ax = plt.subplots()
    growth.draw_growth(ax, rows, words=Words("zh"), others=others)
    assert 29.8 < ax.get_xlim()[1] < 50
    plt.close(fig)


def test_a_synthetic_region_is_named_in_english_from_its_chinese_name():
    """No collection registers names with the charts (no module state changed while drawing):
    the English name of every synthetic region follows from its Chinese one."""
    for name, name_en, _level in synthetic.region_names(24):
        assert words.region_name(name, "en") == name_en and words.region_name(name, "zh") == name
    assert not hasattr(words, "_EXTRA_NAMES_EN") and not hasattr(words, "add_region_names")


def test_every_chart_speaks_one_language(small):
    """Every chart form, drawn through the notebooks' views with one Words object (every theme's,
    every year's: the small collection's), says nothing in the other language: an English chart
    has no Chinese character, a Chinese chart no English word -- but its English subtitle and the
    bilingual 来源 Source / 注 Note that begin its footer."""
    import re

    from matplotlib.text import Text

    from zzdata.series import choice
    from zzdata.viz import layout

    lang, made, books = small
    assert books and all(nb.words == Words(lang) for nb in books)
    saved = {f"{nb.name}/{name}": chart for nb in books for name, chart in nb.book.saved.items()}
    assert len(saved) >= 8 and len(saved) == sum(len(pngs) for pngs in made.values())
    other = re.compile(r"[\u3400-\u9fff]") if lang == "en" else re.compile(r"[A-Za-z_]{3,}")
    # Names of code a Chinese phrase of labels.csv itself writes (a column: reason, other_values).
    import csv

    with (ROOT / "zzdata" / "data" / "labels.csv").open(encoding="utf-8", newline="") as fh:
        code = {w for row in csv.DictReader(fh) for w in re.findall(r"[A-Za-z_]{3,}", row["zh"])} | {"zzdata"}
    found = []
    for name, chart in saved.items():
        for text in chart.fig.findobj(Text):
            words_ = text.get_text()
            if not words_.strip() or text.get_gid() == layout.GID_SUBTITLE:
                continue
            if text.get_gid() in (layout.GID_SOURCE, layout.GID_NOTE):
                words_ = re.sub(r"^(来源 Source|注 Note|Source|Note):", "", words_)
                # The choice rule quotes the reports' own words for a threshold (突破, 迈入) on purpose.
                words_ = words_.replace("\n", " ").replace(choice.describe(lang=lang, form="short"), "")
            hit = next((m for m in other.finditer(words_) if m.group() not in code), None)
            if hit:
                found.append(f"{name}: {hit.group()!r} in {words_[max(0, hit.start() - 30):hit.end() + 30]!r}")
    assert not found, "\n".join(found[:20])


# --------------------------------------------------------------------------- labels that hide points


def _saved_panels(tmp_path, frames) -> "Any":
    """`frames` as slope panels of a 3 x 3 chart (narrow panels, as yoy_levels draws nine
    indicators), saved as save_chart saves every chart; the figure after its save."""
    from zzdata.viz.save import save_chart

    fig, axes = pieces.new(3, 3, (8.0, 8.7))
    for ax, frame in zip(axes.flat, frames):
        slopes.draw_slope(ax, frame, words=Words("zh"), years=list(range(2101, 2110)), title_width=2.1)
    save_chart(fig, "labels", "panels", "来源：测试", root=tmp_path, formats=PNG, strict=True)
    return fig


def test_no_label_on_a_white_ground_covers_a_data_point_and_no_two_labels_run_together(tmp_path):
    # Equal values three years apart in a narrow panel: the change between them (+0.0%, 3 years) on
    # its white ground is wider than the gap between the points, and the two value labels (first
    # and last of the series) run into one text (`4324套4324套`) -- seen on the 170-text collection.
    frames = [_series([2103, 2106], [4324.0, 4324.0]),
              _series([2101, 2103, 2106, 2108], [298.55, 370.0, 370.0, 298.55])]
    fig = _saved_panels(tmp_path, frames)
    renderer = overlap.place_artists(fig)  # measured at the figure's own dpi (the save rendered at 300)
    points = overlap.marker_boxes(fig)
    assert len(points) == 6  # every point of the two series is drawn
    grounds = [t.get_bbox_patch().get_window_extent(renderer) for ax in fig.axes for t in ax.texts
               if t.get_visible() and t.get_bbox_patch() is not None]
    assert not [(g, p) for g in grounds for p in points if overlap._hit(g, p, 0.0)]
    labels = [overlap.text_extent(t, renderer) for ax in fig.axes for t in ax.texts
              if t.get_visible() and (t.get_gid() or "").startswith(overlap.OPTIONAL)]
    gap = overlap.LABEL_GAP_PT * fig.dpi / 72
    close = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if overlap._hit(a, b, -gap, 1.0)]
    assert not close
    # Each series keeps a label of its values: the most important one (the last point) at least.
    shown = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_visible()]
    assert sum("4324" in s for s in shown) == 1 and sum("298.6" in s for s in shown) >= 1
