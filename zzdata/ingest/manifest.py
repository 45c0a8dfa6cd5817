"""The sources manifest `data/raw/sources.csv`: read it, check it against the raw files.

The manifest is the contract that lets anyone add a report by adding a file and a row. Every
problem is reported at once, one line each, naming the file, the row and what to do.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..core import catalog, paths, schema
from ..core.vocab import DOC_TYPES, REGION_LEVELS
from ..core.errors import InputError, ProblemsError
from .decode import decode

MANIFEST = "sources.csv"
#: The researcher's hand corrections beside the manifest (zzdata/correct): not a report.
CORRECTIONS = "corrections.csv"
REQUIRED_COLUMNS = schema.columns("sources")  # data/columns.csv
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_YEAR = re.compile(r"^\d{4}$")
TEXT_SUFFIXES = (".txt", ".md")


class ManifestError(ProblemsError):
    """One or more problems with the manifest; `problems` holds one line each."""


@dataclass(frozen=True)
class Source:
    """One row of the manifest, checked."""

    file: str
    region: str
    region_level: str
    doc_type: str
    delivered: str
    review_year: int | None
    target_year: int | None
    title: str
    publisher: str
    url: str
    extra: tuple[tuple[str, str], ...] = ()


def _valid_date(value: str) -> bool:
    """YYYY-MM-DD (a real calendar day) or YYYY-MM."""
    m = _DATE.match(value)
    if not m:
        return False
    try:
        datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return False
    return True


def _region_problems(at: str, region: str, level: str) -> list[str]:
    """The manifest's region must be the gazetteer's official name, at the gazetteer's level, so
    that a district's figures are compared with the city's (zzdata/data/regions.csv)."""
    regions = catalog.regions()
    if region in regions:
        expected = regions[region].level
        if level != expected:
            return [f"{at}: region_level {level!r} does not fit {region}, which the gazetteer "
                    f"(zzdata/data/regions.csv) lists as {expected!r}"]
        return []
    official = catalog.find_region(region)
    if official and any(region == a for a in regions[official].aliases):
        return [f"{at}: region {region!r} is a short name; write the gazetteer's name {official}"]
    return []  # a region the gazetteer does not know yet: accepted as written


def _example_regions() -> str:
    """Two names of the gazetteer for an error message: its city and its first district."""
    by_level = {}
    for region in catalog.regions().values():
        by_level.setdefault(region.level, region.name)
    return " or ".join(by_level[level] for level in REGION_LEVELS[:2] if level in by_level)


def folder_name(raw_dir: Path) -> str:
    """How messages name the raw folder: `data/raw/` for the project's own, else its path."""
    try:
        if Path(raw_dir).resolve() == paths.raw_dir().resolve():
            return "data/raw/"
    except OSError:
        pass
    return f"{raw_dir}/"


def raw_files(raw_dir: Path) -> list[str]:
    """The report texts in the raw folder (everything but the manifest, the corrections and hidden
    files)."""
    return sorted(
        p.name for p in Path(raw_dir).iterdir()
        if p.is_file() and p.name not in (MANIFEST, CORRECTIONS) and not p.name.startswith(".") and p.name.lower() != "readme.md"
    )


