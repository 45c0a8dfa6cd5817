"""`zzdata add FILE …`: from a downloaded report (text, web page, PDF or Word file) to a copy in
data/raw/ and a row of the manifest.

The file is read as the build will read it; the manifest row is inferred from the text's own
cues and the gazetteer, each field with where it came from:

- region and level: the congress line (``……在金水区第十五届人民代表大会第四次会议上``), the
  speaker's office (``郑州市人民政府``), the title, in that order, through the gazetteer
  (data/regions.csv);
- doc_type: a congress line or ``政府工作报告`` in the title make a work report; ``回顾``,
  ``综述``, ``盘点`` a year-end review;
- delivered: the date printed with the congress line (``——2024年2月27日``, or in Chinese
  numerals ``二〇二四年二月三日``), else the page's or the file's own date;
- review_year: a heading such as ``一、2023年工作回顾``, else for a work report the year before
  it was delivered, for a review the year it was published; for a news story the year before when
  delivered January-March, else its own year, unless the text names other years only (then it asks);
- target_year: for a work report, a heading such as ``二、2024年工作安排``, else the year delivered;
- title: the page's or the file's title, else the first line.

Nothing is written until the row is confirmed (``--yes``, or ``y`` at the prompt on a terminal);
a field that cannot be inferred and was not given, a scan without a text layer, a file whose
bytes are already in data/raw/, or a format that cannot be read refuse the file and change nothing.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..core import catalog, paths
from ..core.errors import InputError
from ..core.numerals import cn_number
from ..core.vocab import DOC_TYPES, REGION_LEVELS
from .manifest import MANIFEST, REQUIRED_COLUMNS, append_rows, raw_files, read_manifest
from .readers import read_raw

#: The fields `add` infers, in the manifest's order, and the flag that gives each by hand.
FLAGS = {"region": "--region", "region_level": "--region-level", "doc_type": "--doc-type",
         "delivered": "--delivered", "review_year": "--review-year", "target_year": "--target-year",
         "title": "--title", "publisher": "--publisher", "url": "--url"}
HEAD_LINES = 40  # the congress line, the speaker and the date stand at the top of a report

_CONGRESS = re.compile(r"在(?P<where>[^，。,\s]{2,24}?)第[一二三四五六七八九十]+届人民代表大会")
_OFFICE = re.compile(r"(?P<where>[^，。,\s]{2,16}?)人民政府")
_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_CN_DATE = re.compile(r"(?P<y>[〇○零Ｏ一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月"
                      r"(?P<d>[一二三四五六七八九十]{1,3})日")
_REVIEW_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|#+\s*)?(?:(?P<y>\d{4})年|过去(?:的)?一年)"
                             r".{0,6}?(?:工作)?(?:回顾|总结)", re.M)
_PLAN_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|#+\s*)?(?P<y>\d{4})年.{0,8}?"
                           r"(?:工作安排|工作任务|总体要求|主要预期目标|重点工作|工作建议)", re.M)
_WORK_REPORT = re.compile(r"政府工作报告|向大会报告(?:政府)?工作")
_REVIEW = re.compile(r"回顾|综述|盘点|年终|成绩单")


@dataclass
class Field:
    value: str
    source: str


@dataclass
class Proposal:
    """A file and the manifest row proposed for it, each field with where it came from."""

    path: Path
    fields: dict[str, Field] = field(default_factory=dict)

    def row(self) -> dict[str, str]:
        return {"file": self.path.name, **{k: f.value for k, f in self.fields.items()}}

    def missing(self) -> list[str]:
        required = ("region", "region_level", "doc_type", "delivered")
        out = [k for k in required if not self.fields.get(k) or not self.fields[k].value]
        if not (self.fields.get("review_year") and self.fields["review_year"].value) and not (
                self.fields.get("target_year") and self.fields["target_year"].value):
            out.append("review_year")
        return out

    def describe(self) -> str:
        width = max(len(k) for k in REQUIRED_COLUMNS)
        lines = [f"{'file':<{width}}  {self.path.name}"]
        for key in REQUIRED_COLUMNS[1:]:
            f = self.fields.get(key)
            value, source = (f.value, f.source) if f else ("", "")
            lines.append(f"{key:<{width}}  {value or '(empty)'}" + (f"    ← {source}" if source else ""))
        return "\n".join(lines)


#: A story delivered in these months looks back on the year before, as a work report does.
LOOK_BACK_MONTHS = range(1, 4)
_YEAR_NAMED = re.compile(r"(\d{4})年(?!以来|以前|前|起)")


def years_named(text: str, delivered_year: int) -> set[int]:
    """The years a text names for its figures: `2024年`, and `今年`, `去年`, `上年`, `明年` read against
    the year it was delivered (cues.csv kinds year_this, year_last, year_next); a year right after a
    comparison word (kind comparison: `比2023年`, `高于去年`) is what is compared with and not counted."""
    cues = catalog.cues()
    compared = cues.get("comparison", ())
    found = {int(m.group(1)) for m in _YEAR_NAMED.finditer(text) if not text.endswith(compared, 0, m.start())}
    for kind, offset in (("year_this", 0), ("year_last", -1), ("year_next", 1)):
        for word in cues.get(kind, ()):
            at = text.find(word)
            while at >= 0:
                if not text.endswith(compared, 0, at):
                    found.add(delivered_year + offset)
                at = text.find(word, at + 1)
    return {y for y in found if 1949 < y <= delivered_year + 1}


def news_review_year(text: str, delivered: str) -> Field:
    """The year a news story reports on, from its date and its text: delivered January to March, the
    year before (as a work report), else its own year; kept when the text names that year or none.
    When the text names other years only, the value is left empty and the source says why (`add`
    then asks for --review-year)."""
    year, month = int(delivered[:4]), int(delivered[5:7]) if delivered[5:7].isdigit() else 0
    by_date = year - 1 if month in LOOK_BACK_MONTHS else year
    named = years_named(text, year)
    why = ("delivered in January-March, it looks back on the year before" if month in LOOK_BACK_MONTHS
           else "it reports on the year it is delivered in")
    if not named or by_date in named:
        return Field(str(by_date), f"the date ({delivered}: {why})" + (", and the text names it" if named else ""))
    others = "、".join(str(y) for y in sorted(named))
    return Field("", f"the date says {by_date} but the text names {others}")


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _quote(text: str, m: re.Match) -> str:
    line = text[text.rfind("\n", 0, m.start()) + 1 : (text.find("\n", m.end()) + 1 or len(text) + 1) - 1]
    return f"line {_line_of(text, m.start())}: {line.strip()[:50]}"


def infer_region(text: str, title: str) -> tuple[str, str] | None:
    """(region, where it was read) from the congress line, the speaker's office or the title."""
    head = "\n".join(text.splitlines()[:HEAD_LINES])
    for pattern, what in ((_CONGRESS, "the congress line"), (_OFFICE, "the speaker's office")):
        for m in pattern.finditer(head):
            region = catalog.find_region(m.group("where"))
            if region:
                return region, f"{what} ({_quote(head, m)})"
    region = catalog.find_region(title) if title else None
    if region:
        return region, f"the title ({title[:50]})"
    return None


