"""The README's column dictionary and commands stay in step with the package."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from zzdata.core import schema


@pytest.mark.parametrize("table", ["facts", "series", "documents", "indicators", "claims", "sources"])
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


def test_generated_parts_are_current():
    """The rooms, the column dictionaries, the manifest's columns and the choice rule in the
    README are written from their one source (zzdata.tools.readme)."""
    from zzdata.tools import readme

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.render(text) == text, "regenerate them: python -m zzdata.tools.readme (make readme)"
    for name in readme.parts():
        assert f"<!-- generated: {name} -->" in text, f"the README has no generated part {name}"


def test_choice_rule_descriptions_name_every_step():
    """Every description of the choice rule comes from CHOICE_RULE and names each of its steps."""
    from zzdata.series import choice

    for lang in ("en", "zh"):
        listing = choice.describe(lang=lang, form="list")
        assert len(listing.splitlines()) == len(choice.CHOICE_RULE)
        short = choice.describe(lang=lang, form="short")
        for step in choice.CHOICE_RULE:
            assert (step.short_zh if lang == "zh" else step.short_en) in short
            assert (step.zh if lang == "zh" else step.en) in listing
