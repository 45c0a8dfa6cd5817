"""A step of the build run in a forked copy of the build's process, on the second core.

After extraction the build writes its tables one after the other on one core; the workbook
(about a third of that time) needs every table but nothing needs it, so it can be written by a
copy of the process while this one writes the CSV, Parquet and Stata files. A fork, not a pool:
the child has the parent's tables in its memory (copy-on-write), nothing is pickled or sent but
the outcome. Where a fork is not available (Windows) or wanted (``jobs=1``), the build runs the
step itself, in turn (`Background.run` is then a plain call).

The child writes into the build's temporary folder; the parent waits for it (`wait`) before it
moves anything into place, so the build stays atomic; the bytes written are the same whichever
process writes them. An error in the child is raised by `wait` in the parent (the same
exception when it can be pickled, else a BuildError with its traceback); `stop` ends a child
the parent no longer waits for (the build failed elsewhere).
"""

from __future__ import annotations

import multiprocessing
import sys
import traceback

from ..core.errors import BuildError


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _child(conn, fn, args, kwargs) -> None:
    try:
        fn(*args, **kwargs)
    except BaseException as err:  # noqa: BLE001 - sent to the parent, which raises it
        try:
            conn.send(("error", err))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its traceback
            conn.send(("error", BuildError(traceback.format_exc())))
    else:
        conn.send(("ok", None))
    finally:
        conn.close()


class Background:
    """`fn(*args, **kwargs)` in a forked child (or in this process, when `fork` is False)."""

    def __init__(self, fn, *args, fork: bool = True, **kwargs):
        self.proc = None
        if not (fork and can_fork()):
            fn(*args, **kwargs)  # in turn, here; wait() has nothing to wait for
            return
        ctx = multiprocessing.get_context("fork")
        self.conn, child_end = ctx.Pipe(duplex=False)
        sys.stdout.flush()
        sys.stderr.flush()
        self.proc = ctx.Process(target=_child, args=(child_end, fn, args, kwargs), daemon=True,
                                name=f"zzdata-{getattr(fn, '__name__', 'step')}")
        self.proc.start()
        child_end.close()

    def wait(self) -> None:
        """Return when the child has finished its step; raise its error if it failed."""
        if self.proc is None:
            return
        try:
            status, payload = self.conn.recv()
        except EOFError:  # died without a word (killed, out of memory)
            status, payload = "died", None
        except Exception as err:  # noqa: BLE001 - an error that could be pickled but not unpickled
            status, payload = "error", BuildError(f"{self.proc.name} failed: {err!r}")
        finally:
            self.conn.close()
        self.proc.join()
        code, self.proc = self.proc.exitcode, None
        if status == "error":
            raise payload
        if status != "ok" or code != 0:
            raise BuildError(f"the build's second process ended without finishing its step (exit code {code})")

    def stop(self) -> None:
        """End the child if it still runs (the build failed before waiting for it)."""
        if self.proc is None:
            return
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()
        self.conn.close()
        self.proc = None
