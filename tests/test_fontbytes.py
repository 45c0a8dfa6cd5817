"""The charts' fonts read from memory (zzdata/viz/fontbytes.py): the same pictures and files as
matplotlib's fonts read from their files, and no font file held open to be read glyph by glyph."""

from __future__ import annotations

import io
import os
import shutil
import sys
import time

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from test_canvas import _figure  # noqa: E402

from zzdata.viz import canvas, fontbytes, style  # noqa: E402

needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="lists open files from /proc")


def _written(monkeypatch) -> dict[str, bytes]:
    """The test figure on the chart canvas as a 300 dpi PNG, an SVG and a PDF, every font and text
    layout made afresh (none remembered from an earlier drawing)."""
    monkeypatch.setattr(canvas, "_LAYOUTS", {})
    monkeypatch.setattr(canvas, "_TEXT_SIZES", {})
    font_manager._get_font.cache_clear()
    fontbytes._get_font.cache_clear()
    style.register_fonts()
    files = {}
    with matplotlib.rc_context(style.house_rc()):
        for fmt in ("png", "svg", "pdf"):
            fig, _texts = _figure(canvas.ChartCanvas)
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=300,
                        metadata={"png": {}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt])
            files[fmt] = buffer.getvalue()
    return files


def test_the_files_are_the_same_with_the_fonts_read_from_memory(monkeypatch):
    """PNG, SVG and PDF of Chinese, Latin, rotated and jagged texts and a fallback glyph: byte for
    byte those drawn with matplotlib's fonts; matplotlib's font maker put back after the block."""
    theirs = _written(monkeypatch)
    own = font_manager._get_font
    with fontbytes.fonts_in_memory():
        ours = _written(monkeypatch)
        made = fontbytes._get_font.cache_info().misses
    assert font_manager._get_font is own
    for fmt in theirs:
        assert ours[fmt] == theirs[fmt], f"the {fmt} differs"
    assert made >= 1 or not fontbytes._makes_fonts_from_paths()


def _open_files() -> set[str]:
    folder = "/proc/self/fd"
    found = set()
    for name in os.listdir(folder):
        try:
            found.add(os.readlink(os.path.join(folder, name)))
        except OSError:  # (the listing's own descriptor, closed by now)
            pass
    return found


@needs_proc
def test_a_font_read_from_memory_holds_no_file_open_and_names_its_path(tmp_path):
    """Inside the block the font draws its glyphs with no file open (matplotlib's own holds its file
    open, and reads it glyph by glyph), and its ``fname`` reads as the path, as matplotlib's is."""
    if not fontbytes._makes_fonts_from_paths():
        pytest.skip("this matplotlib makes its fonts otherwise: read from their files")
    copy = str(tmp_path / "CopyOfDejaVu.ttf")
    shutil.copyfile(font_manager.findfont("DejaVu Sans", fallback_to_default=False), copy)
    try:
        with fontbytes.fonts_in_memory():
            font = font_manager.get_font(copy)
            font.set_size(12, 300)
            font.set_text("Testopolis 2101", 0)
            font.draw_glyphs_to_bitmap()
            assert copy not in _open_files()
            assert str(font.fname) == copy
        theirs = font_manager.get_font(copy)  # matplotlib's own, outside the block
        theirs.set_text("Testopolis 2101", 0)
        assert copy in _open_files()
        assert theirs.fname == copy
    finally:
        font_manager._get_font.cache_clear()
        fontbytes._get_font.cache_clear()


def test_a_font_file_changed_on_disk_is_read_again(tmp_path):
    path = tmp_path / "Changing.ttf"
    path.write_bytes(b"first version")
    assert fontbytes.in_memory(path).getvalue() == b"first version"
    time.sleep(0.01)
    path.write_bytes(b"second, longer version")
    assert fontbytes.in_memory(path).getvalue() == b"second, longer version"
    assert str(fontbytes.in_memory(path)) == str(path)
    assert fontbytes.in_memory(tmp_path / "missing.ttf") == str(tmp_path / "missing.ttf")  # matplotlib says


def test_with_a_matplotlib_that_makes_fonts_otherwise_nothing_is_swapped(monkeypatch):
    monkeypatch.setattr(fontbytes, "_makes_fonts_from_paths", lambda: False)
    own = font_manager._get_font
    with fontbytes.fonts_in_memory():
        assert font_manager._get_font is own
    assert "zzdata.viz.fontbytes" in sys.modules
