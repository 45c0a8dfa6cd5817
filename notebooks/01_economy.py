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
# # 经济：逐年变化、目标完成与各区县 · The economy: year over year, targets, districts and counties
#
# **What this notebook shows.** The size and pace of the city's economy as the reports give it:
# gross domestic product, the value added of industry and of the leading, electronics, high-tech and
# strategic emerging industries, investment, retail sales, public budget revenue, prices, and the
# output of cars and new-energy vehicles. Three questions: how these moved from year to year,
# whether the growth targets the city set for a year were reached, and how each district and county
# compares with the whole city. The city, the regions and the years come from the collection (or the
# parameters below); every number is read from `data/processed/` by `zzdata`, nothing is typed here,
# and a report added to `data/raw/` extends every chart on a rerun.
#
# **Texts.** Economic figures come mostly from the work reports; the cell below lists the texts,
# their caveats and how a value is chosen when two texts disagree.

# %% tags=["parameters"]
LANG = "zh"  # "zh": Chinese titles with an English subtitle; "en": English only
CITY = None  # the city; None: the collection's region at level city
REGIONS = None  # districts or counties set beside the city; None: every one that gives a figure the city gives
YEARS = []  # the years drawn; []: every year in the data

# %%
THEME = "economy"

from IPython.display import Markdown, display

import zzdata
from zzdata.viz import views
from zzdata.viz.words import Words

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
nb = views.open_notebook("01_economy", Words(LANG), city=CITY, regions=REGIONS, years=YEARS)
display(Markdown(views.texts_used(nb, THEME)))

# %% [markdown]
# ## Year over year
#
# The work reports give the economy mainly as growth rates, not amounts, so the first chart holds
# only the few amounts printed for two years or more and the second carries most of the story: GDP,
# industry, investment and retail sales growth for each year a report gives them, newest first.

# %%
views.show(nb, views.year_over_year(nb, THEME))

# %%
views.show(nb, views.growth_rates(nb, THEME))

# %% [markdown]
# ## Targets against results
#
# Economic targets are mostly growth rates announced at the start of the year (GDP, industry,
# investment, retail sales), so most rows are dumbbells: read the distance from the target to the
# result. Output and revenue targets (cars, tourism) are amounts, shown as the share reached. The
# consumer price target is a ceiling: a result at or below it meets it.

# %%
table, summary = views.targets(nb, THEME)
display(Markdown(summary))
views.show(nb, table)

# %% [markdown]
# ## The districts and counties against the city
#
# Each district's or county's work report gives its own GDP and growth rates: beside the city's they
# show which regions grew faster or slower than the city as a whole (the dashed line), and what share
# of the city's output each accounts for. One chart for each year in which the city and at least one
# region give the same indicator.

# %%
views.show(nb, views.district_vs_city(nb, THEME))

# %% [markdown]
# ## The facts charted and their sources
#
# Every value drawn above, with the text it was printed in, the figure as printed and its clause;
# `zzdata.trace(fact_id)` shows the raw text around any growth rate or amount that looks odd.

# %%
views.charted_facts(nb, nb.book.sources())
