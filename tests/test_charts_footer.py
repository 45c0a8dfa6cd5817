"""The footer under a chart stays short as the collection grows: lists that grow with the years,
the regions or the texts (other texts' values that disagree with the value used, pairs not
compared) name their first :data:`zzdata.viz.words.NAMED_UP_TO` items and count the rest in one
line that says where they are all listed, so a chart of 20 years and many texts keeps its page.

The frames are made up here (years in the 2100s, synthetic regions); nothing is read from or
written to data/processed/."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from zzdata.tools import synthetic  # noqa: E402
from zzdata.viz import layout, pieces, words  # noqa: E402
from zzdata.viz.forms import growth, pairs, slopes  # noqa: E402
from zzdata.viz.words import Title, Words  # noqa: E402
from zzdata.viz.save import save_figure  # noqa: E402

YEARS = list(range(2101, 2121))  # twenty years
#: (indicator, Chinese name, English name, first value): three amounts, one panel each.
PANELS = (("gdp", "地区生产总值", "GDP", 5.0e11), ("retail_sales", "社会消费品零售总额", "Retail sales", 2.0e11),
          ("general_budget_revenue", "一般公共预算收入", "General public budget revenue", 4.0e10))
#: A named disagreement: "地区生产总值2105年：选用…" / "GDP 2105: … used (…)".
NAMED = {"zh": re.compile(r"\d{4}年：选用"), "en": re.compile(r" \d{4}: [^;]*? used \(")}
#: The line that counts the rest: "另有12处…（共15处…" / "12 more … (15 in all".
COUNTED = {"zh": re.compile(r"另有(\d+)处[^；]*共(\d+)处"), "en": re.compile(r"(\d+) more values[^;]*\((\d+) in all")}
#: A named year pair not compared: "地区生产总值 2104—2105年" / "GDP 2104–2105".
PAIR = {"zh": re.compile(r" \d{4}—\d{4}年"), "en": re.compile(r" \d{4}–\d{4}")}
PAIRS_COUNTED = {"zh": re.compile(r"另有(\d+)对年份未比较"), "en": re.compile(r"(\d+) more year pairs not compared")}

TITLE = Title("标题", "Title")


pytestmark = pytest.mark.usefixtures("strict_charts")  # conftest: overlapping text fails


def _documents() -> pd.DataFrame:
    """A work report early in every year after the first, a year-end review late in every year."""
    rows = []
    for y in YEARS:
        rows.append({"file": f"x_{y + 1}_work-report.txt", "region": "合成郑州市", "region_level": "city",
                     "doc_type": "work_report", "delivered": f"{y + 1}-01"})
        rows.append({"file": f"x_{y}_year-review.txt", "region": "合成郑州市", "region_level": "city",
                     "doc_type": "year_review", "delivered": f"{y}-12"})
    return pd.DataFrame(rows)


def _yoy(not_compared: dict[str, list[int]] | None = None) -> pd.DataFrame:
    """Rows of compare.year_over_year: three amounts over twenty years; ``not_compared`` gives,
    per indicator, the years not compared with the year before (a part-year figure)."""
    frames = []
    for indicator, zh, en, first in PANELS:
        values = [first * (1.06 ** i) * (1 + 0.03 * ((i * 7) % 5 - 2) / 2) for i in range(len(YEARS))]
        rows = pd.DataFrame({"indicator": indicator, "region": "合成郑州市", "region_level": "city", "status": "actual",
                             "measure": "level", "unit": "元", "year": YEARS, "value": values,
                             "period": [str(y) for y in YEARS], "preliminary": False,
                             "fact_id": [f"{indicator}:{y}" for y in YEARS], "name_zh": zh, "name_en": en,
                             "doc": [f"x_{y + 1}_work-report.txt" for y in YEARS]})
        rows["prev_year"] = rows["year"].shift(1)
        rows["prev_value"] = rows["value"].shift(1)
        rows["years_apart"] = rows["year"] - rows["prev_year"]
        rows["change"] = rows["value"] - rows["prev_value"]
        rows["pct_change"] = rows["change"] / rows["prev_value"] * 100
        odd = set((not_compared or {}).get(indicator, []))
        rows["reason"] = ["part_year" if y in odd else "" for y in YEARS]
        rows["comparable"] = rows["reason"] == ""
        rows["n_years"] = len(rows)
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def _alternatives(yoy: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` values of year-end reviews that differ from the work reports' (the value used),
    spread over the panels and years."""
    rows = []
    for i in range(n):
        r = yoy.iloc[(i * 7) % len(yoy)]
        rows.append({"indicator": r["indicator"], "region": r["region"], "year": int(r["year"]), "status": "actual",
                     "measure": "level", "rank_group": "", "value": r["value"] * 0.97, "unit": r["unit"],
                     "period": r["period"], "doc": f"x_{int(r['year'])}_year-review.txt", "doc_type": "year_review",
                     "preliminary": True, "fact_id": f"other:{r['indicator']}:{int(r['year'])}",
                     "chosen_value": r["value"], "chosen_doc": r["doc"], "chosen_fact_id": r["fact_id"]})
    return pd.DataFrame(rows).drop_duplicates(["indicator", "year"]).reset_index(drop=True)


