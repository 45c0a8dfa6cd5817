"""No two texts of a chart overlap: the rendered bounding boxes of every text that is drawn --
titles, the source and note lines, panel titles, tick labels, axis labels, value labels, legend
texts -- checked pair by pair. Imports neither pandas nor the rest of zzdata.

:func:`find_overlaps` lists the overlapping pairs of a laid-out figure; :func:`check` raises
:class:`OverlapError` (strict) or warns with :class:`OverlapWarning`. ``save_figure`` calls it on
every chart it writes: strict when ``$ZZDATA_STRICT_CHARTS`` is ``1`` (the tests set it), a
warning otherwise.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import Any

#: Boxes must overlap by more than this (points, in both directions) to count: text boxes include
#: the font's line gap, so two labels that merely touch are not a collision.
TOLERANCE_PT = 1.0
STRICT_ENV = "ZZDATA_STRICT_CHARTS"


class OverlapError(ValueError):
    """Two or more texts of a chart overlap (strict mode)."""


class OverlapWarning(UserWarning):
    """Two or more texts of a chart overlap."""


@dataclass(frozen=True)
class Overlap:
    a: str
    b: str
    width_pt: float
    height_pt: float

    def __str__(self) -> str:
        return f"{self.a} overlaps {self.b} ({self.width_pt:.1f} x {self.height_pt:.1f} pt)"


def _describe(text: Any, role: str) -> str:
    words = " ".join(text.get_text().split())
    return f"{role} {words[:40]!r}"


def _in_view(axis: Any, loc: float) -> bool:
    lo, hi = sorted(axis.get_view_interval())
    tol = (hi - lo) * 1e-10 + 1e-12
    return lo - tol <= loc <= hi + tol


def _axis_texts(axis: Any) -> list[tuple[Any, str]]:
    """The tick labels the axis draws (ticks in view only), its label and offset text."""
    name = axis.axis_name
    out: list[tuple[Any, str]] = []
    for kind, locs, getter in (("major", axis.get_majorticklocs(), axis.get_major_ticks),
                               ("minor", axis.get_minorticklocs(), axis.get_minor_ticks)):
        if not len(locs):
            continue
        for tick, loc in zip(getter(len(locs)), locs, strict=False):
            if not tick.get_visible() or not _in_view(axis, loc):
                continue
            for label in (tick.label1, tick.label2):
                if label.get_visible():
                    out.append((label, f"{name} tick label"))
    for text, role in ((axis.label, f"{name} axis label"), (axis.offsetText, f"{name} offset")):
        if text.get_visible():
            out.append((text, role))
    return out


def visible_texts(fig: Any) -> list[tuple[Any, str]]:
    """Every Text artist of the figure that is drawn, with what it is."""
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis, Tick
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    found: list[tuple[Any, str]] = []

    def walk(artist: Any, role: str) -> None:
        if not artist.get_visible():
            return
        if isinstance(artist, Axis):
            found.extend(_axis_texts(artist))
            return
        if isinstance(artist, Tick):
            return
        if isinstance(artist, Text):
            found.append((artist, role))
            return
        children = artist.get_children()
        if isinstance(artist, Axes):
            role = f"panel {artist.get_subplotspec().num1 + 1 if artist.get_subplotspec() else '?'}"
            if not artist.axison:
                children = [c for c in children if not isinstance(c, Axis)]
        elif isinstance(artist, Legend):
            role = f"{role} legend"
        for child in children:
            walk(child, role if not isinstance(child, Text) else _role(child, role))

    for child in fig.get_children():
        walk(child, _role(child, "figure") if isinstance(child, Text) else "figure")
    return [(t, r) for t, r in found if t.get_text().strip()]


def _role(text: Any, parent: str) -> str:
    gid = text.get_gid() or ""
    if gid.startswith(OPTIONAL):
        return f"{parent} value label"
    if gid.startswith("zzdata-"):
        return gid.removeprefix("zzdata-")
    from matplotlib.text import Annotation

    return f"{parent} {'label' if isinstance(text, Annotation) else 'text'}"


def text_extent(text: Any, renderer: Any):
    """The box of the text itself (an annotation's arrow left out); None when it is not drawn."""
    from matplotlib.text import Annotation, Text

    if isinstance(text, Annotation):
        if not text._check_xy(renderer):  # matplotlib skips drawing it (point outside the axes)
            return None
        text.update_positions(renderer)
        box = Text.get_window_extent(text, renderer)
    else:
        box = text.get_window_extent(renderer)
    if box.width <= 0 or box.height <= 0:
        return None
    clip = text.get_clip_box() if text.get_clip_on() else None
    if clip is not None and not box.overlaps(clip):
        return None
    return box


def place_artists(fig: Any) -> Any:
    """Place every artist as drawing would (ticks, titles, annotations) without rasterizing;
    return a renderer to measure texts with."""
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def find_overlaps(fig: Any, tolerance_pt: float = TOLERANCE_PT, draw: bool = True) -> list[Overlap]:
    """The pairs of drawn texts whose rendered boxes overlap by more than ``tolerance_pt`` in both
    directions. Lays the figure out first (its current size and layout) unless ``draw`` is False
    (it was just drawn, e.g. saved)."""
    renderer = place_artists(fig) if draw else fig.canvas.get_renderer()
    px_per_pt = fig.dpi / 72.0
    tol = tolerance_pt * px_per_pt
    boxes = []
    for text, role in visible_texts(fig):
        box = text_extent(text, renderer)
        if box is not None:
            boxes.append((box, _describe(text, role)))
    boxes.sort(key=lambda b: b[0].x0)
    found: list[Overlap] = []
    for i, (a, name_a) in enumerate(boxes):
        for b, name_b in boxes[i + 1:]:
            if b.x0 >= a.x1 - tol:
                break  # sorted by x0: no later box reaches back into a
            w = min(a.x1, b.x1) - max(a.x0, b.x0)
            h = min(a.y1, b.y1) - max(a.y0, b.y0)
            if w > tol and h > tol:
                found.append(Overlap(name_a, name_b, w / px_per_pt, h / px_per_pt))
    return found


# --------------------------------------------------------------------------- optional labels

OPTIONAL = "zzdata-optional:"


def optional(text: Any, priority: int) -> Any:
    """Mark a value label as optional: when the chart is saved, an optional label that would
    overlap another text or leave the figure is left out, the least important first (higher
    ``priority`` numbers go first). Returns the text."""
    text.set_gid(f"{OPTIONAL}{priority}")
    return text


#: Two optional labels on one line closer than this (points) read as one text (`370公里370公里`):
#: the less important is left out, as if they overlapped.
LABEL_GAP_PT = 2.0


def marker_boxes(fig: Any) -> list[Any]:
    """The display boxes of the data points drawn (the markers of every visible line, inside its
    axes): what a label on an opaque ground must not cover."""
    from matplotlib.lines import Line2D
    from matplotlib.transforms import Bbox

    boxes = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        view = ax.bbox
        for line in ax.get_children():
            if not isinstance(line, Line2D) or not line.get_visible() or line.get_marker() in (None, "None", "", " "):
                continue
            half = line.get_markersize() * fig.dpi / 72.0 / 2
            for x, y in line.get_transform().transform(line.get_xydata()):
                if view.x0 <= x <= view.x1 and view.y0 <= y <= view.y1:
                    boxes.append(Bbox([[x - half, y - half], [x + half, y + half]]))
    return boxes


def _ground(text: Any, box: Any, renderer: Any) -> Any:
    """The box a text with an opaque ground (a bbox patch) covers: its patch's; None for a bare text."""
    patch = text.get_bbox_patch()
    if patch is None:
        return None
    ground = patch.get_window_extent(renderer)
    return ground if ground.width > 0 and ground.height > 0 else box


def declutter(fig: Any, tolerance_pt: float = TOLERANCE_PT, draw: bool = True) -> int:
    """Hide the optional labels (:func:`optional`) that overlap another visible text, come closer
    to another optional label on their line than :data:`LABEL_GAP_PT`, cover a data point with
    their opaque ground (a change written on a white box over the point it starts from) or stick
    out of the figure, keeping the more important ones; returns how many were hidden. Run on the
    final layout (``save_figure`` does, before it checks for overlaps); ``draw=False`` when the
    figure was just drawn as it is."""
    renderer = place_artists(fig) if draw else fig.canvas.get_renderer()
    page = fig.bbox
    placed, candidates = [], []
    for text, _what in visible_texts(fig):
        box = text_extent(text, renderer)
        if box is None:
            continue
        gid = text.get_gid() or ""
        if gid.startswith(OPTIONAL):
            candidates.append((int(gid[len(OPTIONAL):]), len(candidates), text, box))
        else:
            placed.append(box)
    px = fig.dpi / 72.0
    tol, gap = tolerance_pt * px, LABEL_GAP_PT * px
    points = marker_boxes(fig) if any(t.get_bbox_patch() is not None for _, _, t, _ in candidates) else []
    kept: list[Any] = []  # the optional labels kept so far
    hidden = 0
    for _priority, _i, text, box in sorted(candidates, key=lambda c: (c[0], c[1])):
        outside = box.x0 < page.x0 or box.x1 > page.x1 or box.y0 < page.y0 or box.y1 > page.y1
        ground = _ground(text, box, renderer) if points else None
        if (outside or any(_hit(box, other, tol) for other in placed)
                or any(_hit(box, other, -gap, tol) for other in kept)
                or (ground is not None and any(_hit(ground, p, 0.0) for p in points))):
            text.set_visible(False)
            hidden += 1
        else:
            placed.append(box)
            kept.append(box)
    return hidden


def numeric_locator(locs: Any) -> Any:
    """A FixedLocator of numbers (years, values) that :func:`thin_ticks` may thin; a plain
    FixedLocator holds categories (region and indicator names) and is never thinned."""
    from matplotlib.ticker import FixedLocator

    class NumericFixedLocator(FixedLocator):
        pass

    return NumericFixedLocator(list(locs))


def _numeric(axis: Any) -> bool:
    from matplotlib.ticker import FixedFormatter, FixedLocator

    locator = axis.get_major_locator()
    if type(locator).__name__ == "NumericFixedLocator":
        return True
    return not isinstance(locator, FixedLocator) and not isinstance(axis.get_major_formatter(), FixedFormatter)


def thin_ticks(fig: Any, tolerance_pt: float = TOLERANCE_PT, rounds: int = 3) -> int:
    """Keep every other tick of a numeric axis whose tick labels run into each other (a panel
    squeezed by many panels or a long note); category labels (region and indicator names) are
    never thinned. Returns how many axes were thinned."""
    thinned = 0
    for _ in range(rounds):
        renderer = place_artists(fig)
        tol = tolerance_pt * fig.dpi / 72.0
        changed = False
        for ax in fig.axes:
            if not ax.get_visible() or not ax.axison:
                continue
            for axis in (ax.xaxis, ax.yaxis):
                if not _numeric(axis):
                    continue
                labels = [(t, text_extent(t, renderer)) for t, _r in _axis_texts(axis) if "tick" in _r]
                boxes = [b for t, b in labels if b is not None and t.get_text().strip()]
                crowded = any(_hit(a, b, tol) for i, a in enumerate(boxes) for b in boxes[i + 1:])
                locs = [loc for loc in axis.get_majorticklocs() if _in_view(axis, loc)]
                if crowded and len(locs) > 2:
                    keep = locs[::2] if 0.0 not in locs else [v for v in locs if round(v / _step(locs)) % 2 == 0]
                    axis.set_major_locator(numeric_locator(keep))
                    changed = True
                    thinned += 1
        if not changed:
            break
    return thinned


def _step(locs: list[float]) -> float:
    return (locs[-1] - locs[0]) / (len(locs) - 1) or 1.0


def _hit(a: Any, b: Any, tol: float, tol_y: float | None = None) -> bool:
    """Whether boxes a and b overlap by more than `tol` across and `tol_y` (default `tol`) up and
    down; a negative `tol` counts boxes closer than -tol as overlapping."""
    tol_y = tol if tol_y is None else tol_y
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.y1, b.y1) - max(a.y0, b.y0) > tol_y


def strict_default() -> bool:
    """Strict when ``$ZZDATA_STRICT_CHARTS`` is 1/true/yes (the tests set it)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes")


def check(fig: Any, name: str = "chart", strict: bool | None = None, draw: bool = True) -> list[Overlap]:
    """Find overlapping texts; raise :class:`OverlapError` when ``strict`` (default:
    :func:`strict_default`), else warn with :class:`OverlapWarning`. Returns the overlaps."""
    return report(find_overlaps(fig, draw=draw), name, strict)


def report(found: list[Overlap], name: str = "chart", strict: bool | None = None) -> list[Overlap]:
    """Raise or warn about overlaps found earlier (:func:`check` without the finding: the chart
    is measured once and its files written before the verdict)."""
    if found:
        message = f"{name}: {len(found)} overlapping text pair(s):\n" + "\n".join(f"  {o}" for o in found)
        if strict_default() if strict is None else strict:
            raise OverlapError(message)
        warnings.warn(message, OverlapWarning, stacklevel=4)
    return found
