"""The catalog's coverage of county, district and zone reports of 2005-2025 (issue 19, part 3): older
names of fiscal revenue, tourism, the service sector's share, air cargo, the non-public economy, project
counts, tax and fee cuts. Each fact of tests/fixtures/catalog/ (numbers invented, expected facts read
by hand before the catalog was extended) is filed under the indicator written there."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import (FIXTURES, assert_every_quantity, assert_read_as_by_hand, copy_fixture_set, expected_params,
                      extract_raw, read_csv_rows)

CATALOG = FIXTURES / "catalog"
EXPECTED = read_csv_rows(CATALOG / "expected.csv")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, list[dict]]:
    raw: Path = copy_fixture_set(CATALOG, tmp_path_factory.mktemp("catalog") / "raw")
    return extract_raw(raw)


@pytest.mark.parametrize("row, k", expected_params(EXPECTED))
def test_fact_filed_as_by_hand(extracted, row, k):
    assert_read_as_by_hand(extracted, row, k, ("unit", "measure", "status", "period", "region", "indicator",
                                               "qualifier", "threshold", "label"))


@pytest.mark.parametrize("doc", sorted({r["doc"] for r in EXPECTED}))
def test_every_printed_quantity_and_nothing_else(extracted, doc):
    assert_every_quantity(extracted, EXPECTED, doc)


def test_older_fiscal_revenue_breaks_to_the_general_budget_revenue():
    from zzdata.core import catalog

    assert catalog.successor("local_general_budget_revenue") == "general_budget_revenue"
    assert catalog.break_between("fiscal_revenue", 2014, 2015)
    assert catalog.break_between("local_general_budget_revenue", 2014, 2015) is None  # the break is the successor's
    assert catalog.break_between("general_budget_revenue", 2014, 2015)
