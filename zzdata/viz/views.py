"""The views the notebooks show: year over year, targets against results, every district and
county against the city. One function per view, so the notebooks are narrative plus one call
per chart, and a fix to a view reaches every notebook at once.

Each view computes its tidy frame with :mod:`zzdata.series.compare` (whose ``reason`` says why a
pair is not compared like with like, empty when it is), draws the comparable pairs with a chart
form of :mod:`zzdata.viz.forms` and names the others under the chart with the reason in words, shows a short note on how to read
the chart (:data:`METHOD`), saves the chart -- or, when a view needs more panels than a page
holds, the charts ``name``, ``name_2`` … -- through the notebook's
:class:`~zzdata.viz.book.ChartBook` and returns the frame (the table a reader checks the chart
against). The notebooks keep the narrative that is particular to their theme.

No region or year is named here: the city is the collection's region at level city
(:func:`zzdata.series.compare.city_of`), the regions set beside it every district and county
that gives a figure the city gives for the same year (:func:`local_regions`), the years every
year in the data, unless the notebook's parameters (``CITY``, ``REGIONS``, ``YEARS``) name
others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core import catalog, links
from ..series import choice, compare
from ..tables.load import load_documents, load_facts, load_series
from .book import Chart, ChartBook, display_markdown
from .forms.growth import growth_bars, growth_lines
from .forms.overview import overview_chart
from .forms.ranking import region_panels
from .forms.slopes import slope_panels
from .forms.targets import target_panels
from .readable import readable
from .words import describe_texts, indicator_name, join, phrase, reason_name, region_name, theme_name

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
        "indicator on a year axis, each on its own scale since units differ. A dotted line bridges years "
        "the texts do not give; two figures that are not alike (a several-year or part-year figure beside a "
        "year's) are not joined and are named under the chart (a few by name, the rest counted). The first and "
        "last values and the extremes are written; on a short series also the change between years (in % for "
        "amounts, in points for rates)."
    ),
    "growth_rates": (
        "*Reading the chart:* growth rates are themselves year-over-year changes, so they are shown as "
        "printed. A hatched bar is growth stated over several years (average or cumulative), not "
        "comparable with one year's; on a long series each indicator is a line over the years instead."
    ),
    "targets": (
        "*Reading the chart:* the targets set for a year in the work report delivered early in it, "
        "against the results reported for it. Amounts are bars of the share of the target reached "
        "(target = 100%); rates a dumbbell from the hollow target to the filled result. Green is met, "
        "red missed, in the indicator's direction from the catalog (`better`): for most indicators "
        "more is better, for prices less is."
    ),
    "district_vs_city": (
        "*Reading the chart:* one panel per indicator that the city and at least one district or county "
        "give for the same year. Growth rates, other rates and levels that do not add up (days, per-capita "
        "figures) rank the regions, with the city as a dashed line; amounts that add up show each region's "
        "share of the city. Pairs that are not alike are named under the chart with the reason (a few by name, the "
        "rest counted; the table of pairs lists every one, column `reason`)."
    ),
    "overview": (
        "*Reading the chart:* every region (across) and indicator (down) in one table: for rates the gap "
        "to the city in percentage points, for amounts the share of the city, for other levels the region "
        "as an index of the city (city = 100); the first column is the city's own value. Blue is better "
        "than the city, orange worse, in the indicator's direction; grey cells are pairs not compared."
    ),
}
MEASURES = ("level", "growth", "share")


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
        """The first region set beside the city."""
        return self.regions[0] if self.regions else None


def _pairs(rows: pd.DataFrame) -> set[tuple[str, int]]:
    rows = rows[rows["year"].notna()]
    return set(zip(rows["indicator"], rows["year"].astype(int), strict=True))


def local_regions(series: pd.DataFrame, city: str) -> list[str]:
    """Every district or county that gives a figure the city gives for the same indicator and
    year, in the gazetteer's order (regions it does not know after, by name)."""
    with_city = _pairs(series[series["region"] == city])
    local = series[series["region_level"].isin(compare.LOCAL_LEVELS)]
    found = [r for r, rows in local.groupby("region", sort=True) if _pairs(rows) & with_city]
    order = {name: i for i, name in enumerate(catalog.regions())}
    return sorted(found, key=lambda r: (order.get(r, len(order)), r))


