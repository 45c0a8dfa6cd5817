"""Notebook tables print numbers as the reports do; the frame underneath stays exact."""

import pandas as pd
import pytest

from zzdata.viz.readable import readable
from zzdata.viz.words import Words

ZH, EN = Words("zh"), Words("en")


def _cells(styler) -> list[list[str]]:
    """The displayed text of every body cell, row by row."""
    body = styler._translate(False, False)["body"]
    return [[c["display_value"] for c in row if c["type"] == "td"] for row in body]


def test_amounts_rates_and_years_are_printed_for_reading():
    frame = pd.DataFrame({
        "name_zh": ["地区生产总值", "新增城镇就业", "地区生产总值"],
        "unit": ["元", "人", "%"],
        "year": pd.array([2031, 2031, 2032], dtype="Int64"),
        "value": [9.318e10, 1_400_000.0, 5.4],
        "prev_year": [2030.0, float("nan"), 2031.0],
        "change": [4.14e9, float("nan"), -0.3],
        "pct_change": [70.16949, float("nan"), float("nan")],
    })
    zh = _cells(readable(frame, ZH))
    assert zh[0] == ["地区生产总值", "元", "2031", "931.8亿元", "2030", "+41.4亿元", "70.2%"]
    assert zh[1] == ["新增城镇就业", "人", "2031", "140万人", "", "", ""]
    assert zh[2][3:6] == ["5.4%", "2031", "-0.3个百分点"]  # a change of a rate is in points
    assert _cells(readable(frame, EN))[2][5] == "-0.3 pp"
    en = _cells(readable(frame, EN))
    assert en[0][3] == "93.18 billion yuan" and en[1][3] == "1.4 million people"


def test_the_values_underneath_are_not_rounded():
    frame = pd.DataFrame({"unit": ["元"], "value": [9.318123e10]})
    assert readable(frame, ZH).data["value"].iloc[0] == 9.318123e10


def test_a_column_of_numbers_and_gaps_held_as_objects_is_read_as_numbers():
    frame = pd.DataFrame({"unit": ["辆", "%"], "target": [1_400_000.0, 7.0],
                          "actual": pd.Series([None, 5.7], dtype=object), "gap": [float("nan"), -1.3]})
    cells = _cells(readable(frame, ZH))
    assert cells[0] == ["辆", "140万辆", "", ""]
    assert cells[1] == ["%", "7%", "5.7%", "-1.3个百分点"]


@pytest.mark.parametrize("value, shown", [(3.0, "第3位"), (-2.0, "-2")])
def test_a_rank_and_a_change_of_rank(value, shown):
    column = "value" if value > 0 else "change"
    assert _cells(readable(pd.DataFrame({"unit": ["位"], column: [value]}), ZH))[0][1] == shown