def read_manifest(raw_dir: Path) -> list[Source]:
    """Read and check `sources.csv` against the files in `raw_dir`; raise ManifestError."""
    raw_dir = Path(raw_dir)
    path = raw_dir / MANIFEST
    folder = folder_name(raw_dir)
    where = f"{folder}{MANIFEST}"
    if not path.exists():
        raise ManifestError([f"{where}: missing; create it with the columns {', '.join(REQUIRED_COLUMNS)}"])
    try:
        text = decode(path.read_bytes(), where).text
    except InputError as err:
        raise ManifestError([str(err)]) from None
    try:
        dialect_ok = "," in text.splitlines()[0]
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except (csv.Error, IndexError) as err:
        raise ManifestError([f"{where}: not a readable CSV file ({err}); save it as comma-separated UTF-8"]) from None
    if not rows or not dialect_ok:
        raise ManifestError([f"{where}: not a comma-separated table; its first line must be the header "
                             f"{','.join(REQUIRED_COLUMNS)}"])
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ManifestError([f"{where}: header lacks the column(s) {', '.join(missing)}; "
                             f"the first columns must be {','.join(REQUIRED_COLUMNS)}"])
    problems: list[str] = []
    sources: list[Source] = []
    seen: dict[str, int] = {}
    present = set(raw_files(raw_dir))
    for line_no, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(f"{where} line {line_no}: {len(values)} fields where the header has {len(header)}; "
                            "quote fields that contain commas")
            continue
        row = {h: v.strip() for h, v in zip(header, values)}
        name = row["file"]
        at = f"{where} line {line_no} ({name or 'no file'})"
        row_problems = []
        if not name:
            row_problems.append(f"{at}: the `file` column is empty; give the file name in {folder}")
        elif name in seen:
            row_problems.append(f"{at}: duplicate row for {name} (first on line {seen[name]}); keep one row per file")
        elif name not in present:
            row_problems.append(f"{at}: no such file in {folder}; copy the text there or fix the name")
        if name:
            seen.setdefault(name, line_no)
        if not row["region"]:
            row_problems.append(f"{at}: `region` is empty; give the Chinese name as in the gazetteer "
                                f"(zzdata/data/regions.csv), e.g. {_example_regions()}")
        if row["region_level"] not in REGION_LEVELS:
            row_problems.append(f"{at}: region_level {row['region_level']!r} is not one of {', '.join(REGION_LEVELS)}")
        elif row["region"]:
            row_problems.extend(_region_problems(at, row["region"], row["region_level"]))
        if row["doc_type"] not in DOC_TYPES:
            row_problems.append(f"{at}: doc_type {row['doc_type']!r} is not one of {', '.join(DOC_TYPES)}")
        if not _valid_date(row["delivered"]):
            row_problems.append(f"{at}: delivered {row['delivered']!r} is not a date; write YYYY-MM-DD, or YYYY-MM "
                                "when the day is not known")
        years = {}
        for col in ("review_year", "target_year"):
            value = row[col]
            if value and not _YEAR.match(value):
                row_problems.append(f"{at}: {col} {value!r} is not a year; write four digits (YYYY) or leave it empty")
            years[col] = int(value) if value and _YEAR.match(value) else None
        if not row_problems and not years["review_year"] and not years["target_year"]:
            row_problems.append(f"{at}: both review_year and target_year are empty; give the year the text reports on")
        problems.extend(row_problems)
        if not row_problems:
            extra = tuple((k, v) for k, v in row.items() if k not in REQUIRED_COLUMNS)
            sources.append(Source(name, row["region"], row["region_level"], row["doc_type"], row["delivered"],
                                  years["review_year"], years["target_year"], row["title"], row["publisher"],
                                  row["url"], extra))
    for name in sorted(present - set(seen)):
        problems.append(f"{folder}{name}: no row in {where}; add a row describing it (file,region,region_level,"
                        "doc_type,delivered,review_year,target_year,title,publisher,url)")
    if problems:
        raise ManifestError(problems)
    return sources


def append_rows(raw_dir: Path, rows: list[dict[str, object]]) -> None:
    """Append rows to `raw_dir`/sources.csv (created with its header when missing): the one place
    that writes the manifest. Each row maps the manifest's columns to values (missing ones empty);
    a key that is not a column is an error, so a typo never writes a silent empty field."""
    path = Path(raw_dir) / MANIFEST
    for row in rows:
        unknown = sorted(set(row) - set(REQUIRED_COLUMNS))
        if unknown:
            raise ValueError(f"not columns of {MANIFEST}: {', '.join(unknown)}; "
                             f"the columns are {', '.join(REQUIRED_COLUMNS)}")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if not path.exists() or not path.read_bytes().strip():
        writer.writerow(REQUIRED_COLUMNS)
    elif not path.read_bytes().endswith(b"\n"):
        buf.write("\n")
    for row in rows:
        writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in REQUIRED_COLUMNS])
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())
