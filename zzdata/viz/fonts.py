"""The Chinese font of the charts: Noto Sans CJK SC (SIL Open Font License 1.1), converted once
to TrueType outlines and registered with matplotlib. Imports neither pandas nor the rest of
zzdata (fontTools, a dependency of matplotlib, only when the font has to be built).

Why a conversion. The PyPI package ``mplfonts`` ships Noto Sans CJK SC as a CFF-flavoured
OpenType file (``OTTO``, cubic outlines). matplotlib's PDF backend writes every font it
embeds as Type 42 (``/FontFile2`` + ``/CIDFontType2``), which the PDF specification allows only
for TrueType (``glyf``) outlines; a CFF program needs ``/FontFile3 /OpenType`` +
``/CIDFontType0``, and readers render the mislabelled subsets wrongly (matplotlib issues #2869,
#12636). So the font is converted, once per machine, with fontTools: each glyph's cubic curves
drawn through ``Cu2QuPen`` into a ``TTGlyphPen`` (quadratic curves within 1 font unit of the
original, on an em of 1000), the ``CFF`` table replaced by ``glyf``/``loca``, ``maxp`` version
1.0, ``post`` format 2 (the recipe of fontTools' ``otf2ttf`` snippet). The PDF then embeds a
true TrueType subset (Type 42, editable and searchable text).

Before the conversion the font keeps only what matplotlib draws: every glyph of a Unicode
character (some 44,000; the glyphs reached only through vertical or other-locale substitutions
go) and the kerning (GPOS ``kern``, which matplotlib's text shaping applies); the vertical
metrics and baseline tables go (:data:`DROP_TABLES`). Every character the font has still
renders; a chart's PDF is written in about half a second instead of a second and a half (the
PDF backend subsets the whole font file for every file it writes).

The converted font gets its own family name, :data:`FAMILY` (a Modified Version under the OFL,
which keeps the copyright and licence entries of the name table; Noto has no Reserved Font
Name). That way a system copy of the OpenType Noto Sans CJK SC, if one is installed, is never
picked instead, and every machine draws the same outlines. SVG files name it first and the
original family after it (:func:`svg_families`), so an SVG opened on a machine with Noto Sans
CJK SC or Source Han Sans SC shows the same design.

Where it lives. ``$ZZDATA_FONT_CACHE`` if set, else the user cache folder
(``$XDG_CACHE_HOME/zzdata/fonts``, ``~/.cache/zzdata/fonts``; ``%LOCALAPPDATA%\\zzdata\\fonts``
on Windows), never matplotlib's folders or the repository (the file is about 20 MB). The file
name carries a fingerprint of the source file and of this recipe, so an updated mplfonts or a
change of the recipe builds a new file; a missing file is rebuilt (about a minute), written
under a temporary name and renamed, so a half-written font is never read.

The core font. matplotlib's PDF backend subsets the embedded font with fontTools for every
file it writes, and reading the tables of 44,000 glyphs to do it took most of a chart's time
(0.4-0.8 s a PDF). So a second file, :data:`CORE_FAMILY`, holds the glyphs charts use almost
always -- every character of GB 2312 (the 6,763 common hanzi and its symbols), Latin, Greek and
Cyrillic, punctuation, the CJK symbols and full-width forms (:func:`in_core`), some 8,500 glyphs,
the same outlines and kerning -- and a PDF names it first, the full font after it
(:func:`zzdata.viz.style.pdf_families`): a rarer character comes from the full font, and the PDF
subsets the small file in a seventh of the time. PNG and SVG keep the full font alone.
It is cut from the converted font in a few seconds, next to it, under a name that carries the
full font's fingerprint and :data:`CORE_RECIPE`.

The embedded copy. The PDF's text is laid out with the core font (its kerning is in the GPOS
table), but the subset a PDF embeds needs only outlines and widths: a viewer places each glyph
where the PDF says. Reading the layout tables took two thirds of the subsetting (about 0.1 s a
PDF). So a third file, :func:`embed_path`, is the core without its layout tables (GPOS, GSUB, GDEF),
glyph for glyph the same (the same glyph numbers, outlines and widths), and the PDF subsets
that one (:func:`zzdata.viz.save.core_font_first`); it is made with the core.

When. ``make data`` (and so ``make figures``, ``make lab``, ``make report``) runs
``python -m zzdata.viz.fonts`` first, stamped so it converts once: no notebook waits for the
font or shows the conversion's message. Drawn without that set-up, the first chart converts it
and says so on standard output (a plain line in a notebook, not an error box).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

#: The source font in the mplfonts package (CFF-flavoured OpenType).
SOURCE_FILE = "NotoSansCJKsc-Regular.otf"
#: The family it is drawn as in the original, and the family of the converted file.
SOURCE_FAMILY = "Noto Sans CJK SC"
FAMILY = "Noto Sans CJK SC TT"
POSTSCRIPT_NAME = "NotoSansCJKscTT-Regular"
#: The core font: the glyphs charts use almost always (:func:`in_core`), cut from the converted font.
CORE_FAMILY = "Noto Sans CJK SC TT Core"
CORE_POSTSCRIPT_NAME = "NotoSansCJKscTTCore-Regular"
CORE_RECIPE = "gb2312-latin-punct-v2"
#: The core without its layout tables, the file a PDF's subset is cut from (:func:`embed_path`).
EMBED_POSTSCRIPT_NAME = "NotoSansCJKscTTCoreEmbed-Regular"
EMBED_RECIPE = "core-without-GPOS-GSUB-v1"
#: The tables text layout reads and a PDF viewer does not (it places each glyph where the PDF says).
LAYOUT_TABLES = ("GPOS", "GSUB", "GDEF")
#: Families an SVG reader may have of the same design (named after :data:`FAMILY` in SVG files).
SVG_FALLBACKS = (SOURCE_FAMILY, "Noto Sans SC", "Source Han Sans SC")
#: The glyphs the CJK font lacks (∙ U+2219) come from DejaVu Sans, which ships with matplotlib.
FALLBACK_FONTS: tuple[str, ...] = ("DejaVu Sans",)
#: Largest distance between a cubic curve and its quadratic replacement, in font units.
MAX_ERR = 1.0
#: Bumped when the recipe changes, so the cached file is rebuilt.
RECIPE = "subset-kern-cu2qu-1.0-post2-v2"
#: Tables matplotlib never reads (vertical metrics, baselines), left out of the converted font.
DROP_TABLES = ("BASE", "vhea", "vmtx", "VORG", "DSIG")
LICENSE = "SIL Open Font License 1.1"


def source_path() -> Path:
    """Path of the OpenType source inside the installed mplfonts package (not imported)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("zzdata.viz needs the 'mplfonts' package (it ships Noto Sans CJK SC): pip install mplfonts")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "fonts" / SOURCE_FILE
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{SOURCE_FILE} not found in the mplfonts package folder")


