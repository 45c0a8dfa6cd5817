"""The curated data files (zzdata/data/*.csv) are consistent, and the catalog lookups follow
their documented rules (the fast trie walks must give what a plain search over all words gives)."""

from __future__ import annotations

import csv
import random
from collections import Counter
from importlib import resources

import pytest

from zzdata.core import catalog, vocab
from zzdata.extract.quantities import units


def _csv(name: str) -> list[dict[str, str]]:
    with resources.files("zzdata").joinpath(f"data/{name}").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the data files -------------------------------------------------------------------------
def test_indicator_ids_are_unique_and_well_formed():
    ids = [r["id"] for r in _csv("indicators.csv")]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert all(i and i == i.strip() and " " not in i for i in ids)


def test_indicator_fields_use_known_values():
    unit_names = {u.unit for u in units().values()}
    for ind in catalog.indicators().values():
        assert ind.theme in vocab.THEMES, ind.id
        assert ind.measure in vocab.MEASURES, ind.id
        assert ind.unit in unit_names, f"{ind.id}: unit {ind.unit!r} is not in units.csv"
    assert {r["better"] for r in _csv("indicators.csv")} <= {"higher", "lower", ""}


def test_no_alias_names_two_indicators():
    owners: dict[str, list[str]] = {}
    for ind in catalog.indicators().values():
        for alias in ind.aliases:
            owners.setdefault(alias, []).append(ind.id)
    assert {a: ids for a, ids in owners.items() if len(ids) > 1} == {}


def test_theme_keywords_are_unique_and_themes_known():
    rows = _csv("theme_keywords.csv")
    assert [k for k, n in Counter(r["keyword"] for r in rows).items() if n > 1] == []
    assert {r["theme"] for r in rows} <= set(vocab.THEMES)


def test_cue_kinds_are_the_ones_the_code_reads():
    kinds = {r["kind"] for r in _csv("cues.csv")}
    used = {"target", "cumulative", "growth", "decline", "change", "preliminary", "within_year",
            "target_heading", "review_heading", "continuation", "verb_first",
            "subject_lead", "frame_after", "example_end",  # extract/framing.py
            "year_this", "year_last", "year_next", "since_before", "since_after", "review_since",  # extract/timing.py
            "threshold", "threshold_after", "amount_lead",  # extract/numbers.py, numerals.py
            "numeral_name_before", "numeral_name_after", "numeral_ordinal_unit",  # extract/numerals.py
            "rank_verb", "rank_scope", "rank_list_verb",  # extract/ranks.py
            "comparison",  # extract/timing.py, ingest/add.py
            "word_count_kept", "outline_after"}  # extract/numerals.py
    assert kinds == used


def test_regions_have_a_level_and_a_parent_in_the_gazetteer():
    regions = catalog.regions()
    for r in regions.values():
        assert r.level in {"city", "district", "county_city", "county", "zone"}, r
        assert r.parent == "河南省" or r.parent in regions, r


# --- the lookups against their plain definitions ------------------------------------------------
def _match_plain(span, unit=None, measure=None):
    """match_indicator by its definition: every alias ending within the window, last end first,
    then the longest; incompatible indicators passed over."""
    inds = catalog.indicators()
    owner: dict[str, str] = {}
    for ind in inds.values():
        for alias in ind.aliases:
            owner.setdefault(alias, ind.id)
    floor = max(0, len(span) - catalog.ALIAS_WINDOW)
    hits = []
    for alias, ind_id in owner.items():
        start = span.find(alias, floor)
        while start >= 0:
            hits.append((start + len(alias), len(alias), ind_id))
            start = span.find(alias, start + 1)
    for end, _, ind_id in sorted(hits, reverse=True):
        if unit is None or catalog.compatible(inds[ind_id], unit, measure or "level"):
            return ind_id, end
    return None


