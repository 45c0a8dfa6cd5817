# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 郑州住房与城市建设：逐年变化、目标完成与中原区 · Zhengzhou's housing
#
# **What this notebook shows.** Affordable and talent housing, guaranteed delivery of pre-sold
# homes, old-compound renovation, lifts, pipelines, heating and parking: how these indicators
# moved between the years the reports cover, how the results compare with the targets the city
# set for the year, and how 中原区 (Zhongyuan District) compares with the whole city. Every number
# comes from `data/processed/` through `zzdata`; nothing is typed here. When a newer report is
# added to `data/raw/`, rerunning the notebook extends every chart.
#
# **Texts and caveats.** The cell below lists the texts this notebook draws on, read from
# `documents.csv`, each with its caveats: the texts are digests printed on newspaper pages, not the
# full reports; the year-end review was published before the year ended, so its figures are
# preliminary (the later work report is preferred when the two disagree, and the disagreement is
# drawn, not hidden); the first work report mixes a multi-year review with single-year figures.
#
# **How values are chosen.** When several texts give a value for the same indicator, region,
# year, status and measure, `zzdata.compare` keeps one by a written rule (full period over
# preliminary, single year over multi-year, work report over year-end review, later over
# earlier) and flags the conflict. Set `LANG = "en"` for English chart titles and labels.

# %%
LANG = "zh"  # "zh": Chinese titles with an English subtitle; "en": English only
THEME = "housing"
NOTEBOOK = "04_housing"
CITY, DISTRICT = "郑州市", "中原区"

import pandas as pd
from IPython.display import Markdown, display

import zzdata
from zzdata import charts, compare

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 200)

# %%
facts = zzdata.load_facts()
series = zzdata.load_series()
documents = zzdata.load_documents()
alternatives = compare.alternatives(series, compare.candidates(facts, documents))
book = charts.ChartBook(NOTEBOOK, facts, documents, lang=LANG)
theme = series[series["theme"] == THEME]
theme_zh, theme_en = charts.THEMES[THEME]
display(Markdown(charts.describe_texts(documents, facts, docs=theme["doc"].unique(), lang=LANG)))

# %% [markdown]
# ## Year over year
#
# Amounts and rates the texts give for more than one year, one panel per indicator (each on its
# own axis, since units differ), with the change from the previous year that has data. Growth
# rates are themselves year-over-year changes; the next chart shows them for every year reported.

# %%
yoy = compare.year_over_year(series, theme=THEME, region=CITY, statuses=("actual", "cumulative"), min_years=2)
yoy = yoy[yoy["measure"].isin(["level", "share"])]
years = sorted(yoy["year"].dropna().astype(int).unique())
span_zh = f"{years[0]}—{years[-1]}" if years else ""
span = f"{years[0]}–{years[-1]}" if years else ""
yoy[["name_zh", "status", "measure", "year", "value", "unit", "prev_year", "change", "pct_change", "doc"]]

# %%
chart = charts.slope_panels(
    yoy, alternatives, documents, lang=LANG,
    title_zh=f"郑州市{theme_zh}指标的逐年变化（{span_zh}年）",
    title_en=f"Zhengzhou {theme_en}: indicators reported for more than one year, {span}",
)
book.save(chart, "yoy_levels", empty="No indicator of this theme has values for two years yet.");

# %%
growth = theme[(theme["measure"] == "growth") & (theme["status"] == "actual") & (theme["region"] == CITY)]
periods = sorted(growth["period"].unique())
chart = charts.growth_bars(
    series[series["theme"] == THEME], alternatives, documents, lang=LANG, region=CITY,
    title_zh=f"郑州市{theme_zh}指标的增速（{'、'.join(periods)}）",
    title_en=f"Zhengzhou {theme_en}: growth on the previous year as reported ({', '.join(periods)})",
)
book.save(chart, "yoy_growth_rates", empty="No growth rates reported for this theme.");

# %% [markdown]
# ## Targets against results
#
# The targets the city set for a year (the work report delivered early in the year) against the
# results reported for it. Direction follows the catalog (`better`): for most indicators more is
# better, for prices less is. Amounts are shown as the share of the target reached; rates as a
# dumbbell from target to result.

# %%
target_year = max(compare.target_years(series, region=CITY, theme=THEME), default=None)
tva = compare.target_vs_actual(series, target_year, region=CITY) if target_year else pd.DataFrame()
tva = tva[tva["theme"] == THEME] if len(tva) else tva
tva[["name_zh", "measure", "unit", "target", "target_qualifier", "actual", "actual_status", "met", "gap", "attainment", "actual_doc"]] if len(tva) else None

# %%
if len(tva):
    met, known = int(tva["met"].sum()), int(tva["met"].notna().sum())
    display(Markdown(f"**{target_year}:** {met} of {known} targets with a reported result were met; "
                     f"{len(tva) - known} targets have no result in the texts."))
chart = charts.target_panels(
    tva, documents, lang=LANG, alternatives=alternatives,
    title_zh=f"郑州市{target_year}年{theme_zh}目标完成情况",
    title_en=f"Zhengzhou {theme_en}: {target_year} results against the {target_year} targets",
) if len(tva) else None
book.save(chart, f"targets_{target_year}", empty="No targets with results for this theme.");

# %% [markdown]
# ## 中原区 against the city
#
# The district's figures beside the city's for the same year: the district's share of the city
# for amounts, the gap in percentage points for rates.

# %%
district_year = max(compare.district_years(series, district=DISTRICT, city=CITY), default=None)
dvc = compare.district_vs_city(series, district_year, district=DISTRICT, city=CITY)
dvc = dvc[dvc["theme"] == THEME]
dvc[["name_zh", "status", "measure", "unit", "district_value", "city_value", "district_share", "gap_points", "comparable"]]

# %%
chart = charts.district_panels(
    dvc, documents, lang=LANG, alternatives=alternatives,
    title_zh=f"{district_year}年{DISTRICT}与{CITY}：{theme_zh}",
    title_en=f"{charts.region_name(DISTRICT, 'en')} and {charts.region_name(CITY, 'en')}, {district_year}: {theme_en}",
)
book.save(chart, f"district_vs_city_{district_year}", empty="No figure of this theme is given for both the district and the city.");

# %% [markdown]
# ## The facts charted and their sources
#
# Every value drawn above, with the text it was printed in, the figure as printed and its clause.
# `zzdata.trace(fact_id)` shows the raw text around any of them.

# %%
sources = book.sources()
print(f"{len(sources)} facts in {len(book.saved)} charts: {', '.join(book.saved)}")
sources[["charts", "label", "region", "period", "status", "value_text", "doc", "snippet", "fact_id"]]
