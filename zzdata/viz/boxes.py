"""Bounding boxes' edges and unions without numpy's reductions, while a chart is made, laid out and
drawn. Imports neither pandas nor the rest of zzdata.

Why. matplotlib finds a box's left edge as ``np.min`` of its two x coordinates, and the union of
boxes as ``np.min`` of their edges: a numpy reduction over two numbers, or a handful, which costs
microseconds of dispatching for an answer that a comparison gives. The layout asks tens of
thousands of times a chart (every text's box, every tight box): 3-4 % of notebook 05's time.
:func:`plain_edges` (entered by ``style.house``) stands in for them with plain comparisons of the
same numbers, which give the same number. Where numpy's own choice among the numbers could show --
a zero (numpy picks between +0.0 and -0.0 as it goes) or a NaN among them -- numpy is asked, so the
answer is numpy's to the bit. When the installed matplotlib computes them otherwise, its own stand.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from matplotlib.transforms import Bbox, BboxBase

from .canvas import source_of, swapped


def least(values: Sequence[Any]) -> Any:
    """``np.min(values)``: the same value of the same type, by comparison where it is a plain
    number, by numpy where a zero or a NaN makes its choice show."""
    found = values[0]
    plain = found == found
    for value in values[1:]:
        if value < found:
            found = value
        elif value != value:
            plain = False
    return found if plain and found != 0 else np.min(values)


def most(values: Sequence[Any]) -> Any:
    """``np.max(values)``, as :func:`least` gives ``np.min``."""
    found = values[0]
    plain = found == found
    for value in values[1:]:
        if value > found:
            found = value
        elif value != value:
            plain = False
    return found if plain and found != 0 else np.max(values)


def _edge(pick: Any, column: int) -> property:
    """A box's edge: ``pick`` of its two corners' coordinates in ``column`` (0: x, 1: y)."""
    def edge(self: BboxBase) -> Any:
        points = self.get_points()
        return pick((points[0, column], points[1, column]))
    return property(edge)


def union(bboxes: Sequence[BboxBase]) -> Bbox:
    """``BboxBase.union``: the box that holds all of ``bboxes``, its edges by :func:`least` and
    :func:`most`."""
    if not len(bboxes):
        raise ValueError("'bboxes' cannot be empty")
    x0 = least([bbox.xmin for bbox in bboxes])
    x1 = most([bbox.xmax for bbox in bboxes])
    y0 = least([bbox.ymin for bbox in bboxes])
    y1 = most([bbox.ymax for bbox in bboxes])
    return Bbox([[x0, y0], [x1, y1]])


#: What matplotlib's own edges and union compute, line by line (matplotlib 3.11).
_THEIRS = {
    "xmin": "return np.min(self.get_points()[:, 0])",
    "ymin": "return np.min(self.get_points()[:, 1])",
    "xmax": "return np.max(self.get_points()[:, 0])",
    "ymax": "return np.max(self.get_points()[:, 1])",
}
_THEIR_UNION = ("x0 = np.min([bbox.xmin for bbox in bboxes])", "x1 = np.max([bbox.xmax for bbox in bboxes])",
                "y0 = np.min([bbox.ymin for bbox in bboxes])", "y1 = np.max([bbox.ymax for bbox in bboxes])",
                "return Bbox([[x0, y0], [x1, y1]])")


@functools.cache
def _reduces_with_numpy() -> bool:
    """Whether this matplotlib's box edges and union are the numpy reductions :data:`_THEIRS`."""
    own = vars(BboxBase)
    edges = {name: source_of(getattr(own.get(name), "fget", None)) for name in _THEIRS}
    merged = source_of(getattr(own.get("union"), "__func__", None))
    return all(line in edges[name] for name, line in _THEIRS.items()) and all(line in merged for line in _THEIR_UNION)


@contextlib.contextmanager
def plain_edges() -> Iterator[None]:
    """While the block runs, a box's edges and the union of boxes are worked out by comparison
    (:func:`least`, :func:`most`); matplotlib's own after."""
    if not _reduces_with_numpy():
        yield
        return
    with swapped(BboxBase, xmin=_edge(least, 0), ymin=_edge(least, 1), xmax=_edge(most, 0), ymax=_edge(most, 1),
                 union=staticmethod(union)):
        yield
