"""The manifest contract: every problem is one clear line, the build stops, outputs stay as they were."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, edit_manifest, hash_tree
from zzdata.ingest.manifest import ManifestError, read_manifest


def _problems(raw: Path) -> list[str]:
    with pytest.raises(ManifestError) as err:
        read_manifest(raw)
    return err.value.problems


def test_the_shipped_manifest_is_valid(raw_copy):
    sources = read_manifest(raw_copy)
    assert len(sources) == len(list(raw_copy.glob("*.txt")))
    assert {s.region for s in sources} >= {"郑州市", "中原区"}


def test_file_without_row(raw_copy):
    (raw_copy / "new_report.txt").write_text("新增城镇就业3万人。", encoding="utf-8")
    [line] = _problems(raw_copy)
    assert "new_report.txt" in line and "no row" in line and "add a row" in line


def test_row_without_file(raw_copy):
    edit_manifest(raw_copy, lambda ls: ls + ["missing.txt,郑州市,city,work_report,2024-01-01,2023,2024,t,p,"])
    [line] = _problems(raw_copy)
    assert "missing.txt" in line and "line 7" in line and "no such file" in line


def test_duplicate_row(raw_copy):
    edit_manifest(raw_copy, lambda ls: ls + [ls[1]])
    [line] = _problems(raw_copy)
    assert "duplicate" in line and "line 7" in line and "line 2" in line


@pytest.mark.parametrize(
    "column, bad, words",
    [
        (2, "province", "region_level 'province' is not one of city, district, county"),
        (3, "speech", "doc_type 'speech' is not one of work_report, year_review, news"),
        (4, "2024/02/03", "delivered '2024/02/03' is not a date"),
        (4, "2024-13-01", "is not a date"),
        (5, "24", "review_year '24' is not a year"),
    ],
)
def test_bad_values(raw_copy, column, bad, words):
    def edit(lines):
        cells = lines[2].split(",")
        cells[column] = bad
        lines[2] = ",".join(cells)
        return lines

    edit_manifest(raw_copy, edit)
    [line] = _problems(raw_copy)
    assert words in line and "line 3" in line


def test_all_problems_at_once(raw_copy):
    def edit(lines):
        a = lines[1].split(",")
        a[2] = "province"
        b = lines[2].split(",")
        b[4] = "soon"
        lines[1], lines[2] = ",".join(a), ",".join(b)
        return lines

    edit_manifest(raw_copy, edit)
    assert len(_problems(raw_copy)) == 2


def test_missing_column(raw_copy):
    edit_manifest(raw_copy, lambda ls: [ls[0].replace(",publisher", "")] + [",".join(l.split(",")[:8] + l.split(",")[9:]) for l in ls[1:]])
    [line] = _problems(raw_copy)
    assert "publisher" in line and "header" in line


def test_cli_stops_and_leaves_outputs_untouched(raw_copy, tmp_path):
    out = tmp_path / "processed"
    env_cmd = [sys.executable, "-m", "zzdata", "build", "--raw", str(raw_copy), "--out", str(out), "--quiet"]
    assert subprocess.run(env_cmd, cwd=ROOT).returncode == 0
    before = hash_tree(out)
    edit_manifest(raw_copy, lambda ls: ls + [ls[1]])
    (raw_copy / "orphan.txt").write_text("新增城镇就业3万人。", encoding="utf-8")
    raw_before = hash_tree(raw_copy)
    run = subprocess.run(env_cmd, cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    errors = [l for l in run.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 2, run.stderr
    assert any("duplicate" in e for e in errors) and any("orphan.txt" in e for e in errors)
    assert hash_tree(out) == before
    assert hash_tree(raw_copy) == raw_before, "the build must never write into the raw folder"
