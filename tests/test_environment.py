"""environment.yml and pyproject.toml must name the same dependencies (a conda user and a pip
user get the same project)."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

# Tools that only exist on one side by nature: conda's own python/pip/make, the editable
# install of the project itself.
CONDA_ONLY = {"python", "pip", "make"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    specs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    return {_name(s): s.replace(" ", "") for s in specs}


def _environment() -> dict[str, str]:
    out = {}
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*-\s+([A-Za-z0-9_.\-]+[^#]*?)\s*(?:#.*)?$", line)
        if not m or line.strip().startswith("- -e") or m.group(1).startswith("pip:"):
            continue
        spec = m.group(1).replace(" ", "")
        if spec in ("-e.",) or spec.endswith(":"):
            continue
        out[_name(spec)] = spec
    return {k: v for k, v in out.items() if k not in CONDA_ONLY and not k.startswith("conda-forge")}


def test_same_packages():
    py, env = _pyproject(), _environment()
    assert set(py) == set(env), f"only in pyproject: {set(py) - set(env)}; only in environment.yml: {set(env) - set(py)}"


def test_same_version_bounds():
    py, env = _pyproject(), _environment()
    for name in py:
        assert py[name] == env[name], f"{name}: pyproject says {py[name]!r}, environment.yml says {env[name]!r}"


def test_environment_installs_the_project():
    assert re.search(r"^\s*-\s+-e\s+\.\s*$", (ROOT / "environment.yml").read_text(), re.M)
