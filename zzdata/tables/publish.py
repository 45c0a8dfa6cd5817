"""A build's outputs appear together or not at all.

The build writes every output and its stamp into a staging folder beside the output folder
(`staging`: ``data/.build-<pid>-<random>/``, on the same file system), then `publish` swaps the
two folders in one step, the kernel's ``renameat2(RENAME_EXCHANGE)``: ``data/processed`` is
the previous build's folder until that moment and the new one after it, never a mixture or
nothing, whenever the build is killed. It stays a plain folder of plain files for the loaders,
the notebooks and a researcher opening the CSV files (no symbolic link, no manifest to read).
Files the build does not write (``validation.csv``, a researcher's own notes) are carried into
the new folder as hard links first. The previous outputs, now in the staging folder, are then
removed; a build killed before that leaves the staging folder, and the next build removes it
(`recover`).

Where ``RENAME_EXCHANGE`` is not supported (NFS, some FUSE file systems), the folders are swapped
by two renames, the previous folder set aside in between; a build killed there leaves no output
folder for a moment, and the next build (or `recover`) puts the previous one back. An output
folder that is a mount point of its own cannot be renamed: its files are replaced one at a time,
the stamp removed first and written last, so a killed build is rebuilt by the next one.

This guards against a build that is killed or fails, not against a power cut: nothing is synced
to the disk (that would cost the build time for a folder that can be rebuilt).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
from pathlib import Path

from ..core.errors import BuildError
from ..core.files import is_temporary

PREFIX = ".build-"  # staging folders: data/.build-<pid>-<random>/ (`make clean` removes data/.build-*)
ASIDE = "-previous"  # the previous outputs while two renames swap the folders (no RENAME_EXCHANGE)
_STAGING = re.compile(re.escape(PREFIX) + r"(\d+)-[0-9a-f]{8}(?:" + re.escape(ASIDE) + ")?")
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM}


def _real(out_dir: Path) -> Path:
    """The output folder as the file system has it (a symbolic link to a folder: its target)."""
    return Path(os.path.realpath(out_dir))


def _mount_point(out: Path) -> bool:
    """True when the output folder is a file system of its own (it cannot be renamed)."""
    try:
        return out.is_dir() and os.stat(out).st_dev != os.stat(out.parent).st_dev
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def staging_pid(name: str) -> int | None:
    """The process id in the name of a staging folder (or of a previous folder set aside), else None."""
    m = _STAGING.fullmatch(name)
    return int(m.group(1)) if m else None


def recover(out_dir: Path) -> None:
    """Clear up after builds that were killed: put back the previous outputs a swap by two renames
    had set aside (when the output folder is missing), and remove the staging folders of builds
    whose process is gone."""
    out = _real(out_dir)
    for folder in (out.parent, out):  # (inside the output folder when it is a mount point)
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            pid = staging_pid(name)
            if pid is None or _alive(pid):
                continue
            if name.endswith(ASIDE) and not out.exists():
                with contextlib.suppress(OSError):  # (if it cannot be put back, it is at least kept)
                    os.rename(folder / name, out)
                continue
            shutil.rmtree(folder / name, ignore_errors=True)


def staging(out_dir: Path) -> Path:
    """A new empty folder to write a build's outputs into: beside the output folder (inside it
    when the output folder is a mount point of its own)."""
    out = _real(out_dir)
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out_dir} is a file, not a folder: move it away (the build writes its tables into "
                         "a folder of that name)")
    out.parent.mkdir(parents=True, exist_ok=True)
    where = out if _mount_point(out) else out.parent
    while True:  # (not tempfile.mkdtemp: its folders are private, 0700, and this one becomes the output folder)
        folder = where / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            os.mkdir(folder)  # the mode a new folder gets (the umask's)
            break
        except FileExistsError:
            continue
    if out.is_dir():
        os.chmod(folder, os.stat(out).st_mode & 0o7777)  # the previous folder's, e.g. shared with a group
    return folder


def _carry_over(old: Path, new: Path) -> None:
    """Link into `new` what `old` holds and `new` does not (files the build does not write), but
    not what interrupted writes left (`replacing`'s temporary files)."""
    for entry in os.scandir(old):
        target = new / entry.name
        if os.path.lexists(target) or is_temporary(entry.name) or staging_pid(entry.name) is not None:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, target, symlinks=True, copy_function=_link)
        elif entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        else:
            _link(entry.path, target)


def _link(src: str, dst: str | Path) -> None:
    """A hard link (no copy of the bytes), or a copy where the file system has no hard links."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); OSError when it cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        raise OSError(errno.ENOSYS, "renameat2 is not available") from None
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), str(b))


def publish(staged: Path, out_dir: Path, outputs: tuple[str, ...], stamp_name: str) -> None:
    """Make the staged folder (every output and the stamp) the output folder in one step; the
    previous outputs end in `staged`, for the caller to remove."""
    out = _real(out_dir)
    if staged.parent == out:  # a mount point of its own: file by file, stamp last (see the module doc)
        _replace_each(staged, out, outputs, stamp_name)
        return
    if not out.exists():
        try:
            os.rename(staged, out)
            return
        except OSError as err:
            if err.errno not in (errno.EEXIST, errno.ENOTEMPTY):  # made meanwhile: swap with it below
                raise
    _carry_over(out, staged)
    try:
        _exchange(staged, out)
    except OSError as err:
        if err.errno not in _UNSUPPORTED:
            raise
        _swap_by_renames(staged, out)


def _swap_by_renames(staged: Path, out: Path) -> None:
    """The swap where RENAME_EXCHANGE is missing: the previous folder set aside, the new one in its
    place, the previous one where the new one was; put back if the second rename fails."""
    aside = staged.with_name(staged.name + ASIDE)
    os.rename(out, aside)
    try:
        os.rename(staged, out)
    except BaseException:
        os.rename(aside, out)
        raise
    os.rename(aside, staged)


def _replace_each(staged: Path, out: Path, outputs: tuple[str, ...], stamp_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(out / stamp_name)
    for name in (*outputs, stamp_name):
        os.replace(staged / name, out / name)


