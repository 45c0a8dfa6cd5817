"""House style and helpers for article-ready charts of the Zhengzhou (郑州) report data.

The style follows Our World in Data: a left-aligned title with an English subtitle,
a light horizontal grid, no top/right spines, a source line under the chart, and
files written as PNG (300 dpi), SVG and PDF with text kept as text.

Chinese must render on machines with no system CJK font, so the font comes from the
PyPI package ``mplfonts`` and is registered with matplotlib's public API
(``fontManager.addfont``); nothing is copied into matplotlib's folders.

Font choice: ``SimHei.ttf`` (TrueType ``glyf`` outlines). The other mplfonts files
(Noto Sans/Serif CJK, Source Han) are CFF-flavoured OpenType; matplotlib's PDF
backend writes their subsets as ``/FontFile2`` + ``/CIDFontType2`` although the font
program is CFF (``OTTO``), which the PDF spec does not allow (CFF needs
``/FontFile3 /OpenType`` + ``CIDFontType0``) and which some readers render wrongly
(matplotlib issues #2869, #12636). SimHei embeds as a true TrueType (Type 42) subset,
covers every CJK character of ``data/raw/*.txt`` and allows editable embedding
(OS/2 fsType 8). The few glyphs it lacks (``∙``, ``²``, ``³``, U+2212 minus) come from
the fallback font DejaVu Sans, which ships with matplotlib.

This module imports nothing else from ``zzdata`` and does not import pandas.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager

__all__ = [
    "COLORS",
    "PALETTE",
    "FIGSIZES",
    "FONT_FILE",
    "FALLBACK_FONTS",
    "SAVE_DPI",
    "register_fonts",
    "font_name",
    "font_path",
    "house_rc",
    "apply_style",
    "new_figure",
    "set_titles",
    "label_bars",
    "label_points",
    "format_value",
    "format_ticks",
    "units_en",
    "project_root",
    "save_figure",
]

# --------------------------------------------------------------------------- colours

#: Eight colours that stay distinguishable for common colour-vision deficiencies
#: (Okabe-Ito based, the yellow replaced by purple/brown for contrast on white).
PALETTE: list[str] = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # green
    "#D55E00",  # vermillion
    "#6D3E91",  # purple
    "#56B4E9",  # sky blue
    "#CC79A7",  # pink
    "#8C6D31",  # brown
]

#: Fixed roles, so the same thing has the same colour in every chart.
COLORS: dict[str, str] = {
    "city": "#0072B2",  # 郑州市
    "district": "#E69F00",  # 中原区 and other districts
    "actual": "#1F4E79",  # results for a period
    "target": "#9A9A9A",  # goals (draw hollow or hatched where possible)
    "preliminary": "#56B4E9",  # 预计 / partial-period figures
    "conflict": "#D55E00",  # two sources disagree
    "cumulative": "#009E73",  # running totals over several years
    "highlight": "#CC79A7",
    "neutral": "#B8B8B8",
    "text": "#222222",
    "muted": "#666666",
    "grid": "#DDDDDD",
    "axis": "#8C8C8C",
}

# --------------------------------------------------------------------------- sizes

#: Figure sizes in inches: wide is 16:10, square is the squarer 4:3 format, tall is 4:5
#: (long ranked bar charts).
FIGSIZES: dict[str, tuple[float, float]] = {
    "wide": (8.0, 5.0),
    "square": (8.0, 6.0),
    "tall": (6.4, 8.0),
}
SAVE_DPI = 300
_MARGIN_IN = 0.18  # white space around everything, inches
_GAP_IN = 0.06  # between stacked header/footer lines, inches
_TITLE_SIZE = 15.0
_SUBTITLE_SIZE = 11.0
_FOOTER_SIZE = 8.0
_BASE_SIZE = 10.5

_GID_TITLE = "zzdata-title"
_GID_SUBTITLE = "zzdata-subtitle"
_GID_SOURCE = "zzdata-source"
_GID_NOTE = "zzdata-note"

# --------------------------------------------------------------------------- fonts

#: The font file used from the mplfonts package (see the module docstring for why).
FONT_FILE = "SimHei.ttf"
#: Fonts matplotlib falls back to, glyph by glyph, when the CJK font lacks one.
FALLBACK_FONTS: tuple[str, ...] = ("DejaVu Sans",)


def font_path() -> Path:
    """Path of the CJK font file inside the installed mplfonts package (not imported)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("zzdata.plot needs the 'mplfonts' package: pip install mplfonts")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "fonts" / FONT_FILE
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{FONT_FILE} not found in the mplfonts package folder")


