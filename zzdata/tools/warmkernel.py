"""Kernels forked from a process that has imported what every notebook imports (`make figures`).

A fresh kernel spends about 1.1 s of CPU importing ipykernel, pandas, matplotlib and the chart
rooms before its first chart: 6.6 s over the six notebooks, on two cores. `make figures` imports
them once (:func:`preload`), forks its workers from that process, and each worker forks its
notebook's kernel (:class:`ForkProvisioner`) instead of starting ``python -m ipykernel_launcher``.
The kernel is then what that command would have been, in the kernelspec's environment, folder and
streams, in a session of its own, with the modules already in place: the same notebook, the same
charts, byte for byte (tests/test_notebooks.py). Where the system cannot fork, kernels start as
usual.
"""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import os
import signal
import sys
import traceback

from ..tables.background import freeze_inherited

#: What the notebooks import before their first chart, and the kernel itself (the modules, not
#: their use: no chart, no style, no data is touched by importing them).
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "zzdata.viz.views", "zzdata.viz.words",
           "zzdata.tables.build", "pyarrow.dataset", "matplotlib.pyplot", "matplotlib.backends.backend_agg",
           "matplotlib.backends.backend_svg", "matplotlib.backends.backend_pdf")

#: The kernelspec's command this provisioner forks in place of: ``python -m ipykernel_launcher ...``.
LAUNCHER = "ipykernel_launcher"


def preload(env: dict[str, str]) -> None:
    """Import :data:`PRELOAD` in this process with `env` set first (``MPLBACKEND``: matplotlib
    reads it when imported), for the kernels forked from it (or from its forked workers)."""
    os.environ.update(env)
    for name in PRELOAD:
        importlib.import_module(name)


class _Forked:
    """The forked kernel as the provisioner's ``process`` (what it asks of a ``Popen``)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped already
                self.returncode = 0
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            try:
                self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            except ChildProcessError:
                self.returncode = 0
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _become_kernel(cmd: list[str], env: dict[str, str] | None, cwd: str | None, stderr) -> None:
    """In the forked child: become ``cmd`` (``python -m ipykernel_launcher -f FILE``) as
    ``launch_kernel`` would have started it (a new session, `env` and the parent's pid, `cwd`, stdin
    from /dev/null, `stderr` if given), then exit; never returns."""
    code = 1
    try:
        import asyncio

        freeze_inherited()  # the parent's modules: never the kernel's garbage, their pages left shared
        atexit._clear()  # the parent's exit handlers are not the kernel's
        asyncio.events._set_running_loop(None)  # forked inside the manager's loop: the kernel runs its own
        asyncio.set_event_loop(None)
        os.setsid()
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # as the launcher sets it: the kernel ends with its parent
        if cwd:
            os.chdir(cwd)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        if stderr is not None:
            os.dup2(stderr if isinstance(stderr, int) and stderr >= 0 else null, 2)
        # `python -m ipykernel_launcher` has the launcher's file as argv[0] and takes the folder `-m`
        # put first off sys.path (ipykernel_launcher.py); here that is the forking process's first entry.
        sys.argv = [importlib.util.find_spec(LAUNCHER).origin, *cmd[cmd.index(LAUNCHER) + 1 :]]
        if sys.path:
            del sys.path[0]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:  # noqa: BLE001 - the child must not return into its parent's code
        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()  # the kernel's own
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def provisioner_class():
    """:class:`jupyter_client`'s local provisioner, forking the kernel from this process."""
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        """Launches the kernelspec's ipykernel by forking this (preloaded) process."""

        async def launch_kernel(self, cmd: list[str], **kwargs):
            if LAUNCHER not in cmd:
                return await super().launch_kernel(cmd, **kwargs)
            stderr = kwargs.get("stderr")
            if stderr is not None and hasattr(stderr, "fileno"):
                stderr = stderr.fileno()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _become_kernel(cmd, kwargs.get("env"), kwargs.get("cwd"), stderr)
            self.process = _Forked(pid)
            self.pid = self.pgid = pid
            self.cwd = kwargs.get("cwd", os.getcwd())
            return self.connection_info

    return ForkProvisioner