def cache_dir() -> Path:
    """The folder of the converted font: ``$ZZDATA_FONT_CACHE``, else the user cache folder."""
    env = os.environ.get("ZZDATA_FONT_CACHE")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "zzdata" / "fonts"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zzdata" / "fonts"


def _fingerprint(source: Path) -> str:
    digest = hashlib.sha256(RECIPE.encode())
    with source.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def font_path(build: bool = True) -> Path:
    """Path of the converted TrueType font; built first when missing (and ``build``)."""
    source = source_path()
    target = cache_dir() / f"{POSTSCRIPT_NAME}.{_fingerprint(source)}.ttf"
    if not target.is_file() and build:
        build_font(source, target)
    return target


def core_path(build: bool = True) -> Path:
    """Path of the core font (:data:`CORE_FAMILY`); cut from the converted font first when
    missing (and ``build``), converting that too if needed."""
    full = font_path(build=build)
    fingerprint = hashlib.sha256(f"{full.name};{CORE_RECIPE}".encode()).hexdigest()[:12]
    target = full.parent / f"{CORE_POSTSCRIPT_NAME}.{fingerprint}.ttf"
    if not target.is_file() and build:
        build_core(full, target)
    return target


def embed_path(build: bool = True) -> Path:
    """Path of the core font without its layout tables (:data:`LAYOUT_TABLES`), from which a PDF's
    embedded subset is cut; made from the core first when missing (and ``build``)."""
    core = core_path(build=build)
    fingerprint = hashlib.sha256(f"{core.name};{EMBED_RECIPE}".encode()).hexdigest()[:12]
    target = core.parent / f"{EMBED_POSTSCRIPT_NAME}.{fingerprint}.ttf"
    if not target.is_file() and build:
        _build_once(target, lambda tmp: cut_embed(core, tmp), None, prune=f"{EMBED_POSTSCRIPT_NAME}.*.ttf")
    return target