def infer_delivered(text: str) -> tuple[str, str] | None:
    """(YYYY-MM-DD, where) from the first date printed at the top of the text (the date the report
    was delivered stands by the congress line, after a dash)."""
    head = "\n".join(text.splitlines()[:HEAD_LINES])
    found = []
    for m in _DATE.finditer(head):
        found.append((m.start(), int(m["y"]), int(m["m"]), int(m["d"]), m))
    for m in _CN_DATE.finditer(head):
        found.append((m.start(), cn_number(m["y"], digits=True), cn_number(m["m"]), cn_number(m["d"]), m))
    for start, y, mo, d, m in sorted(found, key=lambda x: x[0]):
        around = head[max(0, start - 3) : m.end() + 30]
        if "——" in around or "人民代表大会" in around or "会议" in around:
            return f"{y:04d}-{mo:02d}-{d:02d}", f"the date with the congress line ({_quote(head, m)})"
    return None


def propose(path: Path, given: dict[str, str] | None = None) -> Proposal:
    """Read `path` as the build will and propose its manifest row (`given` fields win)."""
    given = {k: v for k, v in (given or {}).items() if v not in (None, "")}
    decoded = read_raw(path)  # refuses what cannot be read, scans included
    text = decoded.text
    meta = _metadata(path, decoded.format)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    p = Proposal(Path(path))
    f = p.fields

    title = meta.get("title", "")
    f["title"] = Field(title, f"the {decoded.format} file's own title") if title else Field(first_line[:120], "the first line")
    region = infer_region(text, f["title"].value)
    if region:
        f["region"] = Field(*region)
    if "region" in given:
        f["region"] = Field(given["region"], "given")
    known = catalog.regions()
    if "region" in f and f["region"].value in known:
        f["region_level"] = Field(known[f["region"].value].level, "the gazetteer (zzdata/data/regions.csv)")
    if "region_level" in given:
        f["region_level"] = Field(given["region_level"], "given")

    head = "\n".join(text.splitlines()[:HEAD_LINES])
    if _CONGRESS.search(head) or _WORK_REPORT.search(f["title"].value):
        f["doc_type"] = Field("work_report", "a congress line or 政府工作报告 in the title")
    elif _REVIEW.search(f["title"].value):
        f["doc_type"] = Field("year_review", "回顾/综述/盘点 in the title")

    delivered = infer_delivered(text)
    if delivered:
        f["delivered"] = Field(*delivered)
    elif meta.get("date"):
        f["delivered"] = Field(meta["date"], f"the {decoded.format} file's own date (publication, not delivery)")
    for key in ("doc_type", "delivered"):
        if key in given:
            f[key] = Field(given[key], "given")

    doc_type = f["doc_type"].value if "doc_type" in f else ""
    year = int(f["delivered"].value[:4]) if "delivered" in f and f["delivered"].value[:4].isdigit() else None
    m = _REVIEW_HEADING.search(text)
    if m and m["y"]:
        f["review_year"] = Field(m["y"], f"the review heading ({_quote(text, m)})")
    elif doc_type == "work_report" and year:
        f["review_year"] = Field(str(year - 1), "a work report reviews the year before it is delivered")
    elif doc_type == "year_review" and year:
        f["review_year"] = Field(str(year), "a year-end review reviews the year it is published in")
    elif doc_type == "news" and "delivered" in f:
        f["review_year"] = news_review_year(text, f["delivered"].value)
    if doc_type == "work_report":
        m = _PLAN_HEADING.search(text)
        if m:
            f["target_year"] = Field(m["y"], f"the plan heading ({_quote(text, m)})")
        elif year:
            f["target_year"] = Field(str(year), "a work report sets the goals of the year it is delivered in")
    if meta.get("url"):
        f["url"] = Field(meta["url"], "the page's own address")
    if meta.get("sitename"):
        f["publisher"] = Field(meta["sitename"], "the page's site name")
    for key in ("review_year", "target_year", "title", "publisher", "url"):
        if key in given:
            f[key] = Field(given[key], "given")
    return p


