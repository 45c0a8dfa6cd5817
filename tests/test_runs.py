"""core.runs: the runs of equal keys the series, the checks and the review pages cut tables by."""

from __future__ import annotations

import numpy as np

from zzdata.core.runs import grouped, runs


def test_runs_of_equal_neighbours():
    assert runs(np.array([3, 3, 1, 1, 1, 3])) == ([0, 2, 5], [2, 5, 6])
    assert runs(np.array(["a"], dtype=object)) == ([0], [1])
    assert runs(np.array([], dtype="int64")) == ([], [])


def test_grouped_keeps_the_first_seen_first_within_a_key():
    keys = np.array([2.0, 0.0, 2.0, 1.0, 0.0])
    order, starts, ends = grouped(keys)
    assert order.tolist() == [1, 4, 3, 0, 2]
    assert [keys[order][a:b].tolist() for a, b in zip(starts, ends)] == [[0.0, 0.0], [1.0], [2.0, 2.0]]
