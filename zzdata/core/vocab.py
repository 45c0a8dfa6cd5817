"""The fixed lists every room shares -- themes, document types, statuses, measures, qualifiers,
region levels -- with their Chinese and English names, read from ``data/vocab.csv``.

One home for each list: the manifest checks against it, the extraction writes its values,
the choice rule ranks document types by its order, and the charts name things from it.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def _rows() -> tuple[dict[str, str], ...]:
    with resources.files("zzdata").joinpath("data/vocab.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@lru_cache(maxsize=None)
def values(name: str) -> tuple[str, ...]:
    """The values of one list, in the file's order (for document types: the choice rule's order,
    a work report first)."""
    out = tuple(r["value"] for r in _rows() if r["list"] == name)
    if not out:
        raise KeyError(f"no list {name!r} in zzdata/data/vocab.csv")
    return out


def rank(name: str) -> dict[str, int]:
    """value -> its position in the list (0 first)."""
    return {v: i for i, v in enumerate(values(name))}


@lru_cache(maxsize=None)
def names(name: str, lang: str = "zh") -> dict[str, str]:
    """value -> its Chinese (``lang="zh"``) or English (``"en"``) name."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return {r["value"]: r[lang] for r in _rows() if r["list"] == name}


def describe(name: str) -> dict[str, str]:
    """value -> what it means (for documentation)."""
    return {r["value"]: r["description"] for r in _rows() if r["list"] == name}


THEMES = values("theme")
DOC_TYPES = values("doc_type")
STATUSES = values("status")
MEASURES = values("measure")
QUALIFIERS = values("qualifier")
REGION_LEVELS = values("region_level")
#: The theme of a figure that no keyword places: the first theme of the list.
DEFAULT_THEME = THEMES[0]
