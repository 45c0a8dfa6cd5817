"""The views a themed notebook shows: year over year, targets against results, district
against city. One function per view, so the four theme notebooks are narrative plus one call
per chart, and a fix to a view reaches every theme at once.

Each view computes its tidy frame with :mod:`zzdata.series.compare`, draws it with a chart
form of :mod:`zzdata.viz.forms`, shows a short note on how to read the chart (:data:`METHOD`,
written once here rather than in every notebook), saves it through the notebook's
:class:`~zzdata.viz.book.ChartBook` and returns the frame (the table a reader checks the chart
against). The notebooks keep the narrative that is particular to their theme.

No region or year is named here: the city is the collection's region at level city
(:func:`zzdata.series.compare.city_of`) and the region set beside it the district or county that
shares the most indicator-years with it (:func:`default_district`), unless the notebook's
parameters (``CITY``, ``REGIONS``, ``YEARS``) name others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..series import choice, compare
from ..tables.load import load_documents, load_facts, load_series
from .book import Chart, ChartBook, display_markdown
from .forms.district import district_panels
from .forms.growth import growth_bars
from .forms.slopes import slope_panels
from .forms.targets import target_panels
from .words import describe_texts, join, phrase, region_name, theme_name

#: How the texts are weighed (shown under the list of texts) and how to read each view's chart
#: (shown above it): the same for every theme.
METHOD = {
    "texts": (
        "**How values are chosen.** Each text is listed with its caveats: a digest printed on a "
        "newspaper page is not the full report, and a year-end review is printed before the year ends, "
        "so its figures are preliminary. When several texts give a value for the same indicator, region, "
        "year, status and measure, `zzdata.series.choice` keeps one by a written rule, each step deciding "
        "only what the steps before it left open:\n\n" + choice.describe("en") + "\n\n"
        "The charts draw the other text's value as a hollow orange point, not hide it."
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
    """What every notebook works from: the tables (the series limited to the years asked for), the
    values not chosen, its chart book, the city and the districts or counties set beside it."""

    name: str
    lang: str
    facts: pd.DataFrame
    series: pd.DataFrame
    documents: pd.DataFrame
    alternatives: pd.DataFrame
    book: ChartBook
    city: str
    regions: list[str]

    @property
    def district(self) -> str | None:
        """The first region set beside the city (the one the single-district charts draw)."""
        return self.regions[0] if self.regions else None


def default_district(series: pd.DataFrame, city: str) -> str | None:
    """The district or county that shares the most indicator-years with the city (ties: the
    first by name); None when no region below the city has a figure."""
    def pairs(rows: pd.DataFrame) -> set[tuple[str, int]]:
        rows = rows[rows["year"].notna()]
        return set(zip(rows["indicator"], rows["year"].astype(int), strict=True))

    with_city = pairs(series[series["region"] == city])
    local = series[series["region_level"].isin(compare.LOCAL_LEVELS)]
    shared = {region: len(pairs(rows) & with_city) for region, rows in local.groupby("region", sort=True)}
    return min(shared, key=lambda region: (-shared[region], region)) if shared else None


def open_notebook(name: str, lang: str = "zh", city: str | None = None, regions: str | Iterable[str] | None = None,
                  years: Iterable[int] | None = None) -> Notebook:
    """Load the tables and start the notebook's chart book (and widen pandas' display so
    snippets stay readable). ``city`` and ``regions`` (the districts or counties set beside it)
    default to the data's (see the module docstring); ``years`` limits the series to those years
    (empty or None: every year). Call `zzdata.ensure_data()` first on a fresh clone."""
    pd.set_option("display.max_colwidth", 60)
    pd.set_option("display.width", 200)
    facts, series, documents = load_facts(), load_series(), load_documents()
    if years:
        series = series[series["year"].isin([int(y) for y in years])].reset_index(drop=True)
    alternatives = choice.alternatives(series, choice.candidates(facts, documents))
    book = ChartBook(name, facts, documents, lang=lang)
    city = city or compare.city_of(series)
    if isinstance(regions, str):
        regions = [regions]
    regions = list(regions) if regions else [r for r in [default_district(series, city)] if r is not None]
    return Notebook(name, lang, facts, series, documents, alternatives, book, city, regions)


def _titles(key: str, nb: Notebook, theme: str, district: str | None = None, **fields) -> dict[str, str]:
    """The chart's title in Chinese and English (``title_zh``, ``title_en``) from labels.csv."""
    out = {}
    for lang in ("zh", "en"):
        names = {"city": region_name(nb.city, lang), "theme": theme_name(theme, lang)}
        if district is not None:
            names["district"] = region_name(district, lang)
        values = {k: (v(lang) if callable(v) else v) for k, v in fields.items()}
        out[f"title_{lang}"] = phrase(key, lang, **names, **values)
    return out


def texts_used(nb: Notebook, theme: str) -> str:
    """Markdown: the texts the theme's figures come from, with their caveats, and how a value
    is chosen when they disagree."""
    docs = nb.series.loc[nb.series["theme"] == theme, "doc"].unique()
    return describe_texts(nb.documents, nb.facts, docs=docs, lang=nb.lang) + "\n\n" + METHOD["texts"]


