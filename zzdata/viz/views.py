"""The views a themed notebook shows: year over year, targets against results, district
against city. One function per view, so the four theme notebooks are narrative plus one call
per chart, and a fix to a view reaches every theme at once.

Each view computes its tidy frame with :mod:`zzdata.compare`, draws it with
:mod:`zzdata.charts`, shows a short note on how to read the chart (:data:`METHOD`, written once
here rather than in every notebook), saves it through the notebook's
:class:`~zzdata.charts.ChartBook` and returns the frame (the table a reader checks the chart
against). The notebooks keep the narrative that is particular to their theme.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import charts
from ..series import choice, compare
from ..tables.load import load_documents, load_facts, load_series

CITY, DISTRICT = "郑州市", "中原区"

#: How the texts are weighed (shown under the list of texts) and how to read each view's chart
#: (shown above it): the same for every theme.
METHOD = {
    "texts": (
        "**How values are chosen.** Each text is listed with its caveats: a digest printed on a "
        "newspaper page is not the full report, and a year-end review is printed before the year ends, "
        "so its figures are preliminary. When several texts give a value for the same indicator, region, "
        "year, status and measure, `zzdata.compare` keeps one by a written rule ("
        + choice.describe("en", "short").removeprefix("choice rule: ")
        + "); the charts draw the other text's value as a hollow orange point, not hide it."
    ),
    "year_over_year": (
        "*Reading the chart:* amounts and rates the texts give for more than one year, one panel per "
        "indicator, each on its own axis since units differ. Filled points are the values used; the grey "
        "label on a segment is the change from the previous year with data (in % for amounts, in "
        "percentage points for rates)."
    ),
    "growth_rates": (
        "*Reading the chart:* growth rates are themselves year-over-year changes, so they are shown as "
        "printed, one bar per indicator and period. A hatched bar is growth stated over several years "
        "(average or cumulative), not comparable with one year's."
    ),
    "targets": (
        "*Reading the chart:* the targets set for a year in the work report delivered early in it, "
        "against the results reported for it. Amounts are bars of the share of the target reached "
        "(target = 100%); rates a dumbbell from the hollow target to the filled result. Green is met, "
        "red missed, in the indicator's direction from the catalog (`better`): for most indicators "
        "more is better, for prices less is."
    ),
    "district_vs_city": (
        "*Reading the chart:* the district's figures beside the city's for the same year: for amounts "
        "the district's share of the city, for rates both values and the gap in percentage points, for "
        "other levels (days, per-capita figures) the district as an index of the city (city = 100)."
    ),
}


@dataclass
class Notebook:
    """What every notebook works from: the tables, the values not chosen, its chart book."""

    name: str
    lang: str
    facts: pd.DataFrame
    series: pd.DataFrame
    documents: pd.DataFrame
    alternatives: pd.DataFrame
    book: charts.ChartBook
    city: str = CITY
    district: str = DISTRICT


def open_notebook(name: str, lang: str = "zh", city: str = CITY, district: str = DISTRICT) -> Notebook:
    """Load the tables and start the notebook's chart book (and widen pandas' display so
    snippets stay readable). Call `zzdata.ensure_data()` first on a fresh clone."""
    pd.set_option("display.max_colwidth", 60)
    pd.set_option("display.width", 200)
    facts, series, documents = load_facts(), load_series(), load_documents()
    alternatives = choice.alternatives(series, choice.candidates(facts, documents))
    book = charts.ChartBook(name, facts, documents, lang=lang)
    return Notebook(name, lang, facts, series, documents, alternatives, book, city, district)


def texts_used(nb: Notebook, theme: str) -> str:
    """Markdown: the texts the theme's figures come from, with their caveats, and how a value
    is chosen when they disagree."""
    docs = nb.series.loc[nb.series["theme"] == theme, "doc"].unique()
    return charts.describe_texts(nb.documents, nb.facts, docs=docs, lang=nb.lang) + "\n\n" + METHOD["texts"]


def _save(nb: Notebook, chart: charts.Chart | None, name: str, view: str, empty: str) -> None:
    """Show the view's note on reading the chart (when there is one to read), then save it."""
    if chart is not None:
        charts._display_markdown(METHOD[view])
    nb.book.save(chart, name, empty=empty)


