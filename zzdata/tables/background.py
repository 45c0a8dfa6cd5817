"""A step of the build run in a forked copy of the build's process, on the second core.

After extraction the build writes its tables one after the other on one core; the workbook
(about a third of that time) needs every table but nothing needs it, so it can be written by a
copy of the process while this one writes the CSV, Parquet and Stata files. A fork, not a pool:
the child has the parent's tables in its memory (copy-on-write), nothing is pickled or sent but
the outcome (what the step returned, or its error). Where a fork is not available (Windows) or
wanted (``jobs=1``), the build runs the step itself, in turn (making a `Background` is then a plain call).

A step can also be handed something once it runs (`inbox`): the workbook begins with the facts
and is handed the series and the panel when this process has made them (`send`); the child reads
them when it needs them. Without a fork, such a step runs when it is handed them.

The child writes into the build's temporary folder; the parent waits for it (`wait`) before it
moves anything into place, so the build stays atomic; the bytes written are the same whichever
process writes them. An error in the child is raised by `wait` in the parent (the same
exception when it can be pickled, else a BuildError with its traceback); `stop` ends a child
the parent no longer waits for (the build failed elsewhere).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import traceback

from ..core.errors import BuildError


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def fork_context():
    """The multiprocessing context that forks, where the system can (a child starts with this
    process's modules and tables); None elsewhere: the platform's own way to start a process."""
    return multiprocessing.get_context("fork") if can_fork() else None


def freeze_inherited() -> None:
    """At a forked process's start: what the parent made is never this process's garbage; frozen,
    its collections skip it (and leave its pages shared with the parent)."""
    gc.freeze()


def _child(conn, fn, args, kwargs, parent_end=None, nice: int = 0) -> None:
    freeze_inherited()
    if parent_end is not None:
        parent_end.close()  # this process's copy of the parent's end of the inbox: the parent alone sends
    if nice:
        try:
            os.nice(nice)
        except OSError:  # not allowed here: the step runs at the parent's priority
            pass
    try:
        result = fn(*args, **kwargs)
    except BaseException as err:  # noqa: BLE001 - sent to the parent, which raises it
        try:
            conn.send(("error", err))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its traceback
            conn.send(("error", BuildError(traceback.format_exc())))
    else:
        conn.send(("ok", result))
    finally:
        conn.close()


class Background:
    """`fn(*args, **kwargs)` in a forked child (or in this process, when `fork` is False).

    With `inbox` (a keyword of `fn`), `fn` is given a function under that name that returns what
    `send` hands over, waiting for it if need be. `nice`: the child runs at a lower priority, on
    what the other processes leave of the cores (a step that is not on the build's longest path)."""

    def __init__(self, fn, *args, fork: bool = True, inbox: str | None = None, nice: int = 0, **kwargs):
        self.proc = None
        self.outbox = self.sender = None
        self.deferred = None
        self.result = None  # what `fn` returned, once `wait` has returned (it is pickled across)
        if not (fork and can_fork()):
            if inbox is None:
                self.result = fn(*args, **kwargs)  # in turn, here; wait() has nothing to wait for
            else:
                self.deferred = (fn, args, kwargs, inbox)  # run by send(), with what it is handed
            return
        ctx = multiprocessing.get_context("fork")
        self.conn, child_end = ctx.Pipe(duplex=False)
        if inbox is not None:
            inbox_end, self.outbox = ctx.Pipe(duplex=False)
            kwargs = {**kwargs, inbox: inbox_end.recv}
        sys.stdout.flush()
        sys.stderr.flush()
        self.proc = ctx.Process(target=_child, args=(child_end, fn, args, kwargs, self.outbox, nice), daemon=True,
                                name=f"zzdata-{getattr(fn, '__name__', 'step')}")
        self.proc.start()
        child_end.close()
        if inbox is not None:
            inbox_end.close()

    def send(self, value) -> None:
        """Hand `value` to the step. It is sent from a thread, so this process goes on while the
        child, busy with what it could do without it, has not read it yet."""
        if self.deferred is not None:
            fn, args, kwargs, inbox = self.deferred
            self.deferred = None
            self.result = fn(*args, **{**kwargs, inbox: lambda: value})
            return
        if self.outbox is None:
            raise ValueError("this step has no inbox")

        def deliver(outbox=self.outbox) -> None:
            try:
                outbox.send(value)
            except OSError:  # the child ended without reading it: wait() says why
                pass

        self.sender = threading.Thread(target=deliver, name="zzdata-send", daemon=True)
        self.sender.start()

    def _close_outbox(self) -> None:
        if self.sender is not None:
            self.sender.join()
            self.sender = None
        if self.outbox is not None:
            self.outbox.close()
            self.outbox = None

    def wait(self) -> None:
        """Return when the child has finished its step (its return value then in `result`);
        raise its error if it failed."""
        if self.deferred is not None:
            raise BuildError("a step waiting to be handed its input was never handed it (Background.send)")
        if self.proc is None:
            return
        if self.sender is None:
            self._close_outbox()  # nothing was sent: the child's wait for it ends (EOFError), not hangs
        try:
            status, payload = self.conn.recv()
        except EOFError:  # died without a word (killed, out of memory)
            status, payload = "died", None
        except Exception as err:  # noqa: BLE001 - an error that could be pickled but not unpickled
            status, payload = "error", BuildError(f"{self.proc.name} failed: {err!r}")
        finally:
            self.conn.close()
            self._close_outbox()
        self.proc.join()
        code, self.proc = self.proc.exitcode, None
        if status == "error":
            raise payload
        if status != "ok" or code != 0:
            raise BuildError(f"a process of the build ended without finishing its step (exit code {code})")
        self.result = payload

    def stop(self) -> None:
        """End the child if it still runs (the build failed before waiting for it)."""
        if self.proc is None:
            return
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()
        self.conn.close()
        self._close_outbox()
        self.proc = None
