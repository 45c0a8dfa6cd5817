"""A synthetic collection, to see how the charts hold up as the collection grows: a city and up to
sixteen (or more) districts and counties, over any number of years, with made-up figures that
vary, built into the series by the real choice rule. Never written to ``data/processed/``.

Every region is marked synthetic: its name is a gazetteer name with the prefix of
``labels.csv``'s ``synthetic_region`` (合成中原区 / Synthetic Zhongyuan District), so a chart of
it can never pass for a real one, while the names keep the lengths of real names (the long
development zones included). The years start in the 2100s for the same reason.

What it holds, so every chart form and every reason not to compare meets a case:

* growth rates, amounts that add up over regions, levels that do not (days, per-capita income),
  and rates in % (coverage, unemployment), across the economy, livelihoods, environment and
  housing themes, with the catalog's direction (``better``) and units;
* years missing here and there (a gap in a series), a year missing for the city;
* a five-year review (a multi-year growth rate), a year-end review of the last year with
  part-year and preliminary figures that differ from the work reports (conflicts), a running
  total (cumulative), a district figure larger than the city's, and targets for every year.

From the command line, every chart type in both languages into a folder::

    python -m zzdata.tools.synthetic --regions 16 --years 20 --out /tmp/zz-synthetic
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import catalog, periods, schema
from ..series import choice
from ..viz import words

#: (indicator, measure, unit, the city's first value, yearly drift) -- levels in base units.
INDICATORS: tuple[tuple[str, str, str, float, float], ...] = (
    ("gdp", "level", "元", 5.0e11, 0.07),
    ("gdp", "growth", "%", 8.0, -0.15),
    ("fixed_asset_investment", "growth", "%", 10.0, -0.3),
    ("industrial_value_added", "growth", "%", 9.0, -0.2),
    ("retail_sales", "level", "元", 2.0e11, 0.06),
    ("retail_sales", "growth", "%", 9.0, -0.2),
    ("general_budget_revenue", "level", "元", 4.0e10, 0.05),
    ("cpi", "growth", "%", 2.5, -0.05),
    ("disposable_income", "level", "元", 2.0e4, 0.06),
    ("new_urban_jobs", "level", "人", 1.2e5, 0.01),
    ("school_places", "level", "个", 3.0e4, 0.03),
    ("surveyed_unemployment_rate", "share", "%", 5.0, -0.02),
    ("good_air_days", "level", "天", 180.0, 0.01),
    ("new_green_space", "level", "平方米", 3.0e6, 0.02),
    ("green_coverage_rate", "share", "%", 36.0, 0.004),
    ("talent_apartments", "level", "套", 8.0e3, 0.08),
    ("lift_retrofits", "level", "部", 600.0, 0.1),
    ("guaranteed_delivery_rate", "share", "%", 80.0, 0.01),
)
#: Targets the city sets for every year: (indicator, measure, unit).
TARGETS = (("gdp", "growth", "%"), ("fixed_asset_investment", "growth", "%"), ("new_urban_jobs", "level", "人"),
           ("talent_apartments", "level", "套"), ("good_air_days", "level", "天"), ("cpi", "growth", "%"))
FIRST_YEAR = 2101


def region_names(n: int) -> list[tuple[str, str, str]]:
    """(name, English name, level) of the synthetic city and ``n`` districts or counties: the
    gazetteer's names with the synthetic prefix, numbered names beyond the gazetteer's."""
    regions = list(catalog.regions().values())
    city = next(r for r in regions if r.level == "city")
    local = [r for r in regions if r.level != "city"]
    zh, en = words.phrase("synthetic_region", "zh", name=""), words.phrase("synthetic_region", "en", name="")
    out = [(f"{zh}{city.name}", f"{en}{city.name_en}", "city")]
    for i in range(n):
        if i < len(local):
            r = local[i]
            out.append((f"{zh}{r.name}", f"{en}{r.name_en}", r.level))
        else:
            out.append((words.phrase("synthetic_numbered", "zh", n=i + 1),
                        words.phrase("synthetic_numbered", "en", n=i + 1), "district"))
    return out


def collection(n_regions: int = 12, n_years: int = 10, first_year: int = FIRST_YEAR,
               seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facts and documents of a synthetic collection: a city and ``n_regions`` districts or
    counties, ``n_years`` years from ``first_year``. The same arguments give the same tables."""
    rng = np.random.default_rng(seed)
    regions = region_names(n_regions)
    years = list(range(first_year, first_year + n_years))
    ind = catalog.indicators()
    docs: list[dict] = []
    facts: list[dict] = []

    def doc(file: str, region: str, level: str, doc_type: str, delivered: str, review: int | None,
            target: int | None) -> None:
        docs.append({"file": file, "region": region, "region_level": level, "doc_type": doc_type,
                     "delivered": delivered, "review_year": review, "target_year": target,
                     "title": words.phrase("synthetic_title", "zh", region=region, year=review or target),
                     "publisher": words.phrase("synthetic_region", "en", name="").strip(), "url": ""})

    def fact(file: str, region: str, level: str, indicator: str, measure: str, unit: str, value: float,
             period: str, status: str = "actual", preliminary: bool = False) -> None:
        n = len(facts)
        facts.append({"fact_id": f"{file}:{n}", "doc": file, "region": region, "region_level": level,
                      "period": period, "year": periods.last_year(period), "status": status,
                      "indicator": indicator, "label": ind[indicator].name_zh, "measure": measure,
                      "value": float(value), "unit": unit, "value_text": f"{value:g}{unit}", "qualifier": "none",
                      "preliminary": preliminary, "theme": ind[indicator].theme, "section": "", "snippet": "",
                      "start": n, "end": n + 1, "rank_group": ""})

    # Each region's weight in the city (districts together about 90% of it) and its own pace.
    weights = rng.dirichlet(np.full(n_regions, 1.2)) * 0.9 if n_regions else np.array([])
    pace = rng.normal(0, 1.5, n_regions + 1)
    pace[0] = 0.0
    values: dict[tuple[int, str, str, int], float] = {}
    for k, (indicator, measure, unit, base, drift) in enumerate(INDICATORS):
        for y, year in enumerate(years):
            if measure == "level":
                city_value = base * (1 + drift) ** y
            else:  # a rate: a slow drift, a cycle and noise, never far from its start
                city_value = base + drift * y + 1.5 * np.sin(y / 2.5 + k) + rng.normal(0, 0.6)
            for r in range(n_regions + 1):
                if measure == "level" and ind[indicator].additive and r:
                    v = city_value * weights[r - 1] * rng.uniform(0.85, 1.15)
                elif measure == "level" and r:
                    v = city_value * rng.uniform(0.8, 1.2)
                elif r:
                    v = city_value + pace[r] + rng.normal(0, 1.2)
                else:
                    v = city_value
                if unit == "%" and measure == "share":
                    v = float(np.clip(v, 1, 99))
                values[(r, indicator, measure, year)] = round(v, 1) if unit in ("%", "天") else float(f"{v:.4g}")
    # Gaps: a district leaves out a figure now and then; the city one year of the amounts.
    missing = {key for key in values if key[0] and rng.random() < 0.12}
    if n_years >= 4:
        missing |= {(0, i, m, years[n_years // 2]) for i, m, *_ in INDICATORS[::3]}
    # A district figure larger than the city's (the texts count different things).
    if n_regions:
        big = min(2, n_regions)  # a region with a work report for the last year
        values[(big, "new_urban_jobs", "level", years[-1])] = values[(0, "new_urban_jobs", "level", years[-1])] * 1.4
        missing -= {(big, "new_urban_jobs", "level", years[-1]), (0, "new_urban_jobs", "level", years[-1])}

    last = years[-1]
    for r, (region, _en, level) in enumerate(regions):
        tag = f"synthetic_{r:02d}"
        for year in years:
            reported = not (year == last and r % 2)  # half the regions have no work report for the last year yet
            file = f"{tag}_{year + 1}_work-report.txt"
            if reported:
                doc(file, region, level, "work_report", f"{year + 1}-02", year, year + 1)
            for indicator, measure, unit, *_ in INDICATORS:
                key = (r, indicator, measure, year)
                if reported and key not in missing:
                    fact(file, region, level, indicator, measure, unit, values[key], periods.year(year))
            if reported and r == 0:
                for indicator, measure, unit in TARGETS:
                    nxt = values.get((0, indicator, measure, min(year + 1, last)), 0.0)
                    goal = round(nxt + rng.normal(0, 0.8), 1) if unit == "%" else float(f"{nxt * rng.uniform(0.9, 1.1):.3g}")
                    fact(file, region, level, indicator, measure, unit, goal, periods.year(year + 1), status="target")
            if reported and r == 0 and year == years[min(3, n_years - 1)]:
                # A running total since the first year.
                total = sum(values[(0, "talent_apartments", "level", y)] for y in years if y <= year)
                fact(file, region, level, "talent_apartments", "level", "套", float(f"{total:.4g}"),
                     periods.years(years[0], year), status="cumulative")
        # A five-year review: the city's average growth over five years, the year's own figure missing.
        if r == 0 and n_years >= 6:
            year = years[5]
            file = f"{tag}_{year + 1}_five-year-review.txt"
            doc(file, region, level, "work_report", f"{year + 1}-01", year, None)
            for indicator in ("gdp", "retail_sales"):
                fact(file, region, level, indicator, "growth", "%", values[(0, indicator, "growth", year)] - 0.4,
                     periods.years(year - 4, year))
            for indicator in ("gdp", "retail_sales"):
                facts[:] = [f for f in facts if not (f["region"] == region and f["indicator"] == indicator
                                                     and f["measure"] == "growth" and f["period"] == str(year))]
        # The year-end review of the last year: part-year growth, preliminary amounts, a little off.
        file = f"{tag}_{last}_year-review.txt"
        doc(file, region, level, "year_review", f"{last}-12", last, None)
        for indicator, measure, unit, *_ in INDICATORS[:6]:
            v = values[(r, indicator, measure, last)]
            if measure == "growth":
                fact(file, region, level, indicator, measure, unit, round(v + 0.6, 1), periods.months(last, 11),
                     preliminary=True)
            else:
                fact(file, region, level, indicator, measure, unit, float(f"{v * 0.93:.4g}"), periods.year(last),
                     preliminary=True)
    documents = pd.DataFrame(docs)
    f = pd.DataFrame(facts, columns=schema.columns("facts"))
    f["year"] = f["year"].astype("Int64")
    counts = f["doc"].value_counts()
    documents["n_facts"] = documents["file"].map(counts).fillna(0).astype(int)
    for col in schema.columns("documents"):
        if col not in documents:
            documents[col] = 0 if col.startswith("n_") or col == "chars" else ""
    for col in ("review_year", "target_year"):
        documents[col] = documents[col].astype("Int64")
    return f, documents[schema.columns("documents")]


def held_back(documents: pd.DataFrame, year: int) -> str:
    """The report a researcher adds later: the first district's work report on ``year``."""
    reports = documents[(documents["region_level"] != "city") & (documents["doc_type"] == "work_report")
                        & (documents["review_year"] == year)]
    if reports.empty:
        raise ValueError(f"no district's work report on {year} in the synthetic collection")
    return str(reports["file"].iloc[0])


def tables(n_regions: int = 12, n_years: int = 10, first_year: int = FIRST_YEAR,
           seed: int = 0, hold_back: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(facts, series, documents) of :func:`collection`, the series built by the choice rule (the
    charts name its regions in English from their Chinese names, :func:`zzdata.viz.words.region_name`).
    ``hold_back``: a year whose :func:`held_back` report is left out, as if not yet added."""
    facts, documents = collection(n_regions, n_years, first_year, seed)
    if hold_back is not None:
        file = held_back(documents, hold_back)
        facts = facts[facts["doc"] != file].reset_index(drop=True)
        documents = documents[documents["file"] != file].reset_index(drop=True)
    return facts, choice.build_series(facts, documents), documents


def render(out: Path, n_regions: int, n_years: int, langs: tuple[str, ...] = ("zh", "en"),
           strict: bool | None = None, formats: tuple[str, ...] | None = None,
           years: Sequence[int] | None = None, themes: int | None = None,
           store: bool = False, hold_back: int | None = None) -> dict[str, list[Path]]:
    """Every chart type of the notebooks, drawn from a synthetic collection into
    ``<out>/reports/figures/<view>_<lang>/`` through the same views the notebooks call. With
    ``strict``, overlapping texts raise (see :func:`zzdata.viz.save.save_figure`); ``formats``
    (default PNG, SVG and PDF) and ``years`` (the years of the region charts; default every
    year) and ``themes`` (the first so many themes' charts; default all: each theme draws the same
    chart kinds with its own indicators) keep a test short. Every chart is drawn (no stored chart
    is reused, :mod:`zzdata.viz.reuse`), unless ``store``: then the charts go through the chart
    store in ``<out>/reports/figures/.reuse/``, as in a notebook. ``hold_back``: a year whose
    district report (:func:`held_back`) is left out of the collection, to be added by a later call.
    Returns the PNGs per folder."""
    import os

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..viz import reuse, views
    from ..viz.words import Words

    facts, series, documents = tables(n_regions, n_years, hold_back=hold_back)
    out = Path(out)
    old = os.environ.get("ZZDATA_STRICT_CHARTS")
    old_reuse = os.environ.get(reuse.ENV)
    os.environ[reuse.ENV] = "1" if store else "0"  # else every chart drawn (what the tests measure)
    if strict is not None:
        os.environ["ZZDATA_STRICT_CHARTS"] = "1" if strict else "0"
    made: dict[str, list[Path]] = {}
    try:
        for lang in langs:
            words = Words(lang)
            for theme in sorted(series["theme"].unique())[:themes]:
                nb = views.notebook_from(f"{theme}_{lang}", facts, series, documents, words, root=out,
                                         formats=formats)
                views.year_over_year(nb, theme)
                views.growth_rates(nb, theme)
                views.targets(nb, theme)
                views.district_vs_city(nb, theme)
                made[nb.name] = [p["png"] for p in nb.book.paths.values()]
            nb = views.notebook_from(f"regions_{lang}", facts, series, documents, words, root=out,
                                     formats=formats)
            for year in (years if years is not None else views.pair_years(nb)):
                views.regions_overview(nb, year)
                for kind in views.REGION_CHARTS:
                    views.regions_ranked(nb, year, kind)
            views.conflicts(nb, nb.alternatives)
            made[nb.name] = [p["png"] for p in nb.book.paths.values()]
            plt.close("all")
    finally:
        if old_reuse is None:
            os.environ.pop(reuse.ENV, None)
        else:
            os.environ[reuse.ENV] = old_reuse
        if strict is not None:
            if old is None:
                os.environ.pop("ZZDATA_STRICT_CHARTS", None)
            else:
                os.environ["ZZDATA_STRICT_CHARTS"] = old
    return made


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m zzdata.tools.synthetic", description=__doc__.split("\n\n")[0])
    p.add_argument("--regions", type=int, default=12, help="districts and counties beside the city (default 12)")
    p.add_argument("--years", type=int, default=10, help="years (default 10)")
    p.add_argument("--lang", action="append", choices=["zh", "en"], help="zh, en or both (default)")
    p.add_argument("--out", type=Path, required=True, help="folder for the charts (not data/processed)")
    p.add_argument("--png", action="store_true", help="PNG only (faster)")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    made = render(args.out, args.regions, args.years, tuple(args.lang or ("zh", "en")), strict=False,
                  formats=("png",) if args.png else None)
    n = sum(len(v) for v in made.values())
    print(f"{n} charts of {args.regions} regions x {args.years} years in {args.out} "
          f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
