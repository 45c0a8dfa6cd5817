"""Tests of the house style (zzdata.viz style, layout, annotate, numbers, save): CJK rendering
without system fonts, files, determinism, numbers."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import warnings
import zlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from conftest import RAW, ROOT  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

from zzdata.viz import annotate, fonts, layout, numbers, overlap, save, style  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_rc():
    """Each test starts from and leaves behind the same rcParams, with no open figures."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


def _raw_characters() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt")))
    return sorted({c for c in text if not c.isascii() and not c.isspace()})


def _is_cjk(c: str) -> bool:
    return 0x3400 <= ord(c) <= 0x9FFF or 0xF900 <= ord(c) <= 0xFAFF


def _missing_glyph_warnings(fig) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught if "missing" in str(w.message)]


def _chart(title: str = "郑州市新增城镇就业") -> plt.Figure:
    fig, ax = style.new_figure("wide")
    bars = ax.bar(["2022", "2023", "2024"], [125000, 131000, 139300], color=style.COLORS["city"])
    annotate.label_bars(ax, bars, lambda v: numbers.format_value(v, "人", "zh"))
    ax.set_xlabel("年份 Year")
    ax.set_ylabel("人 people")
    layout.set_titles(ax, title, "New urban jobs in Zhengzhou, 2022–2024")
    return fig


# --------------------------------------------------------------------------- fonts


def test_the_font_is_noto_sans_cjk_converted_into_the_cache_not_into_matplotlib():
    path = style.font_path()
    assert path.suffix == ".ttf" and path.name.startswith(fonts.POSTSCRIPT_NAME)
    assert path.parent == fonts.cache_dir()  # the user cache folder (or $ZZDATA_FONT_CACHE)
    assert ROOT not in path.parents and Path(matplotlib.get_data_path()) not in path.parents
    assert fonts.source_path().name == "NotoSansCJKsc-Regular.otf" and "mplfonts" in fonts.source_path().parts
    assert style.font_name() == fonts.FAMILY == "Noto Sans CJK SC TT"
    registered = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    assert path.resolve() in registered
    # TrueType outlines, the name of its own, the licence and copyright of the original kept.
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    assert font.sfntVersion == "\x00\x01\x00\x00" and "glyf" in font and "CFF " not in font
    names = font["name"]
    assert names.getDebugName(16) == fonts.FAMILY and names.getDebugName(6) == fonts.POSTSCRIPT_NAME
    assert "SIL Open Font License" in names.getDebugName(13) and "Adobe" in names.getDebugName(0)
    assert font["OS/2"].fsType == 0  # installable embedding: the PDF may embed it as editable text


