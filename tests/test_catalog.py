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
            "year_this", "year_last", "year_next",  # extract/timing.py
            "threshold", "threshold_after", "amount_lead",  # extract/numbers.py, numerals.py
            "numeral_name_before", "numeral_name_after", "numeral_ordinal_unit",  # extract/numerals.py
            "rank_verb", "rank_scope", "rank_list_verb"}  # extract/ranks.py
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