def default_district(series: pd.DataFrame, city: str) -> str | None:
    """The district or county that shares the most indicator-years with the city (ties: the
    first by name); None when no region below the city has a figure."""
    with_city = _pairs(series[series["region"] == city])
    local = series[series["region_level"].isin(compare.LOCAL_LEVELS)]
    shared = {region: len(_pairs(rows) & with_city) for region, rows in local.groupby("region", sort=True)}
    return min(shared, key=lambda region: (-shared[region], region)) if shared else None


def notebook_from(name: str, facts: pd.DataFrame, series: pd.DataFrame, documents: pd.DataFrame, lang: str = "zh",
                  city: str | None = None, regions: str | Iterable[str] | None = None,
                  years: Iterable[int] | None = None, root: Path | None = None,
                  formats: tuple[str, ...] | None = None) -> Notebook:
    """A notebook over the given tables (a synthetic collection, a test); charts go under
    ``root`` (default: the project), in ``formats`` (default: PNG, SVG and PDF). See
    :func:`open_notebook`."""
    if years:
        series = series[series["year"].isin([int(y) for y in years])].reset_index(drop=True)
    alternatives = choice.alternatives(series, choice.candidates(facts, documents))
    book = ChartBook(name, facts, documents, lang=lang, root=root, formats=formats)
    city = city or compare.city_of(series)
    if isinstance(regions, str):
        regions = [r.strip() for r in regions.split(",") if r.strip()]
    regions = list(regions) if regions else local_regions(series, city)
    return Notebook(name, lang, facts, series, documents, alternatives, book, city, regions)


def open_notebook(name: str, lang: str = "zh", city: str | None = None, regions: str | Iterable[str] | None = None,
                  years: Iterable[int] | None = None) -> Notebook:
    """Load the tables and start the notebook's chart book (and widen pandas' display so
    snippets stay readable). ``city`` defaults to the data's; ``regions`` (the districts or
    counties set beside it) to every one that shares a figure with it (:func:`local_regions`);
    ``years`` limits the series to those years (empty or None: every year). Call
    `zzdata.ensure_data()` first on a fresh clone."""
    pd.set_option("display.max_colwidth", 60)
    pd.set_option("display.width", 200)
    return notebook_from(name, load_facts(), load_series(), load_documents(), lang, city, regions, years)


def show(nb: Notebook, frame: pd.DataFrame):
    """`frame` for reading in the notebook: amounts in 万/亿 with their unit, rates with one decimal
    (:func:`zzdata.viz.readable.readable`, in the notebook's language); the values stay exact."""
    return readable(frame, nb.lang)


def _titles(key: str, nb: Notebook, theme: str | None = None, **fields) -> dict[str, str]:
    """The chart's title in Chinese and English (``title_zh``, ``title_en``) from labels.csv."""
    out = {}
    for lang in ("zh", "en"):
        names = {"city": region_name(nb.city, lang)}
        if theme is not None:
            names["theme"] = theme_name(theme, lang)
        values = {k: (v(lang) if callable(v) else v) for k, v in fields.items()}
        out[f"title_{lang}"] = phrase(key, lang, **names, **values)
    return out


def texts_used(nb: Notebook, theme: str) -> str:
    """Markdown: the texts the theme's figures come from, with their caveats, and how a value
    is chosen when they disagree."""
    docs = nb.series.loc[nb.series["theme"] == theme, "doc"].unique()
    return describe_texts(nb.documents, nb.facts, docs=docs, lang=nb.lang) + "\n\n" + METHOD["texts"]


def _save(nb: Notebook, charts: Chart | Sequence[Chart] | None, name: str, view: str, empty: str) -> None:
    """Show the view's note on reading the chart (when there is one to read), then save it."""
    if charts:
        display_markdown(METHOD[view])
    nb.book.save_all(charts, name, empty=empty)


