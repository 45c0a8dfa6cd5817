"""A build's outputs appear together or not at all (zzdata/tables/publish.py).

What must hold: a build killed at any moment (SIGKILL of a forked build at chosen steps, and of
`python -m zzdata build --jobs 2` with its processes at random moments) or failing at any step
leaves the output folder holding the previous build's files or the new build's, each whole and
with its own stamp (compared by sha256), plus the files the build does not write; the next build
clears what the killed one left. The output folder stays a plain folder of plain files.
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import RAW
from zzdata.core import files
from zzdata.tables import frames
from zzdata.tables import publish, stamp
from zzdata.tables.build import build

CHANGED = "zhengzhou_2024-12_year-review_2024.txt"
SENTENCE = "\n2024年，全市新增城镇就业14.2万人。\n"
#: Files a researcher or the validation put in the output folder: the build must keep them.
THEIRS = {"validation.csv": b"check,level\nan older finding,info\n", "notes.txt": "我的笔记".encode(),
          "mine/draft.csv": b"a,b\n1,2\n"}


def _tree(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under `folder` (hidden ones too)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _set_version(raw: Path, new: bool) -> None:
    """The raw folder as version 1 (as shipped) or 2 (one sentence added to one text)."""
    text = (RAW / CHANGED).read_text(encoding="utf-8")
    (raw / CHANGED).write_text(text + SENTENCE if new else text, encoding="utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, dict]:
    """Built once: a project folder (raw, data/processed with the researcher's files beside the
    outputs of version 1, data/interim) and the expected folder of each version (outputs, stamp
    and their files) by sha256."""
    root = tmp_path_factory.mktemp("project")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    expected = {}
    for v in (2, 1):  # version 1 last: it is the one in place
        _set_version(raw, v == 2)
        out = root / "data" / "processed"
        build(raw, out, quiet=True)
        for name, data in THEIRS.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        expected[v] = _tree(out)
    assert expected[1] != expected[2]
    return root, expected


@pytest.fixture
def versions(template, tmp_path) -> dict:
    """A copy of the template project (version 1 in place, the cache warm) to break in a test."""
    root, expected = template
    shutil.copytree(root / "raw", tmp_path / "raw")
    shutil.copytree(root / "data", tmp_path / "data", symlinks=True)
    out = tmp_path / "data" / "processed"
    assert _tree(out) == expected[1]
    return {"raw": tmp_path / "raw", "out": out, "expected": expected}


def _whole(out: Path, expected: dict) -> int:
    """Which version the output folder holds, whole (fails when it is neither)."""
    tree = _tree(out) if out.is_dir() else {}
    for v, files in expected.items():
        if tree == files:
            return v
    changed = sorted(k for k in set(tree) | set(expected[1]) if tree.get(k) != expected[1].get(k))
    raise AssertionError(f"neither version whole in {out}: differs from version 1 in {changed}")


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for folder in (out.parent, out) for p in folder.iterdir()
                  if publish.staging_pid(p.name) is not None or files.is_temporary(p.name))


# -- killed at a chosen step (a forked copy of this process kills itself with SIGKILL there) ----

def _killing(module, name: str, nth: int, when: str) -> None:
    """Make the `nth` call of module.name kill this process, before or after it runs."""
    original = getattr(module, name)
    calls = [0]

    def killing(*args, **kwargs):
        calls[0] += 1
        if calls[0] == nth and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if calls[0] == nth and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(module, name, killing)


def _kill_at(raw: Path, out: Path, step: tuple, exchange: bool = True) -> None:
    """A build in a forked copy of this process (no interpreter to start), killed at `step`."""
    where, name, nth, when = step
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            if not exchange:
                publish._exchange = _unsupported
            _killing({"frames": frames, "publish": publish, "stamp": stamp, "os": os}[where], name, nth, when)
            build(raw, out, jobs=1, quiet=True)
        finally:
            os._exit(3)  # not killed: the step was not reached
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"not killed at {step}"


def _unsupported(a, b):
    raise OSError(errno.EINVAL, "Invalid argument")


STEPS = [  # (module, function, which call, before or after it) -> the version left in place
    (("frames", "write_csvs", 1, "after"), 1),  # some outputs written to the staging folder
    (("stamp", "write_stamp", 1, "before"), 1),  # every output written, not the stamp
    (("publish", "_carry_over", 1, "before"), 1),
    (("publish", "_link", 2, "after"), 1),  # the researcher's files half carried over
    (("publish", "_exchange", 1, "before"), 1),
    (("publish", "_exchange", 1, "after"), 2),  # swapped; the previous outputs not removed yet
    (("publish", "publish", 1, "after"), 2),
]


@pytest.mark.parametrize("step, left", STEPS, ids=lambda s: "-".join(map(str, s)) if isinstance(s, tuple) else str(s))
def test_a_build_killed_at_a_step_leaves_one_version_whole(versions, step, left):
    raw, out, expected = versions["raw"], versions["out"], versions["expected"]
    _set_version(raw, True)
    _kill_at(raw, out, step)
    assert _whole(out, expected) == left
    assert stamp.is_current(raw, out) == (left == 2), "the stamp is the one of the outputs beside it"
    build(raw, out, quiet=True)  # the next build finishes the job and clears what was left
    assert _whole(out, expected) == 2
    assert _leftovers(out) == []


@pytest.mark.parametrize("step, left", [
    (("os", "rename", 1, "after"), None),  # the previous folder set aside, no output folder yet
    (("os", "rename", 2, "after"), 2),
])
def test_killed_between_the_renames_without_rename_exchange(versions, step, left):
    """Where RENAME_EXCHANGE is missing, a build killed between the two renames leaves no output
    folder; the next build (`recover`, which every build runs first) puts the previous one back."""
    raw, out, expected = versions["raw"], versions["out"], versions["expected"]
    _set_version(raw, True)
    _kill_at(raw, out, step, exchange=False)
    if left is None:
        assert not out.exists()
        publish.recover(out)
        assert _whole(out, expected) == 1
    else:
        assert _whole(out, expected) == left
    build(raw, out, quiet=True)
    assert _whole(out, expected) == 2 and _leftovers(out) == []


def test_a_build_killed_at_random_moments_leaves_one_version_whole(versions):
    """`python -m zzdata build --jobs 2` (extraction workers and forked writers) killed with its
    whole process group at random moments: each time the folder holds one version, whole."""
    raw, out, expected = versions["raw"], versions["out"], versions["expected"]
    cmd = [sys.executable, "-m", "zzdata", "build", "--raw", str(raw), "--out", str(out), "--jobs", "2"]
    t0 = time.perf_counter()
    subprocess.run([*cmd, "--force"], capture_output=True, check=True, cwd=out.parent)  # how long a build takes
    full = time.perf_counter() - t0
    rng = random.Random(21)
    held = 1
    for i in range(4):
        target = 3 - held  # build the other version each time
        _set_version(raw, target == 2)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=out.parent,
                                start_new_session=True)
        if i == 0:
            # Once at a moment known to fall inside the writing, whatever the machine's load: as
            # soon as the staging folder exists (random waits alone can all miss it on a busy host).
            assert _kill_once_staging(proc, out.parent, timeout=5 * full), "the build finished before its staging"
            assert _whole(out, expected) == 3 - target, "killed while staging: the previous version stays"
        else:
            try:
                proc.wait(timeout=rng.uniform(0.3, 1.1) * full)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        held = _whole(out, expected)
        assert held in (target, 3 - target)
    build(raw, out, quiet=True)  # the raw folder as the last build had it
    assert _whole(out, expected) == target and _leftovers(out) == []


def _kill_once_staging(proc: subprocess.Popen, folder: Path, timeout: float) -> bool:
    """Kill `proc`'s process group the moment a staging folder appears in `folder`; False if the
    process ended first."""
    deadline = time.perf_counter() + timeout
    while proc.poll() is None and time.perf_counter() < deadline:
        if any(publish.staging_pid(p.name) is not None for p in folder.iterdir()):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return False


# -- failing at a step (in this process) -----------------------------------------------------------

def _fail(*args, **kwargs):
    raise OSError(errno.EIO, "Input/output error")


@pytest.mark.parametrize("target", ["_carry_over", "_link", "_exchange"])
def test_a_build_failing_in_the_swap_leaves_the_previous_version(versions, monkeypatch, target):
    raw, out, expected = versions["raw"], versions["out"], versions["expected"]
    _set_version(raw, True)
    monkeypatch.setattr(publish, target, _fail)
    with pytest.raises(OSError):
        build(raw, out, quiet=True)
    assert _whole(out, expected) == 1 and _leftovers(out) == []
    monkeypatch.undo()
    build(raw, out, quiet=True)
    assert _whole(out, expected) == 2


def test_without_rename_exchange_two_renames_swap_the_folders(versions, monkeypatch):
    raw, out, expected = versions["raw"], versions["out"], versions["expected"]
    _set_version(raw, True)
    monkeypatch.setattr(publish, "_exchange", _unsupported)
    build(raw, out, quiet=True)
    assert _whole(out, expected) == 2 and _leftovers(out) == []
    _set_version(raw, False)
    real = os.rename
    calls = []

    def second_fails(a, b):
        calls.append(a)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real(a, b)

    monkeypatch.setattr(publish.os, "rename", second_fails)
    with pytest.raises(OSError):
        build(raw, out, quiet=True)
    monkeypatch.setattr(publish.os, "rename", real)
    assert _whole(out, expected) == 2 and _leftovers(out) == [], "the previous folder put back"


def test_an_output_folder_that_is_a_mount_point(versions, monkeypatch):
    """A folder that cannot be renamed (a mount point): files replaced one at a time, the stamp
    last; a build failing midway leaves no stamp, so the next build builds again."""
    raw, out, expected = versions["raw"], versions["out"], versions["expected"]
    monkeypatch.setattr(publish, "_mount_point", lambda folder: folder == out)
    _set_version(raw, True)
    real = os.replace
    calls = []

    def third_fails(a, b):
        calls.append(a)
        if len(calls) == 3:
            raise OSError(errno.EIO, "Input/output error")
        real(a, b)

    monkeypatch.setattr(publish.os, "replace", third_fails)
    with pytest.raises(OSError):
        build(raw, out, quiet=True)
    monkeypatch.setattr(publish.os, "replace", real)
    assert not (out / stamp.STAMP).exists() and not stamp.is_current(raw, out)
    assert build(raw, out, quiet=True) is True
    assert _whole(out, expected) == 2 and _leftovers(out) == []


# -- the folder itself ---------------------------------------------------------------------------

def test_the_output_folder_stays_a_plain_folder_with_its_mode(versions):
    raw, out, expected = versions["raw"], versions["out"], versions["expected"]
    os.chmod(out, 0o2775)  # shared with a group
    inode = os.stat(out / "notes.txt").st_ino
    _set_version(raw, True)
    build(raw, out, quiet=True)
    assert out.is_dir() and not out.is_symlink()
    assert all(p.is_file() and not p.is_symlink() for p in out.iterdir() if p.name != "mine")
    assert os.stat(out).st_mode & 0o7777 == 0o2775
    assert os.stat(out / "notes.txt").st_ino == inode, "carried over as a hard link, not copied"
    assert _whole(out, expected) == 2


def test_a_new_output_folder_gets_the_usual_mode(raw_copy, tmp_path):
    out = tmp_path / "new" / "processed"
    old = os.umask(0o022)
    try:
        build(raw_copy, out, quiet=True)
    finally:
        os.umask(old)
    assert os.stat(out).st_mode & 0o777 == 0o755


def test_an_output_folder_behind_a_symbolic_link(versions, tmp_path):
    """A researcher who keeps the tables elsewhere (data/processed a link to another disk): the
    link stays, the folder it points to gets the new outputs."""
    raw, out, expected = versions["raw"], versions["out"], versions["expected"]
    elsewhere = tmp_path / "elsewhere" / "tables"
    elsewhere.parent.mkdir()
    out.rename(elsewhere)
    out.symlink_to(elsewhere, target_is_directory=True)
    _set_version(raw, True)
    build(raw, out, quiet=True)
    assert out.is_symlink() and _whole(elsewhere, expected) == 2
    assert not [p for p in elsewhere.parent.iterdir() if p.name != "tables"]


def test_an_output_path_that_is_a_file_is_refused(raw_copy, tmp_path):
    out = tmp_path / "processed"
    out.write_text("not a folder", encoding="utf-8")
    from zzdata.core.errors import BuildError

    with pytest.raises(BuildError, match="is a file"):
        build(raw_copy, out, quiet=True)


def test_the_previous_folder_set_aside_is_put_back_or_kept(tmp_path, monkeypatch):
    """What a build killed between the two renames left: the previous folder, put back by `recover`;
    when it cannot be put back, kept (never removed while there is no output folder)."""
    out = tmp_path / "data" / "processed"
    dead = next(pid for pid in range(4_000_000, 4_100_000) if not publish._alive(pid))
    aside = out.parent / f"{publish.PREFIX}{dead}-0123abcd{publish.ASIDE}"
    aside.mkdir(parents=True)
    (aside / "facts.csv").write_text("the previous facts\n", encoding="utf-8")
    monkeypatch.setattr(publish.os, "rename", _fail)
    publish.recover(out)
    assert (aside / "facts.csv").exists() and not out.exists()
    monkeypatch.undo()
    publish.recover(out)
    assert (out / "facts.csv").read_text(encoding="utf-8") == "the previous facts\n" and not aside.exists()
