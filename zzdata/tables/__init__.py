"""Tables: the build (per-document cache, per-stage fingerprints), the writers (CSV, Parquet,
Excel) and the loaders. Imports core, ingest, extract and series.
"""