def year_over_year(nb: Notebook, theme: str) -> pd.DataFrame:
    """Amounts and rates given for two or more years, one panel per indicator (`yoy_levels`,
    further charts `yoy_levels_2` …)."""
    drawable = compare.levels(nb.series)  # a threshold (突破…) is never drawn as a value
    yoy = compare.year_over_year(drawable, theme=theme, region=nb.city, statuses=("actual", "cumulative"),
                                 min_years=2)
    yoy = yoy[yoy["measure"].isin(["level", "share"])]
    years = sorted(yoy["year"].dropna().astype(int).unique())
    first, last = (years[0], years[-1]) if years else ("", "")
    charts = slope_panels(yoy, nb.alternatives, nb.documents, lang=nb.lang,
                          **_titles("title_year_over_year", nb, theme, first=first, last=last))
    _save(nb, charts, "yoy_levels", "year_over_year", empty="No indicator of this theme has values for two years yet.")
    return yoy[["name_zh", "status", "measure", "year", "value", "unit", "prev_year", "change", "pct_change",
                "reason", "doc"]]


#: Up to this many years of growth rates are bars; more are lines over a year axis.
GROWTH_BARS_UP_TO = 3


def growth_rates(nb: Notebook, theme: str) -> pd.DataFrame:
    """Growth rates as reported, every year (`yoy_growth_rates`): bars for a few years, lines
    over a year axis for more."""
    drawable = compare.levels(nb.series)  # a threshold (突破…) is never drawn as a value
    in_theme = drawable[drawable["theme"] == theme]
    growth = in_theme[(in_theme["measure"] == "growth") & (in_theme["status"] == "actual")
                      & (in_theme["region"] == nb.city)]
    periods = sorted(growth["period"].unique())
    titles = _titles("title_growth_rates", nb, theme, periods=lambda lang: join(periods, lang))
    if growth["year"].nunique() <= GROWTH_BARS_UP_TO:
        charts = growth_bars(in_theme, nb.alternatives, nb.documents, lang=nb.lang, region=nb.city, **titles)
    else:
        years = sorted(growth["year"].dropna().astype(int).unique())
        titles = _titles("title_growth_lines", nb, theme, first=years[0], last=years[-1])
        charts = growth_lines(in_theme, nb.alternatives, nb.documents, lang=nb.lang, region=nb.city, **titles)
    _save(nb, charts, "yoy_growth_rates", "growth_rates", empty="No growth rates reported for this theme.")
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
    alike = tva["reason"].astype(str) == "" if len(tva) else None
    shown, odd = (tva[alike], tva[~alike]) if len(tva) else (tva, tva)  # a target without a result is listed
    extra = []
    if len(odd):
        items = [phrase("not_compared_item", nb.lang, items=indicator_name(r, nb.lang, status=False),
                        reason=reason_name(r.reason, nb.lang)) for r in odd.itertuples()]
        extra.append(phrase("not_compared", nb.lang, items=join(items, nb.lang, "list_sep")))
    chart = target_panels(  # None when there is no target with a result
        shown, nb.documents, lang=nb.lang, alternatives=nb.alternatives, extra_notes=extra,
        **_titles("title_targets", nb, theme, year=year))
    _save(nb, chart, f"targets_{year}", "targets", empty="No targets with results for this theme.")
    columns = ["name_zh", "measure", "unit", "target", "target_qualifier", "actual", "actual_status", "met", "gap",
               "attainment", "actual_doc"]
    return (tva[columns + ["reason"]] if len(tva) else tva), summary


# --------------------------------------------------------------------------- every region against the city

PAIR_COLUMNS = ["year", "district", "theme", "name_zh", "status", "measure", "unit", "district_value", "city_value",
                "district_share", "gap_points", "ratio", "additive", "reason", "comparable"]


def pairs(nb: Notebook, year: int, theme: str | None = None) -> pd.DataFrame:
    """Every region beside the city for `year` (of `theme`): the frame of
    :func:`zzdata.series.compare.district_vs_city` for the notebook's regions, with ``reason``."""
    dvc = compare.district_vs_city(nb.series, year, city=nb.city)
    dvc = dvc[dvc["district"].isin(nb.regions) & dvc["measure"].isin(MEASURES)]
    if theme is not None:
        dvc = dvc[dvc["theme"] == theme]
    return dvc.reset_index(drop=True)


def pair_years(nb: Notebook, theme: str | None = None) -> list[int]:
    """The years in which the city and at least one of the notebook's regions give the same
    indicator (of `theme`), oldest first."""
    years = compare.district_years(nb.series, city=nb.city)
    return [y for y in years if len(pairs(nb, y, theme))]


