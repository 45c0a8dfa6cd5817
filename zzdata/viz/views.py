"""The views the notebooks show: year over year, targets against results, every district and
county against the city. One function per view, so the notebooks are narrative plus one call
per chart, and a fix to a view reaches every notebook at once.

Each view computes its tidy frame with :mod:`zzdata.series.compare` (whose ``reason`` says why a
pair is not compared like with like, empty when it is), draws the comparable pairs with a chart
form of :mod:`zzdata.viz.forms` and names the others under the chart with the reason in words, shows a short note on how to read
the chart (:func:`method`, from labels.csv in the notebook's language), saves the chart -- or, when a view needs more panels than a page
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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core import catalog, links
from ..series import choice, compare
from ..tables.load import load_documents, load_facts, load_series
from .book import Chart, ChartBook, display_markdown
from .forms.conflicts import KEY as CONFLICT_KEY, conflict_panels  # KEY: a disagreement's, a series value's key
from .forms.growth import growth_bars, growth_lines
from .forms.overview import overview_chart
from .forms.ranking import region_panels
from .forms.slopes import slope_panels
from .forms.targets import target_panels
from . import reuse, scope
from .readable import readable
from .words import Title, Words

#: The views whose charts have a note on how to read them (labels.csv ``method_<view>``, both
#: languages) and a line shown when there is nothing to draw (``empty_<view>``).
VIEWS = ("year_over_year", "growth_rates", "targets", "district_vs_city", "overview")


def method(key: str, words: Words) -> str:
    """A notebook's fixed text in its language, from labels.csv: ``texts`` (how values are chosen,
    with the choice rule of :func:`zzdata.series.choice.describe`) or how to read a view's chart."""
    if key == "texts":
        return words.phrase("method_texts", rule=words.choice_rule())
    return words.phrase(f"method_{key}")


MEASURES = ("level", "growth", "share")
#: A region's value and the city's are a pair when these agree (and the region differs).
PAIR_KEY = ["indicator", "status", "measure", "unit", "year"]


@dataclass
class Notebook:
    """What every notebook works from: the tables (the series limited to the years asked for), the
    values not chosen, its chart book, the city and the districts or counties set beside it."""

    name: str
    words: Words
    facts: pd.DataFrame
    series: pd.DataFrame
    documents: pd.DataFrame
    alternatives: pd.DataFrame
    book: ChartBook
    city: str
    regions: list[str]
    #: Values of the series no chart draws: every figure of their key was flagged by a check
    #: (``series.flag``, docs/flow.md); a chart whose view would have drawn them says so.
    flagged: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Each year's regions beside the city (:func:`pairs`), made once for the series they came from.
    _pairs_made: dict = field(default_factory=dict, repr=False, compare=False)

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


def notebook_from(name: str, facts: pd.DataFrame, series: pd.DataFrame, documents: pd.DataFrame, words: Words,
                  city: str | None = None, regions: str | Iterable[str] | None = None,
                  years: Iterable[int] | None = None, root: Path | None = None,
                  formats: tuple[str, ...] | None = None) -> Notebook:
    """A notebook over the given tables (a synthetic collection, a test), in the language of
    `words`; charts go under ``root`` (default: the project), in ``formats`` (default: PNG, SVG
    and PDF). See :func:`open_notebook`."""
    if years:
        series = series[series["year"].isin([int(y) for y in years])].reset_index(drop=True)
    alternatives = choice.alternatives(series, choice.candidates(facts, documents))
    series, flagged = split_flagged(series)
    book = ChartBook(name, facts, documents, words, root=root, formats=formats)
    city = city or compare.city_of(series)
    if isinstance(regions, str):
        regions = [r.strip() for r in regions.split(",") if r.strip()]
    regions = list(regions) if regions else local_regions(series, city)
    return Notebook(name, words, facts, series, documents, alternatives, book, city, regions, flagged)