def _disagreements_on(chart_yoy: pd.DataFrame, alternatives: pd.DataFrame) -> int:
    """How many other texts' values the panels of a chart draw: counted from the frames."""
    keys = ["indicator", "region", "status", "measure", "year"]
    return len(alternatives.merge(chart_yoy[keys].drop_duplicates(), on=keys))


def _footer_lines(chart, tmp_path, lang: str) -> int:
    """The lines of the note under the saved chart, as wrapped on the figure."""
    save_figure(chart.fig, "footer", f"slopes_{lang}", "来源 Source: test", note=chart.note, root=tmp_path,
                formats=("png",))
    (text,) = [t for t in chart.fig.texts if t.get_gid() == layout.GID_NOTE]
    return text.get_text().count("\n") + 1


# --------------------------------------------------------------------------- other texts' values


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_many_disagreements_are_named_up_to_a_few_and_the_rest_counted(lang, tmp_path):
    yoy = _yoy()
    alternatives = _alternatives(yoy, 15)
    assert len(alternatives) == 15
    (chart,) = slopes.slope_panels(yoy, alternatives, _documents(), TITLE, Words(lang))
    k = words.NAMED_UP_TO
    named = NAMED[lang].findall(chart.note)
    assert len(named) <= k, chart.note
    counted = COUNTED[lang].findall(chart.note)
    assert len(named) + len(counted) <= k + 1
    true_total = _disagreements_on(yoy, alternatives)
    assert counted == [(str(true_total - len(named)), str(true_total))], chart.note
    # Every value is still drawn (a hollow point) and traceable (its fact_id).
    assert set(alternatives["fact_id"]) <= set(chart.fact_ids)
    # The footer no longer grows with the disagreements: the same lines for 15 and for 40.
    more = _alternatives(yoy, 40)
    assert len(more) > 30
    (chart_more,) = slopes.slope_panels(yoy, more, _documents(), TITLE, Words(lang))
    assert len(NAMED[lang].findall(chart_more.note)) <= k
    assert COUNTED[lang].findall(chart_more.note) == [(str(len(more) - k), str(len(more)))]
    lines, lines_more = _footer_lines(chart, tmp_path, lang), _footer_lines(chart_more, tmp_path, lang)
    assert lines_more <= lines + 1 and lines <= 8, (lines, lines_more)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_disagreements_are_both_named(lang):
    yoy = _yoy()
    # Two, and one more than are named of many: a line counting "1 more" would take a name's place.
    for n in (2, words.NAMED_UP_TO + 1):
        alternatives = _alternatives(yoy, n)
        (chart,) = slopes.slope_panels(yoy, alternatives, _documents(), TITLE, Words(lang))
        assert len(NAMED[lang].findall(chart.note)) == n == len(alternatives)
        assert not COUNTED[lang].findall(chart.note)
        for r in alternatives.itertuples():
            assert str(r.year) in chart.note


def test_each_chart_counts_its_own_disagreements():
    """Panels over several charts: each chart names and counts the values it draws, no others."""
    yoy = _yoy()
    alternatives = _alternatives(yoy, 15)
    charts = slopes.slope_panels(yoy, alternatives, _documents(), TITLE, Words("en"), max_panels=1)
    assert len(charts) == len(PANELS)
    for chart, indicator in zip(charts, sorted(p[0] for p in PANELS), strict=True):  # panels by indicator
        mine = _disagreements_on(yoy[yoy["indicator"] == indicator], alternatives)
        named = NAMED["en"].findall(chart.note)
        counted = COUNTED["en"].findall(chart.note)
        k = words.NAMED_UP_TO
        assert len(named) == (mine if mine <= k + 1 else k)  # one over is named, not counted as "1 more"
        assert counted == ([(str(mine - k), str(mine))] if mine > k + 1 else [])


