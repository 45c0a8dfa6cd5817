"""Label cleaning: the quick tests that skip a pattern never skip one that would have matched.

`extract._clean_label` runs each pattern only where a cheap test says it can match; this
checks it against the plain definition (every pattern, every time) on random labels built
from the very words and characters the patterns remove.
"""

from __future__ import annotations

import random

import re

from zzdata.extract import labels as ex

PUNCT = re.compile(r"[“”\"‘’《》「」]")


def _clean_label_plain(span: str) -> str:
    label = PUNCT.sub("", ex._PARENS.sub("", span))
    label = ex._INNER_VERBS.sub("", label)
    for _ in range(3):
        before = label
        label = ex._TRAILING.sub("", ex._LEADING.sub("", label))
        if label == before:
            break
    return label.strip()


def _random_labels(n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    tokens = list(ex._TRAILING_WORDS) + list(ex._LEADING_WORDS) + list(ex._LEADING_CHARS)
    tokens += ["2024年", "2023年度", "12", " ", "\u3000", "（一）", "(注)", "“", "”", "累计完成", "实现",
               "地区生产总值", "城镇新增就业", "交易中心", "（", "）", "《", "》", "\n"]
    return ["".join(rng.choice(tokens) for _ in range(rng.randint(0, 8))) for _ in range(n)]


def test_clean_label_is_its_plain_definition():
    ex._clean_label.cache_clear()
    for span in _random_labels(20000):
        assert ex._clean_label(span) == _clean_label_plain(span), repr(span)


def _after_window_plain(window: str) -> str:
    window = ex._LEADING_MEASURE.sub("", window)
    window = ex._LEADING_QUAL.sub("", window)
    window = ex._LEADING_DE.sub("", window).replace("省、市", "省市")
    m = ex._AFTER_STOP.search(window)
    phrase = window[: m.start()] if m else window
    return PUNCT.sub("", phrase).strip("的")


def test_after_window_is_its_plain_definition():
    rng = random.Random(3)
    tokens = ["12", "3.5", "1,200", "٣", "万", "亿", "平方米", "亩", "的", "个", "以上", "多", "余", "左右", "省、市",
              "研究中心", "，", "。", "“", "》", "完成", "投资", "项目", "（", "5"]
    ex.after_window.cache_clear()
    for _ in range(20000):
        window = "".join(rng.choice(tokens) for _ in range(rng.randint(0, 7)))
        assert ex.after_window(window) == _after_window_plain(window), repr(window)


def test_strip_leading_is_the_leading_pattern():
    for label in _random_labels(20000, seed=9):
        assert ex._strip_leading(label) == ex._LEADING.sub("", label), repr(label)


def test_clean_label_examples():
    assert ex._clean_label("全年地区生产总值比上年增长") == "地区生产总值"
    assert ex._clean_label("交易中心累计完成交易额") == "交易中心交易额"
    assert ex._clean_label("“十四五”规划（2021年）目标达到") == "十四五规划目标"


def test_rank_parts_examples():
    from zzdata.extract.rank_labels import rank_parts

    assert rank_parts("高新区、经开区在全国同类开发区中综合排名居") == ("高新区、经开区", "全国同类开发区", "综合")
    assert rank_parts("增速居全市六县（市）") == ("增速", "全市六县（市）", "")
    assert rank_parts("国家级互联网骨干直联点总带宽全国") == ("国家级互联网骨干直联点总带宽", "全国", "")
    assert rank_parts("“郑好办”综合指标排名全国") == ("郑好办综合指标", "全国", "")
    assert rank_parts("中原科技城在全国348个科技城（科学城）中晋升至") == ("中原科技城", "全国348个科技城", "")
    assert rank_parts("居全国省会城市") == ("", "全国省会城市", "")


def test_enumerated_items_share_the_head_and_open_contractions():
    assert ex.enumerated_items("城镇和农村居民人均可支配收入", 2) == ["城镇居民人均可支配收入", "农村居民人均可支配收入"]
    assert ex.enumerated_items("金融机构本外币存贷款余额", 2) == ["金融机构本外币存款余额", "贷款余额"]
    assert ex.enumerated_items("化学需氧量、二氧化硫排放量", 2) == ["化学需氧量", "二氧化硫排放量"]
    assert ex.enumerated_items("汽车、家电产品以旧换新", 2) == ["汽车", "家电产品以旧换新"]  # no catalog name: as printed
    assert ex.enumerated_items("进出口总额、实际利用外资", 2) == ["进出口总额", "实际利用外资"]  # 进出口 stays closed
    assert ex.enumerated_items("城镇和农村居民人均可支配收入", 3) is None


class _Doc:
    """What the label steps read of a document."""

    def __init__(self, text: str) -> None:
        from zzdata.core import catalog

        self.text = text
        cues = catalog.cues()
        self.verb_first = cues.get("verb_first", ())
        self.continuation = frozenset(cues.get("continuation", ()))
        self.indicators = catalog.indicators()


class _Sentence:
    def __init__(self, facts=(), carried=None, start=0) -> None:
        self.facts, self.carried, self.start = list(facts), carried, start


def _reading(text: str, value_text: str, prev=None, sent=None, measure=None):
    """The Reading of the figure printed as `value_text` in `text` (one clause)."""
    from zzdata.extract.numbers import all_quantities

    q = next(q for q in all_quantities(text) if q.value_text == value_text)
    doc = _Doc(text)
    span = text[:q.start - len(q.lead)]
    measure = measure or ex.measure_of(span, q, len(text), type("D", (), {
        "text": text, **{k: __import__("zzdata").core.catalog.cues().get(k, ()) for k in ("decline", "growth", "change")}})())[0]
    noun = ex.after_window(text[q.end : q.end + ex.AFTER_LIMIT])
    return ex.Reading(doc, sent or _Sentence(), q, span, span, noun, measure, prev, 1, 0, 0)


def test_each_label_step_answers_its_own_case():
    assert ex.label_of(_reading("用占全市3%的土地", "3%")) == ("土地占全市比重", None)
    assert ex.label_of(_reading("地区生产总值完成41.2亿元", "41.2亿元")) == ("地区生产总值", "gdp")
    assert ex.label_of(_reading("新组建140个工程技术研究中心", "140个"))[1] == "engineering_research_centres"
    prev = {"label": "一般公共预算收入", "indicator": "general_budget_revenue", "unit": "元", "measure": "level"}
    assert ex.label_of(_reading("2016年达到了33.5亿元，", "33.5亿元", sent=_Sentence(carried=prev))) == (
        "一般公共预算收入", "general_budget_revenue")  # the sentence before's subject
    assert ex.label_of(_reading("2016年达到了33.5亿元的", "33.5亿元", sent=_Sentence(carried=prev))) == ("", None)
    assert ex.label_of(_reading("比上年净增910元", "910元", prev=dict(prev, label="农民人均纯收入",
                                                                  indicator="rural_net_income"))) == (
        "农民人均纯收入", "rural_net_income")


def test_a_list_rank_names_what_entered_the_list_the_list_and_the_rank():
    """Not a run of the neighbouring words (`3家企业入选全国冷链物流排名` before issue 19)."""
    from zzdata.extract.rank_labels import list_label

    assert list_label("3家企业入选全国冷链物流", "百强") == "企业全国冷链物流百强"
    assert list_label("、荣膺全球营商环境友好城市", "100强") == "全球营商环境友好城市100强"
    assert list_label("空气质量综合指数连续三年稳定退出全国后", "20位") == "空气质量综合指数全国后20位"
    assert list_label("巩义、中牟登榜中国县域经济发展", "100强") == "中国县域经济发展100强"
    assert list_label("县域经济综合实力居全省", "10强") is None  # no verb of entering a list