def test_the_conversion_keeps_the_outlines_and_the_cache_is_rebuilt_when_missing(tmp_path, monkeypatch, capsys):
    """The recipe on a few glyphs of the real source (the whole font takes about a minute): the
    TrueType outlines stay within a font unit of the cubic ones, and a missing file is rebuilt."""
    from fontTools import subset
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    small = tmp_path / "small.otf"
    options = subset.Options()
    options.name_IDs = ["*"]
    source = subset.load_font(str(fonts.source_path()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="郑州市增长2024GDP%")
    subsetter.subset(source)
    source.save(str(small))
    target = tmp_path / "cache" / "converted.ttf"
    target.parent.mkdir()
    fonts.convert(small, target)
    cff, ttf = TTFont(str(small)), TTFont(str(target))
    assert "glyf" in ttf and "CFF " not in ttf and ttf["maxp"].tableVersion == 0x00010000
    assert ttf.getBestCmap().keys() == cff.getBestCmap().keys()
    for ch in "郑州%":
        boxes = []
        for font in (cff, ttf):
            pen = BoundsPen(font.getGlyphSet())
            font.getGlyphSet()[font.getBestCmap()[ord(ch)]].draw(pen)
            boxes.append(pen.bounds)
        assert all(abs(a - b) <= 1.5 for a, b in zip(*boxes, strict=True)), (ch, boxes)
    # The cache: built when missing (with a stand-in for the minute-long conversion), then reused.
    calls = []
    monkeypatch.setenv("ZZDATA_FONT_CACHE", str(tmp_path / "fonts"))
    monkeypatch.setattr(fonts, "convert", lambda src, dst: (calls.append(src), Path(dst).write_bytes(b"font")))
    first = fonts.font_path()
    assert first.parent == tmp_path / "fonts" and first.read_bytes() == b"font" and len(calls) == 1
    said = capsys.readouterr()  # a notebook drawing without the set-up shows a line, not an error box
    assert "converting" in said.out and said.err == ""
    assert fonts.font_path() == first and len(calls) == 1  # present: not rebuilt
    first.unlink()
    assert fonts.font_path() == first and first.exists() and len(calls) == 2  # missing: rebuilt
    assert oct(first.stat().st_mode & 0o777) != oct(0o600)  # readable like any cache file
    # The set-up step of `make data`: made (here: found, and its core cut) and its path stamped.
    cuts = []
    monkeypatch.setattr(fonts, "cut_core", lambda full, dst: (cuts.append(full), Path(dst).write_bytes(b"core")))
    embeds = []
    monkeypatch.setattr(fonts, "cut_embed", lambda core, dst: (embeds.append(core), Path(dst).write_bytes(b"embed")))
    stamp = tmp_path / "fonts.stamp"
    assert fonts.main(["--stamp", str(stamp)]) == 0 and len(calls) == 2 and cuts == [first]
    assert fonts.core_path().read_bytes() == b"core" and fonts.core_path().parent == first.parent
    assert embeds == [fonts.core_path()]  # the copy a PDF's subset is cut from, made from the core
    assert fonts.embed_path().read_bytes() == b"embed" and fonts.embed_path().parent == first.parent
    assert stamp.read_text(encoding="utf-8").split() == [str(first), str(fonts.core_path()), str(fonts.embed_path())]


def test_register_fonts_and_apply_style_are_idempotent():
    before = len(font_manager.fontManager.ttflist)
    style.register_fonts()
    style.apply_style()
    first = dict(matplotlib.rcParams)
    style.register_fonts()
    style.apply_style()
    assert dict(matplotlib.rcParams) == first
    assert len(font_manager.fontManager.ttflist) <= before + 1
    assert matplotlib.rcParams["font.family"][0] == style.font_name()
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert matplotlib.rcParams["pdf.fonttype"] == 42
    assert matplotlib.rcParams["ps.fonttype"] == 42
    assert matplotlib.rcParams["svg.fonttype"] == "none"
    assert not matplotlib.rcParams["axes.spines.top"]
    assert not matplotlib.rcParams["axes.spines.right"]


def test_every_character_of_the_raw_texts_renders_with_the_registered_font():
    chars = _raw_characters()
    cjk = [c for c in chars if _is_cjk(c)]
    assert len(cjk) > 1000, "the raw texts should give a real sample of characters"

    style.apply_style()
    # The family of the style resolves to the registered file (a PDF's: the core first, then the
    # whole font), and the whole font itself (not DejaVu) has every CJK character of the texts.
    used = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.family"]))
    assert Path(used).resolve() == style.font_path().resolve()
    pdf = font_manager.fontManager._find_fonts_by_props(font_manager.FontProperties(family=style.pdf_families()))
    assert [Path(u).resolve() for u in pdf[:2]] == [fonts.core_path().resolve(), style.font_path().resolve()]
    charmap = FT2Font(str(style.font_path())).get_charmap()
    assert [c for c in cjk if ord(c) not in charmap] == []
    # The core keeps what charts use almost always: the common characters of these texts.
    core = FT2Font(str(fonts.core_path())).get_charmap()
    assert sum(ord(c) in core for c in cjk) / len(cjk) > 0.95
    assert all(ord(c) in core for c in "郑州市地区生产总值增速目标0123456789%（）：；、。·")

    fig = plt.figure(figsize=(8, 12))
    lines = ["".join(chars[i : i + 60]) for i in range(0, len(chars), 60)]
    for n, line in enumerate(lines):
        fig.text(0.01, 0.98 - n * 0.045, line, fontsize=5)
    assert _missing_glyph_warnings(fig) == []


def test_missing_glyph_detection_works_for_a_latin_only_font():
    # Control for the test above: without the CJK font the same check must fail.
    fig = plt.figure()
    fig.text(0.1, 0.5, "郑州市", family="DejaVu Sans")
    assert _missing_glyph_warnings(fig)


def test_negative_ticks_render_without_missing_glyph_warnings():
    fig, ax = style.new_figure("square")
    ax.plot([1, 2, 3], [-17.3, 5.7, -2.0])
    ax.set_yticks([-20, -10, 0, 10])
    ax.set_title("增速 %")
    assert _missing_glyph_warnings(fig) == []
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "-20" in labels  # ASCII hyphen-minus, as the reports print it


def test_png_draws_the_chinese_in_the_font():
    """The Chinese of a PNG is drawn with the font's own glyphs: ink where the characters are, and
    different ink from the same text in DejaVu Sans (which has no CJK glyph and draws boxes)."""
    import numpy as np

    def ink(family):
        fig = plt.figure(figsize=(2, 1), dpi=100)
        fig.text(0.05, 0.3, "郑州市", fontsize=24, family=family)
        fig.canvas.draw()
        pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
        plt.close(fig)
        return pixels.min(axis=2) < 128

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, boxes = ink(style.families()), ink(["DejaVu Sans"])
    assert ours.sum() > 300 and (ours != boxes).sum() > 100


# --------------------------------------------------------------------------- saving


def _pdf_objects(pdf: bytes) -> dict[int, bytes]:
    return {int(n): body for n, body in re.findall(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S)}


def _stream(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream")
    data = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0].rstrip(b"\r\n")
    return zlib.decompress(data) if b"/FlateDecode" in head else data


def test_save_figure_writes_png_svg_pdf(tmp_path):
    fig = _chart()
    paths = save.save_figure(fig, "employment", "new_jobs", source="郑州市政府工作报告（2025）", root=tmp_path)
    folder = tmp_path / "reports" / "figures" / "employment"
    assert paths == {ext: folder / f"new_jobs.{ext}" for ext in ("png", "svg", "pdf")}
    for path in paths.values():
        assert path.stat().st_size > 1000
    assert sorted(p.name for p in folder.iterdir()) == ["new_jobs.pdf", "new_jobs.png", "new_jobs.svg"]

    from PIL import Image

    with Image.open(paths["png"]) as image:
        assert image.size == (2400, 1500)  # 8 x 5 in at 300 dpi, not cropped
        assert round(image.info["dpi"][0]) == 300


def test_pdf_embeds_the_font_as_truetype_type42(tmp_path):
    from fontTools.ttLib import TTFont

    pdf = save.save_figure(_chart(), "nb", "fig", source="测试", root=tmp_path)["pdf"].read_bytes()
    assert b"/FontFile2" in pdf
    assert b"/Type3" not in pdf
    assert b"/FontFile3" not in pdf
    objects = _pdf_objects(pdf)
    ours = [
        body
        for body in objects.values()
        if b"/Type /FontDescriptor" in body
        and re.search(rb"/FontName /[A-Z]{6}\+(" + fonts.CORE_POSTSCRIPT_NAME.encode() + rb"|"
                      + fonts.POSTSCRIPT_NAME.encode() + rb")\b", body)
    ]
    assert ours, "Noto Sans CJK SC TT (its core) is not embedded"
    for descriptor in ours:
        ref = int(re.search(rb"/FontFile2 (\d+) 0 R", descriptor).group(1))
        program = _stream(objects[ref])
        assert program[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, not CFF ('OTTO')
        assert "glyf" in TTFont(io.BytesIO(program))
    assert b"/CIDFontType2" in pdf and b"/CIDFontType0" not in pdf
    # Editable text: the Chinese of the chart is in the PDF's ToUnicode map, not drawn as paths.
    to_unicode = b"".join(_stream(body) for body in objects.values() if b"/Length" in body and b"begincmap" in _safe(body))
    assert "90d1".encode() in to_unicode.lower() or b"<90d1>" in to_unicode.lower()  # 郑 U+90D1


def test_a_pdf_cuts_its_font_from_the_core_without_layout_tables_and_shows_the_same(tmp_path, monkeypatch):
    """The subset a PDF embeds comes from the core's copy without GPOS/GSUB (a third of the
    subsetting's time): the same page, the same glyphs and widths as a subset of the core itself,
    with Latin kerning pairs and Chinese in the chart; only the font program lacks the layout tables."""
    from fontTools.ttLib import TTFont

    def pdf(folder):
        return save.save_figure(_chart("AVATAR Yo 郑州市新增城镇就业 To"), "nb", "fig", source="测试 WAVE",
                                root=tmp_path / folder)["pdf"].read_bytes()

    def streams(data):
        objects = _pdf_objects(data)
        out = {"font": [], "other": []}
        for body in objects.values():
            if b"stream" in body:
                content = _stream(body)
                out["font" if content[:4] == b"\x00\x01\x00\x00" else "other"].append(content)
        return out

    cut = pdf("embed")
    monkeypatch.setattr(save, "_subset_from_embed", contextlib.nullcontext)
    whole = pdf("core")
    a, b = streams(cut), streams(whole)
    assert sorted(a["other"]) == sorted(b["other"])  # the page, the widths, the ToUnicode map, the CID map
    assert len(a["font"]) == len(b["font"]) == 1
    mine, theirs = TTFont(io.BytesIO(a["font"][0])), TTFont(io.BytesIO(b["font"][0]))
    assert "GPOS" in theirs and "GPOS" not in mine and "GSUB" not in mine  # the core's subset carries it
    assert mine.getGlyphOrder() == theirs.getGlyphOrder()
    assert mine["hmtx"].metrics == theirs["hmtx"].metrics
    for name in mine.getGlyphOrder():
        outline = [font["glyf"][name].getCoordinates(font["glyf"])[0] for font in (mine, theirs)]
        assert outline[0] == outline[1], name
    assert len(cut) < len(whole)


def test_a_pdf_is_written_from_the_core_itself_when_its_copy_is_gone(tmp_path, monkeypatch):
    """The copy lives in the user's cache: removed while a notebook runs, the PDF's subset is cut
    from the core as before, not an error."""
    core, _ = style.embedded_core()
    monkeypatch.setattr(save, "embedded_core", lambda: (core, str(tmp_path / "gone.ttf")))
    pdf = save.save_figure(_chart(), "nb", "fig", source="测试", root=tmp_path)["pdf"].read_bytes()
    programs = [_stream(body) for body in _pdf_objects(pdf).values() if b"stream" in body]
    assert any(p[:4] == b"\x00\x01\x00\x00" and b"GPOS" in p[:400] for p in programs)  # the core's own tables


def test_the_embedded_copy_of_the_core_has_the_same_glyphs_without_layout_tables():
    from fontTools.ttLib import TTFont

    core, embed = TTFont(str(fonts.core_path())), TTFont(str(fonts.embed_path()))
    assert "GPOS" in core and not any(tag in embed for tag in fonts.LAYOUT_TABLES)
    assert embed.getGlyphOrder() == core.getGlyphOrder()
    assert embed.getBestCmap() == core.getBestCmap()
    assert embed["hmtx"].metrics == core["hmtx"].metrics
    assert style.embedded_core() == (os.path.realpath(fonts.core_path()), str(fonts.embed_path()))


def _safe(body: bytes) -> bytes:
    try:
        return _stream(body)
    except zlib.error:
        return b""


def test_svg_keeps_text_as_text(tmp_path):
    svg = save.save_figure(_chart("郑州市新增城镇就业"), "nb", "fig", source="测试", root=tmp_path)["svg"]
    text = svg.read_text(encoding="utf-8")
    assert text.count("<text") >= 5
    assert re.search(r"<text[^>]*>郑州市新增城镇就业</text>", text)
    # Our family first, then the original's names of the same design, for a reader that has them.
    assert "font-family: 'Noto Sans CJK SC TT', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC'" in text


def test_saving_is_byte_identical(tmp_path):
    fig = _chart()
    first = save.save_figure(fig, "nb", "fig", source="郑州市政府工作报告（2025）", root=tmp_path / "a")
    again = save.save_figure(fig, "nb", "fig", source="郑州市政府工作报告（2025）", root=tmp_path / "b")
    fresh = save.save_figure(_chart(), "nb", "fig", source="郑州市政府工作报告（2025）", root=tmp_path / "c")
    for ext in ("png", "svg", "pdf"):
        data = first[ext].read_bytes()
        assert data == again[ext].read_bytes(), ext
        assert data == fresh[ext].read_bytes(), ext
    assert b"CreationDate" not in first["pdf"].read_bytes()
    assert "<dc:date>" not in first["svg"].read_text(encoding="utf-8")
    # Saving twice must not stack a second source line.
    assert sum("来源" in t.get_text() for t in fig.texts) == 1


def test_source_line_is_inside_the_figure_and_clear_of_the_chart(tmp_path):
    fig = _chart()
    source = "郑州市政府工作报告（2025）; 郑州市2024年终回顾; " + "郑州本地报纸版面（报名未记录）" * 4
    save.save_figure(fig, "nb", "fig", source=source, note="2024年为初步数 Preliminary", root=tmp_path)
    footer = [t for t in fig.texts if t.get_text().startswith(("来源", "注"))]
    assert len(footer) == 2
    source_text = next(t for t in footer if t.get_text().startswith("来源 Source: 郑州市"))
    assert "\n" in source_text.get_text()  # too long for one line: wrapped
    assert source_text.get_text().endswith("zzdata")

    fig.canvas.draw()  # positions at screen dpi (saving drew at 300 dpi)
    fig_box = fig.bbox
    ax = fig.axes[0]
    chart_boxes = [ax.xaxis.label.get_window_extent()] + [
        t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()
    ]
    title_boxes = [t.get_window_extent() for t in fig.texts if t.get_gid() in ("zzdata-title", "zzdata-subtitle")]
    assert len(title_boxes) == 2
    for text in footer:
        box = text.get_window_extent()
        assert box.x0 >= fig_box.x0 and box.x1 <= fig_box.x1
        assert box.y0 >= fig_box.y0 and box.y1 <= fig_box.y1
        assert all(not box.overlaps(other) for other in chart_boxes)
    axes_box = ax.get_tightbbox()
    for box in title_boxes:
        assert box.y1 <= fig_box.y1 and not box.overlaps(axes_box)


def test_default_root_comes_from_env_or_the_project_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ZZDATA_ROOT", str(tmp_path))
    paths = save.save_figure(_chart(), "nb", "fig", source="测试")
    assert paths["png"] == tmp_path / "reports" / "figures" / "nb" / "fig.png"

    monkeypatch.delenv("ZZDATA_ROOT")
    project = tmp_path / "proj"
    (project / "data" / "raw").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    (project / "notebooks" / "deep").mkdir(parents=True)
    monkeypatch.chdir(project / "notebooks" / "deep")
    assert save.project_root() == project.resolve()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError):
        save.project_root()


@pytest.mark.parametrize("notebook,name", [("../x", "fig"), ("nb", "a/b"), ("nb", ""), (".hidden", "fig")])
def test_save_figure_rejects_unsafe_names(tmp_path, notebook, name):
    with pytest.raises(ValueError):
        save.save_figure(_chart(), notebook, name, source="测试", root=tmp_path)


def test_titles_replace_and_english_only():
    from zzdata.viz.words import Title, Words

    fig = _chart()
    layout.set_titles(fig, "第二个标题", "Second title")
    titles = [t.get_text() for t in fig.texts if t.get_gid() == "zzdata-title"]
    assert titles == ["第二个标题"]
    layout.set_titles(fig, *Title("第三个标题", "Third title").shown(Words("en")))
    assert [t.get_text() for t in fig.texts if t.get_gid() == "zzdata-title"] == ["Third title"]
    assert not [t for t in fig.texts if t.get_gid() == "zzdata-subtitle"]
    layout.set_titles(fig, *Title("第三个标题", "Third title").shown(Words("zh")))
    assert [t.get_text() for t in fig.texts if t.get_gid() == "zzdata-subtitle"] == ["Third title"]
    with pytest.raises(ValueError):
        layout.set_titles(fig, "", None)


# --------------------------------------------------------------------------- labels


def test_label_bars_writes_values_with_the_charts_words():
    from zzdata.viz.words import Words

    fig, ax = style.new_figure()
    bars = ax.bar([0, 1], [139300, 1.45e12])
    texts = annotate.label_bars(ax, bars, lambda v: Words("zh").value(v, "元"))
    assert [t.get_text() for t in texts] == ["13.93万元", "1.45万亿元"]
    texts = annotate.label_bars(ax, bars, lambda v: Words("en").value(v, "元"))
    assert [t.get_text() for t in texts] == ["139,300 yuan", "1.45 trillion yuan"]
    texts = annotate.label_bars(ax, bars, fmt="{:.0f}")
    assert [t.get_text() for t in texts] == ["139300", "1450000000000"]


def _overlapping_pairs(annotations) -> int:
    boxes = [a.get_window_extent() for a in annotations]
    return sum(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))


