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


def _rename(font) -> None:
    """The converted font's own family name; the copyright, licence and designer entries stay."""
    name = font["name"]
    version = name.getDebugName(5) or ""
    entries = {1: FAMILY, 2: "Regular", 3: f"{POSTSCRIPT_NAME};{RECIPE}", 4: f"{FAMILY} Regular",
               5: f"{version}; TrueType outlines converted from {SOURCE_FAMILY} by zzdata ({RECIPE})",
               6: POSTSCRIPT_NAME, 16: FAMILY, 17: "Regular"}
    for record in list(name.names):
        if record.nameID in entries:
            name.removeNames(nameID=record.nameID)
    for name_id, text in entries.items():
        name.setName(text, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English
        name.setName(text, name_id, 1, 0, 0)  # Macintosh, Roman, English


def _keep_what_matplotlib_draws(font) -> None:
    """Subset in place: every glyph of a Unicode character, the kerning, no vertical tables."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["kern"]
    options.name_IDs, options.name_languages, options.name_legacy = ["*"], ["*"], True
    options.notdef_outline, options.glyph_names, options.legacy_kern = True, True, True
    options.hinting, options.recalc_timestamp = False, False
    options.drop_tables += list(DROP_TABLES)
    subsetter = subset.Subsetter(options)
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
        # Standard output: in a notebook that draws without `make data`'s set-up, a plain line
        # saying why the cell takes a minute, not an error box (stderr).
        print(f"zzdata: converting {SOURCE_FAMILY} to TrueType outlines once (about a minute) -> {target}",
              flush=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        try:
            convert(source, Path(tmp))
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o644 & ~umask)  # mkstemp creates 0600 files
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        for old in target.parent.glob(f"{POSTSCRIPT_NAME}.*.ttf"):  # earlier recipes or sources
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
    ``--stamp FILE`` writes the font's path there, for make to see that it is done."""
    ap = argparse.ArgumentParser(prog="python -m zzdata.viz.fonts", description=main.__doc__.split(";")[0])
    ap.add_argument("--stamp", type=Path, help="write the font's path to this file when it is ready")
    args = ap.parse_args(argv)
    path = font_path()
    if args.stamp is not None:
        args.stamp.write_text(f"{path}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
