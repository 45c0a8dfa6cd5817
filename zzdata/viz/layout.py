"""The figure's frame: the title and subtitle at the top, the source and note lines at the
bottom, each wrapped to the figure's width (between CJK characters too), and the axes fitted
between them. Imports neither pandas nor the rest of zzdata.
"""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any

from matplotlib import font_manager

from .canvas import swapped
from .style import BASE_SIZE, COLORS, GAP_IN, MARGIN_IN, SUBTITLE_SIZE, TITLE_SIZE, families, register_fonts

GID_TITLE = "zzdata-title"
GID_SUBTITLE = "zzdata-subtitle"
GID_SOURCE = "zzdata-source"
GID_NOTE = "zzdata-note"

_TOKEN = re.compile(r"\n|[ \t]+|[A-Za-z0-9_.,:;%'\"/\\+\-–@#&*=<>$!?()\[\]]+|.", re.S)
_NO_LINE_START = set("，。、；：！？）》」』】〕…·,.;:!?)]%")


def text_width_pt(text: str, fontsize: float, family: list[str]) -> float:
    """The width of one line of text in points."""
    return _text_width_pt(text, float(fontsize), tuple(family))


@functools.lru_cache(maxsize=1 << 16)
def _text_width_pt(text: str, fontsize: float, family: tuple[str, ...]) -> float:
    """:func:`text_width_pt`, remembered: laying out a line costs some 20 microseconds a glyph, and
    :func:`wrap` measures every prefix of a line, which the titles and source lines of a notebook's
    charts share (the same font files for the same families throughout a process)."""
    from matplotlib.textpath import TextToPath

    prop = font_manager.FontProperties(family=list(family), size=fontsize)
    width, _, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return width


def wrap(text: str, fontsize: float, width_pt: float, family: list[str]) -> str:
    """Break ``text`` into lines no wider than ``width_pt`` (between CJK characters too).

    A line ends before the first token that may start a line (:func:`_may_break`) and makes it
    too wide; a token wider than the whole width keeps a line of its own. A line's width only grows
    as tokens are added (each glyph is set after the last), so that token is found by measuring a
    few prefixes (:func:`_line_end`: doubling steps, then halving), not every one of them: a
    title measured once, not once a character."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        tokens = _TOKEN.findall(paragraph)
        start = 0
        while True:
            end = _line_end(tokens, start, fontsize, width_pt, family)
            lines.append("".join(tokens[start:end]).rstrip())
            if end >= len(tokens):
                break
            start = end
    return "\n".join(lines)


def _may_break(tokens: list[str], start: int, i: int) -> bool:
    """Whether a line begun at ``start`` may end before token ``i``: it holds more than spaces, and
    the token is no space and no punctuation that must not open a line."""
    token = tokens[i]
    return (not token.isspace() and token[0] not in _NO_LINE_START
            and any(not t.isspace() for t in tokens[start:i]))


def _line_end(tokens: list[str], start: int, fontsize: float, width_pt: float, family: list[str]) -> int:
    """The token before which the line begun at ``start`` breaks (``len(tokens)``: it holds the
    rest): the first that may break the line (:func:`_may_break`) once the line up to and including
    it is wider than ``width_pt``."""
    n = len(tokens)

    def too_wide(i: int) -> bool:  # the line from `start` through token i, trailing spaces left out
        return text_width_pt("".join(tokens[start : i + 1]).rstrip(), fontsize, family) > width_pt

    if start + 1 >= n or not too_wide(n - 1):
        return n
    # The first token i > start whose line is too wide: step out by doubling, then halve.
    fits, step = start, 1
    while fits + step < n - 1 and not too_wide(fits + step):
        fits, step = fits + step, step * 2
    wide = min(fits + step, n - 1)
    while wide - fits > 1:
        mid = (fits + wide) // 2
        if too_wide(mid):
            wide = mid
        else:
            fits = mid
    first = max(wide, start + 1)
    return next((i for i in range(first, n) if _may_break(tokens, start, i)), n)


def figure_of(ax_or_fig: Any) -> Any:
    """The root Figure of an Axes, SubFigure or Figure."""
    return ax_or_fig.get_figure(root=True)


def put_text(fig: Any, gid: str, text: str | None, fontsize: float, color: str) -> Any:
    """Create or replace (by gid) one figure-level text line, wrapped to the figure width."""
    for old in [t for t in fig.texts if t.get_gid() == gid]:
        old.remove()
    if not text:
        return None
    family = families()
    width_pt = (fig.get_figwidth() - 2 * MARGIN_IN) * 72
    return fig.text(
        0,
        0,
        wrap(text, fontsize, width_pt, family),
        gid=gid,
        fontsize=fontsize,
        color=color,
        family=family,
        ha="left",
        va="top",
        linespacing=1.3,
    )


def relayout(fig: Any) -> None:
    """Stack title/subtitle at the top and source/note at the bottom, fit the axes between."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    width, height = fig.get_size_inches()
    x = MARGIN_IN / width
    to_fig = fig.transFigure.inverted()
    by_gid = {t.get_gid(): t for t in fig.texts if t.get_gid()}

    def stack(gids: tuple[str, ...], edge: float, y: float, down: bool) -> float:
        """Place the lines one after another from y; return the edge the last one reaches."""
        for gid in gids:
            if gid in by_gid:
                t = by_gid[gid]
                t.set_position((x, y))
                t.set_verticalalignment("top" if down else "bottom")
                box = t.get_window_extent().transformed(to_fig)
                edge = box.y0 if down else box.y1
                y = edge - GAP_IN / height if down else edge + GAP_IN / height
        return edge

    # Header: stacked downwards from the top margin; the chart area ends below it.
    top = stack((GID_TITLE, GID_SUBTITLE), 1.0, 1.0 - MARGIN_IN / height, down=True)
    # Footer: stacked upwards from the bottom margin (OWID order: source, then note).
    bottom = stack((GID_NOTE, GID_SOURCE), 0.0, MARGIN_IN / height, down=False)

    pad = MARGIN_IN * 72 / BASE_SIZE  # tight_layout pads in font-size units
    rect = (0.0, bottom, 1.0, top)
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        gap = MARGIN_IN / height  # constrained layout adds no pad of its own at the rect
        low, high = bottom + gap if bottom else 0.0, top - gap if top < 1.0 else 1.0
        engine.set(rect=(0.0, low, 1.0, high - low))  # (left, bottom, width, height)
        fig.draw_without_rendering()
    elif fig.axes:
        with _measured_once(fig):
            fig.tight_layout(pad=pad, rect=rect)


