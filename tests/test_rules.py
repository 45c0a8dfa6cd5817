"""The reading rules of issue 9, part 3, each on a short text of its own (tests/fixtures/rules/,
numbers invented, expected facts read by hand before the extractor ran on them): region
framing, relative time and baselines, thresholds and milestones, rank words, Chinese numerals,
multiples and percentage points."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from conftest import (FIXTURES, assert_every_quantity, assert_read_as_by_hand, copy_fixture_set, expected_params,
                      extract_raw, read_csv_rows)
from zzdata.extract.claims import extract_claims
from zzdata.extract.clean import clean
from zzdata.extract.numbers import all_quantities
from zzdata.ingest.readers import raw_text

RULES = FIXTURES / "rules"


EXPECTED = read_csv_rows(RULES / "expected.csv")


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    return copy_fixture_set(RULES, tmp_path_factory.mktemp("rules") / "raw")


@pytest.fixture(scope="module")
def extracted(raw_dir) -> dict[str, list[dict]]:
    return extract_raw(raw_dir)


@pytest.fixture(scope="module")
def rules_built(raw_dir, tmp_path_factory) -> Path:
    from zzdata.tables.build import build

    out = tmp_path_factory.mktemp("rules_out")
    build(raw_dir, out, force=True, quiet=True)
    return out


@pytest.mark.parametrize("row, k", expected_params(EXPECTED))
def test_fact_read_as_by_hand(extracted, row, k):
    assert_read_as_by_hand(extracted, row, k, ("unit", "measure", "status", "period", "region", "indicator",
                                               "qualifier", "threshold", "label"))


@pytest.mark.parametrize("doc", sorted({r["doc"] for r in EXPECTED}))
def test_every_printed_quantity_and_nothing_else(extracted, doc):
    """No ordinal (第二批, 二期, 十二届三次全会), quoted name (“三个一批”) or article (一批) is a fact."""
    assert_every_quantity(extracted, EXPECTED, doc)


# --- region framing ----------------------------------------------------------------------------

@pytest.mark.parametrize("span, region", [  # the words of a clause before its number
    ("增速在郑州市所辖县(市)中居", None),
    ("占郑州市的", None),
    ("高于郑州市平均水平", None),
    ("郑州市所辖县(市)中增速第", None),
    ("郑州外国语学校荥阳分校等", None),  # an example of what is counted
    ("推动郑州外国语学校荥阳分校建设", None),  # not at the clause's start
    ("二七区地区生产总值增长", "二七区"),
    ("其中，新郑市一般公共预算收入增长", "新郑市"),
    ("2023年巩义市地区生产总值增长", "巩义市"),
    ("巩义、中牟登榜全国县域经济", "中牟县"),
    ("郑州经开区地区生产总值首次突破", "郑州经济技术开发区"),  # the zone's figure, not the city's
    ("郑州市高新区一般公共预算收入增长", "郑州高新技术产业开发区"),  # the child printed after its parent wins
    ("航空港实验区进出口总值完成", "郑州航空港经济综合实验区"),
    ("航空港区货邮吞吐量", "郑州航空港经济综合实验区"),
    ("荥阳高新区工业增加值", "荥阳市"),  # not the city's zone: 荥阳 is no parent of it
])


def test_subject_region(span, region):
    from zzdata.extract.framing import subject_region

    assert subject_region(span) == region


# --- quantities that are not written in Arabic digits --------------------------------------------

@pytest.mark.parametrize("text, value, unit, kind, qualifier, value_text", [
    ("金融机构存款余额突破一万亿元", 1e12, "元", "money", "over", "一万亿元"),
    ("汽车产量突破百万辆", 1e6, "辆", "count", "over", "百万辆"),
    ("阶段性缓交费用近亿元", 1e8, "元", "money", "about", "亿元"),
    ("产业链规模超千亿元", 1e11, "元", "money", "over", "千亿元"),
    ("三年十多轮疫情冲击", 10, "轮", "count", "over", "十轮"),
    ("建成二十五个站点", 25, "个", "count", "none", "二十五个"),
    ("新增三千五百个车位", 3500, "个", "count", "none", "三千五百个"),
    ("举办推介活动5轮", 5, "轮", "count", "none", "5轮"),
    ("连续4个季度保持增长", 4, "个季度", "count", "none", "4个季度"),
    ("连续四季度举办签约活动", 4, "个季度", "count", "none", "四季度"),
    ("研发投入是2015年的三倍", 3, "倍", "multiple", "none", "三倍"),
    ("研发投入增长2.5倍", 2.5, "倍", "multiple", "none", "2.5倍"),
    ("收入比2012年翻一番", 2, "倍", "multiple", "none", "翻一番"),
    ("经济总量翻两番", 4, "倍", "multiple", "none", "翻两番"),
    ("增速居全市首位", 1, "位", "rank", "none", "首位"),
    ("排名全市第一", 1, "位", "rank", "none", "第一"),
    ("位居第二。", 2, "位", "rank", "none", "第二"),
    ("跻身全国百强", 100, "位", "rank", "top", "百强"),
    ("进入前20强", 20, "位", "rank", "top", "20强"),
    ("进入全国10 强", 10, "位", "rank", "top", "10强"),
    ("退出全国后20位", 20, "位", "rank", "bottom", "20位"),
    ("入选全国前十名", 10, "位", "rank", "top", "十名"),
    ("提高1.2百分点", 1.2, "百分点", "points", "none", "1.2百分点"),
    ("提高1.2个百分点", 1.2, "百分点", "points", "none", "1.2个百分点"),
])
def test_reads_words_as_quantities(text, value, unit, kind, qualifier, value_text):
    qs = all_quantities(clean(text).text)
    assert len(qs) == 1, qs
    q = qs[0]
    assert math.isclose(q.value, value, rel_tol=1e-12)
    assert (q.unit, q.kind, q.qualifier, q.value_text) == (unit, kind, qualifier, value_text)


@pytest.mark.parametrize("text", [
    "第二批试点", "磨料产业园二期建成", "区委十二届三次全会", "人大四次会议", "第十六届人民代表大会第一次会议",
    "推进“三个一批”项目", "“两个确保”", "谋划一批重大项目", "新一轮国企改革", "一类视频监控全覆盖",
    "世界500强企业", "居数字经济城市发展百强榜第14位", "千亿级商品市场集群", "万元GDP能耗下降",
    "签约亿元以上制造业项目", "保持全国第一方阵", "居全国前列", "保持两位数增长", "把服务放在首位",
    "省会城市首位度提升", "第二届论坛", "国棉三厂", "三级平台", "前三季度", "1~11月", "前11个月",
    "2024年4季度", "位居全国综合实力百强县前列", "全国“双第一”", "实施倍增计划", "三次产业结构", "落实八项规定精神",
    "“十四五”时期", "十三五期间", "二〇二三年", "一季度", "三四线城市", "坚持安全第一", "第一时间", "引进世界500强企业",
    # counts of an outline or a slogan (issue 19): at most claims
    "共发放两批消费券", "打好三场攻坚战", "抓好十项重点工作", "突出抓好五个方面工作", "实现两个根本转变", "打好三场硬仗",
    "分四个批次推进", "重点做了这七个方面工作",
])
def test_words_that_are_no_quantities(text):
    got = [q.value_text for q in all_quantities(clean(text).text)]
    assert got in ([], ["第14位"]), got


# --- claims -----------------------------------------------------------------------------------

def test_claims_keep_only_words_without_a_number(raw_dir):
    doc = "shangjie_2023-02_work-report_ranks.txt"
    claims = extract_claims(doc, raw_text(raw_dir / doc))
    assert [c["claim"] for c in claims] == ["两位数", "三场攻坚战"]  # 首位, 第一, 百强, 20强 … are rank facts now


@pytest.mark.parametrize("text, outline", [
    ("今年要突出抓好五个方面工作，实现两个根本转变，打好三场硬仗，城中村改造分四个批次推进。",
     ["五个方面", "两个根本转变", "三场硬仗", "四个批次"]),
    ("着力抓好十项重点工作", ["十项重点工作"]),  # ten or more: an outline's count all the same
    ("重点做了这七个方面工作", ["七个方面"]),
    ("打好三场攻坚战", ["三场攻坚战"]),
    ("突出五方面工作", ["五方面"]),
    ("共发放两批消费券，全市八个城区", []),  # small counts in words that name no outline: neither facts nor claims
    ("出台8方面45条举措", []),  # counts in digits are figures
    ("推进“三个一批”项目，落实第二个方面", []),  # a quoted name, an ordinal
])
def test_counts_of_an_outline_or_a_slogan_are_claims(text, outline):
    """issue 19: `突出抓好五个方面工作`, `实现两个根本转变` … are no figures, at most claims: kind `outline`,
    the count with its unit and the outline's words, traceable to the raw text."""
    found = extract_claims("d", text)
    assert [c["claim"] for c in found if c["kind"] == "outline"] == outline
    assert all(text[c["start"]:c["end"]] == c["claim"] for c in found)