def split_flagged(series: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The series a chart may draw, and the values it leaves out: those whose every figure a
    check flagged (a non-empty ``flag``). Without a ``flag`` column every value may be drawn."""
    if "flag" not in series.columns:
        return series, series.iloc[0:0]
    bad = (series["flag"].astype("string").fillna("") != "").to_numpy()
    return series[~bad].reset_index(drop=True), series[bad].reset_index(drop=True)


def _in_scope(rows: pd.DataFrame, theme: str | None = None, regions: Iterable[str] | None = None,
              year: int | None = None, measures: Iterable[str] | None = None,
              statuses: Iterable[str] | None = None) -> pd.DataFrame:
    """The rows a view would have drawn (of `theme`, `regions`, `year`, `measures`, `statuses`)."""
    keep = pd.Series(True, index=rows.index)
    for col, allowed in (("theme", [theme] if theme else None), ("region", regions), ("year", [year] if year else None),
                         ("measure", measures), ("status", statuses)):
        if allowed is not None and col in rows:
            keep &= rows[col].isin(list(allowed))
    return rows[keep]


def _with_company(rows: pd.DataFrame, drawn: pd.DataFrame, key: list[str], years: bool) -> pd.DataFrame:
    """The flagged `rows` a chart would have drawn: with ``years``, those whose series (`key`) has
    another year (a year-over-year panel needs two); else those whose `key` the chart draws for
    another region (a pair needs both sides)."""
    if rows.empty:
        return rows
    if years:
        both = pd.concat([drawn[key + ["year"]], rows[key + ["year"]]])
        n_years = both.drop_duplicates().groupby(key, dropna=False).size().rename("_n").reset_index()
        counted = rows.merge(n_years, on=key, how="left")
        return rows[(counted["_n"].fillna(0) >= 2).to_numpy()]
    others = drawn[key + ["region"]].rename(columns={"region": "_other"})
    paired = rows.assign(_row=range(len(rows))).merge(others, on=key, how="left")
    has = (paired["_other"].notna() & (paired["_other"] != paired["region"])).groupby(paired["_row"]).any()
    return rows[has.reindex(range(len(rows)), fill_value=False).to_numpy()]


def _corrected(nb: Notebook, chart: Chart) -> int:
    """How many of the values a chart draws a person corrected (``facts.corrected``)."""
    if "corrected" not in nb.facts.columns:
        return 0
    drawn = nb.facts[nb.facts["fact_id"].isin(set(chart.fact_ids))]
    return int((drawn["corrected"].astype("string").fillna("") != "").sum())


def _add_notes(chart: Chart, parts: Sequence[str | None], words: Words) -> None:
    """Add parts to a chart's note (one sentence: the parts before, then these)."""
    parts = [p for p in parts if p]
    if not parts:
        return
    before = chart.note or ""
    end = words.phrase("note_end")
    if before.endswith(end):
        before = before[: -len(end)]
    chart.note = words.note([before, *parts])


def _footers(nb: Notebook, charts: Sequence[Chart], left_out: pd.DataFrame | None) -> None:
    """Each chart's footer says how many of its values a person corrected; the last one's how many
    values the view left out (`left_out`: the flagged rows it would have drawn) and why."""
    for chart in charts:
        _add_notes(chart, [nb.words.corrected(_corrected(nb, chart))], nb.words)
    if charts and left_out is not None and len(left_out):
        _add_notes(charts[-1], [nb.words.left_out(left_out["flag"])], nb.words)


def open_notebook(name: str, words: Words, city: str | None = None, regions: str | Iterable[str] | None = None,
                  years: Iterable[int] | None = None) -> Notebook:
    """Load the tables and start the notebook's chart book, everything said in `words`'
    language (``Words(LANG)``, made once by the notebook). ``city`` defaults to the data's;
    ``regions`` (the districts or counties set beside it) to every one that shares a figure with
    it (:func:`local_regions`); ``years`` limits the series to those years (empty or None: every
    year). Call `zzdata.ensure_data()` first on a fresh clone. Changes no setting of pandas or
    matplotlib: the tables are shown through :func:`show`."""
    return notebook_from(name, load_facts(), load_series(), load_documents(), words, city, regions, years)


def show(nb: Notebook, frame: pd.DataFrame):
    """`frame` for reading in the notebook: amounts in 万/亿 with their unit, rates with one decimal
    (:func:`zzdata.viz.readable.readable`, in the notebook's language); the values stay exact."""
    return readable(frame, nb.words)


def _title(key: str, nb: Notebook, theme: str | None = None, **fields) -> Title:
    """The chart's title in both languages from labels.csv, naming the notebook's city (and theme)."""
    if theme is not None:
        fields["theme"] = theme
    return nb.words.title(key, city=nb.city, **fields)


def _shown_with(nb: Notebook, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The other texts' values and the documents a chart of ``frame`` can show (:mod:`.scope`):
    a report about other regions, indicators or years leaves the chart's key, and so its files, as
    they were."""
    alternatives = scope.alternatives_for(frame, nb.alternatives)
    return alternatives, scope.documents_for(nb.documents, frame, alternatives)


def texts_used(nb: Notebook, theme: str) -> str:
    """Markdown: the texts the theme's figures come from, with their caveats, and how a value
    is chosen when they disagree."""
    docs = nb.series.loc[nb.series["theme"] == theme, "doc"].unique()
    return nb.words.describe_texts(nb.documents, nb.facts, docs=docs) + "\n\n" + method("texts", nb.words)


def _save(nb: Notebook, charts: Chart | Sequence[Chart] | None, name: str, view: str, empty: str,
          left_out: pd.DataFrame | None = None) -> None:
    """Show the view's note on reading the chart (when there is one to read), then save it; with
    nothing to draw, the line ``empty_<empty>`` of labels.csv says so; the footers as
    :func:`_footers` writes them."""
    charts = [charts] if isinstance(charts, Chart) else list(charts or [])
    _footers(nb, charts, left_out)
    if charts:
        display_markdown(method(view, nb.words))
    nb.book.save_all(charts, name, empty=nb.words.phrase(f"empty_{empty}"))


def year_over_year(nb: Notebook, theme: str) -> pd.DataFrame:
    """Amounts and rates given for two or more years, one panel per indicator (`yoy_levels`,
    further charts `yoy_levels_2` …)."""
    drawable = compare.levels(nb.series)  # a threshold (突破…) is never drawn as a value
    yoy = compare.year_over_year(drawable, theme=theme, region=nb.city, statuses=("actual", "cumulative"),
                                 min_years=2)
    yoy = yoy[yoy["measure"].isin(["level", "share"])]
    years = sorted(yoy["year"].dropna().astype(int).unique())
    first, last = (years[0], years[-1]) if years else ("", "")
    charts = reuse.draw(nb.book, slope_panels, yoy, *_shown_with(nb, yoy),
                        _title("title_year_over_year", nb, theme, first=first, last=last), nb.words)
    left_out = _with_company(_in_scope(nb.flagged, theme, [nb.city], measures=("level", "share"),
                                       statuses=("actual", "cumulative")), drawable, ["indicator", "region", "status", "measure"],
                             years=True)
    _save(nb, charts, "yoy_levels", "year_over_year", empty="year_over_year", left_out=left_out)
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
    mine = scope.region_rows(in_theme, nb.city)
    alternatives, documents = _shown_with(nb, mine)
    title = _title("title_growth_rates", nb, theme, periods=lambda words: words.join(periods))
    if growth["year"].nunique() <= GROWTH_BARS_UP_TO:
        charts = reuse.draw(nb.book, growth_bars, mine, alternatives, documents, title, nb.words,
                            region=nb.city)
    else:
        years = sorted(growth["year"].dropna().astype(int).unique())
        title = _title("title_growth_lines", nb, theme, first=years[0], last=years[-1])
        charts = reuse.draw(nb.book, growth_lines, mine, alternatives, documents, title, nb.words,
                            region=nb.city)
    left_out = _in_scope(nb.flagged, theme, [nb.city], measures=("growth",), statuses=("actual",))
    _save(nb, charts, "yoy_growth_rates", "growth_rates", empty="growth_rates", left_out=left_out)
    return growth[["name_zh", "period", "value", "unit", "doc"]]


def targets(nb: Notebook, theme: str) -> tuple[pd.DataFrame, str]:
    """The latest year's targets against its results (`targets_<year>`) and a one-line summary."""
    year = max(compare.target_years(nb.series, region=nb.city, theme=theme), default=None)
    tva = compare.target_vs_actual(nb.series, year, region=nb.city) if year else pd.DataFrame()
    tva = tva[tva["theme"] == theme] if len(tva) else tva
    summary = ""
    if len(tva):
        met, known = int(tva["met"].sum()), int(tva["met"].notna().sum())
        summary = nb.words.phrase("targets_summary", year=year, met=met, known=known, missing=len(tva) - known)
    alike = tva["reason"].astype(str) == "" if len(tva) else None
    shown, odd = (tva[alike], tva[~alike]) if len(tva) else (tva, tva)  # a target without a result is listed
    extra = []
    if len(odd):
        words = nb.words
        items = [words.phrase("not_compared_item", items=words.indicator(r, status=False), reason=words.reason(r.reason))
                 for r in odd.itertuples()]
        extra.append(words.phrase("not_compared", items=words.join(items, "list_sep")))
    alternatives, documents = _shown_with(nb, shown)
    chart = reuse.draw(  # None when there is no target with a result
        nb.book, target_panels, shown, documents, _title("title_targets", nb, theme, year=year), nb.words,
        alternatives=alternatives, extra_notes=extra)
    left_out = _in_scope(nb.flagged, theme, [nb.city], year=year)
    _save(nb, chart, f"targets_{year}", "targets", empty="targets", left_out=left_out)
    columns = ["name_zh", "measure", "unit", "target", "target_qualifier", "actual", "actual_status", "met", "gap",
               "attainment", "actual_doc"]
    return (tva[columns + ["reason"]] if len(tva) else tva), summary


# --------------------------------------------------------------------------- every region against the city

PAIR_COLUMNS = ["year", "district", "theme", "name_zh", "status", "measure", "unit", "district_value", "city_value",
                "district_share", "gap_points", "ratio", "additive", "reason", "comparable"]


def pairs(nb: Notebook, year: int, theme: str | None = None) -> pd.DataFrame:
    """Every region beside the city for `year` (of `theme`): the frame of
    :func:`zzdata.series.compare.district_vs_city` for the notebook's regions, with ``reason``.
    Made once a year for the notebook's series, city and regions (the views ask for each year
    once a theme, to find the years, and again to draw them); each caller gets its own copy."""
    key = (year, nb.city, tuple(nb.regions))
    made = nb._pairs_made.get(key)
    if made is None or made[0] is not nb.series:
        dvc = compare.district_vs_city(nb.series, year, city=nb.city)
        dvc = dvc[dvc["district"].isin(nb.regions) & dvc["measure"].isin(MEASURES)].reset_index(drop=True)
        made = nb._pairs_made[key] = (nb.series, dvc)
    dvc = made[1]
    return dvc[dvc["theme"] == theme].reset_index(drop=True) if theme is not None else dvc.copy()


def pair_years(nb: Notebook, theme: str | None = None) -> list[int]:
    """The years in which the city and at least one of the notebook's regions give the same
    indicator (of `theme`), oldest first."""
    years = compare.district_years(nb.series, city=nb.city)
    return [y for y in years if len(pairs(nb, y, theme))]


def district_vs_city(nb: Notebook, theme: str) -> pd.DataFrame:
    """Every region against the city, one chart a year (`district_vs_city_<year>`, further charts
    `…_2`): the theme's part of notebook 05."""
    frames = [pd.DataFrame(columns=PAIR_COLUMNS)]
    empty = "district_vs_city"
    years = pair_years(nb, theme)
    if not years:
        _save(nb, None, "district_vs_city", "district_vs_city", empty=empty)
    for year in years:
        dvc = pairs(nb, year, theme)
        alternatives, documents = _shown_with(nb, dvc)
        charts = reuse.draw(nb.book, region_panels, dvc, documents,
                            _title("title_regions_theme", nb, theme, year=year), nb.words,
                            alternatives=alternatives)
        left_out = _with_company(_in_scope(nb.flagged, theme, [nb.city, *nb.regions], year=year, measures=MEASURES),
                                 nb.series[nb.series["region"].isin([nb.city, *nb.regions])], PAIR_KEY, years=False)
        _save(nb, charts, f"district_vs_city_{year}", "district_vs_city", empty=empty, left_out=left_out)
        frames.append(dvc[PAIR_COLUMNS])
    return pd.concat([f for f in frames if len(f)] or frames, ignore_index=True)


def regions_overview(nb: Notebook, year: int) -> pd.DataFrame:
    """Every region and indicator of `year` in one table of cells (`overview_<year>`)."""
    dvc = pairs(nb, year)
    charts = reuse.draw(nb.book, overview_chart, dvc, scope.documents_for(nb.documents, dvc),
                        _title("title_regions_overview", nb, year=year),
                        nb.words, regions=nb.regions)
    left_out = _with_company(_in_scope(nb.flagged, None, [nb.city, *nb.regions], year=year, measures=MEASURES),
                             nb.series[nb.series["region"].isin([nb.city, *nb.regions])], PAIR_KEY, years=False)
    _save(nb, charts, f"overview_{year}", "overview", empty="overview", left_out=left_out)
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
    dvc = dvc[pick(dvc)].reset_index(drop=True) if len(dvc) else dvc
    alternatives, documents = _shown_with(nb, dvc)
    charts = reuse.draw(nb.book, region_panels, dvc, documents, _title(key, nb, year=year), nb.words,
                        alternatives=alternatives)
    measures = ("growth",) if kind == "growth" else tuple(m for m in MEASURES if m != "growth")
    left_out = _with_company(_in_scope(nb.flagged, None, [nb.city, *nb.regions], year=year, measures=measures),
                             nb.series[nb.series["region"].isin([nb.city, *nb.regions])], PAIR_KEY, years=False)
    _save(nb, charts, f"{kind}_{year}", "district_vs_city", empty=f"regions_{kind}", left_out=left_out)
    return dvc[PAIR_COLUMNS]


def regions_summary(nb: Notebook) -> str:
    """Markdown: the regions, years and pairs the notebook compares, and how many are not alike."""
    years = pair_years(nb)
    frames = [pairs(nb, y) for y in years]
    allp = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PAIR_COLUMNS)
    words = nb.words
    odd = allp[~allp["comparable"].astype(bool)] if len(allp) else allp
    reasons = [words.phrase("reason_count", reason=words.reason(k), n=v) for k, v in odd["reason"].value_counts().items()]
    return words.phrase("regions_summary", city=words.region(nb.city), n=len(nb.regions),
                        names=words.join([words.region(r) for r in nb.regions]), n_years=len(years),
                        years=words.join(map(str, years)), pairs=len(allp), odd=len(odd),
                        reasons=words.phrase("regions_summary_reasons", items=words.join(reasons, "list_sep"))
                        if reasons else "")


def conflicts(nb: Notebook, alternatives: pd.DataFrame) -> None:
    """Where the texts disagree (`conflicts`, further charts `conflicts_2` …): the value used and
    the other text's, for every disagreement of ``alternatives`` (notebook 06)."""
    years = sorted(alternatives["year"].dropna().astype(int).unique()) if len(alternatives) else []

    def span(words: Words) -> str:
        if len(years) <= 1:
            return "".join(map(str, years))
        return words.phrase("date_range", first=years[0], last=years[-1])

    # A key whose chosen value is flagged (every figure of it) is not drawn here either.
    keys = nb.series[CONFLICT_KEY].drop_duplicates()
    shown = alternatives.merge(keys, on=CONFLICT_KEY) if len(alternatives) else alternatives
    left_out = nb.flagged.merge(alternatives[CONFLICT_KEY].drop_duplicates(), on=CONFLICT_KEY) \
        if len(alternatives) and len(nb.flagged) else nb.flagged.iloc[0:0]
    charts = reuse.draw(nb.book, conflict_panels, shown, scope.rows_for(nb.series, shown, CONFLICT_KEY),
                        scope.documents_for(nb.documents, shown),
                        _title("title_conflicts", nb, span=span), nb.words)
    _footers(nb, charts, left_out)
    nb.book.save_all(charts, "conflicts", empty=nb.words.phrase("empty_conflicts"))


def charted_facts(nb: Notebook, table: pd.DataFrame):
    """The closing table: every fact drawn in the notebook's charts (``nb.book.sources()``),
    with its text, clause and fact_id, which links to the figure on its review page."""
    print(nb.words.phrase("charted_summary", n=len(table), charts=len(nb.book.saved), names=", ".join(nb.book.saved)))
    return links.linked_table(table[["charts", "label", "region", "period", "status", "value_text", "doc", "snippet", "fact_id"]])


def not_compared(nb: Notebook, table: pd.DataFrame) -> pd.DataFrame:
    """The pairs of `table` left out of the charts (:func:`zzdata.series.compare.not_compared`),
    with the reason in the notebook's words (``why``)."""
    odd = compare.not_compared(table)
    odd = odd.assign(why=odd["reason"].map(nb.words.reason)) if len(odd) else odd.assign(why="")
    return odd[["year", "district", "name_zh", "status", "measure", "district_value", "city_value", "reason", "why"]]
