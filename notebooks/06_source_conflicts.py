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
# sentence. The choice rule, as `zzdata.series.choice` applies it, follows the list of texts.

# %% tags=["parameters"]
LANG = "zh"  # "zh": Chinese titles with an English subtitle; "en": English only
CITY = None  # the city; None: the collection's region at level city
REGIONS = None  # the regions whose disagreements are shown; None: every region
YEARS = []  # the years drawn; []: every year in the data

# %%
NOTEBOOK = "06_source_conflicts"

from IPython.display import Markdown, display

import zzdata
from zzdata.viz import views
from zzdata.viz.words import Words

zzdata.ensure_data()  # builds data/processed/ from data/raw/ if it is missing or out of date
nb = views.open_notebook(NOTEBOOK, Words(LANG), city=CITY, regions=REGIONS, years=YEARS)
facts, series, documents, alternatives, book = nb.facts, nb.series, nb.documents, nb.alternatives, nb.book
if REGIONS:  # only the regions asked for
    alternatives = alternatives[alternatives["region"].isin(nb.regions)]

# %%
used = set(alternatives["doc"]) | set(alternatives["chosen_doc"])
display(Markdown(nb.words.describe_texts(documents, facts, docs=used)))

# %% [markdown]
# ## The choice rule
#
# When texts disagree, one value is chosen by these steps, each deciding only what the steps
# before it left open (written once, in `zzdata.series.choice.CHOICE_RULE`):

# %%
display(Markdown(nb.words.choice_rule()))

# %% [markdown]
# ## The conflicts
#
# One row per disagreeing text: the chosen value and document, the other value and document.

# %%
conflicts = series[series["conflict"]]
display(Markdown(nb.words.phrase("conflicts_summary", n=len(conflicts), total=len(series))))
views.show(nb, alternatives[["indicator", "region", "year", "status", "measure", "unit", "chosen_value", "chosen_doc", "value",
                            "period", "doc"]])

# %%
views.conflicts(nb, alternatives)

# %% [markdown]
# ## The facts charted and their sources
#
# Both figures of every conflict, with the text and clause each was printed in.

# %%
views.charted_facts(nb, nb.book.sources())
