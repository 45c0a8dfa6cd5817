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
# # 生态环境：逐年变化、目标完成与各区县 · The environment: year over year, targets, districts and counties
#
# **What this notebook shows.** Air quality, green space, parks, afforestation and the other
# environment indicators of the reports: how they moved between the years the reports cover, how the
# results compare with the targets the city set for the year, and how each district and county
# compares with the whole city. The city, the regions and the years come from the collection (or the
# parameters below); every number is read from `data/processed/` by `zzdata`, nothing is typed here,
# and a report added to `data/raw/` extends every chart on a rerun.
#
# **Texts.** In these texts the environment figures come from the work reports, not the year-end
# review; the cell below lists the texts, their caveats and how a value is chosen when two texts disagree.

# %% tags=["parameters"]
LANG = "zh"  # "zh": Chinese titles with an English subtitle; "en": English only
CITY = None  # the city; None: the collection's region at level city
REGIONS = None  # districts or counties set beside the city; None: every one that gives a figure the city gives
YEARS = []  # the years drawn; []: every year in the data

# %%
THEME = "environment"

from IPython.display import Markdown, display

import zzdata
from zzdata.viz import views
from zzdata.viz.words import Words

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
nb = views.open_notebook("03_environment", Words(LANG), city=CITY, regions=REGIONS, years=YEARS)
display(Markdown(views.texts_used(nb, THEME)))

# %% [markdown]
# ## Year over year
#
# Two kinds of figure sit side by side here: states (days of good air in the year) and additions (new green space, new parks). A rise in a state is an improvement; a fall in an
# addition only means less was built that year. The growth chart is usually empty for this theme.

# %%
views.show(nb, views.year_over_year(nb, THEME))

# %%
views.show(nb, views.growth_rates(nb, THEME))

# %% [markdown]
# ## Targets against results
#
# Environment targets are mostly areas and counts of green space and parks to be added in the year;
# a bar past the 100% line means more was added than promised.

# %%
table, summary = views.targets(nb, THEME)
display(Markdown(summary))
views.show(nb, table)

# %% [markdown]
# ## The districts and counties against the city
#
# Days of good air do not add up over regions, so they rank the regions against the city's own
# count; green space and parks added are shown as each region's share of the city's total.

# %%
views.show(nb, views.district_vs_city(nb, THEME))

# %% [markdown]
# ## The facts charted and their sources
#
# Every value drawn above, with the text it was printed in, the figure as printed and its clause;
# `zzdata.trace(fact_id)` shows the raw text around any of them.

# %%
views.charted_facts(nb, nb.book.sources())
