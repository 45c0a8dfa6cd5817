"""The charts' canvas: matplotlib's Agg canvas with a renderer that remembers font measurements
across the many texts and draws of a notebook. Imports neither pandas nor the rest of zzdata.

Why. Laying out one text, matplotlib (3.10 and later) looks up its font files and reads the font's
ascent, descent and line gap from its ``OS/2`` table -- some 250 microseconds -- every time the
text is measured or drawn: a 16-panel chart measures its tick labels some two thousand times
between the layout rounds, the overlap checks and the PNG, so that lookup took a tenth of a
chart's time. Its text module asks the renderer first (``_get_font_height_metrics``, the hook the
PDF backend's AFM fonts use); :class:`ChartRenderer` answers with the same numbers computed the
same way, remembered per font and size. Likewise a string's width, height and descent, which
matplotlib remembers only per renderer (one per figure and resolution), are remembered for the
process. Both keys hold every setting the answer depends on (the font properties, the dpi, the
font and hinting rcParams), so a changed setting measures afresh; the pixels are matplotlib's own.
When the installed matplotlib lays out text differently (no ``OS/2`` reading in
``Text._get_layout``), the hook stays silent and matplotlib measures as it always does.

The SVG and PDF renderers answer the same hook while a chart is written in those formats
(:func:`vector_metrics`), and inside the house style an axis works out its ticks and their
labels' boxes once each time it is drawn or measured, not twice (:func:`ticks_once`). Both put
matplotlib's own methods back when their block ends, and the same files come out (tests/test_canvas.py).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import math
from collections.abc import Iterator
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

#: The rcParams that decide which font file a FontProperties names, and how text is hinted.
_FONT_RC = ("font.family", "font.style", "font.variant", "font.weight", "font.stretch", "font.size",
            "font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace",
            "text.hinting", "text.hinting_factor", "text.kerning_factor")


def source_of(obj: Any) -> str:
    """The installed source of a matplotlib function or module; "" where there is none (no source
    installed, or a name another matplotlib does not have): a hook's guard then finds none of what
    it looks for, and matplotlib's own code runs. Every hook of the charts is guarded by it."""
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ""


@functools.cache
def _reads_height_tables() -> bool:
    """Whether this matplotlib's Text._get_layout takes a font's line metrics from its OS/2 or
    hhea table when the renderer gives none (the computation :func:`_height_metrics` repeats)."""
    from matplotlib.text import Text

    source = source_of(getattr(Text, "_get_layout", None))
    return all(part in source for part in ("_get_font_height_metrics", "sTypoAscender", "unitsPerEm"))


def _rc_key() -> tuple:
    rc = matplotlib.rcParams
    return tuple(tuple(v) if isinstance(v, list) else v for v in (rc[k] for k in _FONT_RC))


def _prop_key(prop: Any) -> tuple:
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())


def _height_metrics(prop: Any, dpi: float) -> tuple:
    """Ascent, descent and line gap of the first font of ``prop`` at ``dpi``, in pixels, exactly as
    matplotlib's ``Text._get_layout`` computes them (OS/2 typo metrics, else hhea); Nones when
    the font has neither table (matplotlib then measures "lp")."""
    from matplotlib.font_manager import fontManager, get_font

    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, linegap_key, ascent_key, descent_key in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"), ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72  # the same operations in the same order
        return table[ascent_key] * scale, -table[descent_key] * scale, table[linegap_key] * scale
    return None, None, None


_TEXT_SIZES: dict[tuple, tuple[float, float, float]] = {}
_TEXT_SIZES_MAX = 1 << 17
_HEIGHTS: dict[tuple, tuple] = {}
_LAYOUTS: dict[tuple, tuple] = {}


def _remember(store: dict, key: tuple, make: Any) -> Any:
    """``store[key]``, made by ``make()`` the first time; a store that reaches
    :data:`_TEXT_SIZES_MAX` entries starts afresh (a long session's memory stays bounded)."""
    found = store.get(key)
    if found is None:
        if len(store) >= _TEXT_SIZES_MAX:
            store.clear()
        found = store[key] = make()
    return found