def _metadata(path: Path, fmt: str) -> dict[str, str]:
    data = Path(path).read_bytes()
    if fmt == "html":
        from .web import page_metadata

        return page_metadata(data, path.name)
    if fmt == "pdf":
        from .pdf import pdf_metadata

        return pdf_metadata(data, path.name)
    if fmt == "docx":
        from .word import docx_metadata

        return docx_metadata(data, path.name)
    return {}


def _same_bytes(path: Path, raw_dir: Path) -> str | None:
    """The file in raw_dir with exactly these bytes, if any."""
    digest = hashlib.sha256(Path(path).read_bytes()).digest()
    size = Path(path).stat().st_size
    for name in raw_files(raw_dir):
        other = raw_dir / name
        if other.stat().st_size == size and hashlib.sha256(other.read_bytes()).digest() == digest:
            return name
    return None


def check(proposal: Proposal, raw_dir: Path) -> list[str]:
    """What stops the row from being added, one line each with what to do."""
    name = proposal.path.name
    problems = []
    for key in proposal.missing():
        flag = FLAGS[key]
        what = "the year whose results it reports (or --target-year)" if key == "review_year" else key
        field = proposal.fields.get(key)
        why = f" ({field.source})" if field is not None and field.source else ""
        problems.append(f"{name}: could not tell {what} from the text{why}; give it with {flag}")
    level = proposal.fields.get("region_level")
    if level and level.value and level.value not in REGION_LEVELS:
        problems.append(f"{name}: region_level {level.value!r} is not one of {', '.join(REGION_LEVELS)}; fix --region-level")
    dt = proposal.fields.get("doc_type")
    if dt and dt.value and dt.value not in DOC_TYPES:
        problems.append(f"{name}: doc_type {dt.value!r} is not one of {', '.join(DOC_TYPES)}; fix --doc-type")
    if (raw_dir / name).exists():
        problems.append(f"{name}: a file of this name is already in {raw_dir}; rename the new file (the raw "
                        "files are never overwritten)")
    elif same := _same_bytes(proposal.path, raw_dir):
        problems.append(f"{name}: its bytes are already in {raw_dir} as {same}; nothing to add")
    return problems


def add(files: list[Path], given: dict[str, str] | None = None, yes: bool = False, raw_dir: Path | None = None,
        ask=input, say=print) -> int:
    """Propose, confirm and add each file; returns the number of files that could not be added."""
    raw_dir = Path(raw_dir or paths.raw_dir())
    failed = 0
    for path in map(Path, files):
        try:
            if not path.is_file():
                raise InputError(f"{path}: no such file")
            proposal = propose(path, given)
        except InputError as err:
            say(f"refused: {err}")
            failed += 1
            continue
        say(f"\n{path.name} → {raw_dir}/{MANIFEST}:\n{proposal.describe()}")
        problems = check(proposal, raw_dir)
        if problems:
            say("refused, nothing changed:\n  " + "\n  ".join(problems))
            failed += 1
            continue
        if not yes:
            if not sys.stdin.isatty():
                say("not added: rerun with --yes to add this row (or correct a field with its flag)")
                failed += 1
                continue
            if ask("Add this file and row? [y/N] ").strip().lower() not in ("y", "yes"):
                say("not added")
                continue
        shutil.copyfile(path, raw_dir / path.name)  # byte for byte: the raw data is never rewritten
        append_rows(raw_dir, [proposal.row()])
        try:
            read_manifest(raw_dir)
        except InputError as err:  # the row breaks the manifest: undo both, change nothing
            _undo(raw_dir, path.name)
            say(f"refused, nothing changed:\n{err}")
            failed += 1
            continue
        say(f"added {path.name}; run `make data` to build it")
    return failed


def _undo(raw_dir: Path, name: str) -> None:
    manifest = raw_dir / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(lines[:-1]), encoding="utf-8")
    (raw_dir / name).unlink(missing_ok=True)
