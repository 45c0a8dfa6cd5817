"""What every room reads: the project's folders, the errors a researcher sees, the column and
fixed lists (data/columns.csv, data/vocab.csv), the period grammar and the curated knowledge
(indicator catalog, regions, cue words). Imports no other room.
"""
