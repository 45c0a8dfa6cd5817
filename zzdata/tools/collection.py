"""A synthetic collection of many reports, for `make bench`: copies of the texts in data/raw/
(byte for byte), each with its own manifest row, a region taken in turn from the gazetteer and
the years shifted, so the tables get many regions and years as a real collection would."""

from __future__ import annotations

from pathlib import Path

from ..core import catalog, paths
from ..ingest.manifest import MANIFEST, append_rows, read_manifest


def _shift_date(date: str, years: int) -> str:
    return f"{int(date[:4]) + years:04d}{date[4:]}" if date else date


def _shift_year(year: int | None, years: int) -> str:
    return str(year + years) if year else ""


def make_collection(raw_out: Path, n_docs: int, raw_in: Path | None = None) -> int:
    """Write `n_docs` texts and their sources.csv into `raw_out`; return the bytes of text written.

    Document i copies source text i mod 5, names region i-th of the gazetteer (in turn), and
    shifts the years by (i // 5) mod 10 - 5 (so 2017 … 2029 appear in the manifest).
    """
    raw_in = Path(raw_in or paths.raw_dir())
    raw_out = Path(raw_out)
    raw_out.mkdir(parents=True, exist_ok=True)
    sources = read_manifest(raw_in)
    texts = {s.file: (raw_in / s.file).read_bytes() for s in sources}
    regions = list(catalog.regions().values())
    rows = []
    total = 0
    for i in range(n_docs):
        src = sources[i % len(sources)]
        region = regions[i % len(regions)]
        shift = (i // len(sources)) % 10 - 5
        name = f"bench{i:05d}_{src.file}"
        (raw_out / name).write_bytes(texts[src.file])
        total += len(texts[src.file])
        rows.append({
            "file": name, "region": region.name, "region_level": region.level, "doc_type": src.doc_type,
            "delivered": _shift_date(src.delivered, shift), "review_year": _shift_year(src.review_year, shift),
            "target_year": _shift_year(src.target_year, shift), "title": src.title, "publisher": src.publisher,
            "url": src.url,
        })
    (raw_out / MANIFEST).unlink(missing_ok=True)
    append_rows(raw_out, rows)
    return total
