"""Claims: the one-pass reading gives what reading clause by clause gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zzdata.extract.claims import _claim_re, _claims_by_clause, _claims_in_clauses, extract_claims
from zzdata.extract.clean import clean
from zzdata.extract.segment import segment

PIECES = [
    "两位数", "翻番", "前列", "首位", "第一方阵", "全国第一", "全国领先", "领先", "第二位", "第三", "10强", "100 强",
    "5\n强", "强", "百强", "千亿级", "“零”的突破", "历史性突破", "全覆盖", "，", "。", "\n", "\n\n", " ", "●",
    "一、", "1", "23", "全", "国", "第", "百", "千", "增长", "位",
]


def by_clause(raw: str) -> list[tuple]:
    """Claims read clause by clause (the reference)."""
    text = clean(raw).text
    claims = _claim_re()
    return [(c, m.span(), m.group()) for c, m in _claims_by_clause(text, segment(text)[1], claims)]


def one_pass(raw: str) -> list[tuple]:
    """Claims read in one pass over the text, as extract_claims reads them."""
    text = clean(raw).text
    claims = _claim_re()
    return [(c, m.span(), m.group()) for c, m in _claims_in_clauses(text, segment(text)[1], claims)]


@pytest.mark.parametrize("raw", ["进入全国10\n强", "全国第一，全省第一。", "5 \n 强", "百\n强", "居全国前列", ""])
def test_one_pass_reads_as_clause_by_clause(raw):
    assert one_pass(raw) == by_clause(raw)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_one_pass_reads_as_clause_by_clause_random(pieces):
    raw = "".join(pieces)
    assert one_pass(raw) == by_clause(raw)


def test_kind_is_the_first_row_reading_the_word():
    """The kind comes from the group that matched; it must be the first row that reads the whole word."""
    import csv
    from importlib import resources

    with resources.files("zzdata").joinpath("data/claims.csv").open(encoding="utf-8") as fh:
        rows = [(re.compile(r["pattern"]), r["kind"]) for r in csv.DictReader(fh)]
    raw = "".join(PIECES) + "第一方阵全国领先千亿百万大关前百家零突破历史最好历史新高倍增"
    found = extract_claims("d", raw)
    assert found
    for claim in found:
        assert claim["kind"] == next(k for p, k in rows if p.fullmatch(claim["claim"]))