# --------------------------------------------------------------------------- pairs not compared


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_many_year_pairs_not_compared_are_named_up_to_a_few_and_the_rest_counted(lang):
    odd = {"gdp": [2103, 2107, 2111, 2115, 2119], "retail_sales": [2104, 2108, 2112], "general_budget_revenue": [2110]}
    yoy = _yoy(odd)
    note = " ".join(slopes.not_compared_pairs(yoy, Words(lang)))
    k = words.NAMED_UP_TO
    true_total = sum(slopes.pair_reason(r) not in (None, "") for r in yoy.itertuples())
    assert true_total == 9
    assert len(PAIR[lang].findall(note)) == k, note
    assert PAIRS_COUNTED[lang].findall(note) == [str(true_total - k)], note
    assert Words(lang).reason("part_year") in note
    # A few are all named, none counted.
    few = " ".join(slopes.not_compared_pairs(_yoy({"gdp": [2103, 2107]}), Words(lang)))
    assert len(PAIR[lang].findall(few)) == 2 and not PAIRS_COUNTED[lang].findall(few)


def test_region_pairs_not_compared_are_named_up_to_a_few_and_the_rest_counted():
    """Sixteen regions whose figure exceeds the city's: three named, thirteen counted."""
    regions = [name for name, _en, _level in synthetic.region_names(16)[1:]]
    dvc = pd.DataFrame({"district": regions, "indicator": "retail_sales", "measure": "level", "status": "actual",
                        "name_zh": "社会消费品零售总额", "name_en": "Retail sales", "reason": "exceeds_city"})
    k = words.NAMED_UP_TO
    for lang, counted in (("zh", r"另有(\d+)对未比较"), ("en", r"(\d+) more pairs not compared")):
        note = " ".join(pairs.not_compared_parts(dvc, Words(lang)))
        labels, _ = pieces.region_labels(regions, Words(lang), width=99)
        assert sum(labels[r] in note for r in regions) == k, note
        assert re.findall(counted, note) == [str(len(regions) - k)], note
        assert Words(lang).reason("exceeds_city") in note
    few = " ".join(pairs.not_compared_parts(dvc.head(k + 1), Words("en")))
    assert "more pairs" not in few and all(pieces.region_labels(regions, Words("en"), width=99)[0][r] in few
                                           for r in regions[:k + 1])


# --------------------------------------------------------------------------- growth bars


def test_growth_bars_name_a_few_disagreements_and_count_the_rest():
    """Twelve growth rates over three years, a year-end review differing on each: the bars write
    every other value in their labels; the note names a few and counts the rest."""
    rows, alts = [], []
    for i, (indicator, zh, en) in enumerate((("gdp", "地区生产总值", "GDP"),
                                             ("fixed_asset_investment", "固定资产投资", "Fixed-asset investment"),
                                             ("retail_sales", "社会消费品零售总额", "Retail sales"),
                                             ("industrial_value_added", "规模以上工业增加值", "Industry"))):
        for y in YEARS[:3]:
            rows.append({"indicator": indicator, "name_zh": zh, "name_en": en, "region": "合成郑州市", "status": "actual",
                         "measure": "growth", "unit": "%", "year": y, "period": str(y), "value": 5.0 + i + (y - 2100) / 10,
                         "fact_id": f"{indicator}:{y}", "doc": f"x_{y + 1}_work-report.txt"})
            alts.append({"indicator": indicator, "region": "合成郑州市", "status": "actual", "measure": "growth",
                         "year": y, "period": str(y), "value": 4.0 + i, "fact_id": f"other:{indicator}:{y}",
                         "doc": f"x_{y}_year-review.txt", "chosen_value": 5.0 + i + (y - 2100) / 10,
                         "chosen_doc": f"x_{y + 1}_work-report.txt"})
    series, alternatives = pd.DataFrame(rows), pd.DataFrame(alts)
    chart = growth.growth_bars(series, alternatives, _documents(), TITLE, Words("en"), region="合成郑州市")
    k = words.NAMED_UP_TO
    assert chart.note.count(" gave ") == k, chart.note
    assert COUNTED["en"].findall(chart.note) == [(str(len(alternatives) - k), str(len(alternatives)))]
    assert set(alternatives["fact_id"]) <= set(chart.fact_ids)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_chart_of_one_panel_names_one_indicator_not_a_range(lang):
    """`indicators 7–7 of 8` reads as a typo: a chart that holds one panel names that one."""
    from zzdata.viz.pieces import page_note

    one, many = page_note(4, 4, 8, 8, 8, Words(lang)), page_note(1, 4, 1, 3, 8, Words(lang))
    assert "8—8" not in one and "8–8" not in one and "8" in one
    assert ("1—3" in many) if lang == "zh" else ("1–3" in many)


