"""The build's steps in forked processes (tables/background.py): the same bytes as a build in one
process, errors raised in the parent, no process or temporary folder left behind."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path

import pytest

from conftest import RAW
from zzdata.core.errors import BuildError
from zzdata.tables import background, stamp
from zzdata.tables.build import build

pytestmark = pytest.mark.skipif(not background.can_fork(), reason="no fork on this system: every step runs in turn")


def _hashes(folder: Path) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in stamp.OUTPUTS}


def test_forked_steps_write_the_same_bytes(tmp_path):
    one, two = tmp_path / "one" / "processed", tmp_path / "two" / "processed"
    build(RAW, one, force=True, jobs=1, quiet=True, cache_dir=False)
    build(RAW, two, force=True, jobs=2, quiet=True, cache_dir=False)
    assert _hashes(one) == _hashes(two)


def _boom(*args, **kwargs):
    raise RuntimeError("disk full")


def test_an_error_in_the_workbook_process_fails_the_build(raw_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(raw_copy, out, jobs=2, quiet=True)
    before = _hashes(out)
    import zzdata.tables.excel

    monkeypatch.setattr(zzdata.tables.excel, "write_workbook", _boom)  # inherited by the forked child
    (raw_copy / "sources.csv").write_text((raw_copy / "sources.csv").read_text(encoding="utf-8") + "\n",
                                          encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk full"):
        build(raw_copy, out, jobs=2, quiet=True)
    assert _hashes(out) == before
    assert not list(out.parent.glob(".build-*")), "no temporary folder left behind"
    assert not multiprocessing.active_children(), "no process left behind"


def test_an_error_in_the_checks_process_fails_the_build_and_leaves_the_outputs(raw_copy, tmp_path, monkeypatch):
    """The checks run beside the tables' writers (the build's `beside`): their failure fails the
    build before anything is published, and writes no report."""
    from zzdata.validate import report

    out, md = tmp_path / "out", tmp_path / "reports" / "validation.md"
    build(raw_copy, out, jobs=2, quiet=True, then=report.in_build(raw_copy, md))
    before, text = _hashes(out), md.read_bytes()
    monkeypatch.setattr(report, "validate", _boom)  # inherited by the forked child
    (raw_copy / "sources.csv").write_text((raw_copy / "sources.csv").read_text(encoding="utf-8") + "\n",
                                          encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk full"):
        build(raw_copy, out, jobs=2, quiet=True, then=report.in_build(raw_copy, md))
    assert _hashes(out) == before and md.read_bytes() == text
    assert not list(out.parent.glob(".build-*")), "no temporary folder left behind"
    assert not multiprocessing.active_children(), "no process left behind"


def test_a_step_gives_back_what_its_function_returned(tmp_path):
    for fork in (True, False):
        step = background.Background(sorted, {"b": 1, "a": 2}, fork=fork)
        step.wait()
        assert step.result == ["a", "b"]


def test_a_forked_step_leaves_what_it_inherited_out_of_its_collections():
    import gc

    step = background.Background(gc.get_freeze_count)
    step.wait()
    assert step.result > 1000 and gc.get_freeze_count() == 0, "frozen in the child, not here"


def test_an_error_here_stops_the_forked_steps(raw_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    import zzdata.tables.panel

    monkeypatch.setattr(zzdata.tables.panel, "write_panel_files", _boom)  # in this process, beside the children
    with pytest.raises(RuntimeError, match="disk full"):
        build(raw_copy, out, jobs=2, quiet=True)
    assert not out.exists() or not any(out.iterdir())
    assert not list(out.parent.glob(".build-*"))
    assert not multiprocessing.active_children()


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this")


def _raise_unpicklable():
    raise _Unpicklable("odd")


def test_an_error_that_cannot_be_sent_is_reported_with_its_traceback():
    step = background.Background(_raise_unpicklable)
    with pytest.raises(BuildError, match="_Unpicklable"):
        step.wait()


def test_without_fork_the_step_runs_here():
    ran = []
    step = background.Background(ran.append, 1, fork=False)
    assert ran == [1] and step.proc is None
    step.wait()
    step.stop()


def _add_later(path, base, later):
    path.write_text(str(base + later()), encoding="utf-8")


def test_a_step_is_handed_its_input_while_it_runs(tmp_path):
    """`inbox`: the child starts now and reads what `send` hands it when it needs it; without a
    fork the step runs when it is handed it. Either way the same outcome."""
    for fork in (True, False):
        out = tmp_path / f"fork{fork}.txt"
        step = background.Background(_add_later, out, 40, fork=fork, inbox="later")
        step.send(2)
        step.wait()
        assert out.read_text(encoding="utf-8") == "42"
    assert not multiprocessing.active_children()


def test_a_step_never_handed_its_input_fails_and_does_not_hang(tmp_path):
    step = background.Background(_add_later, tmp_path / "x.txt", 1, inbox="later")
    with pytest.raises(EOFError):
        step.wait()
    quiet = background.Background(_add_later, tmp_path / "y.txt", 1, fork=False, inbox="later")
    with pytest.raises(BuildError, match="never handed"):
        quiet.wait()
    assert not (tmp_path / "x.txt").exists() and not (tmp_path / "y.txt").exists()


def _write_niceness(path):
    import os

    path.write_text(str(os.nice(0)), encoding="utf-8")


def test_a_step_can_run_at_a_lower_priority(tmp_path):
    import os

    here = os.nice(0)
    step = background.Background(_write_niceness, tmp_path / "n.txt", nice=5)
    step.wait()
    assert int((tmp_path / "n.txt").read_text(encoding="utf-8")) == min(here + 5, 19)
    assert os.nice(0) == here  # this process keeps its priority
