"""The chart forms of zzdata.viz on a collection they have never seen: twelve made-up regions with
made-up figures (years in the 2100s, round numbers), built into a series by the real choice rule.
Also: period colours for any number of periods, an English name for every region of the
gazetteer, the chart wording in labels.csv, and no region or year typed into the charts' code."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from conftest import ROOT  # noqa: E402

from zzdata.core import catalog, schema  # noqa: E402
from zzdata.series import choice, compare  # noqa: E402
from zzdata.viz import pieces, style, words  # noqa: E402
from zzdata.viz.forms import conflicts, district, growth, overview, ranking, slopes, targets  # noqa: E402
from zzdata.viz.words import Title, Words  # noqa: E402

VIZ = ROOT / "zzdata" / "viz"
FAKE_YEARS = (2101, 2102, 2103)
CITY = "Testopolis"
DISTRICTS = [f"Fake District {i:02d}" for i in range(1, 12)]

TITLE = Title("标题", "Title")


@pytest.fixture(autouse=True)
def _isolated_rc():
    with matplotlib.rc_context():
        yield
    plt.close("all")


# --------------------------------------------------------------------------- a made-up collection


def _fake_collection() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facts and documents of twelve regions: a work report per region and year (results of the
    year, targets of the next) and, for the last year, a year-end review whose figures differ."""
    docs, facts = [], []

    def doc(file, region, level, doc_type, delivered):
        docs.append({"file": file, "region": region, "region_level": level, "doc_type": doc_type,
                     "delivered": delivered, "title": f"Made-up report {file}", "publisher": "nobody",
                     "n_facts": 0})

    def fact(file, region, level, year, indicator, measure, unit, value, status="actual", period=None,
             preliminary=False):
        n = len(facts)
        facts.append({"fact_id": f"{file}:{n}", "doc": file, "region": region, "region_level": level,
                      "period": period or str(year), "year": year, "status": status, "indicator": indicator,
                      "label": indicator, "measure": measure, "value": float(value), "unit": unit,
                      "value_text": str(value), "qualifier": "none", "preliminary": preliminary,
                      "theme": catalog.indicators()[indicator].theme, "section": "", "snippet": "",
                      "start": n, "end": n + 1, "rank_group": ""})

    for i, region in enumerate([CITY, *DISTRICTS]):
        level = "city" if region == CITY else "district"
        scale = 10 if level == "city" else 1
        for k, year in enumerate(FAKE_YEARS):
            f = f"fake_{i:02d}_{year}.txt"
            doc(f, region, level, "work_report", f"{year + 1}-01")
            fact(f, region, level, year, "gdp", "level", "元", scale * (1000 + 100 * k + i) * 1e8)
            fact(f, region, level, year, "gdp", "growth", "%", 5 + k - i / 10)
            fact(f, region, level, year, "new_urban_jobs", "level", "人", scale * (10000 + 500 * k + 100 * i))
            fact(f, region, level, year, "good_air_days", "level", "天", 200 + 10 * k + i)
            fact(f, region, level, year, "forest_coverage", "share", "%", 30 + k + i / 10)
            fact(f, region, level, year + 1, "gdp", "growth", "%", 6, status="target")
            fact(f, region, level, year + 1, "new_urban_jobs", "level", "人", scale * 11000, status="target")
        review = f"fake_{i:02d}_review.txt"
        last = FAKE_YEARS[-1]
        doc(review, region, level, "year_review", f"{last}-12")
        fact(review, region, level, last, "gdp", "growth", "%", 9.9, period=f"{last}-01..11", preliminary=True)
        fact(review, region, level, last, "new_urban_jobs", "level", "人", scale * 9000, preliminary=True)
    documents = pd.DataFrame(docs)
    documents["n_facts"] = documents["file"].map(pd.Series([f["doc"] for f in facts]).value_counts())
    return pd.DataFrame(facts, columns=schema.columns("facts")), documents


@pytest.fixture(scope="module")
def fake():
    facts, documents = _fake_collection()
    series = choice.build_series(facts, documents)
    alternatives = choice.alternatives(series, choice.candidates(facts, documents))
    assert series["region"].nunique() == 12 and len(alternatives) >= 12
    return facts, documents, series, alternatives