@functools.cache
def register_fonts() -> str:
    """Register the CJK font with matplotlib (idempotent) and return its family name."""
    path = font_path()
    known = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    if path.resolve() not in known:
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def font_name() -> str:
    """Family name of the registered CJK font (registers it first if needed)."""
    return register_fonts()


def _families() -> list[str]:
    return [font_name(), *FALLBACK_FONTS]


def _latin_first() -> list[str]:
    """For English-only text: SimHei's Latin letters are typewriter-like half-width glyphs."""
    return [*FALLBACK_FONTS, font_name()]


# --------------------------------------------------------------------------- style


def house_rc(latin_first: bool = False) -> dict[str, Any]:
    """The house-style rcParams, e.g. for ``matplotlib.rc_context(house_rc())``.

    ``latin_first=True`` puts DejaVu Sans before the CJK font, so digits and Latin
    letters use DejaVu Sans and only CJK glyphs come from the CJK font.
    """
    families = _latin_first() if latin_first else _families()
    sans = [f for f in matplotlib.rcParamsDefault["font.sans-serif"] if f not in families]
    return {
        # Fonts: CJK first, DejaVu Sans for the few glyphs SimHei lacks.
        "font.family": families,
        "font.sans-serif": families + sans,
        "font.size": _BASE_SIZE,
        "font.weight": "normal",  # SimHei has no bold face; never ask for one
        "axes.unicode_minus": False,  # ASCII '-', present in every font
        # Text stays text: PDF/PS embed TrueType subsets (Type 42); SVG references the
        # family name, so the font must be installed where the SVG is opened.
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "svg.hashsalt": "zzdata",  # stable ids in SVG output
        # Look.
        "figure.figsize": FIGSIZES["wide"],
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "figure.titlesize": _TITLE_SIZE,
        "figure.titleweight": "normal",
        "savefig.dpi": SAVE_DPI,
        "savefig.facecolor": "white",
        "savefig.bbox": "standard",
        "axes.facecolor": "white",
        "axes.edgecolor": COLORS["axis"],
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "axes.titlesize": 12.0,
        "axes.titleweight": "normal",
        "axes.titlelocation": "left",
        "axes.titlecolor": COLORS["text"],
        "axes.labelsize": _BASE_SIZE,
        "axes.labelweight": "normal",
        "axes.labelcolor": COLORS["muted"],
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "axes.formatter.useoffset": False,
        "axes.xmargin": 0.03,
        "grid.color": COLORS["grid"],
        "grid.linestyle": (0, (4, 3)),
        "grid.linewidth": 0.8,
        "xtick.labelsize": 10.0,
        "ytick.labelsize": 10.0,
        "xtick.color": COLORS["axis"],
        "ytick.color": COLORS["axis"],
        "xtick.labelcolor": COLORS["muted"],
        "ytick.labelcolor": COLORS["muted"],
        "ytick.major.size": 0,
        "ytick.minor.size": 0,
        "legend.frameon": False,
        "legend.fontsize": 10.0,
        "lines.linewidth": 2.2,
        "lines.markersize": 6,
        "patch.linewidth": 0,
        "text.color": COLORS["text"],
    }


def apply_style(latin_first: bool = False) -> None:
    """Register the CJK font and set the house-style rcParams globally (idempotent)."""
    matplotlib.rcParams.update(house_rc(latin_first))


def new_figure(
    size: str | tuple[float, float] = "wide",
    *,
    nrows: int = 1,
    ncols: int = 1,
    grid: str | None = "y",
    latin_first: bool = False,
    **subplots_kw: Any,
) -> tuple[Any, Any]:
    """Apply the style and return ``(fig, ax)`` sized for articles (like ``plt.subplots``).

    ``size`` is ``"wide"`` (16:10), ``"square"`` (4:3), ``"tall"`` (4:5) or inches;
    ``grid`` is ``"y"`` (default), ``"x"`` (for horizontal bars), ``"both"`` or None;
    ``latin_first`` sets Latin text in DejaVu Sans (English charts, see :func:`house_rc`).
    """
    import matplotlib.pyplot as plt

    apply_style(latin_first)
    figsize = FIGSIZES[size] if isinstance(size, str) else tuple(size)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, **subplots_kw)
    for ax in getattr(axes, "flat", [axes]):
        ax.grid(False)
        if grid is not None:
            ax.grid(True, axis=grid)
    return fig, axes