@functools.cache
def _draws_glyph_by_glyph() -> bool:
    """Whether this matplotlib's Agg renderer draws a text as :meth:`ChartRenderer.draw_text` does:
    the string laid out by ``FT2Font._layout``, then each glyph set with ``set_size`` and
    ``_set_transform`` and rendered by ``_render_glyph`` (matplotlib 3.11)."""
    text = source_of(RendererAgg.draw_text)
    glyphs = source_of(getattr(RendererAgg, "_draw_text_glyphs_and_boxes", None))
    return ("font._layout(" in text and "_draw_text_glyphs_and_boxes" in text
            and all(call in glyphs for call in ("font.set_size(size, self.dpi)", "font._set_transform(",
                                                "font._render_glyph(", "draw_text_image(")))


def height_metrics(prop: Any, dpi: float) -> tuple:
    """:func:`_height_metrics`, remembered per font properties, dpi and font settings (a key of
    plain values: hashing the FontProperties itself costs more than the answer); Nones where this
    matplotlib's text layout reads the metrics otherwise (matplotlib then measures as usual)."""
    if not _reads_height_tables():
        return None, None, None
    return _remember(_HEIGHTS, (_prop_key(prop), dpi, _rc_key()), lambda: _height_metrics(prop, dpi))


_ABSENT = object()


@contextlib.contextmanager
def swapped(owner: Any, **attributes: Any) -> Iterator[None]:
    """`owner`'s attributes (a class's or a module's) replaced by `attributes` for the block, then
    put back as they were: removed again where `owner` had none of its own (it inherited them).
    The one way the charts stand in for a matplotlib function during a block (:func:`vector_metrics`,
    :func:`ticks_once`, the PDF's subset in ``save``, each axes measured once in ``layout``, the
    fonts read from memory in ``fontbytes``, the boxes' edges in ``boxes``)."""
    own = vars(owner)
    before = {name: own.get(name, _ABSENT) for name in attributes}
    for name, value in attributes.items():
        setattr(owner, name, value)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is _ABSENT:
                delattr(owner, name)
            else:
                setattr(owner, name, value)


#: The dpi of a figure while matplotlib writes it as SVG or PDF (their canvases' ``fixed_dpi``):
#: the dpi ``Text._get_layout`` scales the line metrics to then.
VECTOR_DPI = 72


@contextlib.contextmanager
def vector_metrics():
    """While a figure is written as SVG or PDF, their renderers answer matplotlib's line-metrics
    hook (:func:`height_metrics` at :data:`VECTOR_DPI`), as :class:`ChartRenderer` does for the
    PNG: without it, matplotlib looks up the font file and reads its tables for every text it
    draws in each file. The PDF renderer's own answer stands for the 14 core fonts (AFM). A text's
    size is remembered for the process too (:func:`_remembered_sizes`), and a PDF text's glyphs
    and places (:func:`pdf_layouts`)."""
    from matplotlib.backends.backend_pdf import RendererPdf
    from matplotlib.backends.backend_svg import RendererSVG

    own_pdf = RendererPdf._get_font_height_metrics

    def pdf(self, prop):
        if matplotlib.rcParams[self._use_afm_rc_name]:
            return own_pdf(self, prop)
        return height_metrics(prop, VECTOR_DPI)

    def svg(self, prop):
        return height_metrics(prop, VECTOR_DPI)

    pdf_swaps = {"get_text_width_height_descent": _remembered_sizes(RendererPdf.get_text_width_height_descent)}
    svg_swaps = {"get_text_width_height_descent": _remembered_sizes(RendererSVG.get_text_width_height_descent)}
    if _reads_height_tables():  # (else a matplotlib that lays text out otherwise: its own metrics)
        pdf_swaps["_get_font_height_metrics"], svg_swaps["_get_font_height_metrics"] = pdf, svg
    with swapped(RendererPdf, **pdf_swaps), swapped(RendererSVG, **svg_swaps), pdf_layouts():
        yield