def _axes(n: int = 1):
    fig, axes = pieces.new(1, n, (4.0 * n, 4.0))
    return fig, list(axes.flat)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_panel_kind_draws_a_made_up_collection_of_twelve_regions(fake, lang):
    facts, documents, series, alternatives = fake
    last = FAKE_YEARS[-1]
    # Slopes: one series of each of the twelve regions.
    yoy = compare.year_over_year(series, indicator="new_urban_jobs", statuses=("actual",))
    for region, rows in yoy.groupby("region"):
        fig, (ax,) = _axes()
        others = alternatives[(alternatives["region"] == region) & (alternatives["indicator"] == "new_urban_jobs")]
        assert slopes.draw_slope(ax, rows, words=Words(lang), others=others, years=list(FAKE_YEARS))
        assert len(ax.lines) >= len(FAKE_YEARS)
    # Growth bars: the twelve regions' rates, and one region's twenty periods.
    g = series[(series["measure"] == "growth") & (series["status"] == "actual")]
    fig, (ax,) = _axes()
    assert len(growth.draw_growth(ax, g, words=Words(lang), others=alternatives)) >= len(g)
    twenty = pd.concat([g.iloc[[0]].assign(period=str(y), year=y, fact_id=f"f{y}") for y in range(2101, 2121)])
    fig, (ax,) = _axes()
    growth.draw_growth(ax, twenty, words=Words(lang))
    assert len({p.get_facecolor() for p in ax.patches}) == 20
    # Targets: attainment bars and rate dumbbells, one row per region.
    tva = compare.target_vs_actual(series, last)
    tva["name"] = tva["region"] + " " + tva["indicator"]
    fig, (a1, a2) = _axes(2)
    targets.draw_attainment(a1, tva[tva["measure"] == "level"], words=Words(lang), documents=documents, others=alternatives)
    targets.draw_target_rates(a2, tva[tva["measure"] == "growth"], words=Words(lang), others=alternatives)
    assert len(a1.patches) >= 12 and len(a2.get_yticks()) == 12
    # District against city: shares, rates and an index for eleven districts.
    dvc = compare.district_vs_city(series, last, city=CITY)
    dvc["name"] = dvc["district"] + " " + dvc["indicator"]
    fig, (a1, a2, a3) = _axes(3)
    district.draw_share(a1, dvc[dvc["additive"] & dvc["comparable"]], words=Words(lang), documents=documents,
                        others=alternatives)
    district.draw_region_rates(a2, dvc[dvc["gap_points"].notna()], words=Words(lang), others=alternatives)
    district.draw_index(a3, dvc[~dvc["additive"] & dvc["gap_points"].isna()], words=Words(lang), documents=documents)
    assert len(a1.patches) >= 11 and len(a3.patches) >= 11
    # Conflict rows: a row per region, with the values written out beside them.
    rows = alternatives.merge(series[["indicator", "region", "year", "status", "measure", "name_zh", "name_en",
                                      "region_level"]], on=["indicator", "region", "year", "status", "measure"])
    rows["row"] = rows["region"]
    fig, (ax, tx) = _axes(2)
    assert conflicts.draw_conflict_rows(ax, rows[rows["unit"] == "%"], words=Words(lang), documents=documents, table_ax=tx)
    assert len(tx.texts) == 2 * int((rows["unit"] == "%").sum())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_panel_layouts_take_the_made_up_collection(fake, lang):
    facts, documents, series, alternatives = fake
    last = FAKE_YEARS[-1]
    made = [
        *slopes.slope_panels(compare.year_over_year(series, min_years=2), alternatives, documents, TITLE,
                             Words(lang)),
        growth.growth_bars(series, alternatives, documents, TITLE, Words(lang)),  # the city, from the data
        targets.target_panels(compare.target_vs_actual(series, last), documents, TITLE, Words(lang),
                              alternatives=alternatives),
        district.district_panels(compare.district_vs_city(series, last), documents, TITLE, Words(lang),
                                 alternatives=alternatives),
        *ranking.region_panels(compare.district_vs_city(series, last), documents, TITLE, Words(lang),
                               alternatives=alternatives),
        *overview.overview_chart(compare.district_vs_city(series, last), documents, TITLE, Words(lang)),
        *conflicts.conflict_panels(alternatives, series, documents, TITLE, Words(lang)),
    ]
    for chart in made:
        assert chart is not None and chart.fact_ids and chart.note
    assert choice.describe(lang=lang, form="short") in made[-1].note  # the rule, every step, from one place


# --------------------------------------------------------------------------- colours, names, words


def test_period_colours_are_distinct_and_deterministic_for_twenty_periods():
    periods = [str(y) for y in range(2101, 2121)]
    colours = style.period_colors(periods)
    assert list(colours) == periods
    assert len(set(colours.values())) == 20
    assert style.period_colors(list(periods)) == colours
    assert style.COLORS["conflict"] not in colours.values()
    # Up to six periods keep the colours the charts have always had.
    assert list(style.period_colors(periods[:6]).values()) == list(style.PERIOD_COLORS)
    assert list(style.period_colors(periods[:2]).values()) == list(style.PERIOD_COLORS[:2])