def test_label_points_nudges_colliding_labels_apart():
    xs, ys = [1.0, 1.02, 1.04, 3.0], [5.0, 5.05, 5.1, 2.0]
    texts = ["郑州市 5%", "中原区 5.05%", "全省 5.1%", "远处 2%"]
    fig, ax = style.new_figure()
    ax.plot(xs, ys, "o")
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 10)
    crowded = annotate.label_points(ax, xs, ys, texts, where="above", avoid_overlap=False)
    assert _overlapping_pairs(crowded) > 0  # the case really collides
    for a in crowded:
        a.remove()
    spaced = annotate.label_points(ax, xs, ys, texts, where="above")
    assert _overlapping_pairs(spaced) == 0
    assert spaced[3].xyann == (0, 6)  # a label with no neighbour stays put


def test_label_points_auto_puts_a_dip_below():
    fig, ax = style.new_figure()
    labels = annotate.label_points(ax, [1, 2, 3], [5.7, -17.3, 6.0], ["a", "b", "c"])
    assert [a.xyann[1] > 0 for a in labels] == [True, False, True]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "value,unit,expected",
    [
        (139300, "人", "13.93万人"),
        (1.45e12, "元", "1.45万亿元"),
        (1.45e11, "元", "1450亿元"),
        (5.7, "%", "5.7%"),
        (-17.3, "%", "-17.3%"),
        (231, "天", "231天"),
        (6600, "个", "6600个"),
        (27000, "个", "2.7万个"),
        (340000, "人次", "34万人次"),
        (15, "位", "第15位"),
        (8.0, "位", "第8位"),
        (12345678, "元", "1235万元"),
        (99999999, "元", "1亿元"),
        (9999.6, "人", "1万人"),
        (0.15, "%", "0.15%"),
        (0, "%", "0%"),
        (-3.56e4, "人", "-3.56万人"),
        (139300, None, "13.93万"),
    ],
)
def test_format_value_zh(value, unit, expected):
    assert numbers.format_value(value, unit, "zh") == expected


