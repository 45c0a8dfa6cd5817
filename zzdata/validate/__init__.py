"""Validation: the extracted facts measured against the hand-read gold set (evaluate.py) and the
checks a statistician runs on the built tables (checks.py, report.py: `make validate`). Imports
core, ingest, extract and tables.
"""
