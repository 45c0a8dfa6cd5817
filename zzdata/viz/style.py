"""The house style: colours, figure sizes, the CJK font and the rcParams.

The style follows Our World in Data: a left-aligned title with an English subtitle, a light
horizontal grid, no top/right spines, a source line under the chart (see :mod:`.layout` and
:mod:`.save`).

Chinese must render on machines with no system CJK font, so the font comes from the PyPI
package ``mplfonts`` -- Noto Sans CJK SC (SIL Open Font License 1.1), converted once to TrueType
outlines (see :mod:`.fonts` for why and where) -- and is registered with matplotlib's public API
(``fontManager.addfont``); nothing is copied into matplotlib's folders. Its Latin letters and
digits are proportional (Noto Sans), so Chinese and English charts use the same face; the one
glyph of the texts it lacks (``∙``) comes from DejaVu Sans, which ships with matplotlib.

Imports neither pandas nor the rest of zzdata.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager

from . import fonts
from .boxes import plain_edges
from .canvas import ticks_once
from .fontbytes import fonts_in_memory
from .fonts import FALLBACK_FONTS

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
    "city": "#0072B2",  # the city (region level city)
    "district": "#E69F00",  # districts and counties
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

#: Colours of up to six periods, in time order (the conflict colour is left out).
PERIOD_COLORS: tuple[str, ...] = (PALETTE[1], PALETTE[0], PALETTE[2], PALETTE[4], PALETTE[5], PALETTE[6])
#: More periods than that take evenly spaced steps of this sequential ramp, oldest lightest.
PERIOD_RAMP = "viridis_r"
_RAMP_RANGE = (0.1, 0.9)  # leave out the ramp's palest and darkest ends


def period_colors(periods: Sequence[str]) -> dict[str, str]:
    """A colour for each period, given in time order: the six :data:`PERIOD_COLORS` while they
    last, else a sequential ramp (:data:`PERIOD_RAMP`) in time order, one distinct step per
    period (distinct up to some two hundred periods, the ramp's 256 steps). Multi-year periods
    are told apart by hatching, not by colour (see the growth bars)."""
    periods = list(dict.fromkeys(periods))
    if len(periods) <= len(PERIOD_COLORS):
        return dict(zip(periods, PERIOD_COLORS, strict=False))
    from matplotlib.colors import to_hex

    ramp = matplotlib.colormaps[PERIOD_RAMP]
    lo, hi = _RAMP_RANGE
    steps = [lo + (hi - lo) * i / (len(periods) - 1) for i in range(len(periods))]
    return {p: to_hex(ramp(s)) for p, s in zip(periods, steps, strict=True)}


# --------------------------------------------------------------------------- sizes

#: Figure sizes in inches: wide is 16:10, square is the squarer 4:3 format, tall is 4:5
#: (long ranked bar charts).
FIGSIZES: dict[str, tuple[float, float]] = {
    "wide": (8.0, 5.0),
    "square": (8.0, 6.0),
    "tall": (6.4, 8.0),
}
SAVE_DPI = 300
MARGIN_IN = 0.18  # white space around everything, inches
GAP_IN = 0.06  # between stacked header/footer lines, inches
TITLE_SIZE = 15.0
SUBTITLE_SIZE = 11.0
FOOTER_SIZE = 8.0
BASE_SIZE = 10.5

# --------------------------------------------------------------------------- fonts


def font_path() -> Path:
    """Path of the CJK font file: the TrueType conversion of Noto Sans CJK SC in the user cache
    folder (built the first time, see :mod:`.fonts`)."""
    return fonts.font_path()


def _register(path: Path) -> str:
    known = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    if path.resolve() not in known:
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@functools.cache
def register_fonts() -> str:
    """Register the CJK font and its core (:func:`zzdata.viz.fonts.core_path`) with matplotlib
    (idempotent) and return the CJK font's family name."""
    name = _register(font_path())
    _register(fonts.core_path())
    return name


def font_name() -> str:
    """Family name of the registered CJK font (registers it first if needed)."""
    return register_fonts()


def families() -> list[str]:
    """The font families for text: the CJK font first (Chinese, Latin letters and digits alike),
    DejaVu Sans for the glyphs it lacks."""
    return [font_name(), *FALLBACK_FONTS]


@functools.cache
def embedded_core() -> tuple[str, str]:
    """The core font's file (resolved) and the file a PDF's subset of it is cut from
    (:func:`zzdata.viz.fonts.embed_path`: the same glyphs without the layout tables)."""
    return os.path.realpath(fonts.core_path()), str(fonts.embed_path())


def pdf_families() -> list[str]:
    """The font families a PDF embeds: the core of the CJK font first (the characters charts use
    almost always; the PDF backend subsets its 8,500 glyphs in a seventh of the time of the whole
    font's 44,000), then :func:`families`. Only for PDF: the same outlines and metrics put every
    glyph in the same place, while FreeType's autohinter, which rasterizes the PNG, weighs the
    whole font's glyphs and so antialiases a few edge pixels differently with the core."""
    register_fonts()
    return [fonts.CORE_FAMILY, *families()]


# --------------------------------------------------------------------------- style


def house_rc() -> dict[str, Any]:
    """The house-style rcParams, e.g. for ``matplotlib.rc_context(house_rc())``."""
    fams = families()
    sans = [f for f in matplotlib.rcParamsDefault["font.sans-serif"] if f not in fams]
    return {
        # Fonts: the CJK font first, DejaVu Sans for the glyph it lacks.
        "font.family": fams,
        "font.sans-serif": fams + sans,
        "font.size": BASE_SIZE,
        "font.weight": "normal",  # one face (Regular) is registered; never ask for bold
        "axes.unicode_minus": False,  # ASCII '-', as the reports print it
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
        "figure.titlesize": TITLE_SIZE,
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
        "axes.labelsize": BASE_SIZE,
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


def apply_style() -> None:
    """Register the CJK font and set the house-style rcParams for the rest of the session
    (idempotent): for one's own matplotlib charts. zzdata's chart forms and its save do not need
    it and leave matplotlib's settings as they found them (:func:`house`)."""
    matplotlib.rcParams.update(house_rc())


#: Inside :func:`house` (a chart form or a save is running): a figure made there changes no setting.
_IN_HOUSE: contextvars.ContextVar[bool] = contextvars.ContextVar("zzdata_in_house", default=False)


@contextlib.contextmanager
def house() -> Iterator[None]:
    """The house style (the font registered, the rcParams) for what is made and drawn inside, and
    matplotlib's settings as they were after: a notebook's own charts are not restyled by zzdata's.
    matplotlib reads its settings when it makes a text or a tick, and it makes ticks while it draws,
    so the chart forms (:func:`styled`) and the save (``save.save_chart``) run inside it. Inside it
    too, an axis works out its ticks once a draw (:func:`~.canvas.ticks_once`), the fonts read their
    files from memory (:func:`~.fontbytes.fonts_in_memory`), boxes' edges are found by comparison
    (:func:`~.boxes.plain_edges`), and Python's cyclic garbage collector waits (:func:`collector_paused`)."""
    register_fonts()
    with collector_paused():
        token = _IN_HOUSE.set(True)
        try:
            with matplotlib.rc_context(house_rc()), ticks_once(), fonts_in_memory(), plain_edges():
                yield
        finally:
            _IN_HOUSE.reset(token)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off inside, as it was after. A chart makes tens of
    thousands of objects (artists, transforms, paths), and the collector walked them, and the
    notebook's data with them, again and again while a chart was drawn and saved: a tenth of a
    chart's time. Memory freed by reference counting is freed as always; the cycles a chart
    leaves are collected in one go after the block, at the collector's next turn."""
    if not gc.isenabled():  # (inside another block, or turned off by the caller: left so)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def styled(form: Callable) -> Callable:
    """A chart form that draws in the house style (:func:`house`), whoever calls it."""
    @functools.wraps(form)
    def drawing(*args: Any, **kwargs: Any) -> Any:
        with house():
            return form(*args, **kwargs)
    return drawing


def new_figure(
    size: str | tuple[float, float] = "wide",
    *,
    nrows: int = 1,
    ncols: int = 1,
    grid: str | None = "y",
    **subplots_kw: Any,
) -> tuple[Any, Any]:
    """``(fig, ax)`` in the house style, sized for articles (like ``plt.subplots``). Called by a
    chart form (inside :func:`house`) it changes no setting of matplotlib's; called by itself, for
    a chart of one's own, it sets the house style for the session (:func:`apply_style`), so that
    the texts and ticks made afterwards take it too.

    ``size`` is ``"wide"`` (16:10), ``"square"`` (4:3), ``"tall"`` (4:5) or inches;
    ``grid`` is ``"y"`` (default), ``"x"`` (for horizontal bars), ``"both"`` or None.

    The figure is not pyplot's (an Agg canvas of its own): a view that draws forty charts before
    saving them does not fill pyplot's list of open figures (nor warn about it in the notebook),
    and nothing is shown until the chart book shows it. The canvas remembers font measurements
    for the process (:class:`~.canvas.ChartCanvas`).
    """
    from matplotlib.figure import Figure

    from .canvas import ChartCanvas

    if not _IN_HOUSE.get():
        apply_style()  # a chart of one's own, drawn outside zzdata's forms: the style for the session
    figsize = FIGSIZES[size] if isinstance(size, str) else tuple(size)
    with house():
        fig = Figure(figsize=figsize)
        ChartCanvas(fig)
        axes = fig.subplots(nrows, ncols, **subplots_kw)
        for ax in getattr(axes, "flat", [axes]):
            ax.grid(False)
            if grid is not None:
                ax.grid(True, axis=grid)
    return fig, axes