def _remembered_sizes(own: Any) -> Any:
    """A renderer's ``get_text_width_height_descent`` (``own``), remembered for the process:
    matplotlib keeps a text's size per renderer, one per figure and dpi (Agg's) or per file (SVG's
    and PDF's). The key holds the renderer's class, its dpi and the settings that choose a font
    (AFM or TrueType too)."""
    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return own(self, s, prop, ismath)
        afm = matplotlib.rcParams[self._use_afm_rc_name] if hasattr(self, "_use_afm_rc_name") else None
        key = (type(self).__name__, s, _prop_key(prop), self.points_to_pixels(72), afm, _rc_key())
        return _remember(_TEXT_SIZES, key, lambda: own(self, s, prop, ismath))
    return get_text_width_height_descent


@functools.cache
def _pdf_lays_out_by_helper() -> bool:
    """Whether this matplotlib's PDF renderer lays a TrueType text out with ``_text_helpers.layout``
    and reads only the items' fields (matplotlib 3.11)."""
    from matplotlib.backends.backend_pdf import RendererPdf

    source = source_of(RendererPdf.draw_text)
    return "_text_helpers.layout(s, font" in source and "self._get_font_ttf(prop)" in source


@contextlib.contextmanager
def pdf_layouts():
    """While a figure is written as PDF, the glyphs and places of each TrueType text (matplotlib's
    ``_text_helpers.layout`` of the string in the font at the text's size) are remembered for the
    process, as :meth:`ChartRenderer.draw_text` remembers them for the PNG. The PDF renderer reads
    only the items' fields, so the same PDF comes out; other callers of the helper (and texts
    outside ``RendererPdf.draw_text``) lay out as before."""
    from matplotlib import _text_helpers
    from matplotlib.backends.backend_pdf import RendererPdf

    if not _pdf_lays_out_by_helper():  # pragma: no cover - another matplotlib
        yield
        return
    own_draw, own_layout = RendererPdf.draw_text, _text_helpers.layout
    size: list[float | None] = [None]  # the size of the text RendererPdf.draw_text is drawing

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        size[0] = None if ismath else prop.get_size_in_points()
        try:
            return own_draw(self, gc, x, y, s, prop, angle, ismath, mtext)
        finally:
            size[0] = None

    def layout(string, font, *, features=None, language=None):
        if size[0] is None:
            return own_layout(string, font, features=features, language=language)
        key = ("pdf", string, font, size[0], features, language, _rc_key())
        return iter(_remember(_LAYOUTS, key, lambda: tuple(own_layout(string, font, features=features,
                                                                       language=language))))

    with swapped(RendererPdf, draw_text=draw_text), swapped(_text_helpers, layout=layout):
        yield


class ChartRenderer(RendererAgg):
    """RendererAgg that remembers font line metrics and text sizes for the process."""

    def _get_font_height_metrics(self, prop: Any):
        """matplotlib's own line metrics of the font (see the module's docstring), remembered;
        Nones (matplotlib measures as usual) where its text layout reads them otherwise."""
        return height_metrics(prop, self.dpi)

    get_text_width_height_descent = _remembered_sizes(RendererAgg.get_text_width_height_descent)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """matplotlib's own drawing of a text, with the string's glyphs and their places (its
        shaping by ``FT2Font._layout``) remembered for the process by font, size, dpi and font
        settings: a notebook draws the same tick labels and region names hundreds of times."""
        if ismath or not _draws_glyph_by_glyph():
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        from matplotlib.backends.backend_agg import get_hinting_flag

        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        font = self._prepare_font(prop)
        key = ("agg", s, _prop_key(prop), self.dpi, _rc_key(), features, language)
        items = _remember(_LAYOUTS, key, lambda: tuple(
            (item.ft_object, item.glyph_index, item.x, item.y)
            for item in font._layout(s, flags=get_hinting_flag(), features=features, language=language)))
        self._draw_glyphs(gc, x, y, angle, prop.get_size_in_points(), items, get_hinting_flag())

    def _draw_glyphs(self, gc, x, y, angle, size, glyphs, load_flags) -> None:
        """``_draw_text_glyphs_and_boxes`` for a text's upright glyphs at one size, without boxes:
        the same calls with the same values, less repeated. The rotation matrix is worked out once
        a text (matplotlib: once a glyph, times the identity of an upright glyph), and a font's
        size set when the font changes (``_set_transform`` sets the whole transform for each glyph)."""
        from matplotlib.ft2font import RenderMode

        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        current = None
        for font, glyph_index, dx, dy in glyphs:  # dy is upwards
            if font is not current:
                font.set_size(size, self.dpi)
                current = font
            font._set_transform(matrix, [round(0x40 * (x + dx * cos - dy * sin)),  # FreeType's y is upwards
                                         round(0x40 * (self.height - y + dx * sin + dy * cos))])
            bitmap = font._render_glyph(glyph_index, load_flags, mode)
            buffer = bitmap.buffer
            if not antialiased:
                buffer *= 0xff
            self._renderer.draw_text_image(buffer, bitmap.left, int(self.height) - bitmap.top + buffer.shape[0], 0, gc)


