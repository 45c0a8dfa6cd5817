"""A chart is not drawn again when nothing it is drawn from changed: its files come from the last
run that drew it. A researcher reruns the notebooks far more often than the data or the code
change, and drawing is what a rerun waits for.

How. A view draws a chart form through :func:`draw` (``draw(nb.book, region_panels, frame, …)``).
The form's key is a hash of everything the picture depends on: the form, its arguments (tables by
their contents, column names and types; titles and words by their fields), the code and data of
the whole ``zzdata`` package, the versions of matplotlib, numpy, pandas and fontTools, and the font
files. A chart's key adds what the chart book puts on it (source line, note) and the formats. The
store, ``reports/figures/.reuse/`` beside the figures, keeps for each chart key its PNG, SVG, PDF,
the notebook's picture and the overlapping texts found when it was drawn (warned or raised about
again on each reuse), each file with its SHA-256; a file that no longer matches is not used, and
the chart is drawn. When the form's key is known, the form is not even run: the charts come back
with the facts, texts and notes recorded (:class:`~.book.Chart` with ``fig=None``), and only a
chart whose own key has no files is drawn (the form run then, once for all its charts).
The files are hard links of the stored ones (a copy where the file system has none), written
atomically as every chart file is. The store keeps the :data:`KEEP` charts used last.

``ZZDATA_REUSE_CHARTS=0`` draws every chart (the store is neither read nor written); so do charts
whose arguments have no stable hash (an object the hash does not know).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.files import replacing, write_whole
from ..core.paths import PACKAGE_DIR, package_files
from .book import Chart
from .overlap import Overlap, report
from .save import FORMATS, PREVIEW_DPI, Saved, check_name, project_root, save_chart

ENV = "ZZDATA_REUSE_CHARTS"
FOLDER = ".reuse"
#: Charts kept in the store (the least recently used go first); a few collections' worth.
KEEP = 3000
#: Bumped when what the store holds changes shape.
VERSION = "1"


class _NoKey(TypeError):
    """An argument the hash does not know: the chart is drawn, not reused."""


def enabled() -> bool:
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no")


@functools.cache
def code_version() -> str:
    """A hash of the zzdata package's files (code and data), the drawing libraries' versions and
    the font files: a change of any of them draws every chart again."""
    import fontTools
    import matplotlib

    from . import fonts

    h = hashlib.sha256(f"reuse {VERSION}".encode())
    for path in package_files():
        h.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in (matplotlib, np, pd, fontTools):
        h.update(f"{lib.__name__} {lib.__version__}\0".encode())
    for font in fonts.chart_fonts():
        h.update(f"{Path(font).name} {Path(font).stat().st_size}\0".encode())
    return h.hexdigest()


def _feed(h: Any, obj: Any) -> None:
    """Feed ``obj`` to the hash ``h``: its type and contents, the same in every process."""
    if obj is None or isinstance(obj, (bool, int, float, str, bytes)):
        h.update(f"{type(obj).__name__}:{obj!r}\0".encode())
    elif isinstance(obj, np.generic):
        _feed(h, obj.item())
    elif isinstance(obj, pd.DataFrame):
        h.update(f"DataFrame {obj.shape}\0".encode())
        _feed(h, [str(c) for c in obj.columns])
        _feed(h, [str(t) for t in obj.dtypes])
        _feed(h, [str(obj.index.dtype), obj.index.name])
        try:
            h.update(pd.util.hash_pandas_object(obj, index=True).to_numpy().tobytes())
        except TypeError as err:  # unhashable cells (lists, dicts)
            raise _NoKey(str(err)) from None
    elif isinstance(obj, pd.Series):
        _feed(h, obj.to_frame(name=str(obj.name)))
    elif isinstance(obj, np.ndarray):
        if obj.dtype == object:
            _feed(h, obj.tolist())
        else:
            h.update(f"ndarray {obj.dtype} {obj.shape}\0".encode() + np.ascontiguousarray(obj).tobytes())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(f"{type(obj).__module__}.{type(obj).__qualname__}\0".encode())
        for f in dataclasses.fields(obj):
            _feed(h, f.name)
            _feed(h, getattr(obj, f.name))
    elif isinstance(obj, (list, tuple)):
        h.update(f"{type(obj).__name__} {len(obj)}\0".encode())
        for item in obj:
            _feed(h, item)
    elif isinstance(obj, dict):
        h.update(f"dict {len(obj)}\0".encode())
        for key, value in obj.items():
            _feed(h, key)
            _feed(h, value)
    elif isinstance(obj, (set, frozenset)):
        _feed(h, sorted(obj, key=repr))
    else:
        raise _NoKey(f"no stable hash for {type(obj).__name__}")


def form_key(form: Callable, args: tuple, kwargs: dict) -> str:
    """The key of a chart form's call (raises :class:`_NoKey` for an argument without a hash)."""
    h = hashlib.sha256(f"{code_version()}\0{form.__module__}.{form.__qualname__}\0".encode())
    _feed(h, list(args))
    _feed(h, dict(sorted(kwargs.items())))
    return h.hexdigest()


def store_of(root: Path | None) -> Path:
    """The store of a project (``root``; default: the project of the working directory)."""
    return (Path(root) if root is not None else project_root()) / "reports" / "figures" / FOLDER


# --------------------------------------------------------------------------- drawing through the store


