"""zzdata: Zhengzhou (郑州) government work reports and year reviews as sourced pandas tables.

    import zzdata
    facts = zzdata.load_facts()          # one row per printed number, with its offsets
    series = zzdata.load_series()        # one chosen value per indicator/region/year/status
    print(zzdata.trace(facts.iloc[0]))   # the sentence the number came from

Heavy modules (pandas) load on first use, so `python -m zzdata build` can say "up to date" fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "load_facts": "load", "load_series": "load", "load_documents": "load", "load_indicators": "load",
    "load_claims": "load", "raw_text": "load", "trace": "load", "ensure_data": "load", "DataNotBuilt": "load",
    "build": "build", "year_over_year": "compare", "target_vs_actual": "compare",
    "district_vs_city": "compare", "evaluate": "evaluate", "project_root": "paths",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f"zzdata.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'zzdata' has no attribute {name!r}")
