"""What of a notebook's shared tables a chart can show: the rows its own frame names.

A chart form is handed the notebook's other texts' values (``alternatives``) and ``documents``
beside its frame, and looks them up only by the frame's rows: the other values of an indicator, in
a region and a year it draws, and the documents its rows and those values cite. Handing it just
those rows draws the same picture, and keeps the chart's key (:mod:`.reuse`) the same when a report
about other regions, indicators or years comes in: adding one district's report redraws the charts
that show that district, not every chart of every notebook. Imports neither matplotlib nor the
rest of zzdata.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

#: The columns of a chart's frame that name a region (a district's row names the city beside it).
REGION_COLUMNS = ("region", "district", "city")
#: The columns of ``documents`` a chart shows (through ``Words.doc``, ``doc_kind`` and
#: ``other_text``): the others (counts of facts, ``n_corrected``, the file's hash) change with a
#: correction or a reread and would redraw every chart citing the text for nothing.
DOCUMENT_COLUMNS = ("file", "region", "doc_type", "delivered")


def doc_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` that name a document by its file: ``doc`` and every ``…_doc``
    (``chosen_doc``, ``prev_doc``, ``city_doc``, ``target_doc`` …)."""
    return [c for c in frame.columns if c == "doc" or str(c).endswith("_doc")]


def _values(frame: pd.DataFrame, columns: Sequence[str]) -> set:
    found: set = set()
    for column in columns:
        if column in frame.columns:
            found.update(frame[column].dropna().unique().tolist())
    return found


def _among(column: pd.Series, frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Where ``column`` takes a value of the frame's ``columns`` (a missing value among them too)."""
    present = [c for c in columns if c in frame.columns]
    found = column.isin(_values(frame, present))
    if any(frame[c].isna().any() for c in present):
        found |= column.isna()
    return found


def alternatives_for(frame: pd.DataFrame, alternatives: pd.DataFrame | None) -> pd.DataFrame | None:
    """The other texts' values a chart of ``frame`` can draw: those of its indicators, in its
    regions (:data:`REGION_COLUMNS`) and its years (all years when the frame has none)."""
    if alternatives is None:
        return None
    if frame is None or frame.empty or alternatives.empty:
        return alternatives.iloc[0:0].reset_index(drop=True)
    keep = _among(alternatives["indicator"], frame, ["indicator"])
    keep &= _among(alternatives["region"], frame, REGION_COLUMNS)
    if "year" in frame.columns:
        keep &= _among(alternatives["year"], frame, ["year"])
    return alternatives[keep].reset_index(drop=True)


def documents_for(documents: pd.DataFrame, *frames: pd.DataFrame | None) -> pd.DataFrame:
    """The documents the rows of ``frames`` cite (:func:`doc_columns`), in their order in
    ``documents``, with the columns a chart shows (:data:`DOCUMENT_COLUMNS`)."""
    files: set = set()
    for frame in frames:
        if frame is not None:
            files |= _values(frame, doc_columns(frame))
    shown = [c for c in DOCUMENT_COLUMNS if c in documents.columns]
    return documents.loc[documents["file"].isin(files), shown].reset_index(drop=True)


def rows_for(table: pd.DataFrame, frame: pd.DataFrame, key: Sequence[str]) -> pd.DataFrame:
    """The rows of ``table`` whose ``key`` columns take values a row of ``frame`` takes."""
    if frame is None or frame.empty:
        return table.iloc[0:0].reset_index(drop=True)
    keys = frame[list(key)].drop_duplicates()
    keep = pd.MultiIndex.from_frame(table[list(key)]).isin(pd.MultiIndex.from_frame(keys))
    return table[keep].reset_index(drop=True)


def region_rows(frame: pd.DataFrame, region: str) -> pd.DataFrame:
    """The rows of one region, for a chart of that region alone (its form sets the others aside
    itself, so they only made its key change with every other region's report)."""
    return frame[frame["region"] == region].reset_index(drop=True)