# --------------------------------------------------------------------------- flagged and corrected values


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_flagged_value_is_left_out_and_a_corrected_one_counted(lang, tmp_path):
    """Issue 19: a value whose every figure a check flagged is not drawn, and the footer says how
    many and why; a value a person corrected is drawn, and the footer counts it. Without the
    columns (a series built before them) nothing changes."""
    from zzdata.viz import views

    facts, series, documents = synthetic.tables(2, 4)
    city = series[series["region_level"] == "city"]
    gdp = city[(city["indicator"] == "gdp") & (city["measure"] == "level")].sort_values("year")
    bad, fixed = gdp.iloc[1], gdp.iloc[2]
    flagged = series.assign(flag=(series["fact_id"] == bad["fact_id"]).map({True: "district_above_city", False: ""}))
    facts = facts.assign(corrected=(facts["fact_id"] == fixed["fact_id"]).map({True: "value", False: ""}),
                         correction_note="")
    nb = views.notebook_from("flags", facts, flagged, documents, Words(lang), root=tmp_path, formats=("png",))
    views.year_over_year(nb, "economy")
    charts = [c for name, c in nb.book.saved.items() if name.startswith("yoy_levels")]
    drawn = {f for c in charts for f in c.fact_ids}
    assert bad["fact_id"] not in drawn and fixed["fact_id"] in drawn
    note = " ".join(c.note or "" for c in charts)
    w = Words(lang)
    assert w.left_out(["district_above_city"]) in note and w.flag("district_above_city") in note
    assert w.corrected(1) in note
    if lang == "en":
        assert "1 value left out: a district's amount above its city's" in note and "1 value corrected by hand" in note
    # The same tables without the columns: every value drawn, neither line.
    plain = views.notebook_from("plain", facts.drop(columns=["corrected", "correction_note"]),
                                series.drop(columns=["flag"], errors="ignore"), documents, Words(lang),
                                root=tmp_path, formats=("png",))
    views.year_over_year(plain, "economy")
    charts = [c for name, c in plain.book.saved.items() if name.startswith("yoy_levels")]
    assert bad["fact_id"] in {f for c in charts for f in c.fact_ids}
    assert w.corrected(1) not in " ".join(c.note or "" for c in charts)


def test_a_flagged_value_no_chart_would_draw_is_not_counted(tmp_path):
    """A flagged value of a single year (a threshold with no other year of its series) would never
    be on a year-over-year chart: its footer does not count it."""
    from zzdata.viz import views

    facts, series, documents = synthetic.tables(2, 4)
    city = series[(series["region_level"] == "city") & (series["indicator"] == "gdp") & (series["measure"] == "level")]
    lonely = city.iloc[[0]].assign(indicator="retail_sales", measure="share", unit="%", value=50.0, fact_id="lonely",
                                   flag="threshold")
    series = pd.concat([series.assign(flag=""), lonely], ignore_index=True)
    nb = views.notebook_from("lonely", facts, series, documents, Words("en"), root=tmp_path, formats=("png",))
    views.year_over_year(nb, "economy")
    note = " ".join(c.note or "" for name, c in nb.book.saved.items() if name.startswith("yoy_levels"))
    assert "left out" not in note


def test_a_disagreement_about_a_flagged_value_is_left_out_of_the_conflicts_chart(tmp_path):
    """The texts disagree about a value every figure of which was flagged: the conflicts chart
    leaves it out (it draws no flagged value) and says so, and still draws the others."""
    from zzdata.viz import views

    facts, series, documents = synthetic.tables(2, 4)
    nb0 = views.notebook_from("c0", facts, series, documents, Words("en"), root=tmp_path, formats=("png",))
    first = nb0.alternatives.iloc[0]
    key = ["indicator", "region", "year", "status", "measure"]
    hit = (series[key] == first[key].values).all(axis=1)
    flagged = series.assign(flag=hit.map({True: "out_of_range", False: ""}))
    nb = views.notebook_from("c1", facts, flagged, documents, Words("en"), root=tmp_path, formats=("png",))
    views.conflicts(nb, nb.alternatives)
    charts = list(nb.book.saved.values())
    drawn = {f for c in charts for f in c.fact_ids}
    assert first["fact_id"] not in drawn and len(drawn) > 2
    assert "value left out: outside the catalog's plausible range" in " ".join(c.note or "" for c in charts)
