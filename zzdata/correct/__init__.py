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

from .fields import ADDED, CORRECTION_COLUMNS
from .record import record
from .rows import COLUMNS, CORRECTIONS, CorrectionError, read_rows

__all__ = ["ADDED", "COLUMNS", "CORRECTIONS", "CORRECTION_COLUMNS", "CorrectionError", "read_rows", "record"]
