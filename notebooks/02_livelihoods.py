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
# # 民生：逐年变化、目标完成与各区县 · Livelihoods: year over year, targets, districts and counties
#
# **What this notebook shows.** Jobs, schools, elderly care, childcare, training and the other
# livelihood indicators of the reports: how they moved between the years the reports cover, how the
# results compare with the targets the city set for the year, and how each district and county
# compares with the whole city. The city, the regions and the years come from the collection (or the
# parameters below); every number is read from `data/processed/` by `zzdata`, nothing is typed here,
# and a report added to `data/raw/` extends every chart on a rerun.
#
# **Texts.** Livelihood figures are mostly counts of things built or done in the year (new jobs,
# new school places, care beds); the cell below lists the texts, their caveats and how a value is
# chosen when two texts disagree.

# %% tags=["parameters"]
LANG = "zh"  # "zh": Chinese titles with an English subtitle; "en": English only
CITY = None  # the city; None: the collection's region at level city
REGIONS = None  # districts or counties set beside the city; None: every one that gives a figure the city gives
YEARS = []  # the years drawn; []: every year in the data

# %%
THEME = "livelihoods"

from IPython.display import Markdown, display

import zzdata
from zzdata.viz import views
from zzdata.viz.words import Words

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
nb = views.open_notebook("02_livelihoods", Words(LANG), city=CITY, regions=REGIONS, years=YEARS)
display(Markdown(views.texts_used(nb, THEME)))

# %% [markdown]
# ## Year over year
#
# Livelihood indicators are counts per year, not growth rates: the first chart compares the years
# in which the same count was printed (new urban jobs, rural workers placed in jobs, new high
# schools), and the growth chart is usually empty for this theme.

# %%
views.show(nb, views.year_over_year(nb, THEME))

# %%
views.show(nb, views.growth_rates(nb, THEME))

# %% [markdown]
# ## Targets against results
#
# The livelihood targets are annual quantities promised in the work report (jobs, school places,
# childcare places per thousand people); a bar past the 100% line means the promise was exceeded.

# %%
table, summary = views.targets(nb, THEME)
display(Markdown(summary))
views.show(nb, table)

# %% [markdown]
# ## The districts and counties against the city
#
# Most livelihood figures add up over regions, so each district or county is shown as its share of
# the city's total: how much of the city's new jobs, school places or care places came from it.
# Rates (unemployment) and per-capita figures rank the regions against the city's value.

# %%
views.show(nb, views.district_vs_city(nb, THEME))

# %% [markdown]
# ## The facts charted and their sources
#
# Every count drawn above, with the text it was printed in, the figure as printed and its clause;
# `zzdata.trace(fact_id)` shows the raw text around any of them.

# %%
views.charted_facts(nb, nb.book.sources())
