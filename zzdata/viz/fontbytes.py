"""The charts' fonts read by FreeType from memory. Imports neither pandas nor the rest of zzdata.

Why. matplotlib opens a font as a Python file, and FreeType reads the font through it: a ``seek``
and a ``read`` -- two Python calls and two system calls -- for every piece of every glyph it loads.
A notebook's charts load the 13 MB CJK font's glyphs again and again (to measure each text, to draw
it at 300 dpi, to write it in the SVG and PDF): notebook 03 made 540,000 seeks and 240,000 reads,
a tenth of its time. Inside the house style (:func:`fonts_in_memory`, entered by ``style.house``)
each font matplotlib makes reads its file's bytes, read once a process, from memory instead. The
glyphs are the same bytes, so the pictures and files are too (tests/test_fontbytes.py).

A font made from a :class:`FontFile` keeps it as its ``fname``, where it kept the path: its
``str()`` is the path, and that is how matplotlib's PDF backend reads the name it embeds the font
by (``FontPath(font.fname, ...)``), the one place matplotlib reads it. When the installed
matplotlib makes its fonts or reads their names otherwise, it reads its files as always.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
from collections.abc import Iterator
from typing import Any

from matplotlib import font_manager

from .canvas import source_of, swapped

#: matplotlib's own cached maker of fonts, which :func:`fonts_in_memory` stands in for.
_MATPLOTLIBS_GET_FONT = font_manager._get_font


class FontFile(io.BytesIO):
    """A font file's bytes, for FreeType to read; ``str()`` gives its path, which matplotlib takes
    as the font's ``fname``. (No ``__fspath__``: matplotlib would open the path as a file again.)"""

    def __init__(self, data: bytes, path: str):
        super().__init__(data)  # (the bytes are shared, not copied, until written: never)
        self.path = path

    def __str__(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return f"FontFile({self.path!r})"


@functools.lru_cache(maxsize=16)
def _read(path: str, stamp: tuple[int, int]) -> bytes:
    """The file's bytes; ``stamp`` (its time and size) reads a changed file again."""
    with open(path, "rb") as handle:
        return handle.read()


def in_memory(path: Any) -> Any:
    """A :class:`FontFile` of the font at ``path``; ``path`` itself when it cannot be read (a
    missing file, say: matplotlib then says what is wrong, as it would have)."""
    path = os.fspath(path)
    try:
        status = os.stat(path)
        data = _read(path, (status.st_mtime_ns, status.st_size))
    except OSError:
        return path
    return FontFile(data, path)


class _FromMemory:
    """matplotlib's ``ft2font`` module, whose ``FT2Font`` given a path reads it from memory."""

    def __init__(self, module: Any):
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def FT2Font(self, filename: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - matplotlib's name
        if isinstance(filename, (str, bytes, os.PathLike)):
            filename = in_memory(filename)
        return self._module.FT2Font(filename, *args, **kwargs)


@functools.cache
def _makes_fonts_from_paths() -> bool:
    """Whether this matplotlib's ``font_manager._get_font`` is a cached function that makes its
    fonts (and their fallbacks) with ``ft2font.FT2Font`` from the paths it is given, and its PDF
    backend reads a font's ``fname`` only as ``FontPath(....fname, ...)``, that is as ``str()``
    (matplotlib 3.11)."""
    from matplotlib.backends import _backend_pdf_ps, backend_pdf

    source = source_of(getattr(_MATPLOTLIBS_GET_FONT, "__wrapped__", None))
    readers = [source_of(module) for module in (backend_pdf, _backend_pdf_ps)]
    return ("ft2font.FT2Font(" in source and "font_filepaths" in source and all(readers)
            and all(len(re.findall(r"\.fname\b", text)) == len(re.findall(r"FontPath\([\w.]+\.fname\b", text))
                    for text in readers))


@functools.lru_cache(maxsize=64)
def _get_font(font_filepaths: tuple, **kwargs: Any) -> Any:
    """matplotlib's own ``_get_font`` (its fallbacks, its last-resort font), each file read from
    memory; cached as matplotlib caches it (by paths, kerning, thread and last resort)."""
    with swapped(font_manager, ft2font=_FromMemory(font_manager.ft2font)):
        return _MATPLOTLIBS_GET_FONT.__wrapped__(font_filepaths, **kwargs)


# A font holds FreeType's library, which a forked process must not share: matplotlib empties its
# cache of fonts in the child for the same reason.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_get_font.cache_clear)


@contextlib.contextmanager
def fonts_in_memory() -> Iterator[None]:
    """While the block runs, the fonts matplotlib draws and measures with read their files from
    memory (:func:`_get_font`); matplotlib's own cache of fonts is left as it was."""
    if not _makes_fonts_from_paths():  # (another matplotlib: it reads its files as always)
        yield
        return
    with swapped(font_manager, _get_font=_get_font):
        yield