def year_over_year(nb: Notebook, theme: str) -> pd.DataFrame:
    """Amounts and rates given for two or more years, one panel per indicator (`yoy_levels`)."""
    theme_zh, theme_en = charts.THEMES[theme]
    yoy = compare.year_over_year(nb.series, theme=theme, region=nb.city, statuses=("actual", "cumulative"),
                                 min_years=2)
    yoy = yoy[yoy["measure"].isin(["level", "share"])]
    years = sorted(yoy["year"].dropna().astype(int).unique())
    span_zh = f"{years[0]}—{years[-1]}" if years else ""
    span = f"{years[0]}–{years[-1]}" if years else ""
    chart = charts.slope_panels(
        yoy, nb.alternatives, nb.documents, lang=nb.lang,
        title_zh=f"郑州市{theme_zh}指标的逐年变化（{span_zh}年）",
        title_en=f"Zhengzhou {theme_en}: indicators reported for more than one year, {span}",
    )
    _save(nb, chart, "yoy_levels", "year_over_year", empty="No indicator of this theme has values for two years yet.")
    return yoy[["name_zh", "status", "measure", "year", "value", "unit", "prev_year", "change", "pct_change", "doc"]]


def growth_rates(nb: Notebook, theme: str) -> pd.DataFrame:
    """Growth rates as reported, every year (`yoy_growth_rates`)."""
    theme_zh, theme_en = charts.THEMES[theme]
    in_theme = compare.levels(nb.series)  # a threshold (突破…) is never drawn as a value
    in_theme = in_theme[in_theme["theme"] == theme]
    growth = in_theme[(in_theme["measure"] == "growth") & (in_theme["status"] == "actual")
                      & (in_theme["region"] == nb.city)]
    periods = sorted(growth["period"].unique())
    chart = charts.growth_bars(
        in_theme, nb.alternatives, nb.documents, lang=nb.lang, region=nb.city,
        title_zh=f"郑州市{theme_zh}指标的增速（{'、'.join(periods)}）",
        title_en=f"Zhengzhou {theme_en}: growth on the previous year as reported ({', '.join(periods)})",
    )
    _save(nb, chart, "yoy_growth_rates", "growth_rates", empty="No growth rates reported for this theme.")
    return growth[["name_zh", "period", "value", "unit", "doc"]]


def targets(nb: Notebook, theme: str) -> tuple[pd.DataFrame, str]:
    """The latest year's targets against its results (`targets_<year>`) and a one-line summary."""
    theme_zh, theme_en = charts.THEMES[theme]
    year = max(compare.target_years(nb.series, region=nb.city, theme=theme), default=None)
    tva = compare.target_vs_actual(nb.series, year, region=nb.city) if year else pd.DataFrame()
    tva = tva[tva["theme"] == theme] if len(tva) else tva
    summary = ""
    if len(tva):
        met, known = int(tva["met"].sum()), int(tva["met"].notna().sum())
        summary = (f"**{year}:** {met} of {known} targets with a reported result were met; "
                   f"{len(tva) - known} targets have no result in the texts.")
    chart = charts.target_panels(  # None when there is no target with a result
        tva, nb.documents, lang=nb.lang, alternatives=nb.alternatives,
        title_zh=f"郑州市{year}年{theme_zh}目标完成情况",
        title_en=f"Zhengzhou {theme_en}: {year} results against the {year} targets",
    )
    _save(nb, chart, f"targets_{year}", "targets", empty="No targets with results for this theme.")
    columns = ["name_zh", "measure", "unit", "target", "target_qualifier", "actual", "actual_status", "met", "gap",
               "attainment", "actual_doc"]
    return (tva[columns] if len(tva) else tva), summary


def district_vs_city(nb: Notebook, theme: str) -> pd.DataFrame:
    """The district beside the city for the latest year both report (`district_vs_city_<year>`)."""
    theme_zh, theme_en = charts.THEMES[theme]
    year = max(compare.district_years(nb.series, district=nb.district, city=nb.city), default=None)
    dvc = compare.district_vs_city(nb.series, year, district=nb.district, city=nb.city)
    dvc = dvc[dvc["theme"] == theme]
    chart = charts.district_panels(
        dvc, nb.documents, lang=nb.lang, alternatives=nb.alternatives,
        title_zh=f"{year}年{nb.district}与{nb.city}：{theme_zh}",
        title_en=f"{charts.region_name(nb.district, 'en')} and {charts.region_name(nb.city, 'en')}, {year}: {theme_en}",
    )
    _save(nb, chart, f"district_vs_city_{year}", "district_vs_city",
          empty="No figure of this theme is given for both the district and the city.")
    return dvc[["name_zh", "status", "measure", "unit", "district_value", "city_value", "district_share", "gap_points",
                "comparable"]]


def charted_facts(nb: Notebook, table: pd.DataFrame) -> pd.DataFrame:
    """The closing table: every fact drawn in the notebook's charts (``nb.book.sources()``),
    with its text, clause and fact_id."""
    print(f"{len(table)} facts in {len(nb.book.saved)} charts: {', '.join(nb.book.saved)}")
    return table[["charts", "label", "region", "period", "status", "value_text", "doc", "snippet", "fact_id"]]
