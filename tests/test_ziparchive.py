"""The workbook's zip writer (zzdata/tables/ziparchive.py): members joined from pieces compressed
apart read back, through Python's own zip reader and inflater, as the bytes they were made from."""

from __future__ import annotations

import random
import zipfile
import zlib

import pytest

from zzdata.tables import ziparchive
from zzdata.tables.ziparchive import ZipWriter, deflate


def _data(seed: int, n: int) -> bytes:
    """Bytes that compress somewhat, as XML does: words from a small vocabulary, with numbers."""
    rng = random.Random(seed)
    words = ["<row r=\"", "\"><c r=\"A", "\" t=\"s\"><v>", "</v></c>", "郑州", "x" * 7]
    return "".join(rng.choice(words) + str(rng.randrange(10**6)) for _ in range(n)).encode()


def test_pieces_compressed_apart_read_back_as_one_member(tmp_path):
    parts = [_data(1, 5000), b"", _data(2, 1), _data(3, 20000)]
    path = tmp_path / "a.zip"
    with ZipWriter(path) as z:
        z.add("joined.xml", [deflate([p]) for p in parts])
        z.add("blocks.xml", [deflate(parts)])  # one piece made of several blocks
        z.add("empty.xml", [deflate([])])
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None  # every member inflates, and to its CRC-32
        assert z.namelist() == ["joined.xml", "blocks.xml", "empty.xml"]
        assert z.read("joined.xml") == b"".join(parts) == z.read("blocks.xml")
        assert z.read("empty.xml") == b""
        info = z.getinfo("joined.xml")
        assert info.CRC == zlib.crc32(b"".join(parts))
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.compress_size < info.file_size
        assert {i.date_time for i in z.infolist()} == {ziparchive.ZIP_TIME}


def test_the_same_members_give_the_same_bytes(tmp_path):
    for name in ("a.zip", "b.zip"):
        with ZipWriter(tmp_path / name) as z:
            z.add("x.xml", [deflate([_data(4, 3000)]), deflate([b"tail"])])
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_an_archive_too_large_for_a_zip_without_zip64_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ziparchive, "_LIMIT", 1000)
    with pytest.raises(ValueError, match="big.xml.*zip64"):
        with ZipWriter(tmp_path / "big.zip") as z:
            z.add("big.xml", [deflate([_data(5, 2000)])])


def test_a_failed_write_leaves_no_archive_that_reads_as_whole(tmp_path):
    path = tmp_path / "broken.zip"
    with pytest.raises(RuntimeError):
        with ZipWriter(path) as z:
            z.add("first.xml", [deflate([b"<a/>"])])
            raise RuntimeError("the rows could not be made")
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(path)
