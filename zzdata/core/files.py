"""A file written whole or not at all: the one way every room replaces a file that others may be
reading (the build's tables and stamp, the validation report, the charts and their store, the
review pages)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

TMP = ".tmp-"  # in the name of a file `replacing` writes: .<name>.tmp-<pid>


def is_temporary(name: str) -> bool:
    """Whether a file name is one `replacing` writes before the rename (left by a killed process)."""
    return name.startswith(".") and TMP in name


def write_whole(path: Path, data: bytes | str) -> None:
    """`data` (a str as UTF-8) as the file `path`, whole or not at all (:func:`replacing`)."""
    with replacing(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write the new file to: it takes `path`'s place (one
    rename) when the block ends, and is removed if the block fails, so a reader of `path` finds
    the old file or the new one, whole."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}{TMP}{os.getpid()}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