def cut_embed(core: Path, target: Path) -> None:
    """Write ``core`` without its layout tables; every other table (and so every glyph's number,
    outline and width) as it is."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(core), recalcTimestamp=False, recalcBBoxes=False)
    for tag in LAYOUT_TABLES:
        if tag in font:
            del font[tag]
    font.save(str(target))


def chart_fonts() -> list[Path]:
    """Every font file the charts are drawn and embedded with, made where missing: the converted
    font, its core and the core's copy a PDF's subset is cut from. The set-up step stamps them,
    the chart store keys its charts by them, the chart bench makes them before it times."""
    return [font_path(), core_path(), embed_path()]


def in_core(codepoint: int) -> bool:
    """Whether the core font keeps a character: Latin, Greek, Cyrillic, punctuation, currency,
    letter-like symbols and arrows (below U+2500), CJK symbols and punctuation, full-width forms,
    and every character of GB 2312."""
    if codepoint < 0x2500 or 0x3000 <= codepoint <= 0x303F or 0xFF00 <= codepoint <= 0xFFEF:
        return True
    try:
        chr(codepoint).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def cut_core(full: Path, target: Path) -> None:
    """Write the core font: the glyphs of :func:`in_core` characters of ``full``, their kerning,
    under :data:`CORE_FAMILY`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = _subset_options()
    font = TTFont(str(full), recalcTimestamp=False, recalcBBoxes=False)
    whole = {tag: {k: getattr(font[tag], k) for k in keys} for tag, keys in _FONT_WIDE.items()}
    keep = [cp for cp in font.getBestCmap() if in_core(cp)]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    for tag, values in whole.items():  # the whole font's box and extremes: FreeType places glyphs by them
        for key, value in values.items():
            setattr(font[tag], key, value)
    _rename(font, CORE_FAMILY, CORE_POSTSCRIPT_NAME, f"{RECIPE};{CORE_RECIPE}")
    font.save(str(target))


#: Font-wide values the core keeps from the whole font (not recomputed from its glyphs), so
#: FreeType lays out and renders its glyphs on exactly the same pixels.
_FONT_WIDE = {"head": ("xMin", "yMin", "xMax", "yMax"),
              "hhea": ("advanceWidthMax", "minLeftSideBearing", "minRightSideBearing", "xMaxExtent")}


def build_core(full: Path, target: Path) -> Path:
    """Cut the core font once, atomically (a few seconds)."""
    return _build_once(target, lambda tmp: cut_core(full, tmp), None, prune=f"{CORE_POSTSCRIPT_NAME}.*.ttf")