def draw(book: Any, form: Callable, *args: Any, **kwargs: Any) -> Any:
    """``form(*args, **kwargs)`` (a chart form: a Chart, a list of them or None), or the same
    charts recorded by an earlier run, to be drawn only where their files are missing."""
    if not enabled():
        return form(*args, **kwargs)
    try:
        key = form_key(form, args, kwargs)
        store = store_of(book.root)
    except (_NoKey, FileNotFoundError):
        return form(*args, **kwargs)
    record = store / "forms" / f"{key}.json"
    drawn = _Drawn(form, args, kwargs)
    try:
        shape = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shape = None
    if isinstance(shape, dict) and shape.get("key") == key:
        os.utime(record)  # used: kept longer
        charts = [Chart(None, list(c["fact_ids"]), list(c["docs"]), c["note"],
                        reuse=Reused(store, f"{key}:{i}", drawn, i)) for i, c in enumerate(shape["charts"])]
        return None if shape["kind"] == "none" else charts[0] if shape["kind"] == "one" else charts
    result = drawn.result()
    charts = [] if result is None else [result] if isinstance(result, Chart) else list(result)
    kind = "none" if result is None else "one" if isinstance(result, Chart) else "list"
    for i, chart in enumerate(charts):
        chart.reuse = Reused(store, f"{key}:{i}", drawn, i)
    try:
        text = json.dumps({"key": key, "kind": kind, "charts": [
            {"fact_ids": list(c.fact_ids), "docs": list(c.docs), "note": c.note} for c in charts]}, ensure_ascii=False)
    except (TypeError, ValueError):  # a fact id or note JSON cannot hold: the charts are drawn each time
        for chart in charts:
            chart.reuse = None
        return result
    _write(record, text.encode("utf-8"))
    return result


class _Drawn:
    """One call of a chart form, run at most once (now, or when a chart of it must be drawn)."""

    def __init__(self, form: Callable, args: tuple, kwargs: dict):
        self.form, self.args, self.kwargs = form, args, kwargs
        self._result: Any = None
        self._ran = False

    def result(self) -> Any:
        if not self._ran:
            self._result, self._ran = self.form(*self.args, **self.kwargs), True
        return self._result

    def figure(self, index: int) -> Any:
        result = self.result()
        charts = [result] if isinstance(result, Chart) else list(result or [])
        return charts[index].fig


@dataclasses.dataclass
class Reused:
    """Where a chart drawn through :func:`draw` is stored, and how to draw it when it is not."""

    store: Path
    key: str
    drawn: _Drawn
    index: int

    def save(self, fig: Any, notebook: str, name: str, source: str, note: str | None = None,
             root: Path | None = None, strict: bool | None = None, formats: tuple[str, ...] = FORMATS) -> Saved:
        """:func:`~.save.save_chart`, or the stored files of the same chart put in its place."""
        check_name("notebook", notebook)
        check_name("name", name)
        h = hashlib.sha256(f"{self.key}\0{source}\0{note}\0{sorted(formats)}\0".encode())
        key = h.hexdigest()
        outdir = (Path(root) if root is not None else project_root()) / "reports" / "figures" / notebook
        saved = _restore(self.store, key, outdir, name, formats)
        if saved is not None:
            report(saved.overlaps, f"{notebook}/{name}", strict=strict)
            return saved
        if fig is None:
            fig = self.drawn.figure(self.index)
        saved = save_chart(fig, notebook, name, source, note, root, strict, formats)
        _keep(self.store, key, saved)
        return saved


# --------------------------------------------------------------------------- the store's files


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, data)


def _link(source: Path, target: Path) -> None:
    """``target`` becomes the same file as ``source`` (a hard link, else a copy), atomically."""
    with replacing(target) as tmp:
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)


def _restore(store: Path, key: str, outdir: Path, name: str, formats: tuple[str, ...]) -> Saved | None:
    """The stored chart ``key`` put in place as ``outdir/name.*``; None when it is not (all) stored."""
    entry = store / f"{key}.json"
    try:
        meta = json.loads(entry.read_text(encoding="utf-8"))
        files = {ext: store / f"{key}.{ext}" for ext in formats}
        if set(meta["sha256"]) != set(formats) or any(_sha(files[e]) != meta["sha256"][e] for e in formats):
            return None
        preview_file = store / f"{key}.preview.png"
        preview = preview_file.read_bytes() if "png" in formats else None
        if preview is not None and hashlib.sha256(preview).hexdigest() != meta.get("preview"):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {}
    try:
        for ext in FORMATS:
            if ext in formats:
                paths[ext] = outdir / f"{name}.{ext}"
                _link(files[ext], paths[ext])
        os.utime(entry)  # used: kept longer
    except OSError:  # pruned by another run meanwhile: drawn (and written over) instead
        return None
    overlaps = [Overlap(*o) for o in meta.get("overlaps", [])]
    return Saved(paths, preview, overlaps)


def _keep(store: Path, key: str, saved: Saved) -> None:
    """Store a chart's files (links to them) under ``key``; the record is written last."""
    store.mkdir(parents=True, exist_ok=True)
    shas = {}
    for ext, path in saved.paths.items():
        _link(path, store / f"{key}.{ext}")
        shas[ext] = _sha(store / f"{key}.{ext}")
    meta: dict[str, Any] = {"sha256": shas, "preview_dpi": PREVIEW_DPI,
                            "overlaps": [[o.a, o.b, o.width_pt, o.height_pt] for o in saved.overlaps]}
    if saved.preview is not None:
        _write(store / f"{key}.preview.png", saved.preview)
        meta["preview"] = hashlib.sha256(saved.preview).hexdigest()
    _write(store / f"{key}.json", json.dumps(meta).encode("utf-8"))
    _prune(store)


def _prune(store: Path, keep: int = KEEP) -> None:
    """Leave the :data:`KEEP` charts and form records used last."""
    for folder in (store, store / "forms"):
        entries = list(folder.glob("*.json"))
        if len(entries) <= keep:
            continue
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            for path in folder.glob(f"{old.stem}.*"):
                path.unlink(missing_ok=True)
