"""Cleaning undoes the PDF damage and keeps every clean character traceable to the raw text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RAW
from zzdata.extract.clean import clean
from zzdata.ingest.readers import raw_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("新增城镇就业 13.93 万人，", "新增城镇就业13.93万人，"),  # spaces inside a number
        ("跨 境 电 商 交 易 额 1 450 亿\n元", "跨境电商交易额1450亿元"),  # letter-spacing, thousands group, broken unit
        ("三年累计完成安置房 5000\n\n万平方米，", "三年累计完成安置房5000万平方米，"),  # number and unit across a blank line
        ("在2023\n\n年度国家科技", "在2023年度国家科技"),
        ("新增１２．５万辆，增长５．７％", "新增12.5万辆，增长5.7%"),  # full-width forms
        ("Noto Sans CJK", "Noto Sans CJK"),  # spaces between ASCII words survive
        ("2024 12个", "2024 12个"),  # two numbers stay two numbers
    ],
)
def test_repairs(raw, expected):
    assert clean(raw).text == expected


def test_bullets_and_headings_are_hard_breaks():
    text = clean("●新增就业3万人；\n●优良天数231天；\n关键词：稳经济增长\n精准施策稳增长").text
    assert text.split("\n") == ["●新增就业3万人；", "●优良天数231天；", "关键词：稳经济增长", "精准施策稳增长"]


def test_standalone_title_is_not_glued_to_the_next_sentence():
    text = clean("同比增加 20 天。\n\n生态环境不断改善\n\n安全生产形势总体平稳。").text
    assert "\n生态环境不断改善\n" in text


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda p: p.name[:20])
def test_offsets_point_at_the_same_characters(path):
    raw = raw_text(path)
    ct = clean(raw)
    assert len(ct.offsets) == len(ct.text)
    assert list(ct.offsets) == sorted(ct.offsets), "offsets must grow with the text"
    for i, ch in enumerate(ct.text):
        src = raw[ct.offsets[i]]
        if ch in "\n ":
            assert src.isspace()
        elif src != ch:  # only the one-to-one full-width mapping may change a character
            assert 0xFF00 <= ord(src) <= 0xFFEF, (i, ch, src)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["新增", "就业", "13.93", " ", "\n", "\n\n", "万人", "，", "●", "跨 境", "2024", "％", "Ａ"]),
                max_size=30))
def test_offset_map_is_total_and_faithful(pieces):
    raw = "".join(pieces)
    ct = clean(raw)
    assert len(ct.offsets) == len(ct.text)
    for i, ch in enumerate(ct.text):
        assert 0 <= ct.offsets[i] < len(raw)
        src = raw[ct.offsets[i]]
        assert src == ch or src.isspace() or 0xFF00 <= ord(src) <= 0xFFEF
    # No visible character is lost or invented.
    visible = [c for c in raw if not c.isspace()]
    assert len([c for c in ct.text if not c.isspace()]) == len(visible)


def test_a_text_is_cleaned_once_and_its_clean_text_passed_on(monkeypatch):
    """read_document cleans the raw text once and hands the result to the facts and the claims;
    clean() keeps nothing between calls (no memo by the raw string's identity)."""
    from types import SimpleNamespace

    from zzdata.extract import clean as clean_mod, document

    calls = []
    real = clean_mod._clean
    monkeypatch.setattr(clean_mod, "_clean", lambda raw: calls.append(raw) or real(raw))
    raw = "全区地区生产总值增长6.1%，保持两位数增长。"
    meta = SimpleNamespace(file="t.txt", region="中原区", region_level="district", review_year=2024, target_year=None,
                           doc_type="work_report", delivered="2025-01")
    facts, claims = document.read_document(meta, raw)
    assert len(calls) == 1 and [f["value_text"] for f in facts] == ["6.1%"] and [c["claim"] for c in claims] == ["两位数"]
    clean_mod.clean(raw)
    clean_mod.clean(raw)
    assert len(calls) == 3
