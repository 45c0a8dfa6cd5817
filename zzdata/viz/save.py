"""Writing a chart: the source (and note) line under it, the layout, and PNG (300 dpi), SVG and
PDF files that are byte for byte the same on every run. Imports neither pandas nor the rest of
zzdata.
"""

from __future__ import annotations

import os
import re
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

import matplotlib

from .layout import GID_NOTE, GID_SOURCE, mostly_latin, put_text, relayout
from .style import COLORS, FOOTER_SIZE, MARGIN_IN, SAVE_DPI, house_rc, register_fonts


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
    put_text(fig, GID_SOURCE, source, FOOTER_SIZE, COLORS["muted"], latin=mostly_latin(source))
    if note:
        note = note.strip()
        if not note.startswith(("注", "Note")):
            note = f"注 Note: {note}"
    put_text(fig, GID_NOTE, note, FOOTER_SIZE, COLORS["muted"], latin=mostly_latin(note))

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
        extra: dict[str, Any] = {}
        if _sticks_out(fig):
            extra = {"bbox_inches": "tight", "pad_inches": MARGIN_IN}
        for ext, meta in metadata.items():
            buffer = BytesIO()
            fig.savefig(buffer, format=ext, dpi=SAVE_DPI, metadata=meta, facecolor="white", **extra)
            path = outdir / f"{name}.{ext}"
            _atomic_write(path, buffer.getvalue())
            paths[ext] = path
    return paths