def _theme_plain(*texts):
    """theme_of by its definition: the keyword starting last, the longest of those."""
    for text in texts:
        best = None
        for keyword, theme in catalog.theme_keywords():
            start = text.rfind(keyword)
            if start >= 0 and (best is None or (start, len(keyword)) > best[0]):
                best = ((start, len(keyword)), theme)
        if best:
            return best[1]
    return "economy"


def _random_spans(n: int, seed: int) -> list[str]:
    """Spans glued from aliases, theme keywords and filler, so that words overlap and nest."""
    rng = random.Random(seed)
    words = [a for ind in catalog.indicators().values() for a in ind.aliases]
    words += [k for k, _ in catalog.theme_keywords()]
    filler = list("的和全市新增累计完成实现，、") + ["城镇", "总值", "收入", "率", "人均"]
    spans = []
    for _ in range(n):
        parts = [rng.choice(words) if rng.random() < 0.5 else rng.choice(filler) for _ in range(rng.randint(1, 9))]
        text = "".join(parts)
        if rng.random() < 0.5 and len(text) > 2:  # cut into a word
            text = text[rng.randint(0, len(text) // 2):]
        spans.append(text)
    return spans


@pytest.mark.parametrize("unit,measure", [(None, None), ("%", "share"), ("元", "level"), ("人", "level"),
                                          ("%", "growth"), ("个", "level")])
def test_match_indicator_follows_its_definition(unit, measure):
    for span in _random_spans(1500, seed=hash((unit, measure)) % 1000):
        assert catalog.match_indicator(span, unit, measure) == _match_plain(span, unit, measure), span


def test_match_indicator_prefers_the_last_then_the_longest_alias():
    assert catalog.match_indicator("地区生产总值") == ("gdp", 6)  # not 生产总值 (same end, shorter)
    assert catalog.match_indicator("人均地区生产总值")[0] == "gdp_per_capita"
    assert catalog.match_indicator("地区生产总值和城镇新增就业")[0] == "new_urban_jobs"
    assert catalog.match_indicator("没有指标的话") is None
    far = "地区生产总值" + "的" * catalog.ALIAS_WINDOW
    assert catalog.match_indicator(far) is None  # further than the window before the number


def test_theme_of_follows_its_definition():
    spans = _random_spans(3000, seed=11)
    for a, b in zip(spans, spans[1:]):
        assert catalog.theme_of(a, b) == _theme_plain(a, b), (a, b)
    assert catalog.theme_of("", "") == "economy"


# --- definitional breaks, plausible ranges, rank groups, contractions -----------------------------
def test_a_replaced_indicator_exists_and_the_break_has_a_year_and_a_note():
    inds = catalog.indicators()
    for ind in inds.values():
        if ind.replaces:
            assert ind.replaces in inds and ind.replaces != ind.id, ind.id
            assert ind.break_year and ind.break_note, f"{ind.id}: a replacement needs break_year and break_note"
            assert catalog.successor(ind.replaces) == ind.id
        if ind.break_year:
            assert 2000 <= ind.break_year <= 2030 and ind.break_note, ind.id


def test_breaks_the_issue_names_are_separate_linked_indicators():
    inds = catalog.indicators()
    assert inds["rural_disposable_income"].replaces == "rural_net_income"
    assert inds["general_budget_revenue"].replaces == "local_general_budget_revenue"
    assert catalog.match_indicator("农民人均纯收入")[0] == "rural_net_income"
    assert catalog.match_indicator("地方财政一般预算收入")[0] == "local_general_budget_revenue"
    assert catalog.match_indicator("一般公共预算收入")[0] == "general_budget_revenue"
    assert catalog.break_between("rural_disposable_income", 2012, 2014)
    assert catalog.break_between("rural_disposable_income", 2014, 2016) is None
    assert catalog.break_between("gdp", 2006, 2024) is None


@pytest.mark.parametrize("alias, indicator", [
    ("规上工业", "industrial_value_added"), ("社消零", "retail_sales"), ("固投", "fixed_asset_investment"),
    ("第三产业增加值", "tertiary_value_added"), ("服务业增加值", "tertiary_value_added"),
    ("金融机构本外币存款余额", "deposits_balance"), ("贷款余额", "loans_balance"), ("税收收入", "tax_revenue"),
    ("万元生产总值能耗", "energy_intensity"), ("城镇居民人均可支配收入", "urban_disposable_income"),
    ("空气质量好于二级天数", "good_air_days_api"), ("PM2.5平均浓度", "pm25"),
])
def test_names_of_other_years_and_short_forms(alias, indicator):
    assert catalog.match_indicator(alias)[0] == indicator


def test_plausible_ranges_are_ordered_and_in_the_indicators_unit():
    for r in _csv("indicators.csv"):
        lo, hi = (float(r[k]) if r[k] else None for k in ("min", "max"))
        if lo is not None and hi is not None:
            assert lo < hi, r["id"]
        if r["unit"] == "%" and r["measure"] == "share" and hi is not None:
            assert hi <= 110, r["id"]  # a share of a whole (gross enrolment may pass 100 a little)
        if r["max_ratio"]:
            assert float(r["max_ratio"]) > 1, r["id"]


def test_default_ranges_apply_where_the_catalog_gives_none():
    inds = catalog.indicators()
    assert catalog.plausible_range(inds["gdp"], "level", "元") == (1e9, 5e12)
    assert catalog.plausible_range(inds["gdp"], "growth", "%") == catalog.DEFAULT_GROWTH_RANGE
    assert catalog.plausible_range(inds["cpi"], "growth", "%") == (-5, 15)  # a price rise is its main measure
    assert catalog.plausible_range(inds["parks"], "level", "个") == (catalog.DEFAULT_LEVEL_MIN, None)
    assert catalog.plausible_range(inds["gdp"], "share", "%") == catalog.DEFAULT_SHARE_RANGE
    assert catalog.max_ratio(inds["parks"]) == catalog.DEFAULT_MAX_RATIO


def test_every_unit_of_the_catalog_has_an_english_name():
    english = {r["unit"] for r in _csv("units_en.csv")}
    assert {ind.unit for ind in catalog.indicators().values()} <= english


@pytest.mark.parametrize("printed, group", [
    ("六县", "全市六县(市)"), ("全市六县（市）", "全市六县(市)"), ("六个县(市)", "全市六县(市)"),
    ("九个国家中心城市", "九个国家中心城市"), ("国家中心城市", "九个国家中心城市"), ("全市八个城区", "全市城区"),
    ("全省", "全省"), ("全省105个县（市）", "全省县(市)"), ("全国同类开发区", "全国同类开发区"),
    ("市内六区", "全市城区"), ("六区", "全市城区"),  # 位居六区第1, 市内六区排名第一
])
def test_rank_groups_have_one_name(printed, group):
    assert catalog.rank_group(printed) == group


def test_rank_groups_and_contractions_are_well_formed():
    rows = _csv("rank_groups.csv")
    keys = [catalog._group_key(r["printed"]) for r in rows]
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert all(catalog.rank_group(r["group"]) == r["group"] for r in rows)  # a group's name names itself
    for printed, parts in catalog.contractions().items():
        assert len(parts) >= 2 and all(parts), printed


def test_the_checks_limits_and_lists_come_from_the_data():
    """make validate's gaps (check_limits.csv) and the indicators whose growth is stated at
    comparable prices (vocab.csv, list real_growth) are data, each id in the catalog."""
    from zzdata.core import catalog, vocab
    from zzdata.validate import checks

    assert set(vocab.values("real_growth")) <= set(catalog.indicators())
    assert checks.REAL_GROWTH == frozenset(vocab.values("real_growth"))
    assert 0 < checks.INFO_GAP < checks.GROWTH_GAP < checks.REAL_GROWTH_GAP == catalog.check_limit("real_growth_gap")
