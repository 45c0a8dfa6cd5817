"""Golden facts, checked by hand against each source text: the figures a researcher is most
likely to chart, with their period, status and indicator."""

from __future__ import annotations

import pytest

R2024 = "zhengzhou_2025-01_work-report_2024-results.txt"
T2024 = "zhengzhou_2024-02-03_work-report_2024-targets.txt"
Y2024 = "zhengzhou_2024-12_year-review_2024.txt"
R2022 = "zhengzhou_2023-01-04_work-report_2022-and-2018-2022.txt"
ZY2024 = "zhongyuan_2025-02-14_work-report_2024-results.txt"

GOLDEN = [
    # doc, value_text, value, unit, indicator, measure, status, period, region, qualifier
    (R2024, "13.93万人", 139300, "人", "new_urban_jobs", "level", "actual", "2024", "郑州市", "none"),
    (R2024, "1.45万亿元", 1.45e12, "元", "gdp", "level", "actual", "2024", "郑州市", "over"),
    (R2024, "5.7%", 5.7, "%", "gdp", "growth", "actual", "2024", "郑州市", "none"),
    (R2024, "5000万平方米", 5e7, "平方米", "resettlement_housing", "level", "cumulative", "2022-2024", "郑州市", "none"),
    (R2024, "26.4%", -26.4, "%", "petitions", "growth", "actual", "2024", "郑州市", "none"),
    (R2024, "第15位", 15, "位", "", "rank", "actual", "2024", "郑州市", "none"),
    (T2024, "7%", 7, "%", "gdp", "growth", "target", "2024", "郑州市", "about"),
    (T2024, "5.5%", 5.5, "%", "surveyed_unemployment_rate", "share", "target", "2024", "郑州市", "about"),
    (T2024, "12.65万人", 126500, "人", "new_urban_jobs", "level", "target", "2024", "郑州市", "none"),
    (T2024, "4.8个", 4.8, "个", "childcare_places_per_1000", "level", "target", "2024", "郑州市", "none"),
    (Y2024, "13.1万人", 131000, "人", "new_urban_jobs", "level", "actual", "2024", "郑州市", "none"),
    (Y2024, "52.9万辆", 529000, "辆", "nev_output", "level", "actual", "2024-01..11", "郑州市", "none"),
    (Y2024, "225天", 225, "天", "good_air_days", "level", "actual", "2024-01-01..12-21", "郑州市", "none"),
    (Y2024, "1项", 1, "项", "", "level", "actual", "2023", "郑州市", "none"),
    (R2022, "79.1%", 79.1, "%", "urbanization_rate", "share", "actual", "2018-2022", "郑州市", "none"),
    (R2022, "1274.2万人", 12742000, "人", "resident_population", "level", "cumulative", "2018-2022", "郑州市", "none"),
    (R2022, "13.3万人", 133000, "人", "new_urban_jobs", "level", "actual", "2022", "郑州市", "none"),
    (R2022, "223天", 223, "天", "good_air_days", "level", "actual", "2022", "郑州市", "none"),
    (R2022, "5911亿元", 5.911e11, "元", "imports_exports", "level", "actual", "2022", "郑州市", "none"),
    (ZY2024, "931.8亿元", 9.318e10, "元", "gdp", "level", "actual", "2024", "中原区", "none"),
    (ZY2024, "237天", 237, "天", "good_air_days", "level", "actual", "2024", "中原区", "none"),
    (ZY2024, "20天", 20, "天", "good_air_days", "change", "actual", "2024", "中原区", "none"),
    (ZY2024, "2.3万人", 23000, "人", "new_urban_jobs", "level", "actual", "2024", "中原区", "none"),
    (ZY2024, "12.6%", -12.6, "%", "energy_intensity", "growth", "actual", "2024", "中原区", "none"),
]


@pytest.mark.parametrize("doc, value_text, value, unit, indicator, measure, status, period, region, qualifier", GOLDEN,
                         ids=[f"{g[0][:16]}:{g[1]}" for g in GOLDEN])
def test_golden_fact(facts, doc, value_text, value, unit, indicator, measure, status, period, region, qualifier):
    rows = facts[(facts["doc"] == doc) & (facts["value_text"] == value_text) & (facts["measure"] == measure)]
    assert len(rows) >= 1, f"{value_text} not extracted from {doc}"
    f = rows.iloc[0]
    assert f["value"] == pytest.approx(value)
    assert (f["unit"], f["indicator"], f["status"], f["period"], f["region"], f["qualifier"]) == (
        unit, indicator, status, period, region, qualifier)
    last_year = int(period[:4]) if ".." in period or "-" not in period else int(period[-4:])  # 2018-2022 -> 2022
    assert f["year"] == last_year