def _save(nb: Notebook, chart: Chart | None, name: str, view: str, empty: str) -> None:
    """Show the view's note on reading the chart (when there is one to read), then save it."""
    if chart is not None:
        display_markdown(METHOD[view])
    nb.book.save(chart, name, empty=empty)


def year_over_year(nb: Notebook, theme: str) -> pd.DataFrame:
    """Amounts and rates given for two or more years, one panel per indicator (`yoy_levels`)."""
    yoy = compare.year_over_year(nb.series, theme=theme, region=nb.city, statuses=("actual", "cumulative"),
                                 min_years=2)
    yoy = yoy[yoy["measure"].isin(["level", "share"])]
    years = sorted(yoy["year"].dropna().astype(int).unique())
    first, last = (years[0], years[-1]) if years else ("", "")
    chart = slope_panels(yoy, nb.alternatives, nb.documents, lang=nb.lang,
                         **_titles("title_year_over_year", nb, theme, first=first, last=last))
    _save(nb, chart, "yoy_levels", "year_over_year", empty="No indicator of this theme has values for two years yet.")
    return yoy[["name_zh", "status", "measure", "year", "value", "unit", "prev_year", "change", "pct_change", "doc"]]


def growth_rates(nb: Notebook, theme: str) -> pd.DataFrame:
    """Growth rates as reported, every year (`yoy_growth_rates`)."""
    drawable = compare.levels(nb.series)  # a threshold (突破…) is never drawn as a value
    in_theme = drawable[drawable["theme"] == theme]
    growth = in_theme[(in_theme["measure"] == "growth") & (in_theme["status"] == "actual")
                      & (in_theme["region"] == nb.city)]
    periods = sorted(growth["period"].unique())
    chart = growth_bars(in_theme, nb.alternatives, nb.documents, lang=nb.lang, region=nb.city,
                        **_titles("title_growth_rates", nb, theme, periods=lambda lang: join(periods, lang)))
    _save(nb, chart, "yoy_growth_rates", "growth_rates", empty="No growth rates reported for this theme.")
    return growth[["name_zh", "period", "value", "unit", "doc"]]


def targets(nb: Notebook, theme: str) -> tuple[pd.DataFrame, str]:
    """The latest year's targets against its results (`targets_<year>`) and a one-line summary."""
    year = max(compare.target_years(nb.series, region=nb.city, theme=theme), default=None)
    tva = compare.target_vs_actual(nb.series, year, region=nb.city) if year else pd.DataFrame()
    tva = tva[tva["theme"] == theme] if len(tva) else tva
    summary = ""
    if len(tva):
        met, known = int(tva["met"].sum()), int(tva["met"].notna().sum())
        summary = (f"**{year}:** {met} of {known} targets with a reported result were met; "
                   f"{len(tva) - known} targets have no result in the texts.")
    chart = target_panels(  # None when there is no target with a result
        tva, nb.documents, lang=nb.lang, alternatives=nb.alternatives, **_titles("title_targets", nb, theme, year=year))
    _save(nb, chart, f"targets_{year}", "targets", empty="No targets with results for this theme.")
    columns = ["name_zh", "measure", "unit", "target", "target_qualifier", "actual", "actual_status", "met", "gap",
               "attainment", "actual_doc"]
    return (tva[columns] if len(tva) else tva), summary


def district_vs_city(nb: Notebook, theme: str) -> pd.DataFrame:
    """Each region set beside the city, for the latest year both report
    (`district_vs_city_<year>`; with several regions `district_vs_city_<year>_<region>`)."""
    columns = ["district", "name_zh", "status", "measure", "unit", "district_value", "city_value", "district_share",
               "gap_points", "comparable"]
    empty = "No figure of this theme is given for both the district and the city."
    frames = [pd.DataFrame(columns=columns)]
    if not nb.regions:
        _save(nb, None, "district_vs_city", "district_vs_city", empty=empty)
    for region in nb.regions:
        year = max(compare.district_years(nb.series, district=region, city=nb.city), default=None)
        dvc = compare.district_vs_city(nb.series, year, district=region, city=nb.city)
        dvc = dvc[dvc["theme"] == theme]
        chart = district_panels(dvc, nb.documents, lang=nb.lang, alternatives=nb.alternatives,
                                **_titles("title_district_vs_city", nb, theme, district=region, year=year))
        name = f"district_vs_city_{year}" if len(nb.regions) == 1 else f"district_vs_city_{year}_{region}"
        _save(nb, chart, name, "district_vs_city", empty=empty)
        frames.append(dvc[columns])
    return pd.concat([f for f in frames if len(f)] or frames, ignore_index=True)


def charted_facts(nb: Notebook, table: pd.DataFrame) -> pd.DataFrame:
    """The closing table: every fact drawn in the notebook's charts (``nb.book.sources()``),
    with its text, clause and fact_id."""
    print(f"{len(table)} facts in {len(nb.book.saved)} charts: {', '.join(nb.book.saved)}")
    return table[["charts", "label", "region", "period", "status", "value_text", "doc", "snippet", "fact_id"]]