# --------------------------------------------------------------------------- text layout

_TOKEN = re.compile(r"\n|[ \t]+|[A-Za-z0-9_.,:;%'\"/\\+\-–@#&*=<>$!?()\[\]]+|.", re.S)
_NO_LINE_START = set("，。、；：！？）》」』】〕…·,.;:!?)]%")


def _text_width_pt(text: str, fontsize: float, family: list[str]) -> float:
    from matplotlib.textpath import TextToPath

    prop = font_manager.FontProperties(family=family, size=fontsize)
    width, _, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return width


def _wrap(text: str, fontsize: float, width_pt: float, family: list[str]) -> str:
    """Break ``text`` into lines no wider than ``width_pt`` (between CJK characters too)."""
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(text):
        if token == "\n":
            lines.append(current.rstrip())
            current = ""
            continue
        candidate = current + token
        too_wide = _text_width_pt(candidate.rstrip(), fontsize, family) > width_pt
        if current.strip() and too_wide and not token.isspace() and token[0] not in _NO_LINE_START:
            lines.append(current.rstrip())
            current = token
        else:
            current = candidate
    lines.append(current.rstrip())
    return "\n".join(lines)


def _figure_of(ax_or_fig: Any) -> Any:
    """The root Figure of an Axes, SubFigure or Figure."""
    return ax_or_fig.get_figure(root=True)


def _put_text(
    fig: Any, gid: str, text: str | None, fontsize: float, color: str, latin: bool = False
) -> Any:
    """Create or replace (by gid) one figure-level text line, wrapped to the figure width."""
    for old in [t for t in fig.texts if t.get_gid() == gid]:
        old.remove()
    if not text:
        return None
    family = _latin_first() if latin else _families()
    width_pt = (fig.get_figwidth() - 2 * _MARGIN_IN) * 72
    return fig.text(
        0,
        0,
        _wrap(text, fontsize, width_pt, family),
        gid=gid,
        fontsize=fontsize,
        color=color,
        family=family,
        ha="left",
        va="top",
        linespacing=1.3,
    )


def _mostly_latin(text: str | None) -> bool:
    """English source and note lines read better in the Latin font (CJK falls back to SimHei)."""
    if not text:
        return False
    cjk = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return cjk / len(text) < 0.2


def _relayout(fig: Any) -> None:
    """Stack title/subtitle at the top and source/note at the bottom, fit the axes between."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    width, height = fig.get_size_inches()
    x = _MARGIN_IN / width
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
                y = edge - _GAP_IN / height if down else edge + _GAP_IN / height
        return edge

    # Header: stacked downwards from the top margin; the chart area ends below it.
    top = stack((_GID_TITLE, _GID_SUBTITLE), 1.0, 1.0 - _MARGIN_IN / height, down=True)
    # Footer: stacked upwards from the bottom margin (OWID order: source, then note).
    bottom = stack((_GID_NOTE, _GID_SOURCE), 0.0, _MARGIN_IN / height, down=False)

    pad = _MARGIN_IN * 72 / _BASE_SIZE  # tight_layout pads in font-size units
    rect = (0.0, bottom, 1.0, top)
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        gap = _MARGIN_IN / height  # constrained layout adds no pad of its own at the rect
        low, high = bottom + gap if bottom else 0.0, top - gap if top < 1.0 else 1.0
        engine.set(rect=(0.0, low, 1.0, high - low))  # (left, bottom, width, height)
        fig.draw_without_rendering()
    elif fig.axes:
        fig.tight_layout(pad=pad, rect=rect)


def set_titles(
    ax_or_fig: Any,
    title_zh: str | None,
    subtitle_en: str | None = None,
    lang: str = "zh",
) -> list[Any]:
    """Put an OWID-style left-aligned title (Chinese) with an English subtitle on the figure.

    ``lang="en"`` shows the English text alone as the title. English text is set in
    DejaVu Sans (CJK glyphs, if any, still come from the CJK font). Calling again
    replaces the titles. Returns the created Text objects.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    fig = _figure_of(ax_or_fig)
    register_fonts()
    if lang == "en":
        if not subtitle_en:
            raise ValueError("lang='en' needs subtitle_en (the English title)")
        title, subtitle = subtitle_en, None
    else:
        if not title_zh:
            raise ValueError("lang='zh' needs title_zh")
        title, subtitle = title_zh, subtitle_en
    texts = [
        _put_text(fig, _GID_TITLE, title, _TITLE_SIZE, COLORS["text"], latin=lang == "en"),
        _put_text(fig, _GID_SUBTITLE, subtitle, _SUBTITLE_SIZE, COLORS["muted"], latin=True),
    ]
    _relayout(fig)
    return [t for t in texts if t is not None]


