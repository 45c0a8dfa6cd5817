"""Boxes' edges and unions by comparison (zzdata/viz/boxes.py): numpy's answer to the bit, and the
same laid-out files as matplotlib's own."""

from __future__ import annotations

import random

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.transforms import Bbox, BboxBase  # noqa: E402
from test_canvas import _ticked  # noqa: E402

from zzdata.viz import boxes  # noqa: E402

#: Numbers where numpy's choice shows (signed zeros, NaN) or could be got wrong (ties, infinities).
_AWKWARD = [0.0, -0.0, np.nan, np.inf, -np.inf, 1.5, 1.5, -2.25, 1e-300, -1e300]


def _same(a, b) -> bool:
    """The same number to the bit (a NaN is a NaN), of the same type."""
    if type(a) is not type(b):
        return False
    if np.isnan(a) and np.isnan(b):
        return True
    return a == b and np.signbit(a) == np.signbit(b)


def _lists(count: int, seed: int) -> list[list]:
    rng = random.Random(seed)
    made = [[np.float64(0.0), np.float64(-0.0)], [np.float64(-0.0), np.float64(0.0)],
            [np.float64(1.0), np.float64(0.0), np.float64(-0.0)], [np.int64(3), np.int64(-4)]]
    for _ in range(count):
        made.append([np.float64(rng.choice(_AWKWARD) if rng.random() < 0.5 else rng.uniform(-9, 9))
                     for _ in range(rng.randint(1, 12))])
    return made


def test_least_and_most_are_numpys_min_and_max_to_the_bit():
    for values in _lists(3000, seed=11):
        assert _same(boxes.least(values), np.min(values)), values
        assert _same(boxes.most(values), np.max(values)), values
        assert _same(boxes.least(tuple(values)), np.min(values)), values


def test_edges_and_unions_inside_the_block_are_matplotlibs():
    rng = random.Random(5)
    corners = [[[rng.choice(_AWKWARD + [rng.uniform(-5, 5)]) for _ in range(2)] for _ in range(2)] for _ in range(400)]
    made = [Bbox(points) for points in corners]
    theirs = [(b.xmin, b.ymin, b.xmax, b.ymax) for b in made]
    their_unions = [Bbox.union(made[i:i + k]).get_points().copy() for i, k in zip(range(0, 390, 7), range(1, 60))]
    own = {name: vars(BboxBase)[name] for name in ("xmin", "xmax", "ymin", "ymax", "union")}
    with boxes.plain_edges():
        if boxes._reduces_with_numpy():
            assert vars(BboxBase)["union"].__func__ is boxes.union  # in place
        ours = [(b.xmin, b.ymin, b.xmax, b.ymax) for b in made]
        our_unions = [Bbox.union(made[i:i + k]).get_points().copy() for i, k in zip(range(0, 390, 7), range(1, 60))]
        with pytest.raises(ValueError):
            Bbox.union([])
    assert {name: vars(BboxBase)[name] for name in own} == own  # matplotlib's own again
    for mine, want in zip(ours, theirs, strict=True):
        assert all(_same(a, b) for a, b in zip(mine, want, strict=True)), (mine, want)
    for mine, want in zip(our_unions, their_unions, strict=True):
        assert np.array_equal(mine, want, equal_nan=True) and np.array_equal(np.signbit(mine), np.signbit(want))


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_a_laid_out_figure_is_the_same_file_with_plain_edges(fmt):
    plain = _ticked(fmt)
    with boxes.plain_edges():
        ours = _ticked(fmt)
    assert ours == plain
