"""Writing a chart: the source (and note) line under it, the layout, and PNG (300 dpi), SVG and
PDF files that are byte for byte the same on every run, then the check that no two of its texts
overlap (:mod:`.overlap`). Imports neither pandas nor the rest of zzdata.
"""

from __future__ import annotations

import contextlib
import os
import re
import weakref
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import matplotlib

from . import png
from .canvas import drop_renderer, swapped, vector_metrics
from .fonts import svg_families
from ..core.files import write_whole
from .layout import GID_NOTE, GID_SOURCE, put_text, relayout
from .overlap import declutter, find_overlaps, place_artists, report, thin_ticks
from .style import COLORS, FOOTER_SIZE, GAP_IN, MARGIN_IN, SAVE_DPI, embedded_core, families, house, pdf_families
from .subsetting import read_once


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


FORMATS = ("png", "svg", "pdf")
_CANONICAL_SUBPLOTPARS = {"left": 0.125, "right": 0.9, "bottom": 0.11, "top": 0.88, "wspace": 0.2, "hspace": 0.2}
_SAFE_NAME = re.compile(r"^[\w\-.]+$")


def check_name(kind: str, value: str) -> None:
    if not _SAFE_NAME.match(value) or value in (".", "..") or value.startswith("."):
        raise ValueError(f"{kind} must be a plain file name (letters, digits, _ - .), not {value!r}")


#: Footer height (source and note lines, inches) the figure sizes of the forms allow for; a
#: longer footer makes the figure taller by the difference, so the chart keeps its own height.
FOOTER_ALLOWANCE_IN = 0.75
_BASE_HEIGHT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _room_for_footer(fig: Any) -> None:
    """Grow the figure by the footer's height beyond :data:`FOOTER_ALLOWANCE_IN` (from its height
    before the first save, so saving again gives the same figure)."""
    base = _BASE_HEIGHT.setdefault(fig, fig.get_figheight())
    renderer = fig.canvas.get_renderer()
    lines = [t for t in fig.texts if t.get_gid() in (GID_SOURCE, GID_NOTE)]
    footer = sum(t.get_window_extent(renderer).height for t in lines) / fig.dpi + GAP_IN * len(lines)
    fig.set_figheight(base + max(0.0, footer - FOOTER_ALLOWANCE_IN))


def _cjk_share(text: str) -> float:
    """The share of CJK characters in a text (a Chinese note is prefixed 注 Note:, an English one Note:)."""
    cjk = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return cjk / max(len(text), 1)


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
    strict: bool | None = None,
    formats: tuple[str, ...] = FORMATS,
) -> dict[str, Path]:
    """Add the source (and note) line, lay out, and write PNG (300 dpi), SVG and PDF.

    Files go to ``<root>/reports/figures/<notebook>/<name>.{png,svg,pdf}``; ``root``
    defaults to :func:`project_root`. Output is byte-for-byte reproducible (no dates in
    the metadata, fixed SVG ids). PDF embeds TrueType subsets (Type 42); SVG keeps
    ``<text>`` elements that reference the font family by name (and the original family of
    the same design after it). If something would still stick out of the figure, the files are
    cropped to the content instead. The rendered boxes of every text are checked
    (:func:`zzdata.viz.overlap.check`): overlapping texts raise
    :class:`~zzdata.viz.overlap.OverlapError` when ``strict`` (default: ``$ZZDATA_STRICT_CHARTS``
    is 1, as in the tests) -- the files are written first, to look at -- and warn otherwise.
    ``formats`` limits the files written (a test that only checks the layout writes PNG).
    Returns ``{"png": path, "svg": path, "pdf": path}``.
    """
    return save_chart(fig, notebook, name, source, note, root, strict, formats).paths


@dataclass
class Saved:
    """The files written for a chart, and the picture a notebook shows (PNG at
    :data:`PREVIEW_DPI`, from the same rendering as the 300 dpi file; None without a PNG)."""

    paths: dict[str, Path]
    preview: bytes | None = None
    #: The overlapping texts found (warned or raised about when it was saved).
    overlaps: list = field(default_factory=list)


#: The notebook's picture of a chart: the 300 dpi rendering, 3 x 3 pixels averaged.
PREVIEW_DPI = SAVE_DPI // 3


