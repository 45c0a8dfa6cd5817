"""The workbook's zip archive, written from members compressed beforehand, piece by piece.

Why not `zipfile`: the workbook's sheets are compressed while their rows are made (excel.py),
in the process that makes them, long before the archive around them can be written (it needs
the other tables first). A zip member's data is one raw deflate stream, and deflate streams
join: each piece is compressed on its own and ends on a byte boundary without closing the
stream (a sync flush); the member is its pieces one after the other and an empty final block.
`zipfile` can only compress a member itself, so this module writes the archive: a local header
before each member's data (its CRC-32 and sizes are known, the pieces being done), the central
directory and its end record after the last (PKWARE's APPNOTE, sections 4.3.7, 4.3.12, 4.3.16).

Compression is ISA-L's deflate (isal): the same format and about the size of zlib's fastest
level, four times as fast. Fixed member dates (2000-01-01), so the same members give the same
bytes. No zip64: an archive or member past 4 GB (far past what Excel opens) is refused.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from isal import isal_zlib

LEVEL = 1  # ISA-L's scale 0-3: as small as zlib's level 1, about four times as fast
_LIMIT = 0xFFFFFFFF  # past this a size or offset needs zip64, which this writer does not write
ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # every member's date: the same members, the same bytes
_DOS_DATE = (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_DOS_TIME = ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2
_FINAL = isal_zlib.compressobj(LEVEL, isal_zlib.DEFLATED, -15).flush()  # an empty last block: ends a stream


@dataclass
class Deflated:
    """A piece of a member: raw deflate data that ends on a byte boundary without ending the
    stream, and the CRC-32 and length of the bytes it inflates to."""

    chunks: list[bytes]
    crc: int
    size: int

    @property
    def compressed_size(self) -> int:
        return sum(map(len, self.chunks))


def deflate(data: Iterable[bytes]) -> Deflated:
    """Compress `data` (bytes, in order) as one piece of a member."""
    compressor = isal_zlib.compressobj(LEVEL, isal_zlib.DEFLATED, -15)
    chunks, crc, size = [], 0, 0
    for block in data:
        crc = isal_zlib.crc32(block, crc)
        size += len(block)
        out = compressor.compress(block)
        if out:
            chunks.append(out)
    chunks.append(compressor.flush(isal_zlib.Z_SYNC_FLUSH))
    return Deflated(chunks, crc, size)


class ZipWriter:
    """A zip archive at `path`, its members added in order (`add`), finished by `close`."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.fh = open(self.path, "wb")
        self.central: list[bytes] = []

    def add(self, name: str, pieces: list[Deflated]) -> None:
        """The member `name`: its pieces' data joined, in order."""
        crc, size = 0, 0
        for piece in pieces:
            crc = isal_zlib.crc32_combine(crc, piece.crc, piece.size)
            size += piece.size
        compressed = sum(p.compressed_size for p in pieces) + len(_FINAL)
        offset = self.fh.tell()
        if max(size, compressed, offset) > _LIMIT or len(self.central) >= 0xFFFF:
            raise ValueError(f"{self.path}: the member {name} would take the archive past 4 GB or 65,535 "
                             "members, which needs zip64; the workbook cannot be written this large")
        encoded = name.encode("ascii")  # the workbook's part names are ASCII (flag bit 11 unset)
        self.fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, _DOS_TIME, _DOS_DATE, crc, compressed,
                                  size, len(encoded), 0) + encoded)
        for piece in pieces:
            self.fh.writelines(piece.chunks)
        self.fh.write(_FINAL)
        self.central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 3 << 8 | 20, 20, 0, 8, _DOS_TIME,
                                        _DOS_DATE, crc, compressed, size, len(encoded), 0, 0, 0, 0,
                                        0o644 << 16, offset) + encoded)

    def close(self) -> None:
        """Write the central directory and its end record, and close the file."""
        if self.fh.closed:
            return
        try:
            start = self.fh.tell()
            directory = b"".join(self.central)
            if start + len(directory) > _LIMIT:
                raise ValueError(f"{self.path}: the archive would pass 4 GB, which needs zip64")
            self.fh.write(directory)
            n = len(self.central)
            self.fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(directory), start, 0))
        finally:
            self.fh.close()

    def __enter__(self) -> ZipWriter:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.close()
        else:  # a failed write leaves no directory that would pass the file off as whole
            self.fh.close()