# --------------------------------------------------------------------------- value labels


def _as_formatter(fmt: str | Callable[[float], str] | None, unit: str | None, lang: str):
    if callable(fmt):
        return fmt
    if isinstance(fmt, str):
        return fmt.format
    return lambda v: format_value(v, unit, lang)


def label_bars(
    ax: Any,
    bars: Any,
    fmt: str | Callable[[float], str] | None = None,
    *,
    unit: str | None = None,
    lang: str = "zh",
    inside: bool = False,
    padding: float = 3,
    **text_kw: Any,
) -> list[Any]:
    """Write each bar's value at its end (or centred inside) and return the Text objects.

    ``fmt`` is a ``str.format`` pattern (``"{:.1f}%"``) or a callable; by default
    values go through :func:`format_value` with ``unit`` and ``lang``. NaN gives no label.
    """
    formatter = _as_formatter(fmt, unit, lang)
    labels = []
    for value in bars.datavalues:
        value = float(value)
        labels.append("" if math.isnan(value) else formatter(value))
    text_kw.setdefault("fontsize", 9.5)
    text_kw.setdefault("color", "white" if inside else COLORS["text"])
    return ax.bar_label(
        bars,
        labels=labels,
        label_type="center" if inside else "edge",
        padding=0 if inside else padding,
        **text_kw,
    )


def _overlap(a: Any, b: Any, gap: float) -> bool:
    return a.x0 < b.x1 + gap and b.x0 < a.x1 + gap and a.y0 < b.y1 + gap and b.y0 < a.y1 + gap


def _nudge_apart(annotations: list[Any], gap_pt: float, max_iter: int) -> None:
    """Move colliding labels apart vertically (in offset points) until none overlap."""
    if len(annotations) < 2:
        return
    fig = annotations[0].get_figure(root=True)
    px_per_pt = fig.dpi / 72.0
    gap = gap_pt * px_per_pt
    # Labels of points outside the axes are not drawn (their extent is the unit box).
    annotations = [a for a in annotations if a.get_window_extent().width > 1]
    for _ in range(max_iter):
        boxes = [a.get_window_extent() for a in annotations]
        order = sorted(range(len(annotations)), key=lambda i: ((boxes[i].y0 + boxes[i].y1) / 2, i))
        moved = False
        for pos, i in enumerate(order):
            for j in order[pos + 1 :]:
                lower, upper = boxes[i], boxes[j]
                if not _overlap(lower, upper, gap):
                    continue
                shift_pt = (lower.y1 + gap - upper.y0) / px_per_pt / 2 + 0.01
                for k, sign in ((i, -1), (j, +1)):
                    dx, dy = annotations[k].xyann
                    annotations[k].xyann = (dx, dy + sign * shift_pt)
                    boxes[k] = annotations[k].get_window_extent()
                moved = True
        if not moved:
            return


def label_points(
    ax: Any,
    xs: Iterable[float],
    ys: Iterable[float],
    texts: Iterable[str],
    *,
    offset: float = 6,
    where: str = "auto",
    color: str | Sequence[str] | None = None,
    fontsize: float = 9.5,
    ha: str = "center",
    avoid_overlap: bool = True,
    min_gap: float = 1.0,
    max_iter: int = 100,
    **text_kw: Any,
) -> list[Any]:
    """Label points ``offset`` points above (or below) them; colliding labels are nudged
    vertically apart.

    ``where`` is ``"above"``, ``"below"`` or ``"auto"`` (below for a point lower than
    both neighbours in x order, so a line does not run through its label). Overlaps are
    resolved in display space at call time, so call this after the data, limits and
    figure size are final. Returns the Annotation objects.
    """
    xs, ys, texts = list(xs), list(ys), list(texts)
    if not len(xs) == len(ys) == len(texts):
        raise ValueError("xs, ys and texts must have the same length")
    if where not in ("above", "below", "auto"):
        raise ValueError(f"where must be 'above', 'below' or 'auto', not {where!r}")
    colors = [color] * len(xs) if color is None or isinstance(color, str) else list(color)
    below = [where == "below"] * len(xs)
    if where == "auto":
        order = sorted(range(len(xs)), key=lambda i: (xs[i], i))
        for pos, i in enumerate(order):
            neighbours = [ys[order[p]] for p in (pos - 1, pos + 1) if 0 <= p < len(order)]
            below[i] = bool(neighbours) and all(ys[i] < n for n in neighbours)
    annotations = []
    for x, y, text, c, down in zip(xs, ys, texts, colors, below, strict=True):
        annotations.append(
            ax.annotate(
                text,
                (x, y),
                xytext=(0, -offset if down else offset),
                textcoords="offset points",
                ha=ha,
                va="top" if down else "bottom",
                fontsize=fontsize,
                color=c if c is not None else COLORS["text"],
                **text_kw,
            )
        )
    if avoid_overlap:
        _nudge_apart(annotations, min_gap, max_iter)
    return annotations