def _layout_state(fig: Any) -> tuple:
    """Where the layout puts things: the axes and the header and footer lines."""
    axes = tuple(tuple(ax.get_position().bounds) for ax in fig.axes)
    texts = tuple(tuple(t.get_position()) for t in fig.texts if t.get_gid())
    return axes, texts


def lay_out(fig: Any, rounds: int = 3) -> int:
    """Stack the header and footer and fit the axes between them until nothing moves (labels
    outside the axes move with the axes' size, so a layout may need a second round); at most
    ``rounds``. Starting from fixed subplot parameters makes the result (and so the bytes written)
    independent of earlier layouts and saves. Returns the rounds run."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    if not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        fig.subplots_adjust(**_CANONICAL_SUBPLOTPARS)
    for n in range(1, rounds + 1):
        before = _layout_state(fig)
        relayout(fig)
        if _moved(before, _layout_state(fig)) <= _STILL:
            return n
    return rounds


#: Less than this (a fraction of the figure: a millionth of a pixel at 300 dpi) is not a move:
#: tight_layout's arithmetic leaves the axes 1e-16 from where they were, round after round.
_STILL = 1e-9


def _moved(a: tuple, b: tuple) -> float:
    """How far anything moved between two layout states (inf when they differ in shape)."""
    flat_a = [v for group in a for item in group for v in item]
    flat_b = [v for group in b for item in group for v in item]
    if len(flat_a) != len(flat_b):
        return float("inf")
    return max((abs(x - y) for x, y in zip(flat_a, flat_b, strict=True)), default=0.0)


def save_chart(
    fig: Any,
    notebook: str,
    name: str,
    source: str,
    note: str | None = None,
    root: Path | None = None,
    strict: bool | None = None,
    formats: tuple[str, ...] = FORMATS,
) -> Saved:
    """:func:`save_figure`, also returning the picture a notebook shows. The chart is laid out
    once (:func:`lay_out`), measured by one draw that thins crowded ticks, leaves out the optional
    labels that collide and finds overlapping texts (a second draw only when ticks were thinned),
    and rendered once per format; the notebook's picture is the 300 dpi rendering made smaller."""
    check_name("notebook", notebook)
    check_name("name", name)
    if not source or not source.strip():
        raise ValueError("every chart needs a source")
    root = Path(root) if root is not None else project_root()
    outdir = root / "reports" / "figures" / notebook
    outdir.mkdir(parents=True, exist_ok=True)

    source = source.strip()
    if not source.startswith(("来源", "Source")):
        source = f"来源 Source: {source}"
    if "zzdata" not in source:
        source = f"{source} · zzdata"
    if note:
        note = note.strip()
        if not note.startswith(("注", "Note")):
            note = f"注 Note: {note}" if _cjk_share(note) > 0.2 else f"Note: {note}"
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}
    paths: dict[str, Path] = {}
    preview = None
    with house(), contextlib.ExitStack() as writing:  # ticks are made while drawing, with the settings of then
        put_text(fig, GID_SOURCE, source, FOOTER_SIZE, COLORS["muted"])
        put_text(fig, GID_NOTE, note, FOOTER_SIZE, COLORS["muted"])
        _room_for_footer(fig)
        lay_out(fig)
        # Numeric tick labels that ran into each other: every other tick, and the layout again.
        # The last draw of thin_ticks is the final layout's, so it also serves declutter and check.
        if thin_ticks(fig):
            relayout(fig)
            place_artists(fig)
        declutter(fig, draw=False)  # optional value labels that collide on the final layout are left out
        overlaps = find_overlaps(fig, draw=False)
        extra: dict[str, Any] = {}
        if _sticks_out(fig):
            extra = {"bbox_inches": "tight", "pad_inches": MARGIN_IN}
        writing.enter_context(_no_layout_engine(fig))
        if "png" in formats:
            data, preview = _png(fig, extra)
            paths["png"] = outdir / f"{name}.png"
            write_whole(paths["png"], data)
        for ext, meta in metadata.items():
            if ext not in formats:
                continue
            buffer = BytesIO()
            with core_font_first(fig) if ext == "pdf" else contextlib.nullcontext(), vector_metrics():
                fig.savefig(buffer, format=ext, dpi=SAVE_DPI, metadata=meta, facecolor="white", **extra)
            data = buffer.getvalue()
            if ext == "svg":
                data = svg_families(data.decode("utf-8")).encode("utf-8")
            path = outdir / f"{name}.{ext}"
            write_whole(path, data)
            paths[ext] = path
    report(overlaps, f"{notebook}/{name}", strict=strict)
    return Saved({ext: paths[ext] for ext in FORMATS if ext in paths}, preview, overlaps)