def test_the_outline_fixture_gives_its_counts_as_claims_and_its_figures_as_facts(raw_dir, extracted):
    doc = "xinzheng_2012-02-15_work-report_outline.txt"
    raw = raw_text(raw_dir / doc)
    claims = extract_claims(doc, raw)
    assert [(c["claim"], c["kind"]) for c in claims] == [
        ("五个方面", "outline"), ("两个根本转变", "outline"), ("三场硬仗", "outline"), ("四个批次", "outline")]
    assert all(raw[c["start"]:c["end"]] == c["claim"] and c["claim"] in c["snippet"] for c in claims)
    facts = extracted[doc]
    assert [f["value_text"] for f in facts] == ["12所", "二十五个"]
    assert not any(f["start"] < c["end"] and c["start"] < f["end"] for f in facts for c in claims)


def test_a_rank_fact_is_no_claim():
    text = "进出口总额稳居中部第一，郑商所成交量居国内同类交易所首位，进入全国10强，保持全国第一方阵，居全国前列。"
    claims = [c["claim"] for c in extract_claims("d", text)]
    assert claims == ["第一方阵", "前列"]


# --- thresholds in the series --------------------------------------------------------------------

def test_a_precise_figure_beats_a_threshold_of_the_same_key(rules_built):
    from zzdata.tables.load import load_series

    s = load_series(rules_built)
    gdp = s[(s["indicator"] == "gdp") & (s["region"] == "中牟县") & (s["year"] == 2020) & (s["status"] == "actual")
            & (s["measure"] == "level")]
    assert len(gdp) == 1
    assert gdp.iloc[0]["value"] == 6.127e10 and not gdp.iloc[0]["threshold"]  # not 突破600亿元, printed first
    only = s[(s["indicator"] == "digital_economy") & (s["region"] == "中牟县")]
    assert len(only) == 1 and only.iloc[0]["threshold"]  # a threshold alone is kept, flagged