def district_vs_city(nb: Notebook, theme: str) -> pd.DataFrame:
    """Every region against the city, one chart a year (`district_vs_city_<year>`, further charts
    `…_2`): the theme's part of notebook 05."""
    frames = [pd.DataFrame(columns=PAIR_COLUMNS)]
    empty = "No figure of this theme is given for both a district or county and the city."
    years = pair_years(nb, theme)
    if not years:
        _save(nb, None, "district_vs_city", "district_vs_city", empty=empty)
    for year in years:
        dvc = pairs(nb, year, theme)
        charts = region_panels(dvc, nb.documents, lang=nb.lang, alternatives=nb.alternatives,
                               **_titles("title_regions_theme", nb, theme, year=year))
        _save(nb, charts, f"district_vs_city_{year}", "district_vs_city", empty=empty)
        frames.append(dvc[PAIR_COLUMNS])
    return pd.concat([f for f in frames if len(f)] or frames, ignore_index=True)


def regions_overview(nb: Notebook, year: int) -> pd.DataFrame:
    """Every region and indicator of `year` in one table of cells (`overview_<year>`)."""
    dvc = pairs(nb, year)
    charts = overview_chart(dvc, nb.documents, lang=nb.lang, regions=nb.regions,
                            **_titles("title_regions_overview", nb, year=year))
    _save(nb, charts, f"overview_{year}", "overview", empty="No pair for this year.")
    return dvc[PAIR_COLUMNS]


#: The three ranking charts of notebook 05: growth rates; amounts that add up; rates and other levels.
REGION_CHARTS = {
    "growth": ("title_regions_growth", lambda d: d["measure"] == "growth"),
    "shares": ("title_regions_shares", lambda d: d["additive"].astype(bool) & (d["measure"] == "level")),
    "levels": ("title_regions_levels", lambda d: (d["measure"] != "growth") & ~(d["additive"].astype(bool)
                                                                             & (d["measure"] == "level"))),
}


def regions_ranked(nb: Notebook, year: int, kind: str) -> pd.DataFrame:
    """One of :data:`REGION_CHARTS` for `year` (`<kind>_<year>`, further charts `…_2`)."""
    key, pick = REGION_CHARTS[kind]
    dvc = pairs(nb, year)
    dvc = dvc[pick(dvc)] if len(dvc) else dvc
    charts = region_panels(dvc, nb.documents, lang=nb.lang, alternatives=nb.alternatives, **_titles(key, nb, year=year))
    _save(nb, charts, f"{kind}_{year}", "district_vs_city", empty=f"No {kind} pair for this year.")
    return dvc[PAIR_COLUMNS]


def regions_summary(nb: Notebook) -> str:
    """Markdown: the regions, years and pairs the notebook compares, and how many are not alike."""
    years = pair_years(nb)
    frames = [pairs(nb, y) for y in years]
    allp = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PAIR_COLUMNS)
    names = join([region_name(r, nb.lang) for r in nb.regions], nb.lang)
    odd = allp[~allp["comparable"].astype(bool)] if len(allp) else allp
    reasons = ", ".join(f"{reason_name(k, 'en')}: {v}" for k, v in odd["reason"].value_counts().items())
    return (f"**{region_name(nb.city, nb.lang)}** against {len(nb.regions)} districts and counties ({names}); "
            f"{len(years)} years with pairs ({join(map(str, years), nb.lang)}); {len(allp)} pairs, "
            f"{len(odd)} not compared" + (f" ({reasons})." if reasons else "."))


def charted_facts(nb: Notebook, table: pd.DataFrame):
    """The closing table: every fact drawn in the notebook's charts (``nb.book.sources()``),
    with its text, clause and fact_id, which links to the figure on its review page."""
    print(f"{len(table)} facts in {len(nb.book.saved)} charts: {', '.join(nb.book.saved)}")
    return links.linked_table(table[["charts", "label", "region", "period", "status", "value_text", "doc", "snippet", "fact_id"]])


def not_compared(nb: Notebook, table: pd.DataFrame) -> pd.DataFrame:
    """The pairs of `table` left out of the charts, with the reason in words
    (:func:`zzdata.series.compare.not_compared`)."""
    odd = compare.not_compared(table, nb.lang)
    return odd[["year", "district", "name_zh", "status", "measure", "district_value", "city_value", "reason", "why"]]