@pytest.mark.parametrize(
    "value,unit,expected",
    [
        (1.45e12, "元", "1.45 trillion yuan"),
        (139300, "人", "139,300 people"),
        (1, "人", "1 person"),
        (-17.3, "%", "-17.3%"),
        (231, "天", "231 days"),
        (1, "天", "1 day"),
        (2.7e7, "平方米", "27 million m²"),
        (1.2e9, "美元", "1.2 billion US dollars"),
        (999999.6, "元", "1 million yuan"),
        (6600, "个", "6,600"),
        (340000, "人次", "340,000 person-times"),
        (1, "位", "1st"),
        (2, "位", "2nd"),
        (3, "位", "3rd"),
        (11, "位", "11th"),
        (15, "位", "15th"),
        (22, "位", "22nd"),
        (5, "未知单位", "5 未知单位"),
    ],
)
def test_format_value_en(value, unit, expected):
    assert numbers.format_value(value, unit, "en") == expected


def test_format_value_signs_missing_values_and_bad_input():
    assert numbers.format_value(5.7, "%", "zh", sign=True) == "+5.7%"
    assert numbers.format_value(-17.3, "%", "en", sign=True) == "-17.3%"
    assert numbers.format_value(None, "元", "zh") == ""
    assert numbers.format_value(float("nan"), "元", "en") == ""
    with pytest.raises(ValueError):
        numbers.format_value(2.5, "位", "zh")
    with pytest.raises(ValueError):
        numbers.format_value(1, "元", lang="fr")


