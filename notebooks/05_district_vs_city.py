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
# # 各区县与全市：各主题对比 · Every district and county against the city, across themes
#
# **What this notebook shows.** Every indicator that the city and at least one district or county
# give for the same year, across all themes and for every such year: growth rates as a ranking of
# the regions with the city as a reference line; amounts that add up over regions as each region's
# share of the city; other rates and levels that do not add up (days of good air, per-capita
# figures) ranked against the city's value; and, for each year, an overview of every region and
# indicator in one table of coloured cells. The city, the regions and the years come from the
# collection (or the parameters below; e.g. `python -m zzdata notebooks 05 -p REGIONS=<region>,<region>`).
# Every number comes from `data/processed/` through `zzdata`; nothing is typed here, and a newly
# added district, county or year extends the charts when the notebook is rerun.
#
# **Like with like.** District and city texts do not always count the same thing. A pair is drawn
# only when it is comparable (`reason` is empty in the table below); the others are named under the
# chart with the reason -- a district figure larger than the city's, a figure for several years or
# part of a year beside a year's, a running total beside a year's amount. Where the city's texts
# disagree, the value chosen by the rule in `zzdata.series.choice` is drawn.

# %% tags=["parameters"]
LANG = "zh"  # "zh": Chinese titles with an English subtitle; "en": English only
CITY = None  # the city; None: the collection's region at level city
REGIONS = None  # districts or counties set beside the city; None: every one that gives a figure the city gives
YEARS = []  # the years drawn; []: every year in the data

# %%
NOTEBOOK = "05_district_vs_city"

import pandas as pd
from IPython.display import Markdown, display

import zzdata
from zzdata.viz import views
from zzdata.viz.words import Words

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
nb = views.open_notebook(NOTEBOOK, Words(LANG), city=CITY, regions=REGIONS, years=YEARS)
years = views.pair_years(nb)
table = pd.concat([views.pairs(nb, year) for year in years] or [views.pairs(nb, 0)], ignore_index=True)
display(Markdown(views.regions_summary(nb)))
used = set(table["district_doc"]) | set(table["city_doc"])
display(Markdown(nb.words.describe_texts(nb.documents, nb.facts, docs=used)))

# %% [markdown]
# ## The pairs
#
# One row per region, indicator, status and measure that the region and the city give for the same
# year: the two values, the region's share of the city (amounts that add up), the gap in percentage
# points (rates), the region as an index of the city (other levels), and why a pair is not compared.

# %%
views.show(nb, table[views.PAIR_COLUMNS])

# %% [markdown]
# ## Overview: every region and indicator, year by year
#
# Regions across, indicators down: the gap to the city in points for rates, the share of the city
# for amounts, an index for other levels; blue better than the city, orange worse, grey not compared.

# %%
for year in years:
    views.regions_overview(nb, year)

# %% [markdown]
# ## Growth rates: the regions ranked against the city
#
# One panel per growth rate, the regions from the fastest to the slowest, the city's rate as a
# dashed line: which regions grew faster than the city as a whole.

# %%
for year in years:
    views.regions_ranked(nb, year, "growth")

# %% [markdown]
# ## Amounts: each region's share of the city
#
# Amounts that add up over regions (output, revenue, jobs, homes built): how much of the city's
# total each region accounts for.

# %%
for year in years:
    views.regions_ranked(nb, year, "shares")

# %% [markdown]
# ## Rates and other levels
#
# Rates other than growth (unemployment, coverage) and levels that do not add up (days of good air,
# per-capita income), ranked against the city's own value.

# %%
for year in years:
    views.regions_ranked(nb, year, "levels")

# %% [markdown]
# ## Not compared
#
# The pairs left out of the charts, with the reason in words.

# %%
views.show(nb, views.not_compared(nb, table))

# %% [markdown]
# ## The facts charted and their sources
#
# Every value drawn above, with the text it was printed in, the figure as printed and its clause.
# `zzdata.trace(fact_id)` shows the raw text around any of them.

# %%
views.charted_facts(nb, nb.book.sources())