@contextlib.contextmanager
def _measured_once(fig: Any):
    """Each axes measured once while tight_layout runs. Given a ``rect``, matplotlib's tight_layout
    fits the axes twice, the second time into the rect the first found, and measures every axes'
    decorations (tick labels, titles) both times although nothing moved in between: the second
    asks for the same boxes of the same axes with the same renderer, and gets the first answer."""
    with contextlib.ExitStack() as stack:
        for ax in fig.axes:
            if "get_tightbbox" in vars(ax):
                continue
            original, memo = ax.get_tightbbox, {}

            def once(renderer=None, *args, _original=original, _memo=memo, **kwargs):
                if args or renderer is None or set(kwargs) - {"for_layout_only"}:
                    return _original(renderer, *args, **kwargs)
                key = (renderer, kwargs.get("for_layout_only", False))
                if key not in _memo:
                    _memo[key] = _original(renderer, **kwargs)
                return _memo[key]

            stack.enter_context(swapped(ax, get_tightbbox=once))
        yield


def set_titles(ax_or_fig: Any, title: str, subtitle: str | None = None) -> list[Any]:
    """Put an OWID-style left-aligned title with a subtitle under it on the figure (a Chinese
    chart: its English title; which is which is the chart's words' business,
    :meth:`zzdata.viz.words.Title.shown`). Calling again replaces the titles. Returns the
    created Text objects.
    """
    if not title:
        raise ValueError("set_titles needs a title")
    fig = figure_of(ax_or_fig)
    register_fonts()
    texts = [
        put_text(fig, GID_TITLE, title, TITLE_SIZE, COLORS["text"]),
        put_text(fig, GID_SUBTITLE, subtitle, SUBTITLE_SIZE, COLORS["muted"]),
    ]
    relayout(fig)
    return [t for t in texts if t is not None]