def test_english_names_cover_every_base_unit():
    table = numbers.units_en()
    assert len(table) >= 40
    assert table["人"] == ("person", "people")
    with (ROOT / "zzdata" / "data" / "units.csv").open(encoding="utf-8", newline="") as fh:  # ships with the package
        base_units = {row["unit"] for row in csv.DictReader(fh)}
    assert sorted(base_units - set(table)) == []


def test_format_ticks_uses_chinese_multipliers():
    fig, ax = style.new_figure()
    ax.bar([0, 1], [1.0e12, 1.45e12])
    ax.set_yticks([0, 5e11, 1e12, 1.5e12])
    from zzdata.viz import pieces
    from zzdata.viz.words import Words

    pieces.format_ticks(ax, Words("zh"), unit="元")
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0元", "5000亿元", "1万亿元", "1.5万亿元"]


def test_constrained_layout_figures_keep_titles_and_source_clear(tmp_path):
    style.apply_style()
    fig, axes = plt.subplots(1, 2, figsize=style.FIGSIZES["tall"], layout="constrained")
    for ax in axes:
        ax.barh(["新增城镇就业", "培训人次"], [139300, 340000])
        ax.set_title("郑州市")
    layout.set_titles(fig, "民生实事完成情况", "Livelihood projects, 2024")
    save.save_figure(fig, "nb", "constrained", source="郑州市政府工作报告（2025）", root=tmp_path)
    fig.canvas.draw()
    ours = [t.get_window_extent() for t in fig.texts if (t.get_gid() or "").startswith("zzdata-")]
    assert len(ours) == 3
    for ax in axes:
        chart = ax.get_tightbbox()
        assert all(not box.overlaps(chart) for box in ours)