def _rename(font, family: str = FAMILY, postscript: str = POSTSCRIPT_NAME, recipe: str = RECIPE) -> None:
    """The converted font's own family name; the copyright, licence and designer entries stay."""
    name = font["name"]
    version = name.getDebugName(5) or ""
    if " by zzdata (" in version:  # the core font, cut from the converted one
        version = version.split("; TrueType outlines", 1)[0]
    entries = {1: family, 2: "Regular", 3: f"{postscript};{recipe}", 4: f"{family} Regular",
               5: f"{version}; TrueType outlines converted from {SOURCE_FAMILY} by zzdata ({recipe})",
               6: postscript, 16: family, 17: "Regular"}
    for record in list(name.names):
        if record.nameID in entries:
            name.removeNames(nameID=record.nameID)
    for name_id, text in entries.items():
        name.setName(text, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English
        name.setName(text, name_id, 1, 0, 0)  # Macintosh, Roman, English


def _subset_options():
    """Keep the kerning, every name entry, the glyph names; no hinting, the same timestamp."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["kern"]
    options.name_IDs, options.name_languages, options.name_legacy = ["*"], ["*"], True
    options.notdef_outline, options.glyph_names, options.legacy_kern = True, True, True
    options.hinting, options.recalc_timestamp = False, False
    options.drop_tables += list(DROP_TABLES)
    return options


def _keep_what_matplotlib_draws(font) -> None:
    """Subset in place: every glyph of a Unicode character, the kerning, no vertical tables."""
    from fontTools import subset

    subsetter = subset.Subsetter(_subset_options())
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)


def convert(source: Path, target: Path, max_err: float = MAX_ERR) -> None:
    """Write ``source`` (CFF-flavoured OpenType) to ``target`` with TrueType outlines."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source), recalcTimestamp=False)  # keep head.modified: the same bytes everywhere
    if font.sfntVersion != "OTTO" or "CFF " not in font:
        raise ValueError(f"{source.name} is not a CFF-flavoured OpenType font")
    _keep_what_matplotlib_draws(font)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for glyph_name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[glyph_name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[glyph_name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in ("CFF ", *DROP_TABLES):  # DSIG: a signature of the old bytes
        if tag in font:
            del font[tag]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for glyph_name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[glyph_name] = (hmtx[glyph_name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    post = font["post"]
    post.formatType = 2.0  # glyph names kept: reading them is faster than making them from the cmap
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"
    _rename(font)
    font.save(str(target))


def build_font(source: Path, target: Path) -> Path:
    """Convert once (one process at a time where the OS can lock a file), atomically."""
    message = f"zzdata: converting {SOURCE_FAMILY} to TrueType outlines once (about a minute) -> {target}"
    return _build_once(target, lambda tmp: convert(source, tmp), message, prune=f"{POSTSCRIPT_NAME}.*.ttf")


def _build_once(target: Path, make, message: str | None, prune: str | None = None) -> Path:
    """Make ``target`` with ``make(temporary path)`` unless another process made it meanwhile (a
    lock), under a temporary name renamed when whole; ``prune``: older files of that pattern go."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home: the temporary folder still works
        target = Path(tempfile.gettempdir()) / "zzdata-fonts" / target.name
        target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.with_suffix(".lock")
    with lock.open("w") as fh:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)  # another process converting: wait for it
        except ImportError:  # pragma: no cover - Windows: at worst both convert
            pass
        if target.is_file():
            return target
        if message:
            # Standard output: in a notebook that draws without `make data`'s set-up, a plain line
            # saying why the cell takes a minute, not an error box (stderr).
            print(message, flush=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        try:
            make(Path(tmp))
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o644 & ~umask)  # mkstemp creates 0600 files
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        for old in target.parent.glob(prune) if prune else ():  # earlier recipes or sources
            if old != target:
                old.unlink(missing_ok=True)
                old.with_suffix(".lock").unlink(missing_ok=True)
    return target


def svg_families(svg: str) -> str:
    """Name the original family (and the same design's other names) after :data:`FAMILY` in an
    SVG's font-family lists, for readers that have it installed."""
    extra = "".join(f", '{f}'" for f in SVG_FALLBACKS)
    return svg.replace(f"'{FAMILY}'", f"'{FAMILY}'{extra}")


def main(argv: list[str] | None = None) -> int:
    """``python -m zzdata.viz.fonts``: make the charts' font now (the set-up step of ``make data``);
    ``--stamp FILE`` writes the fonts' paths there, one a line, for make to see that it is done."""
    ap = argparse.ArgumentParser(prog="python -m zzdata.viz.fonts", description=main.__doc__.split(";")[0])
    ap.add_argument("--stamp", type=Path, help="write the font's path to this file when it is ready")
    args = ap.parse_args(argv)
    made = chart_fonts()
    if args.stamp is not None:
        args.stamp.write_text("".join(f"{path}\n" for path in made), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
