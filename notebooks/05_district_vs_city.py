# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 中原区与郑州市：各主题对比 · Zhongyuan District against Zhengzhou, across themes
#
# **What this notebook shows.** Every indicator that both the district's work report and the
# city's texts give for the same year, across all themes: for amounts, the district's share of
# the city; for growth rates and other rates, both values and the gap in percentage points; for
# levels that do not add up over regions (days of good air), the district as an index of the
# city. Then the district's own reported growth rates. Every number comes from `data/processed/`
# through `zzdata`; nothing is typed here, and a newly added district or year report extends the
# charts when the notebook is rerun.
#
# **Texts and caveats.** The cell below lists the texts drawn on, read from `documents.csv`, with
# their caveats (newspaper digests, preliminary year-end figures). District and city texts do not
# always count the same thing: where the district's figure exceeds the city's, the pair is not
# drawn but listed under the chart. Where the city's texts disagree, the value chosen by the rule
# in `zzdata.series.compare` is drawn, the other one as a hollow orange point.

# %% tags=["parameters"]
LANG = "zh"  # "zh": Chinese titles with an English subtitle; "en": English only
CITY = None  # the city; None: the collection's region at level city
REGIONS = None  # districts or counties set beside the city (this notebook draws the first); None: the one sharing most indicator-years with it
YEARS = []  # the years drawn; []: every year in the data

# %%
NOTEBOOK = "05_district_vs_city"

from IPython.display import Markdown, display

import zzdata
from zzdata.series import compare
from zzdata.viz import views, words
from zzdata.viz.forms.district import district_panels
from zzdata.viz.forms.growth import growth_bars

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
nb = views.open_notebook(NOTEBOOK, lang=LANG, city=CITY, regions=REGIONS, years=YEARS)
facts, series, documents, alternatives, book = nb.facts, nb.series, nb.documents, nb.alternatives, nb.book
city, district = nb.city, nb.district
city_en, district_en = words.region_name(city, "en"), words.region_name(district, "en")

# %%
district_year = max(compare.district_years(series, district=district, city=city), default=None)
dvc = compare.district_vs_city(series, district_year, district=district, city=city)
used = set(dvc["district_doc"]) | set(dvc["city_doc"])
display(Markdown(words.describe_texts(documents, facts, docs=used, lang=LANG)))

# %% [markdown]
# ## The pairs
#
# One row per indicator, status and measure that both texts give for the year.

# %%
dvc[["theme", "name_zh", "status", "measure", "unit", "district_value", "city_value", "district_share", "gap_points", "additive", "comparable"]]

# %%
shares = dvc[dvc["additive"]]
shown = shares[shares["comparable"]]
if len(shown):
    top = shown.sort_values("district_share").iloc[-1]
    display(Markdown(
        f"**{district_year}:** {len(shown)} amounts can be compared; the district's share of the city ranges from "
        f"{shown['district_share'].min():.1f}% to {shown['district_share'].max():.1f}% "
        f"(highest: {top['name_zh']} / {top['name_en']}). "
        f"{int((~shares['comparable']).sum())} pairs are not comparable (the district's figure exceeds the city's)."))

# %% [markdown]
# ## Amounts: the district's share of the city

# %%
chart = district_panels(
    shares, documents, lang=LANG, alternatives=alternatives,
    title_zh=f"{district_year}年{district}占{city}的比重（各主题）",
    title_en=f"{district_en} as a share of {city_en}, {district_year}: all themes",
)
book.save(chart, f"district_share_{district_year}", empty="No amount is given for both the district and the city.");

# %% [markdown]
# ## Rates: district and city side by side
#
# Growth rates and other percentages, on one axis in %; the gap is in percentage points.

# %%
rates = dvc[dvc["gap_points"].notna()]
rates[["theme", "name_zh", "measure", "district_value", "city_value", "gap_points"]]

# %%
chart = district_panels(
    rates, documents, lang=LANG, alternatives=alternatives,
    title_zh=f"{district_year}年{district}与{city}的增速和比率",
    title_en=f"{district_en} and {city_en}, {district_year}: growth rates and rates",
)
book.save(chart, f"district_rates_{district_year}", empty="No rate is given for both the district and the city.");

# %% [markdown]
# ## Other levels: the district as an index of the city
#
# Levels that do not add up over regions (days, per-capita figures), as district / city × 100.

# %%
other = dvc[~dvc["additive"] & dvc["gap_points"].isna()]
chart = district_panels(
    other, documents, lang=LANG, alternatives=alternatives,
    title_zh=f"{district_year}年{district}相对{city}的其他水平值",
    title_en=f"{district_en} relative to {city_en}, {district_year}: other levels",
) if len(other) else None
book.save(chart, f"district_index_{district_year}", empty="No other level is given for both the district and the city.");

# %% [markdown]
# ## The district's own growth rates
#
# The growth on the previous year that the district's report gives, for every year reported.

# %%
district_growth = series[(series["region"] == district) & (series["measure"] == "growth") & (series["status"] == "actual")]
periods = sorted(district_growth["period"].unique())
chart = growth_bars(
    series, alternatives, documents, lang=LANG, region=district,
    title_zh=f"{district}各项指标的增速（{'、'.join(periods)}）",
    title_en=f"{district_en}: growth on the previous year as reported ({', '.join(periods)})",
)
book.save(chart, "district_growth_rates", empty="The district's texts give no growth rates.");

# %% [markdown]
# ## The facts charted and their sources
#
# Every value drawn above, with the text it was printed in, the figure as printed and its clause.
# `zzdata.trace(fact_id)` shows the raw text around any of them.

# %%
views.charted_facts(nb, nb.book.sources())
