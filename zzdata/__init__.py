"""zzdata: Zhengzhou (郑州) government work reports and year reviews as sourced pandas tables.

    import zzdata
    facts = zzdata.load_facts()          # one row per printed number, with its offsets
    series = zzdata.load_series()        # one chosen value per indicator/region/year/status
    print(zzdata.trace(facts.iloc[0]))   # the sentence the number came from

The package's folders follow the data (each room imports only the rooms before it):

    core/      what every room reads: paths, errors, column and fixed lists, curated knowledge
    ingest/    raw files to text (a reader per format) and the sources manifest
    extract/   text to facts and claims: clean, segment, quantities, facts, claims
    series/    the choice rule (one value per key) and the comparisons the charts draw
    tables/    the build: per-document cache, writers (CSV, Parquet, Excel), loaders
    validate/  the extraction measured against the hand-read gold set
    viz/       house style, chart forms, the notebooks' views
    tools/     the notebook runner and the benchmark

Heavy modules (pandas) load on first use, so `python -m zzdata build` can say "up to date" fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "load_facts": "tables.load", "load_series": "tables.load", "load_documents": "tables.load",
    "load_indicators": "tables.load", "load_claims": "tables.load", "load_corrections": "tables.load", "raw_text": "tables.load",
    "load_panel": "tables.load", "load_panel_columns": "tables.load",
    "trace": "tables.load", "DataNotBuilt": "tables.load",
    "build": "tables.build", "ensure_data": "tables.build",
    "year_over_year": "series.compare", "target_vs_actual": "series.compare", "district_vs_city": "series.compare",
    "evaluate": "validate.evaluate", "project_root": "core.paths",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f"zzdata.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'zzdata' has no attribute {name!r}")