def test_every_region_of_the_gazetteer_has_an_english_name():
    with (ROOT / "zzdata" / "data" / "regions.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["name_en"].strip() for r in rows), [r["name"] for r in rows if not r["name_en"].strip()]
    regions = catalog.regions()
    for r in rows:
        assert regions[r["name"]].name_en == r["name_en"]
        assert words.region_name(r["name"], "en") == r["name_en"]
        assert words.region_name(r["name"], "zh") == r["name"]
    assert words.region_name(CITY, "en") == CITY  # not in the gazetteer: its own name


def test_chart_wording_has_both_languages_and_the_same_placeholders():
    with (ROOT / "zzdata" / "data" / "labels.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    for r in rows:
        assert r["zh"] and r["en"], r["key"]
        assert set(re.findall(r"{(\w+)}", r["zh"])) <= set(re.findall(r"{(\w+)}", r["en"])) | {"value"}, r["key"]
    assert words.phrase("growth_title", "en") == "Growth rates (%)"
    assert words.phrase("targets_missing", "zh", names="甲、乙") == "未找到结果的目标：甲、乙"
    with pytest.raises(KeyError, match="labels.csv"):
        words.phrase("no_such_wording", "zh")
    # Every key the charts ask for is in the file.
    used = set()
    for path in VIZ.rglob("*.py"):
        used |= set(re.findall(r"phrase\(\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    assert used - set(keys) == set()


# --------------------------------------------------------------------------- no region or year in code


def _gazetteer_words() -> set[str]:
    with (ROOT / "zzdata" / "data" / "regions.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    found = {r["name"] for r in rows} | {r["name_en"] for r in rows}
    found |= {a for r in rows for a in r["aliases"].split("|")}
    return {w for w in found if len(w) >= 2}


def _non_docstring_strings(tree: ast.AST) -> list[ast.Constant]:
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


@pytest.mark.parametrize("path", sorted(VIZ.rglob("*.py")), ids=lambda p: str(p.relative_to(VIZ)))
def test_no_region_name_or_year_in_the_charts_code(path: Path):
    names, year = _gazetteer_words(), re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")
    hits = []
    for node in _non_docstring_strings(ast.parse(path.read_text(encoding="utf-8"))):
        named = sorted(w for w in names if w in node.value)
        if named or year.search(node.value):
            hits.append(f"line {node.lineno}: {node.value!r}")
    assert not hits, "\n".join(hits)


def test_the_chart_modules_import_no_circle():
    """No module of zzdata.viz imports, directly or through others, one that imports it back
    (e.g. forms/district.py and forms/ranking.py, which once imported each other)."""
    graph: dict[str, set[str]] = {}
    for path in VIZ.rglob("*.py"):
        name = ".".join(path.relative_to(VIZ).with_suffix("").parts)
        package = name.rsplit(".", 1)[0] if "." in name else ""
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level and node.module:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                found.add(".".join([*base, *node.module.split(".")]))
        graph[name] = found

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and (seen.add(nxt) or reaches(nxt, goal, seen))):
                return True
        return False

    circles = sorted(name for name in graph if reaches(name, name, set()))
    assert not circles, f"modules in an import circle: {circles}"
    assert "forms.district" in graph and "forms.pairs" in graph["forms.district"]


@pytest.mark.parametrize("ticks_on_top", [False, True])
def test_a_panel_title_sits_where_matplotlibs_own_search_puts_it(ticks_on_top):
    """pieces.panel_title fixes a title at the axes' top when the x ticks are at the bottom (no
    search at every draw); the place must be the one matplotlib's search finds, and with the ticks
    on top (the overview) the search must still lift the title above them."""
    def drawn(fixed: bool):
        fig, axes = pieces.new(1, 1, (3, 2), grid=None)  # the house style and font
        ax = axes.flat[0]
        ax.set_xticks([0, 1], ["长标签一", "长标签二"], fontsize=12)
        if ticks_on_top:
            ax.xaxis.tick_top()
        if fixed:
            pieces.panel_title(ax, "标题 Title", fontsize=9, pad=4)
        else:
            ax.set_title("标题 Title", loc="left", fontsize=9, pad=4)
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        title, = ax.findobj(lambda a: isinstance(a, matplotlib.text.Text) and a.get_text() == "标题 Title")
        box = title.get_window_extent(r)
        labels = [t.get_window_extent(r) for t in ax.get_xticklabels() if t.get_text()]
        plt.close(fig)
        return box, labels
    (fixed_box, labels), (searched_box, _) = drawn(True), drawn(False)
    assert tuple(fixed_box.extents) == pytest.approx(tuple(searched_box.extents), abs=1e-6)
    if ticks_on_top:
        assert fixed_box.y0 >= max(b.y1 for b in labels)


def test_a_chart_is_drawn_and_saved_in_the_house_style_without_changing_matplotlibs_settings(fake, tmp_path):
    """The house style holds inside the chart forms and the save (style.house), and matplotlib's
    settings are as they were after: a researcher's own charts in the same notebook are not
    restyled by zzdata's (a figure made by itself, for a chart of one's own, still sets the style)."""
    from zzdata.viz.save import save_chart

    facts, documents, series, alternatives = fake
    dvc = compare.district_vs_city(series, FAKE_YEARS[-1], city=CITY)
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        before = dict(matplotlib.rcParams)
        chart, *_ = ranking.region_panels(dvc, documents, TITLE, Words("zh"))
        saved = save_chart(chart.fig, "house", "ranking", "test", root=tmp_path, formats=("png",))
        assert dict(matplotlib.rcParams) == before
        ticks = [t for ax in chart.fig.axes for t in ax.get_yticklabels() if t.get_text()]
        assert ticks and all(t.get_fontfamily() == style.families() for t in ticks)
        style.new_figure()  # one's own chart
        assert matplotlib.rcParams["font.family"] == style.families()
    assert saved.paths["png"].exists()


def test_the_garbage_collector_waits_while_a_chart_is_drawn_and_saved_and_is_as_it_was_after(fake, tmp_path, monkeypatch):
    """style.collector_paused: no cyclic collection inside a chart form or its save (they were a
    tenth of a chart's time); the collector is on again after, and a caller's own choice stands."""
    import gc

    from zzdata.viz import save as save_module
    from zzdata.viz.save import save_chart

    facts, documents, series, alternatives = fake
    dvc = compare.district_vs_city(series, FAKE_YEARS[-1], city=CITY)
    seen = []
    original_png = save_module._png
    monkeypatch.setattr(save_module, "_png", lambda fig, extra: seen.append(gc.isenabled()) or original_png(fig, extra))
    collections = []  # whether each collection ran inside the house style (a form or a save)

    def note(phase, info):
        if phase == "start":
            collections.append(style._IN_HOUSE.get())
    assert gc.isenabled()
    gc.callbacks.append(note)
    try:
        for _ in range(3):
            chart, *_ = ranking.region_panels(dvc, documents, TITLE, Words("zh"))
            save_chart(chart.fig, "gc", "ranking", "test", root=tmp_path, formats=("png",))
        gc.collect()
    finally:
        gc.callbacks.remove(note)
    assert seen == [False] * 3
    assert collections and not any(collections)  # collections, but none inside
    assert gc.isenabled()
    gc.disable()
    try:
        with style.house():
            pass
        assert not gc.isenabled()  # turned off by the caller: left off
    finally:
        gc.enable()


def test_the_regions_beside_the_city_are_made_once_a_year_and_follow_the_notebooks_tables(tmp_path, monkeypatch):
    from zzdata.tools import synthetic
    from zzdata.viz import views

    facts, series, documents = synthetic.tables(3, 4)
    nb = views.notebook_from("pairs", facts, series, documents, Words("en"), root=tmp_path, formats=("png",))
    original, asked = compare.district_vs_city, []
    monkeypatch.setattr(compare, "district_vs_city", lambda s, year, **kw: asked.append(year) or original(s, year, **kw))

    def expected(year, regions, rows=None):  # the definition, from the series itself
        dvc = original(nb.series if rows is None else rows, year, city=nb.city)
        return dvc[dvc["district"].isin(regions) & dvc["measure"].isin(views.MEASURES)].reset_index(drop=True)

    years = views.pair_years(nb)
    for theme in ("economy", "livelihoods"):
        views.pair_years(nb, theme)
    assert len(years) > 1 and sorted(asked) == sorted(set(asked))  # each year made once for all themes
    last = years[-1]
    table = views.pairs(nb, last)
    pd.testing.assert_frame_equal(table, expected(last, nb.regions))
    theme = table["theme"].iloc[0]
    pd.testing.assert_frame_equal(views.pairs(nb, last, theme),
                                  table[table["theme"] == theme].reset_index(drop=True))
    table["district_value"] = -1.0  # a caller's change stays in its copy
    pd.testing.assert_frame_equal(views.pairs(nb, last), expected(last, nb.regions))
    nb.regions = nb.regions[:1]  # other regions, or other rows: made again
    pd.testing.assert_frame_equal(views.pairs(nb, last), expected(last, nb.regions))
    nb.series = nb.series[nb.series["region"] != nb.regions[0]]
    assert views.pairs(nb, last).empty and expected(last, nb.regions).empty
