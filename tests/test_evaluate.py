"""The extraction measured against the hand-checked gold set (tests/gold): the floors of the
extraction-quality issue, and the hard cases, each on the real texts."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import GOLD, PROJECT_RAW, RAW
from zzdata.validate.evaluate import FLOORS, evaluate, load_gold, report_markdown
from zzdata.ingest.readers import raw_text

TARGETS_2024 = "zhengzhou_2024-02-03_work-report_2024-targets.txt"
REPORT_2023 = "zhengzhou_2023-01-04_work-report_2022-and-2018-2022.txt"


@pytest.fixture(scope="module")
def evaluation(facts):
    return evaluate(facts, load_gold(GOLD))


def test_gold_names_shipped_texts():
    """Every gold file reads a text the project ships (gold is optional for texts a researcher adds)."""
    gold = load_gold(GOLD)
    assert set(gold["doc"]) == {p.name for p in RAW.glob("*.txt")}
    assert all((PROJECT_RAW / doc).is_file() for doc in set(gold["doc"]))


def test_floors(evaluation):
    total = evaluation.table.set_index("doc").loc["TOTAL"]
    failed = {k: round(total[k], 3) for k, v in FLOORS.items() if total[k] < v}
    assert not failed, report_markdown(evaluation)


def test_every_text_is_read_well(evaluation):
    per_doc = evaluation.table[evaluation.table["doc"] != "TOTAL"]
    assert (per_doc["recall"] >= 0.95).all() and (per_doc["precision"] >= 0.95).all(), per_doc.to_string()


def test_main_targets_of_2024_are_catalog_targets(facts):
    """Every figure of the 主要预期目标 paragraph: status target, a catalog indicator."""
    text = raw_text(RAW / TARGETS_2024)
    start = text.index("主要预期目标")
    end = text.index("。", start)
    main = facts[(facts["doc"] == TARGETS_2024) & (facts["start"] > start) & (facts["end"] <= end)]
    gold = load_gold(GOLD)
    expected = gold[(gold["doc"] == TARGETS_2024) & gold["context"].map(lambda c: c in text[start:end].replace(" ", ""))]
    assert len(main) == len(expected) >= 9  # nine numeric targets; three are worded without a number
    assert (main["status"] == "target").all()
    assert (main["indicator"] != "").all(), main[["value_text", "label"]]


def test_2023_report_splits_five_years_from_2022(facts):
    """The titles were printed at the end; the 关键词 sections start the 2022 review."""
    f = facts[facts["doc"] == REPORT_2023].sort_values("start")
    text = raw_text(RAW / REPORT_2023)
    cut = text.index("关键词：稳经济增长")
    five, y2022 = f[f["start"] < cut], f[f["start"] > cut]
    # `近三年…首位`, `连续三年…退出全国后20位`, `连续三年…40强` name the last three years of the five.
    assert len(five) > 20 and (five["period"] == "2018-2022").sum() > 40
    assert five["period"].isin(["2018-2022", "2020-2022"]).all()
    assert (y2022["period"].isin(["2022", "2020-2022"])).all()
    assert (five.loc[five["measure"] == "level", "status"] == "cumulative").all()


def test_clause_with_level_and_growth(facts):
    gdp = facts[(facts["indicator"] == "gdp") & (facts["region"] == "郑州市") & (facts["year"] == 2024)
                & (facts["status"] == "actual") & facts["snippet"].str.contains("增长")]
    assert set(gdp["measure"]) >= {"level", "growth"}


def test_respectively_pairs_each_number_with_its_item(facts):
    rows = facts[facts["snippet"].str.contains("分别达到") & facts["unit"].isin(["辆", "台"])]
    labels = dict(zip(rows["unit"], rows["label"]))
    assert "汽车" in labels["辆"] and "家电" in labels["台"]


def test_claims_are_not_values(built, facts):
    from zzdata.tables.load import load_claims

    claims = load_claims(built)
    assert {"两位数", "前列", "千亿级"} <= set(claims["claim"])
    assert not facts["value_text"].str.contains("两位数|翻番|前列|千亿级").any()
    # A word that carries a number is a fact and no claim: 首位, 全国第一, 20强 (ranks), 超千亿元 (a threshold).
    assert not set(claims["claim"]) & {"首位", "全国第一", "中部第一", "20强", "百强", "千亿"}
    over = facts[facts["value_text"] == "千亿元"]
    assert len(over) == 1 and over["threshold"].all() and (over["qualifier"] == "over").all()


def test_catalog_links_indicators_across_texts(built):
    """Per theme, at least five indicators with values for two or more years or statuses; at
    least eight indicators with 2024 values for both 中原区 and 郑州市."""
    from zzdata.tables.load import load_series

    s = load_series(built)
    city = s[s["region"] == "郑州市"]
    points = city.groupby(["theme", "indicator"])[["year", "status"]].apply(lambda d: len(d.drop_duplicates()))
    linked = points[points >= 2].reset_index().groupby("theme").size()
    for theme in ("economy", "livelihoods", "environment", "housing"):
        assert linked.get(theme, 0) >= 5, (theme, linked.to_dict())
    y = s[s["year"] == 2024]
    both = set(y.loc[y["region"] == "中原区", "indicator"]) & set(y.loc[y["region"] == "郑州市", "indicator"])
    assert len(both) >= 8, both


def test_texts_without_gold_are_named_not_failed(facts):
    """A text a researcher adds has no gold: evaluate names it and measures the rest."""
    from zzdata.validate.evaluate import without_gold

    gold = load_gold(GOLD)
    extra = facts.head(3).assign(doc="added_by_a_researcher.txt")
    assert without_gold(pd.concat([facts, extra]), gold) == ["added_by_a_researcher.txt"]
    assert without_gold(facts, gold) == []
