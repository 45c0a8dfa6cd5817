"""Notebook parameters as papermill passes them: `python -m zzdata notebooks 05 -p REGIONS=金水区,二七区`
inserts a cell after the one tagged `parameters`, with each value read the way its default is written."""

from __future__ import annotations

import jupytext
import pytest

from zzdata.tools import notebooks as nbrun

SCRIPT = """# %% tags=["parameters"]
LANG = "zh"
CITY = None
REGIONS = None
YEARS = []

# %%
print(LANG, CITY, REGIONS, YEARS)
"""


def _nb():
    return jupytext.reads(SCRIPT, fmt="py:percent")


def test_injected_after_the_parameters_cell_with_the_defaults_types():
    nb = _nb()
    nbrun.inject_parameters(nb, nbrun.parse_parameters(["REGIONS=金水区,二七区", "LANG=en", "YEARS=2020,2021",
                                                        "CITY=郑州市"]))
    assert nb.cells[1].metadata["tags"] == ["injected-parameters"]
    ns: dict = {}
    exec(nb.cells[0].source + "\n" + nb.cells[1].source, ns)
    assert (ns["LANG"], ns["CITY"], ns["REGIONS"], ns["YEARS"]) == ("en", "郑州市", ["金水区", "二七区"], [2020, 2021])


def test_one_region_is_still_a_list_when_the_default_is_one():
    nb = _nb()
    nbrun.inject_parameters(nb, {"YEARS": "2024"})
    ns: dict = {}
    exec(nb.cells[0].source + "\n" + nb.cells[1].source, ns)
    assert ns["YEARS"] == [2024]


def test_unknown_parameter_and_malformed_pair_are_errors():
    with pytest.raises(ValueError, match="has no parameter REGION; its parameters are LANG, CITY, REGIONS, YEARS"):
        nbrun.inject_parameters(_nb(), {"REGION": "金水区"})
    with pytest.raises(ValueError, match="NAME=VALUE"):
        nbrun.parse_parameters(["REGIONS"])


def test_every_notebook_has_one_parameters_cell_with_lang_city_regions_years():
    for path in nbrun.find_notebooks():
        nb = jupytext.read(path)
        cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(cells) == 1, f"{path.name}: one cell tagged parameters"
        for name in ("LANG", "CITY", "REGIONS", "YEARS"):
            assert f"{name} =" in cells[0].source, f"{path.name}: parameter {name}"
