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
# # 住房与城市建设：逐年变化、目标完成与各区县 · Housing and urban infrastructure: year over year, targets, districts and counties
#
# **What this notebook shows.** Affordable and talent housing, guaranteed delivery of pre-sold
# homes, old-compound renovation, lifts, pipelines, heating and parking: how these indicators
# moved between the years the reports cover, how the results compare with the targets the city
# set for the year, and how each district and county compares with the whole city. The city, the
# regions and the years come from the collection (or the parameters below); every number is read
# from `data/processed/` by `zzdata`, nothing is typed here, and a report added to `data/raw/`
# extends every chart on a rerun.
#
# **Texts.** Housing and infrastructure figures are counts of homes, lifts, parking spaces and
# kilometres of pipe; the cell below lists the texts, their caveats and how a value is chosen when
# two texts disagree.

# %% tags=["parameters"]
LANG = "zh"  # "zh": Chinese titles with an English subtitle; "en": English only
CITY = None  # the city; None: the collection's region at level city
REGIONS = None  # districts or counties set beside the city; None: every one that gives a figure the city gives
YEARS = []  # the years drawn; []: every year in the data

# %%
THEME = "housing"

from IPython.display import Markdown, display

import zzdata
from zzdata.viz import views
from zzdata.viz.words import Words

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
nb = views.open_notebook("04_housing", Words(LANG), city=CITY, regions=REGIONS, years=YEARS)
display(Markdown(views.texts_used(nb, THEME)))

# %% [markdown]
# ## Year over year
#
# The amounts printed for more than one year (talent flats, shared parking spaces, lifts added to
# old blocks, gas pipelines) are each in their own unit, so each has its own panel: compare the
# slope, not the height, across panels. The growth chart is usually empty for this theme.

# %%
views.show(nb, views.year_over_year(nb, THEME))

# %%
views.show(nb, views.growth_rates(nb, THEME))

# %% [markdown]
# ## Targets against results
#
# Housing targets are the year's programme (homes to deliver, flats to build, pipes to renew); a bar
# past the 100% line means the programme was exceeded, a short bar that part of it is still open.

# %%
table, summary = views.targets(nb, THEME)
display(Markdown(summary))
views.show(nb, table)

# %% [markdown]
# ## The districts and counties against the city
#
# Each region's share of the city's lifts and talent flats: how much of the city's programme was
# carried out there. Where a region's figure exceeds the city's (the texts count different things,
# as for pipe renewal), the pair is not drawn but named under the chart with the reason.

# %%
views.show(nb, views.district_vs_city(nb, THEME))

# %% [markdown]
# ## The facts charted and their sources
#
# Every value drawn above, with the text it was printed in, the figure as printed and its clause;
# `zzdata.trace(fact_id)` shows the raw text around any of them.

# %%
views.charted_facts(nb, nb.book.sources())