def test_charts_never_draw_a_threshold_as_a_level(rules_built):
    from zzdata.series import compare
    from zzdata.tables.load import load_series

    s = load_series(rules_built)
    assert s["threshold"].any()
    yoy = compare.year_over_year(s, statuses=("actual", "cumulative"))
    assert not yoy["fact_id"].isin(s.loc[s["threshold"], "fact_id"]).any()


def test_choice_rule_has_the_threshold_step():
    """A threshold is one of the error flags of the choice rule's first step (series/flags.py)."""
    from zzdata.series.choice import CHOICE_RULE, describe
    from zzdata.series.flags import ERRORS

    # issue 19: a threshold is one of the findings of the first step (a figure a check rules out)
    assert CHOICE_RULE[0].columns == ("error",) and "threshold" in CHOICE_RULE[0].en and "门槛" in CHOICE_RULE[0].zh
    assert "threshold" in describe(lang="en") and "突破" in describe(lang="zh")


# --- relative time, read against the delivery date --------------------------------------------

class _Meta:
    def __init__(self, delivered, review_year=None, target_year=None):
        self.delivered, self.review_year, self.target_year = delivered, review_year, target_year


@pytest.mark.parametrize("clause, meta, period", [
    ("今年全区地区生产总值增长", _Meta("2019-09", 2019), "2019"),
    ("今年全市地区生产总值增长", _Meta("2021-01", 2020, 2021), "2021"),  # the delivery year, not the review year
    ("去年全区一般公共预算收入完成", _Meta("2019-09", 2019), "2018"),
    ("上年末常住人口达到", _Meta("2019-09-20", 2019), "2018"),
    ("明年力争新增城镇就业", _Meta("2019-09", 2019), "2020"),
    ("比上年增长", _Meta("2019-09", 2019), None),
    ("较上年提高", _Meta("2019-09", 2019), None),
    ("同比去年同期增长", _Meta("2019-09", 2019), None),
    ("由2015年的", _Meta("2021-01", 2020), None),  # a baseline, not the sentence's year
    ("全社会研发投入是2015年的", _Meta("2021-01", 2020), None),
    ("增速高于去年", _Meta("2016-12", 2016), None),  # a year inside a comparison names no period
    ("超过2020年水平", _Meta("2022-01", 2021, 2022), None),
    ("增速快于上年", _Meta("2019-09", 2019), None),
    ("超过去年", _Meta("2019-09", 2019), None),
])
def test_relative_and_explicit_years(clause, meta, period):
    from zzdata.extract import timing

    assert timing.explicit_year(clause, meta) == period


