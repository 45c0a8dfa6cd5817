"""Number parsing: multipliers, formats, units, qualifiers, and what is not a quantity."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zzdata.extract.clean import clean
from zzdata.extract.quantities import MULTIPLIERS, find_quantities, scale, units


def one(text: str):
    qs = find_quantities(clean(text).text)
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize(
    "text, value, unit, qualifier, value_text",
    [
        ("新增城镇就业13.93万人", 139300, "人", "none", "13.93万人"),
        ("地区生产总值超1.45万亿元", 1.45e12, "元", "over", "1.45万亿元"),
        ("跨境电商交易额1 450 亿元", 1.45e11, "元", "none", "1450亿元"),
        ("增长5.7%", 5.7, "%", "none", "5.7%"),
        ("带动消费300多亿元", 3e10, "元", "over", "300亿元"),
        ("惠及2.8万余人", 28000, "人", "over", "2.8万人"),
        ("引进优秀人才2500名以上", 2500, "人", "over", "2500名"),
        ("增长7%左右", 7, "%", "about", "7%"),
        ("近5000亿元", 5e11, "元", "about", "5000亿元"),
        ("控制在5%以内", 5, "%", "under", "5%"),
        ("48万群众首套房安置到位", 480000, "人", "none", "48万"),
        ("4.6万受灾农户", 46000, "户", "none", "4.6万"),
        ("开行3363班次", 3363, "班", "none", "3363班次"),
        ("居全国省会城市第 8位", 8, "位", "none", "第8位"),
        ("2035项政务服务事项", 2035, "项", "none", "2035项"),
        ("已签约77个", 77, "个", "none", "77个"),
        ("延长至240小时，", 240, "小时", "none", "240小时"),
    ],
)
def test_reads(text, value, unit, qualifier, value_text):
    q = one(text)
    assert math.isclose(q.value, value, rel_tol=1e-12)
    assert (q.unit, q.qualifier, q.value_text) == (unit, qualifier, value_text)


@pytest.mark.parametrize(
    "text",
    [
        "2024年", "2023年度", "2月3日", "1~11月", "7·20特大暴雨", "第十六届", "“1+15+15”方案", "6+N",
        "1210监管模式", "“1566”现代产业体系", "5G网络", "PM2.5", "自贸区2.0版", "6号线", "获批全国第4个邮政",
        "进入全国10强", "15分钟便民生活圈", "240小时过境免签政策", "前11个月", "3个工作日内办结", "728创新港",
        "F1H2O", "7×24小时",
    ],
)
def test_not_quantities(text):
    assert find_quantities(clean(text).text) == []


def test_several_in_one_clause():
    qs = find_quantities(clean("汽车、家电产品“以旧换新”分别达到12.5万辆、196万台").text)
    assert [(q.value, q.unit) for q in qs] == [(125000, "辆"), (1960000, "台")]


@settings(max_examples=300, deadline=None)
@given(
    whole=st.integers(min_value=0, max_value=99999),
    frac=st.one_of(st.none(), st.integers(min_value=0, max_value=9999)),
    mult=st.sampled_from([None, *MULTIPLIERS]),
    unit=st.sampled_from(["元", "人", "个", "平方米", "套", "%", "吨"]),
    spaced=st.booleans(),
)
def test_multipliers_and_formats(whole, frac, mult, unit, spaced):
    number = f"{whole}.{frac:04d}".rstrip("0").rstrip(".") if frac is not None else str(whole)
    if unit == "%":
        mult = None
    sep = " " if spaced else ""
    text = f"完成{sep}{number}{sep}{mult or ''}{sep}{unit}，"
    q = one(text)
    expected = float(number) * (MULTIPLIERS[mult] if mult else 1)
    assert math.isclose(q.value, expected, rel_tol=1e-12, abs_tol=1e-9)
    assert q.unit == units()[unit].unit
    assert q.value_text == f"{number}{mult or ''}{unit}"


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1000, max_value=999999))
def test_thousands_groups(n):
    grouped = f"{n:,}".replace(",", " ")
    assert one(f"交易额{grouped}亿元").value == n * 1e8


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_scale_is_exact_to_printed_digits(d):
    text = format(d.normalize(), "f")
    assert scale(text, "万") == float(d) * 1e4 or math.isclose(scale(text, "万"), float(d) * 1e4, rel_tol=1e-15)


def test_fast_constructor_builds_the_same_quantity():
    """`make_quantity` skips the frozen dataclass's __init__; it must build an identical object."""
    import pickle

    from zzdata.extract.quantities import Quantity, make_quantity

    values = (3, 9, "13.93", 139300.0, "人", "people", "over", "13.93万人", "超")
    fast, slow = make_quantity(*values), Quantity(*values)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert list(vars(fast).items()) == list(vars(slow).items())
    assert pickle.dumps(fast) == pickle.dumps(slow)
    with pytest.raises(AttributeError):
        fast.value = 0  # still frozen


def test_trie_alternation_picks_the_flat_lists_word():
    """`alternation` groups words by first character; it must pick what the flat longest-first list picks."""
    import re

    from zzdata.core.patterns import alternation as _alternation
    from zzdata.extract.quantities import people_nouns

    words = [*units(), *people_nouns(), *MULTIPLIERS]
    flat = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    trie = re.compile(_alternation(words))
    for w in words:
        for tail in ("", "次", "时", "工作日内"):
            assert trie.match(w + tail).group() == flat.match(w + tail).group()
