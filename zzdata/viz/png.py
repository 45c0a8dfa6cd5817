"""PNG files of rendered charts, written from the Agg buffer with zlib-ng's deflate. Imports
neither pandas nor the rest of zzdata.

Why not matplotlib's own PNG writer (Pillow's). A 300 dpi chart is 2400 pixels wide and up to
4000 tall; Pillow compresses it with zlib at level 6 after trying five filters on every row, about
0.9 s a chart on this machine -- more than the drawing. Here every row is filtered with "Up" (the
row above subtracted: a chart is mostly rows that repeat) and compressed by ``zlib-ng`` at level 2
in about a hundredth of a second. The pixels are the same: the same RGBA buffer, the same size, the
dpi in ``pHYs``, no date and no software name.

Why zlib-ng and not ISA-L (``isal``, the workbook's deflate, about twice as quick): ISA-L gave two
byte sequences for the same pixels, now and then, in a notebook kernel (equally long matches at
other distances), so a redrawn chart was not always the same file; zlib-ng's one-shot compression
starts from a cleared state each time, and its files are a sixth smaller.

:func:`downsample` makes the picture a notebook shows from the same buffer (3 x 3 pixels averaged:
300 dpi to 100), so the chart is not drawn a second time to be shown.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: zlib-ng's level 2 packs a chart tighter than ISA-L's 2 did, seven times as fast as zlib's 1.
LEVEL = 2
_UP = 2  # the PNG row filter "Up"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _deflate(data: Any) -> bytes:
    """``data`` (bytes, or a contiguous array: compressed where it lies, not copied into bytes
    first) deflated at :data:`LEVEL`."""
    try:
        from zlib_ng import zlib_ng
    except ImportError:  # pragma: no cover - zlib-ng is a dependency; zlib (same format, slower) otherwise
        return zlib.compress(data, LEVEL)
    return zlib_ng.compress(data, LEVEL)


#: Work arrays kept for the process, by use (:func:`_scratch`).
_SCRATCH: dict[str, np.ndarray] = {}


def _scratch(use: str, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """An uninitialised array of ``shape`` for ``use``, cut from a buffer kept between charts and
    grown when too small. A fresh array of a chart's size (30-40 MB at 300 dpi) cost as much as
    the filtering itself: the kernel maps and zeroes its pages anew for every chart."""
    size = int(np.prod(shape))
    buffer = _SCRATCH.get(use)
    if buffer is None or buffer.size < size or buffer.dtype != dtype:
        buffer = _SCRATCH[use] = np.empty(size, dtype=dtype)
    return buffer[:size].reshape(shape)


def encode(rgba: Any, dpi: float) -> bytes:
    """A PNG file of an (height, width, 4) uint8 RGBA array, 8 bits a channel, at ``dpi``."""
    pixels = np.ascontiguousarray(rgba, dtype=np.uint8)
    if pixels.ndim != 3 or pixels.shape[2] != 4:
        raise ValueError(f"expected an RGBA array of shape (height, width, 4), not {pixels.shape}")
    height, width = pixels.shape[:2]
    rows = pixels.reshape(height, width * 4)
    filtered = _scratch("filtered", (height, width * 4 + 1), np.uint8)  # every byte written below
    filtered[:, 0] = _UP
    filtered[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # modulo 256, as the filter is defined
    per_metre = int(dpi / 0.0254 + 0.5)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no interlace
    return b"".join((SIGNATURE, _chunk(b"IHDR", header), _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     _chunk(b"IDAT", _deflate(filtered)), _chunk(b"IEND", b"")))


def downsample(rgba: Any, factor: int) -> np.ndarray:
    """The picture ``factor`` times smaller each way, each pixel the mean of a block (edges that
    do not fill a block are left out: white margin)."""
    pixels = np.asarray(rgba)
    height, width = (pixels.shape[0] // factor) * factor, (pixels.shape[1] // factor) * factor
    pixels = pixels[:height, :width]
    # Integer sums of every factor-th row, then column, added slice by slice (contiguous adds are
    # quicker than summing over a short axis, and integers quicker than floats).
    rows = _scratch("rows", pixels[0::factor].shape, np.uint16)
    np.copyto(rows, pixels[0::factor])
    for i in range(1, factor):
        rows += pixels[i::factor]
    sums = _scratch("sums", rows[:, 0::factor].shape, np.uint16)
    np.copyto(sums, rows[:, 0::factor])
    for i in range(1, factor):
        sums += rows[:, i::factor]
    n = factor * factor
    sums += n // 2
    sums //= n  # the mean, rounded
    return sums.astype(np.uint8)