@pytest.mark.parametrize("clause, meta, period", [
    ("今年上半年", _Meta("2019-09", 2019), "2019-01..06"),
    ("去年1~11月", _Meta("2019-02", 2019), "2018-01..11"),
    ("前三季度", _Meta("2019-10", 2019), "2019-01..09"),
    ("11-12月", _Meta("2016-12", 2016), "2016-11..12"),  # November to December, not the whole year
    ("1-12月", _Meta("2016-12", 2016), "2016-01..12"),
    ("一至十一月", _Meta("2016-12", 2016), "2016-01..11"),
    ("前十一个月", _Meta("2016-12", 2016), "2016-01..11"),
])
def test_parts_of_a_relative_year(clause, meta, period):
    from zzdata.extract import timing

    assert timing.partial_period(clause, meta) == period


@pytest.mark.parametrize("clause, meta, want", [  # (period, a review of a term's years)
    ("过去五年", _Meta("2021-01", 2020, 2021), ("2016-2020", True)),
    ("过去五年", _Meta("2021-01"), ("2016-2020", True)),  # no review year: the years before the delivery
    ("五年来", _Meta("2023-01-04", 2022, 2023), ("2018-2022", True)),
    ("2018年以来", _Meta("2023-01-04", 2022, 2023), ("2018-2022", True)),
    ("近三年", _Meta("2023-01-04", 2022, 2023), ("2020-2022", False)),
    ("连续三年", _Meta("2023-01-04", 2022, 2023), ("2020-2022", False)),
    ("五年累计", _Meta("2017-01", 2016, 2017), ("2012-2016", False)),
    ("近五年", _Meta("2017-01", 2016, 2017), ("2012-2016", False)),
    ("国企改革三年行动", _Meta("2023-01-04", 2022, 2023), None),
    ("十二年来", _Meta("2017-01", 2016, 2017), ("2005-2016", False)),  # twelve years, not 二年来
    ("二十年来", _Meta("2017-01", 2016, 2017), ("1997-2016", False)),
    ("近两年", _Meta("2017-01", 2016, 2017), ("2015-2016", False)),
])


def test_years_before(clause, meta, want):
    from zzdata.extract import timing

    got = timing.since_period(clause, meta)
    assert (got if got is None else (got.period, got.review)) == want


@pytest.mark.parametrize("review, in_heading, opens_sentence, opens_paragraph, dated_section, reach", [
    (True, True, False, False, True, "section"),  # `一、过去五年工作回顾`
    (False, True, False, False, True, "section"),  # `近三年工作回顾`
    (True, False, True, True, False, "section"),  # `2018年以来，…` opening a paragraph of a report's opening
    (True, False, True, True, True, "paragraph"),  # … but under `一、2016年工作回顾`: its paragraph only
    (True, False, True, False, False, "paragraph"),  # `…。五年来，…` in the middle of a paragraph
    (False, False, True, True, False, "sentence"),  # `三年累计…`, `新冠疫情发生三年来，`
    (True, False, False, True, False, "clause"),  # `…，五年来年均增长8.6%，…`
    (False, False, False, False, True, "clause"),  # `…，十二年来累计完成1980亿元，…`
])
def test_how_far_a_span_of_years_reaches(review, in_heading, opens_sentence, opens_paragraph, dated_section, reach):
    from zzdata.extract import timing

    since = timing.Since("2012-2016", review, 0)
    assert timing.since_reach(since, in_heading, opens_sentence, opens_paragraph, dated_section) == reach


