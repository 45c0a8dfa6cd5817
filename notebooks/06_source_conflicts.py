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
# # 各文本数字不一致之处 · Where the texts disagree
#
# **What this notebook shows.** Every indicator, region, year, status and measure for which two
# texts print different values -- mostly the preliminary year-end review against the later work
# report -- with the value `zzdata` uses and the one it does not. The other notebooks draw both
# values where such an indicator appears; this one lists them all in one place, so a reader can
# judge the choice. Every number comes from `data/processed/` through `zzdata`; nothing is typed.
#
# **Texts and caveats.** The cell below lists the texts involved, read from `documents.csv`, with
# their caveats. A difference is not always an error: the year-end review was printed before the
# year ended (a part-year or estimated figure), and two texts may count a slightly different thing
# under the same name (a subtotal and a total). `zzdata.trace(fact_id)` shows each figure in its
# sentence.
#
# **The choice rule** (in `zzdata/series/choice.py` and the README): a precise figure beats a threshold
# (突破, 迈入: a milestone passed, not a level); a text giving one value beats one listing sub-items;
# a figure for the full period beats a partial or preliminary one; a single year beats a multi-year period; a work report beats a
# year-end review, which beats a news story; a later text beats an earlier one; within one text,
# the first figure printed.

# %%
LANG = "zh"  # "zh": Chinese titles with an English subtitle; "en": English only
NOTEBOOK = "06_source_conflicts"

from IPython.display import Markdown, display

import zzdata
from zzdata.viz import charts, views

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
nb = views.open_notebook(NOTEBOOK, lang=LANG)
facts, series, documents, alternatives, book = nb.facts, nb.series, nb.documents, nb.alternatives, nb.book

# %%
used = set(alternatives["doc"]) | set(alternatives["chosen_doc"])
display(Markdown(charts.describe_texts(documents, facts, docs=used, lang=LANG)))

# %% [markdown]
# ## The conflicts
#
# One row per disagreeing text: the chosen value and document, the other value and document.

# %%
conflicts = series[series["conflict"]]
display(Markdown(f"**{len(conflicts)}** of {len(series)} series values are given differently by two or more texts."))
alternatives[["indicator", "region", "year", "status", "measure", "chosen_value", "chosen_doc", "value", "period", "doc"]]

# %%
years = sorted(alternatives["year"].dropna().astype(int).unique())
span = "、".join(map(str, years))
chart = charts.conflict_panels(
    alternatives, series, documents, lang=LANG,
    title_zh=f"各文本给出的不同数值（{span}年）",
    title_en=f"Where the texts give different values ({', '.join(map(str, years))})",
)
book.save(chart, "conflicts", empty="No two texts disagree.");

# %% [markdown]
# ## The facts charted and their sources
#
# Both figures of every conflict, with the text and clause each was printed in.

# %%
views.charted_facts(nb, nb.book.sources())
