"""Extraction: text to facts and claims -- clean (with an offset map to the raw text), segment
into sections and clauses, find quantities, read each one's label, period, status and indicator.
Imports core and ingest.
"""