# --------------------------------------------------------------------------- numbers

_ZH_SCALES = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_EN_SCALES = (
    (Decimal(10) ** 12, " trillion"),
    (Decimal(10) ** 9, " billion"),
    (Decimal(10) ** 6, " million"),
)


@functools.cache
def units_en() -> dict[str, tuple[str, str]]:
    """English names of the base units: ``{unit: (singular, plural)}`` from units_en.csv."""
    path = Path(__file__).resolve().parents[1] / "data" / "units_en.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["unit"]: (r["en_singular"], r["en_plural"]) for r in csv.DictReader(fh)}


def _round_sig(d: Decimal, digits: int) -> Decimal:
    """Round half-up to ``digits`` significant digits, never dropping integer digits."""
    if d == 0:
        return Decimal(0)
    exponent = d.adjusted()  # floor(log10(|d|))
    decimals = max(0, digits - 1 - exponent)
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _plain(d: Decimal, grouping: bool) -> str:
    text = f"{d:,f}" if grouping else f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _scaled(d: Decimal, scales: tuple, base: Decimal, digits: int, grouping: bool) -> tuple[str, str, bool]:
    """(number text, multiplier word, was scaled) with promotion after rounding (9999.6万→1亿)."""
    chosen = None
    for scale, word in scales:
        if abs(d) >= scale:
            chosen = (scale, word)
            break
    while True:
        if chosen is None:
            mantissa = _round_sig(d, digits)
            smallest = scales[-1]
            if abs(mantissa) >= smallest[0] and abs(d) < smallest[0]:
                chosen = smallest
                continue
            return _plain(mantissa, grouping), "", False
        scale, word = chosen
        mantissa = _round_sig(d / scale, digits)
        idx = [s for s, _ in scales].index(scale)
        if abs(mantissa) >= base and idx > 0:
            chosen = scales[idx - 1]
            continue
        return _plain(mantissa, grouping), word, True


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(
    value: float | None,
    unit: str | None = None,
    lang: str = "zh",
    *,
    digits: int = 4,
    sign: bool = False,
) -> str:
    """Readable text for a value in base units, as a Chinese report would print it.

    zh uses 万/亿/万亿 (139300 人 → "13.93万人", 1.45e12 元 → "1.45万亿元", 15 位 →
    "第15位"); en uses million/billion/trillion and thousands separators
    ("1.45 trillion yuan", "139,300 people", "15th"). At most ``digits`` significant
    digits once a multiplier is used; ``sign=True`` adds "+" to positive values (growth).
    None or NaN gives "".
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and math.isinf(value):
        raise ValueError("cannot format an infinite value")
    unit = unit or ""
    d = Decimal(repr(float(value))) if not isinstance(value, int) else Decimal(value)
    plus = "+" if sign and d > 0 else ""

    if unit == "位":  # a rank: 第15位 / 15th
        if d != d.to_integral_value() or d < 1:
            raise ValueError(f"a rank must be a positive whole number, not {value!r}")
        return f"第{int(d)}位" if lang == "zh" else _ordinal(int(d))

    if lang == "zh":
        number, word, _ = _scaled(d, _ZH_SCALES, Decimal(10) ** 4, digits, grouping=False)
        return f"{plus}{number}{word}{unit}"

    number, word, scaled = _scaled(d, _EN_SCALES, Decimal(10) ** 3, digits, grouping=True)
    if unit in ("%", ""):
        return f"{plus}{number}{word}{unit}"
    names = units_en().get(unit)
    if names is None:
        name = unit
    else:
        singular = not scaled and abs(Decimal(number.replace(",", ""))) == 1
        name = names[0] if singular else names[1]
    return f"{plus}{number}{word} {name}" if name else f"{plus}{number}{word}"


def format_ticks(ax: Any, unit: str | None = None, lang: str = "zh", axis: str = "y", digits: int = 3) -> None:
    """Label an axis' ticks with :func:`format_value` (e.g. 5000亿, 1万亿, 1.5万亿)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: format_value(v, unit, lang, digits=digits))
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(formatter)


