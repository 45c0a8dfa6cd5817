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
# # 郑州生态环境：逐年变化、目标完成与中原区 · Zhengzhou's environment
#
# **What this notebook shows.** Air quality, green space, parks, afforestation and the other
# environment indicators of the reports: how they moved between the years the reports cover, how
# the results compare with the targets the city set for the year, and how 中原区 (Zhongyuan
# District) compares with the whole city. Every number comes from `data/processed/` through
# `zzdata`; nothing is typed here. When a newer report is added to `data/raw/`, rerunning the
# notebook extends every chart.
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
THEME = "environment"

from IPython.display import Markdown, display

import zzdata
from zzdata import views

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
nb = views.open_notebook("03_environment", lang=LANG)
display(Markdown(views.texts_used(nb, THEME)))

# %% [markdown]
# ## Year over year
#
# Amounts and rates the texts give for more than one year, one panel per indicator (each on its
# own axis, since units differ), with the change from the previous year that has data. Growth
# rates are themselves year-over-year changes; the next chart shows them for every year reported.

# %%
views.year_over_year(nb, THEME)

# %%
views.growth_rates(nb, THEME)

# %% [markdown]
# ## Targets against results
#
# The targets the city set for a year (the work report delivered early in the year) against the
# results reported for it. Direction follows the catalog (`better`): for most indicators more is
# better, for prices less is. Amounts are shown as the share of the target reached; rates as a
# dumbbell from target to result.

# %%
table, summary = views.targets(nb, THEME)
display(Markdown(summary))
table

# %% [markdown]
# ## 中原区 against the city
#
# The district's figures beside the city's for the same year: the district's share of the city
# for amounts, the gap in percentage points for rates.

# %%
views.district_vs_city(nb, THEME)

# %% [markdown]
# ## The facts charted and their sources
#
# Every value drawn above, with the text it was printed in, the figure as printed and its clause.
# `zzdata.trace(fact_id)` shows the raw text around any of them.

# %%
views.charted_facts(nb, nb.book.sources())
