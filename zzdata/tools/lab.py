"""`make lab`: JupyterLab on notebooks/, with the notebooks' .py files opened as notebooks.

The notebooks live in git as jupytext percent scripts. JupyterLab opens a .py file in its text
editor unless the default viewer for Python files is "Jupytext Notebook"; that setting is kept
in a settings folder of the project's own (``.jupyter/lab/user-settings``, not in git, not in
your home folder), which `make lab` points JupyterLab to. Jupytext's contents manager then
serves each .py as a notebook and writes the paired .ipynb (not in git) when you save.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..core import paths

#: The Lab setting that opens Python files (the notebooks) as Jupytext notebooks.
PLUGIN = "@jupyterlab/docmanager-extension"
SETTING = {"defaultViewers": {"python": "Jupytext Notebook"}}


def environment(settings_root: Path | None = None) -> dict[str, str]:
    """The environment variables that point JupyterLab to the project's settings and workspaces
    folders under `settings_root` (default: the project), after writing the default-viewer setting."""
    base = Path(settings_root or paths.project_root()) / ".jupyter" / "lab"
    settings, workspaces = base / "user-settings", base / "workspaces"
    file = settings / PLUGIN / "plugin.jupyterlab-settings"
    file.parent.mkdir(parents=True, exist_ok=True)
    workspaces.mkdir(parents=True, exist_ok=True)
    try:
        current = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = {}  # none yet (or a hand-edited JSON5 file: ours replaces it)
    viewers = {**current.get("defaultViewers", {}), **SETTING["defaultViewers"]}
    if current.get("defaultViewers") != viewers:
        file.write_text(json.dumps({**current, "defaultViewers": viewers}, indent=2) + "\n", encoding="utf-8")
    return {"JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(workspaces)}


def main(argv: list[str] | None = None) -> int:
    """Start JupyterLab on notebooks/ with the project's settings (replaces this process)."""
    root = paths.project_root()
    env = {**os.environ, **environment(root)}
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []  # e.g. in a container
    args = [sys.executable, "-m", "jupyter", "lab", str(root / "notebooks"), *as_root, *(argv or [])]
    os.execvpe(args[0], args, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
