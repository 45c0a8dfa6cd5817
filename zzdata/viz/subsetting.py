"""The font a PDF's subset is cut from, read once a process. Imports neither pandas nor the rest
of zzdata (fontTools only when a PDF is written).

Why. matplotlib's PDF backend cuts the subset it embeds with fontTools for every file it writes,
and fontTools reads the whole font first: the 8,500 glyphs' places, widths, names and character
map of the embedded copy of the core font (:func:`zzdata.viz.fonts.embed_path`), some 40-80 ms a
chart, most of the subsetting. :func:`read_once` hands matplotlib, in place of a freshly read
font, a copy of one read earlier in the process: the tables are copied, and what fontTools'
subsetter changes in place is copied deeper (the character map's subtables, the glyph table's
dictionary, the .notdef glyph and any composite glyph). Everything else the subsetter replaces
rather than changes. The subset, and so the PDF, comes out byte for byte the same
(tests/test_subsetting.py compares them, subset after subset).

Only a font made of the tables in :data:`COPIED_TABLES` is read once -- the embedded copy is,
having no layout tables -- so a font with tables the subsetter edits in depth (GSUB, GPOS, hinting
programs) is read afresh every time, as matplotlib does. A font file that changes on disk (its
size or time) is read again.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
from collections.abc import Iterator
from typing import Any

from .canvas import swapped

#: The tables whose subsetting :func:`_copy_of` makes safe on a copy; a font with any other table
#: is not read once.
COPIED_TABLES = frozenset({"GlyphOrder", "OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name",
                           "post"})


@functools.lru_cache(maxsize=4)
def _read(load: Any, path: str, stamp: tuple[int, int], options_key: tuple) -> tuple[Any, tuple[str, ...]] | None:
    """The font at ``path`` as ``load`` (fontTools' ``subset.load_font``) reads it, every table read
    and the file closed, with the glyphs a copy must own (.notdef, composites); None when it has a
    table outside :data:`COPIED_TABLES`. ``stamp`` (the file's time and size) reads a changed file again."""
    from fontTools import subset

    options = subset.Options()
    options.recalc_bounds, options.recalc_timestamp, options.font_number = options_key
    font = load(path, options)
    try:
        if not set(font.keys()) <= COPIED_TABLES:
            return None
        for tag in font.keys():
            font[tag]  # read now, not on first use
        font.getReverseGlyphMap()
    finally:
        if font.reader is not None:  # kept (a subset's tables are written in the file's order), closed
            font.reader.close()
    glyphs = font["glyf"].glyphs if "glyf" in font else {}
    own = (font.getGlyphOrder()[0], *(name for name, glyph in glyphs.items() if glyph.isComposite()))
    return font, own


def _copy_of(font: Any, own: tuple[str, ...]) -> Any:
    """A TTFont the subsetter may change without changing ``font``: each table copied, and the
    parts it edits in place (cmap subtables, the glyph dictionary, the ``own`` glyphs) copied too."""
    clone = copy.copy(font)
    clone.tables = {tag: copy.copy(table) for tag, table in font.tables.items()}
    if "cmap" in clone.tables:
        clone.tables["cmap"].tables = [copy.copy(sub) for sub in clone.tables["cmap"].tables]
    if "glyf" in clone.tables:
        glyf = clone.tables["glyf"]
        glyf.glyphs = dict(glyf.glyphs)
        for name in own:
            if name in glyf.glyphs:
                glyf.glyphs[name] = copy.copy(glyf.glyphs[name])
    return clone


def _reading_once(load: Any) -> Any:
    """``load`` (``fontTools.subset.load_font``), starting from the font read once where it may."""
    @functools.wraps(load)
    def load_font(fontFile: Any, options: Any, checkChecksums: int = 0, dontLoadGlyphNames: bool = False,
                  lazy: bool = True) -> Any:
        path = os.fspath(fontFile)
        if not checkChecksums and not dontLoadGlyphNames and lazy and os.path.isfile(path):
            stat = os.stat(path)
            key = (bool(options.recalc_bounds), bool(options.recalc_timestamp), options.font_number)
            read = _read(load, os.path.realpath(path), (stat.st_mtime_ns, stat.st_size), key)
            if read is not None:
                return _copy_of(*read)
        return load(fontFile, options, checkChecksums, dontLoadGlyphNames, lazy)
    load_font.reads_once = True
    return load_font


@contextlib.contextmanager
def read_once() -> Iterator[None]:
    """Inside, fontTools' subsetter starts from the font read once a process (where it may: see
    the module) instead of reading the file; fontTools as it was after."""
    from fontTools import subset

    if getattr(subset.load_font, "reads_once", False):  # (inside another block)
        yield
        return
    with swapped(subset, load_font=_reading_once(subset.load_font)):
        yield
