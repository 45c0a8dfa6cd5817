"""The font a PDF's subset is cut from, read once a process (zzdata/viz/subsetting.py): every
subset byte for byte what matplotlib cuts from a freshly read font, one subset after another."""

from __future__ import annotations

import random
import shutil

import pytest

from zzdata.viz import fonts, subsetting


def _subset(path: str, glyphs: set[int]) -> tuple[bytes, dict[int, int]]:
    """What matplotlib's PDF backend embeds for ``glyphs`` of the font at ``path``."""
    from matplotlib.backends import _backend_pdf_ps as pdf_ps

    from matplotlib import font_manager

    fontfile = str(path)
    if hasattr(font_manager, "FontPath"):  # matplotlib 3.11: a path with the face's number
        fontfile = font_manager.FontPath(fontfile, 0)
    with pdf_ps.get_glyphs_subset(fontfile, glyphs) as cut:
        return pdf_ps.font_as_file(cut.font).getvalue(), dict(cut.glyph_index_map)


def _glyph_sets(count: int, seed: int, n: int) -> list[set[int]]:
    rng = random.Random(seed)
    sets = [set(rng.sample(range(1, n), rng.randint(1, min(400, n - 1)))) for _ in range(count)]
    return sets + [{0, 1, 2}, set(range(n)), sets[0], sets[1]]  # .notdef asked for, all, some again


def _glyph_count(path) -> int:
    from fontTools.ttLib import TTFont

    return TTFont(str(path), lazy=True)["maxp"].numGlyphs


def test_every_subset_of_the_font_read_once_is_the_one_read_afresh():
    """Subsets cut one after another from the copy read once (each starting from what the last one
    left) equal those cut from the file: the same font program and the same glyph numbers."""
    embed = fonts.embed_path()
    sets = _glyph_sets(30, seed=7, n=_glyph_count(embed))
    afresh = [_subset(embed, glyphs) for glyphs in sets]
    with subsetting.read_once():
        once = [_subset(embed, glyphs) for glyphs in sets]
    assert [key[1] for key, result in _reads if result is not None] == [str(embed.resolve())]  # read once
    assert [len(font) for font, _ in once] == [len(font) for font, _ in afresh]
    for (font, mapping), (want_font, want_mapping) in zip(once, afresh, strict=True):
        assert mapping == want_mapping
        assert font == want_font


def test_a_font_with_tables_the_subsetter_edits_in_depth_is_read_afresh_and_fonttools_is_restored():
    """DejaVu Sans (kerning and substitution tables, composite glyphs, hinting programs) is not read
    once: the same subsets as matplotlib's own. After the block fontTools loads as before."""
    from fontTools import subset
    from matplotlib import font_manager

    dejavu = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    sets = _glyph_sets(6, seed=3, n=_glyph_count(dejavu))
    load = subset.load_font
    afresh = [_subset(dejavu, glyphs) for glyphs in sets]
    with subsetting.read_once():
        with subsetting.read_once():  # a block inside another changes nothing
            once = [_subset(dejavu, glyphs) for glyphs in sets]
        assert subset.load_font is not load
    assert subset.load_font is load
    assert once == afresh
    assert [result for key, result in _reads if key[1] == dejavu] == [None]  # looked at, not kept


_reads: list[tuple] = []  # (arguments, result) of each font read once during a test


@pytest.fixture(autouse=True)
def _record_reads(monkeypatch):
    original = subsetting._read

    def read(*key):
        result = original(*key)
        if not any(seen == key for seen, _ in _reads):
            _reads.append((key, result))
        return result
    monkeypatch.setattr(subsetting, "_read", read)
    _reads.clear()
    yield


def test_a_font_file_changed_on_disk_is_read_again(tmp_path):
    """The font is kept by its path, size and time: a file rewritten with another font subsets as
    the new file does."""
    from fontTools.ttLib import TTFont

    path = tmp_path / "font.ttf"
    shutil.copyfile(fonts.embed_path(), path)
    glyphs = set(range(1, 60))
    with subsetting.read_once():
        first = _subset(path, glyphs)
        font = TTFont(str(path))
        font["head"].fontRevision = 9.5  # another font: a field every subset carries
        font["hmtx"].metrics[font.getGlyphOrder()[5]] = (123, 0)
        font.save(str(path))
        second = _subset(path, glyphs)
    assert second == _subset(path, glyphs) != first
