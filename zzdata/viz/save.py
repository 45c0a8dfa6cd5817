"""Writing a chart: the source (and note) line under it, the layout, and PNG (300 dpi), SVG and
PDF files that are byte for byte the same on every run, then the check that no two of its texts
overlap (:mod:`.overlap`). Imports neither pandas nor the rest of zzdata.
"""

from __future__ import annotations

import os
import re
import tempfile
import weakref
from io import BytesIO
from pathlib import Path
from typing import Any

import matplotlib

from .fonts import svg_families
from .layout import GID_NOTE, GID_SOURCE, put_text, relayout
from .overlap import check, declutter, thin_ticks
from .style import COLORS, FOOTER_SIZE, GAP_IN, MARGIN_IN, SAVE_DPI, house_rc, register_fonts


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
    cropped to the content instead. Then the rendered boxes of every text are checked
    (:func:`zzdata.viz.overlap.check`): overlapping texts raise
    :class:`~zzdata.viz.overlap.OverlapError` when ``strict`` (default: ``$ZZDATA_STRICT_CHARTS``
    is 1, as in the tests) -- the files are written first, to look at -- and warn otherwise.
    ``formats`` limits the files written (a test that only checks the layout writes PNG).
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
    put_text(fig, GID_SOURCE, source, FOOTER_SIZE, COLORS["muted"])
    if note:
        note = note.strip()
        if not note.startswith(("注", "Note")):
            note = f"注 Note: {note}" if _cjk_share(note) > 0.2 else f"Note: {note}"
    put_text(fig, GID_NOTE, note, FOOTER_SIZE, COLORS["muted"])
    _room_for_footer(fig)

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
            relayout(fig)
        if thin_ticks(fig):  # numeric tick labels that ran into each other: every other tick
            relayout(fig)
        declutter(fig)  # optional value labels that collide on the final layout are left out
        extra: dict[str, Any] = {}
        if _sticks_out(fig):
            extra = {"bbox_inches": "tight", "pad_inches": MARGIN_IN}
        for ext, meta in metadata.items():
            if ext not in formats:
                continue
            buffer = BytesIO()
            fig.savefig(buffer, format=ext, dpi=SAVE_DPI, metadata=meta, facecolor="white", **extra)
            data = buffer.getvalue()
            if ext == "svg":
                data = svg_families(data.decode("utf-8")).encode("utf-8")
            path = outdir / f"{name}.{ext}"
            _atomic_write(path, data)
            paths[ext] = path
    check(fig, f"{notebook}/{name}", strict=strict)  # laid out again at screen dpi: saving moved axis labels
    return paths
