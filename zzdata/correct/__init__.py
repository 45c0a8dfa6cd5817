"""Corrections: the researcher's hand corrections (data/raw/corrections.csv: drop a figure, set
its fields, add one the build missed) applied to the facts as read, after the extraction and
before the series; rows that no longer match their text are reported as stale. Imports core,
ingest and extract.
"""
