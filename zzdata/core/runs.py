"""Runs of equal keys in an array: the one way the rooms cut a sorted table into its groups
without pandas' work per group (the series' other values, the checks' groups, a review page's
rows of one document)."""

from __future__ import annotations

import numpy as np


def runs(keys: np.ndarray) -> tuple[list[int], list[int]]:
    """Where each run of equal neighbouring values of `keys` starts and ends (the end excluded),
    as two lists: ``[0, 0, 1, 1, 1]`` -> ``([0, 2], [2, 5])``."""
    keys = np.asarray(keys)
    if not len(keys):
        return [], []
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return starts.tolist(), np.r_[starts[1:], len(keys)].tolist()


def grouped(keys: np.ndarray) -> tuple[np.ndarray, list[int], list[int]]:
    """The stable order that brings equal keys together (first seen first within a key), and the
    runs of `keys` in that order (:func:`runs`)."""
    keys = np.asarray(keys)
    order = np.argsort(keys, kind="stable")
    return (order, *runs(keys[order]))