class ChartCanvas(FigureCanvasAgg):
    """FigureCanvasAgg whose renderer is a :class:`ChartRenderer` (one per size and dpi, as Agg's)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if getattr(self, "_lastKey", None) != key or not isinstance(getattr(self, "renderer", None), ChartRenderer):
            self.renderer = ChartRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def drop_renderer(canvas: Any) -> None:
    """Let go of an Agg canvas's renderer (and its pixel buffer: 30-40 MB at 300 dpi) and of the
    key it was made for; the canvas makes one again when the figure is drawn again."""
    for name in ("renderer", "_lastKey"):
        canvas.__dict__.pop(name, None)


# --------------------------------------------------------------------------- ticks, once per draw

#: Whether a :func:`ticks_once` block is open (the outermost one replaces the methods).
_TICKS_ON = False
_SCOPE = "_zzdata_ticks_once"  # an Axis's attribute while it draws or measures itself


def _axis_scope(method):
    """An Axis method during which the axis's ticks and their labels' boxes are worked out once."""
    @functools.wraps(method)
    def within(self, *args, **kwargs):
        if _SCOPE in self.__dict__:  # (already inside one of them)
            return method(self, *args, **kwargs)
        self.__dict__[_SCOPE] = {}
        try:
            return method(self, *args, **kwargs)
        finally:
            del self.__dict__[_SCOPE]
    return within


def _ticks_memo(original):
    @functools.wraps(original)
    def update_ticks(self):
        memo = self.__dict__.get(_SCOPE)
        if memo is None:
            return original(self)
        if "ticks" not in memo:
            memo["ticks"] = original(self)
        return memo["ticks"]
    return update_ticks


def _boxes_memo(original):
    @functools.wraps(original)
    def ticklabel_bboxes(self, ticks, renderer):
        memo = self.__dict__.get(_SCOPE)
        if memo is None or ticks is not memo.get("ticks"):
            return original(self, ticks, renderer)
        found = memo.get("boxes")
        if found is None or found[0] is not renderer:
            found = memo["boxes"] = (renderer, original(self, ticks, renderer))
        return found[1]
    return ticklabel_bboxes


@contextlib.contextmanager
def ticks_once():
    """While charts are drawn and measured, an axis works out its ticks and their labels' boxes
    once each time it draws itself or measures its tight box, not twice. matplotlib's ``Axis.draw``
    and ``Axis.get_tightbbox`` work them out, then place the axis label from the boxes of the axis
    and of the axes aligned with it (``_get_tick_boxes_siblings``), which works out the axis's own
    again: the same locator, limits, size and renderer, so the same ticks and boxes -- a tenth of
    a chart's drawing. The axes aligned with it are worked out as before; outside these blocks
    matplotlib is as it was."""
    from matplotlib.axis import Axis

    global _TICKS_ON
    own = vars(Axis)
    names = ("draw", "get_tightbbox", "_update_ticks", "_get_ticklabel_bboxes")
    if _TICKS_ON or not all(name in own for name in names):
        yield  # inside another block, or a matplotlib without them (as it is)
        return
    _TICKS_ON = True
    try:
        with swapped(Axis, draw=_axis_scope(own["draw"]), get_tightbbox=_axis_scope(own["get_tightbbox"]),
                     _update_ticks=_ticks_memo(own["_update_ticks"]),
                     _get_ticklabel_bboxes=_boxes_memo(own["_get_ticklabel_bboxes"])):
            yield
    finally:
        _TICKS_ON = False