@contextlib.contextmanager
def _no_layout_engine(fig: Any):
    """No placeholder layout engine while the chart is saved. ``fig.tight_layout()`` leaves one
    behind, and ``savefig`` draws a figure that has any engine once more before it prints it (to
    run the engine); a placeholder runs nothing, so that draw was a whole draw for nothing, one per
    format. A real engine (constrained layout) is left in place. Restored after."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    if not isinstance(engine, PlaceHolderLayoutEngine):
        yield
        return
    fig.set_layout_engine(None)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


@contextlib.contextmanager
def core_font_first(fig: Any):
    """The figure's texts in the house font set with its core first (:func:`~.style.pdf_families`)
    while a PDF is written: the PDF backend then subsets the small core font, not the whole one,
    and cuts that subset from the core's copy without layout tables (:func:`_subset_from_embed`).
    Texts in other fonts are left alone; the families are restored after."""
    from matplotlib.text import Text

    house, pdf = families(), pdf_families()
    texts = [t for t in fig.findobj(Text) if t.get_fontfamily() == house]
    for t in texts:
        t.set_fontfamily(pdf)
    try:
        with matplotlib.rc_context({"font.family": pdf}), _subset_from_embed():  # ticks made while drawing
            yield
    finally:
        for t in texts:
            t.set_fontfamily(house)


@contextlib.contextmanager
def _subset_from_embed():
    """While a PDF is written, the subset of the core font that it embeds is cut from the core's
    copy without layout tables (:func:`zzdata.viz.fonts.embed_path`): the same glyph numbers,
    outlines and widths, so the same PDF content, in a third of the time (the layout was done
    with the core itself); and the copy is read once a process (:func:`.subsetting.read_once`).
    matplotlib's PDF backend calls ``_backend_pdf_ps.get_glyphs_subset``
    (matplotlib 3.6 and later); where it does not, nothing changes."""
    from matplotlib.backends import _backend_pdf_ps as pdf_ps

    original = getattr(pdf_ps, "get_glyphs_subset", None)
    if original is None:  # pragma: no cover - another matplotlib
        yield
        return
    core, embed = embedded_core()

    def subset(fontfile, glyphs):
        if os.path.realpath(fontfile) == core and os.path.isfile(embed):  # (a cleared cache: the core itself)
            # matplotlib 3.11 passes a FontPath (a str with the face's number), earlier ones a str.
            fontfile = type(fontfile)(embed, fontfile.face_index) if hasattr(fontfile, "face_index") else embed
            with read_once():  # the copy, read once a process
                return original(fontfile, glyphs)
        return original(fontfile, glyphs)

    with swapped(pdf_ps, get_glyphs_subset=subset):
        yield


def _png(fig: Any, extra: dict[str, Any]) -> tuple[bytes, bytes]:
    """The 300 dpi PNG file and the notebook's smaller picture, from one Agg rendering (the
    pixels matplotlib's own PNG writer would write, :mod:`.png`)."""
    import numpy as np

    raw = _Sink()  # the buffer is read from the canvas: not copied into a file first
    fig.savefig(raw, format="rgba", dpi=SAVE_DPI, facecolor="white", **extra)
    pixels = np.asarray(fig.canvas.buffer_rgba())  # the rendering just written, with its shape
    if pixels.nbytes != raw.size:  # pragma: no cover - another canvas drew it
        raise RuntimeError("the rendered chart and its buffer differ in size")
    files = png.encode(pixels, SAVE_DPI), png.encode(png.downsample(pixels, SAVE_DPI // PREVIEW_DPI), PREVIEW_DPI)
    del pixels
    # A notebook keeps its charts' figures (ChartBook.saved), and with them each one's 300 dpi
    # rendering: notebook 05 grew to 2.5 GB, all memory the system had to hand over and zero anew.
    drop_renderer(fig.canvas)
    return files


class _Sink:
    """A file that counts the bytes written to it and keeps none (``savefig`` wants a file)."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: Any) -> int:
        n = memoryview(data).nbytes
        self.size += n
        return n

    def seek(self, *_args: Any) -> int:
        return 0