@pytest.mark.parametrize("module", ["style", "layout", "annotate", "numbers", "save"])
def test_the_house_style_loads_neither_pandas_nor_the_later_rooms(module):
    """A script that only draws (or a test of the style) does not pay for pandas or the tables."""
    import subprocess
    import sys

    code = (
        f"import sys, zzdata.viz.{module}; "
        "extra = [m for m in sys.modules if m == 'pandas' or (m.startswith('zzdata.') "
        "and m.split('.')[1] not in ('viz', 'core'))]; "
        "print(extra); sys.exit(1 if extra else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- no two texts overlap


def test_the_overlap_check_finds_colliding_texts_and_only_those():
    fig, ax = style.new_figure()
    ax.set_xticks([-5, 0, 5, 10, 15])
    ax.set_xlim(0, 10)  # ticks out of view are not drawn, so never collide
    ax.set_ylim(0, 10)
    ax.text(5, 5, "地区生产总值 +5.7%")
    ax.text(5.3, 5, "规模以上工业增加值 +10.5%")  # on top of the first
    ax.text(5, 1, "far away")
    ax.annotate("outside the axes", (50, 50))  # not drawn: its point is outside
    layout.set_titles(fig, "标题", "Title")
    found = overlap.find_overlaps(fig)
    assert len(found) == 1
    assert "地区生产总值" in found[0].a + found[0].b and "规模以上" in found[0].a + found[0].b
    roles = [role for _, role in overlap.visible_texts(fig)]
    assert roles.count("x tick label") == 3 and "title" in roles and "subtitle" in roles


def test_save_figure_raises_on_overlap_when_strict_and_warns_otherwise(tmp_path, monkeypatch):
    def crowded():
        fig, ax = style.new_figure()
        ax.text(0.5, 0.5, "hello world")
        ax.text(0.52, 0.5, "second text")
        return fig

    monkeypatch.delenv(overlap.STRICT_ENV, raising=False)
    with pytest.warns(overlap.OverlapWarning, match="hello world"):
        save.save_figure(crowded(), "nb", "warned", source="测试", root=tmp_path)
    monkeypatch.setenv(overlap.STRICT_ENV, "1")
    with pytest.raises(overlap.OverlapError, match="second text"):
        save.save_figure(crowded(), "nb", "raised", source="测试", root=tmp_path)
    assert (tmp_path / "reports" / "figures" / "nb" / "raised.png").exists()  # written first, to look at
    with pytest.raises(overlap.OverlapError):
        save.save_figure(crowded(), "nb", "explicit", source="测试", root=tmp_path, strict=True)
    monkeypatch.setenv(overlap.STRICT_ENV, "0")
    with pytest.warns(overlap.OverlapWarning):
        save.save_figure(crowded(), "nb", "lenient", source="测试", root=tmp_path)


def test_optional_labels_that_collide_are_left_out_the_least_important_first(tmp_path):
    fig, ax = style.new_figure()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    keep = overlap.optional(ax.text(5, 5, "最新值 139,300"), 0)
    drop = overlap.optional(ax.text(5.2, 5, "较早值 125,000"), 3)
    lone = overlap.optional(ax.text(1, 1, "独立"), 5)
    save.save_figure(fig, "nb", "optional", source="测试", root=tmp_path, strict=True)
    assert keep.get_visible() and lone.get_visible() and not drop.get_visible()


def test_the_png_writer_keeps_every_pixel_and_the_dpi():
    """zzdata.viz.png writes the Agg buffer as matplotlib's own writer would (the same pixels,
    size and dpi), only faster; the notebook's picture is it made three times smaller."""
    import numpy as np
    from PIL import Image

    from zzdata.viz import png

    fig = _chart()
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba()).copy()
    pixels[0, :5] = [[255, 0, 0, 255], [0, 0, 0, 0], [1, 2, 3, 4], [255, 255, 255, 128], [0, 255, 0, 255]]
    with Image.open(io.BytesIO(png.encode(pixels, 300))) as image:
        assert image.mode == "RGBA" and round(image.info["dpi"][0]) == 300
        assert np.array_equal(np.asarray(image), pixels)
    small = png.downsample(pixels, 3)
    assert small.shape == (pixels.shape[0] // 3, pixels.shape[1] // 3, 4)
    assert np.abs(small[-1, -1].astype(int) - pixels[-3:, -3:].reshape(-1, 4).mean(axis=0)).max() <= 1


def test_the_png_writers_kept_work_arrays_leave_nothing_of_an_earlier_picture(monkeypatch):
    """png keeps its work arrays between charts (png._scratch): pictures of other sizes written in
    between change no byte of a file or of a notebook's picture."""
    import numpy as np
    from PIL import Image

    from zzdata.viz import png

    rng = np.random.default_rng(5)
    big = rng.integers(0, 256, size=(61, 47, 4), dtype=np.uint8)
    small = rng.integers(0, 256, size=(20, 13, 4), dtype=np.uint8)
    monkeypatch.setattr(png, "_SCRATCH", {})
    first, first_small = png.encode(big, 300), png.downsample(big, 3).copy()
    for pixels in (small, big[:, :30], np.zeros((70, 50, 4), np.uint8)):  # smaller, narrower, larger
        png.encode(pixels, 100)
        png.downsample(pixels, 3)
    assert png.encode(big, 300) == first
    assert np.array_equal(png.downsample(big, 3), first_small)
    with Image.open(io.BytesIO(png.encode(small, 300))) as image:
        assert np.array_equal(np.asarray(image), small)
    assert set(png._SCRATCH) == {"filtered", "rows", "sums"}  # kept, not made anew


def test_a_saved_chart_lets_go_of_its_300_dpi_rendering_and_draws_the_same_again(tmp_path):
    """canvas.drop_renderer after the PNG: a saved figure keeps no 300 dpi buffer (a notebook keeps
    its charts' figures); saved again, or drawn for the screen, it renders afresh: the same files."""
    fig = _chart()
    first = save.save_chart(fig, "nb", "one", source="测试", root=tmp_path)
    assert getattr(fig.canvas, "renderer", None) is None
    data = {ext: path.read_bytes() for ext, path in first.paths.items()}
    fig.canvas.draw()  # a draw for the screen makes a renderer at the figure's dpi
    assert fig.canvas.get_renderer().dpi == fig.dpi
    again = save.save_chart(fig, "nb", "two", source="测试", root=tmp_path)
    assert {ext: path.read_bytes() for ext, path in again.paths.items()} == data
    assert again.preview == first.preview


def test_a_saved_png_has_the_pixels_of_matplotlibs_own_writer(tmp_path):
    import numpy as np
    from PIL import Image

    fig = _chart()
    ours = save.save_figure(fig, "nb", "fig", source="测试", root=tmp_path, formats=("png",))["png"]
    theirs = io.BytesIO()
    fig.savefig(theirs, format="png", dpi=style.SAVE_DPI, facecolor="white")  # the same laid-out figure
    with Image.open(ours) as a, Image.open(theirs) as b:
        assert a.size == b.size and np.array_equal(np.asarray(a), np.asarray(b))


def _wrap_by_every_prefix(text: str, fontsize: float, width_pt: float, family: list[str]) -> str:
    """The wrapping rule as first written: every token appended in turn, every prefix measured; a
    line breaks before a token that may open a line once the line with it is too wide."""
    lines, current = [], ""
    for token in layout._TOKEN.findall(text):
        if token == "\n":
            lines.append(current.rstrip())
            current = ""
            continue
        candidate = current + token
        may_break = current.strip() and not token.isspace() and token[0] not in layout._NO_LINE_START
        if may_break and layout.text_width_pt(candidate.rstrip(), fontsize, family) > width_pt:
            lines.append(current.rstrip())
            current = token
        else:
            current = candidate
    lines.append(current.rstrip())
    return "\n".join(lines)


def test_wrap_breaks_where_measuring_every_prefix_would(monkeypatch):
    """`layout.wrap` measures a few prefixes of a line (widths only grow as tokens are added) and
    must break exactly where measuring each one would: sentences of the raw texts, Latin and CJK
    mixed, with spaces, line breaks and punctuation that must not open a line, at many widths."""
    family = style.families()
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt")))
    sentences = [s.strip() for s in re.split(r"(?<=[。；！？])", text) if len(s.strip()) > 8][::5][:60]
    sentences += ["来源 Source: Zhengzhou government work report 2024, 郑州市统计公报（2023） · zzdata",
                  "  leading spaces, then words: GDP 1,234.5亿元，增长 7.1%；\n第二段：A  B   C。",
                  "Supercalifragilisticexpialidocious-and-more-words-without-a-break 之后是中文",
                  "", "\n\n", "，，，。。。", "一"]
    measured = []
    monkeypatch.setattr(layout, "text_width_pt", lambda *a: (measured.append(a), layout._text_width_pt(
        a[0], float(a[1]), tuple(a[2])))[1])
    compared = broken = 0
    for n, sentence in enumerate(sentences):
        for width in (40.0, 90.0, 151.5, 260.0, 480.0):
            size = (8.0, 10.5, 15.0)[n % 3]
            measured.clear()
            got = layout.wrap(sentence, size, width, family)
            fast = len(measured)
            want = _wrap_by_every_prefix(sentence, size, width, family)
            assert got == want, (sentence, size, width)
            compared += 1
            broken += got.count("\n") > sentence.count("\n")
            assert fast <= 2 + 3 * (got.count("\n") + 1) * max(1, len(sentence)).bit_length()
    assert compared >= 300 and broken >= 100  # the widths did break most sentences
