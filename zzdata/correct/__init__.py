"""Corrections: the researcher's hand corrections (data/raw/corrections.csv: drop a figure, set
its fields, add one the build missed) applied to the facts as read, after the extraction and
before the series; rows that no longer match their text are reported as stale. Imports core,
ingest and extract.

    from zzdata.correct import record
    record("zhongyuan_….txt:1234", drop=True, note="a slogan count, not a figure")
    record("zhongyuan_….txt:2345", fields={"indicator": "gdp", "period": "2016"}, note="…")
    record(add=("zhongyuan_….txt", 3456, 3461), fields={"indicator": "gdp"}, note="…")

rows.py reads and checks the file, checks.py and conflicts.py hold the checks, apply.py (with
fields.py and added.py) applies the rows, stage.py is the build's stage, record.py appends a row.
"""

import importlib

#: name -> the module that defines it, imported on first use (PEP 562): the command line reads
#: the fields of a correction (checks.FIELDS) to offer its options, and a no-op `make data` must
#: not wait for pandas, which fields.py and rows.py import.
_EXPORTS = {"ADDED": ".fields", "CORRECTION_COLUMNS": ".checks", "record": ".record", "COLUMNS": ".rows",
            "CORRECTIONS": ".rows", "CorrectionError": ".rows", "read_rows": ".rows"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value