def test_paragraphs_of_a_clean_text():
    """A raw line that follows a line ending a sentence starts a paragraph (the clean text joins them);
    a line broken inside a sentence does not, nor does a blank line inside one."""
    raw = "一、2016年工作回顾\n全区生产总值完成\n\n420亿元。五年来，…。\n\n城市建设提速。新建道路18条。\n新增绿地26万平方米。\n"
    ct = clean(raw)
    starts = [ct.text[p:p + 4] for p in ct.paragraphs]
    assert starts == ["一、20", "全区生产", "城市建设", "新增绿地"]


@pytest.mark.parametrize("text, value, unit, value_text", [
    ("地区生产总值突破2万亿元", 2e12, "元", "2万亿元"),
    ("地区生产总值迈入万亿俱乐部", 1e12, "元", "万亿"),
    ("社会消费品零售总额有望突破300亿元", 3e10, "元", "300亿元"),
    ("汽车产量突破百万大关", 1e6, "辆", "百万"),
])
def test_thresholds(text, value, unit, value_text):
    qs = all_quantities(clean(text).text)
    assert [(q.value, q.unit, q.value_text, q.qualifier, q.threshold) for q in qs] == [
        (value, unit, value_text, "over", True)]


def test_milestones_give_no_level():
    qs = all_quantities(clean("地区生产总值连续跨越5000亿元、6000亿元两个台阶，达到6215亿元。").text)
    assert [(q.value_text, q.threshold, q.qualifier) for q in qs] == [
        ("5000亿元", True, "over"), ("6000亿元", True, "over"), ("6215亿元", False, "none")]  # 两个 counts steps: no figure


def test_a_threshold_beats_nothing_and_contradicts_nothing():
    """Across texts: a precise figure wins over an earlier work report's threshold, and the two do not
    conflict (a threshold is a lower bound); the threshold is no alternative value to draw."""
    from test_compare import DOCS, fact, frame
    from zzdata.series import choice

    rows = [dict(fact(indicator="gdp", unit="元", value=6e10, doc="city_2025_report.txt", qualifier="over"), threshold=True),
            dict(fact(indicator="gdp", unit="元", value=6.127e10, doc="city_2024_review.txt"), threshold=False)]
    s = choice.build_series(frame(*rows), DOCS)
    row = s[s["indicator"] == "gdp"].iloc[0]
    assert row["value"] == 6.127e10 and not row["threshold"] and not row["conflict"]
    assert choice.alternatives(s, choice.candidates(frame(*rows), DOCS)).empty


@pytest.mark.parametrize("text, digits, value", [
    ("十二", False, 12), ("十九", False, 19), ("二十", False, 20), ("两", False, 2), ("二十五", False, 25),
    ("三千五百", False, 3500), ("一万亿", False, 10**12), ("千亿", False, 10**11), ("两亿三千万", False, 230000000),
    ("一千零五", False, 1005), ("11", False, 11), ("二〇二四", False, None), ("一一", False, None),
    ("二〇二四", True, 2024), ("三十一", False, 31),
])
def test_one_reader_of_chinese_numerals(text, digits, value):
    from zzdata.core.numerals import cn_number

    assert cn_number(text, digits=digits) == value


def test_the_gazetteer_holds_every_district_county_and_zone():
    from zzdata.core import catalog

    kinds = {}
    for r in catalog.regions().values():
        kinds.setdefault(r.kind, set()).add(r.name)
    assert len(kinds["district"]) == 6 and len(kinds["county_city"]) == 5 and len(kinds["county"]) == 1
    assert len(kinds["zone"]) == 4
    for short, name in [("经开区", "郑州经济技术开发区"), ("高新区", "郑州高新技术产业开发区"), ("郑东新区", "郑东新区"),
                        ("航空港区", "郑州航空港经济综合实验区"), ("航空港实验区", "郑州航空港经济综合实验区"),
                        ("郑州经济技术开发区", "郑州经济技术开发区"), ("高新技术产业开发区", "郑州高新技术产业开发区")]:
        assert catalog.find_region(short) == name


def test_listed_regions_take_a_figure_each():
    from zzdata.extract.framing import subject_regions

    assert subject_regions("高新区、经开区在全国同类开发区中综合排名居") == ["郑州高新技术产业开发区", "郑州经济技术开发区"]
