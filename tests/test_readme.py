"""The README's column dictionary and commands stay in step with the package."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from zzdata.core import schema


@pytest.mark.parametrize("table", ["facts", "series", "documents", "indicators", "claims"])
def test_column_dictionary_is_current(table):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert schema.markdown_dictionary(table) in readme, f"regenerate the {table} dictionary: zzdata.core.schema.markdown_dictionary('{table}')"


def test_make_targets_in_readme_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    for name in set(re.findall(r"`make ([a-z-]+)`", readme)):
        assert name in targets, f"README mentions make {name}, the Makefile has no such target"
    assert "make data" in readme and "make test" in readme