# --------------------------------------------------------------------------- saving


def project_root(start: Path | None = None) -> Path:
    """The project folder: ``$ZZDATA_ROOT`` if set, else the first folder upwards from
    ``start`` (default: the working directory) holding ``pyproject.toml`` and ``data/raw``."""
    env = os.environ.get("ZZDATA_ROOT")
    if env:
        return Path(env).expanduser().resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "data" / "raw").is_dir():
            return folder
    raise FileNotFoundError(
        f"no project root (pyproject.toml and data/raw) above {here}; set ZZDATA_ROOT"
    )


_CANONICAL_SUBPLOTPARS = {"left": 0.125, "right": 0.9, "bottom": 0.11, "top": 0.88, "wspace": 0.2, "hspace": 0.2}
_SAFE_NAME = re.compile(r"^[\w\-.]+$")


def _check_name(kind: str, value: str) -> None:
    if not _SAFE_NAME.match(value) or value in (".", "..") or value.startswith("."):
        raise ValueError(f"{kind} must be a plain file name (letters, digits, _ - .), not {value!r}")


def _atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600 files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sticks_out(fig: Any) -> bool:
    width, height = fig.get_size_inches()
    box = fig.get_tightbbox()
    tol = 0.01
    return box.x0 < -tol or box.y0 < -tol or box.x1 > width + tol or box.y1 > height + tol


def save_figure(
    fig: Any,
    notebook: str,
    name: str,
    source: str,
    note: str | None = None,
    root: Path | None = None,
) -> dict[str, Path]:
    """Add the source (and note) line, lay out, and write PNG (300 dpi), SVG and PDF.

    Files go to ``<root>/reports/figures/<notebook>/<name>.{png,svg,pdf}``; ``root``
    defaults to :func:`project_root`. Output is byte-for-byte reproducible (no dates in
    the metadata, fixed SVG ids). PDF embeds TrueType subsets (Type 42); SVG keeps
    ``<text>`` elements that reference the font family by name. If something would
    still stick out of the figure, the files are cropped to the content instead.
    Returns ``{"png": path, "svg": path, "pdf": path}``.
    """
    _check_name("notebook", notebook)
    _check_name("name", name)
    if not source or not source.strip():
        raise ValueError("every chart needs a source")
    register_fonts()
    root = Path(root) if root is not None else project_root()
    outdir = root / "reports" / "figures" / notebook
    outdir.mkdir(parents=True, exist_ok=True)

    source = source.strip()
    if not source.startswith(("来源", "Source")):
        source = f"来源 Source: {source}"
    if "zzdata" not in source:
        source = f"{source} · zzdata"
    _put_text(fig, _GID_SOURCE, source, _FOOTER_SIZE, COLORS["muted"], latin=_mostly_latin(source))
    if note:
        note = note.strip()
        if not note.startswith(("注", "Note")):
            note = f"注 Note: {note}"
    _put_text(fig, _GID_NOTE, note, _FOOTER_SIZE, COLORS["muted"], latin=_mostly_latin(note))

    save_rc = {k: v for k, v in house_rc().items() if k.startswith(("pdf.", "ps.", "svg."))}
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}
    paths: dict[str, Path] = {}
    with matplotlib.rc_context(save_rc):
        # Labels outside the axes (bar values, tick labels) move with the axes size, so
        # the layout is iterated; starting from fixed subplot parameters makes the result
        # (and so the bytes written) independent of earlier layouts and saves.
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        if not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
            fig.subplots_adjust(**_CANONICAL_SUBPLOTPARS)
        for _ in range(3):
            _relayout(fig)
        extra: dict[str, Any] = {}
        if _sticks_out(fig):
            extra = {"bbox_inches": "tight", "pad_inches": _MARGIN_IN}
        for ext, meta in metadata.items():
            buffer = BytesIO()
            fig.savefig(buffer, format=ext, dpi=SAVE_DPI, metadata=meta, facecolor="white", **extra)
            path = outdir / f"{name}.{ext}"
            _atomic_write(path, buffer.getvalue())
            paths[ext] = path
    return paths
