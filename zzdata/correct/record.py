"""Record one correction: check it exactly as the build will, then append it to
data/raw/corrections.csv. The one way a correction is written: `python -m zzdata correct` and
the review server both call :func:`record`.

Checked: the fact exists in the built facts (or, for an added figure, the span lies in the
report's text and is read as no fact yet), the fields pass the same checks as a row of the file
(rows.check_row), the row contradicts and repeats no row already there (conflicts.py), and it
applies to the facts as the build's stage would (apply.apply). A refused row raises
CorrectionError with messages naming the closest valid values, and nothing is written. The
file is never rewritten: the new row is appended to its bytes in a temporary file that replaces
it (os.replace), under a lock on the raw folder, so another writer never loses a row.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..core import paths
from ..core.errors import InputError
from ..ingest.decode import decode
from ..ingest.manifest import CORRECTIONS, read_manifest
from ..ingest.readers import raw_text
from .apply import apply
from .checks import FIELDS, closest, printed
from .rows import APPLIED, COLUMNS, UTF8, CorrectionError, Row, parse, where_of


def record(fact_id: str | None = None, *, drop: bool = False, unfile: bool = False,
           add: tuple[str, int, int] | None = None,
           fields: Mapping[str, object] | None = None, note: str = "", raw_dir: Path | str | None = None,
           processed_dir: Path | str | None = None, facts: pd.DataFrame | None = None) -> dict[str, object]:
    """Check one correction and append it to `raw_dir`/corrections.csv; return the row written
    (the file's columns, as text) with its `line` in the file and `where` (how messages name the
    file: data/raw/corrections.csv).

    Exactly one of: `fact_id` with `drop=True` (not a figure), `fact_id` with `unfile=True` (a
    figure, but of no indicator of the catalog: it leaves the series and stays in the facts),
    `fact_id` with `fields` (set them: any of indicator, label, period, region, status, measure,
    qualifier, threshold, value, unit), or `add=(file, start, end)` with `fields` (a figure the build missed, by its span in
    zzdata.raw_text(file)). `note` says why (required). `facts`: the built facts (default: read
    from `processed_dir`/facts.parquet, data/processed by default). Raises CorrectionError (an
    InputError; `.problems`, one message each) and writes nothing when the row is refused."""
    raw = Path(raw_dir) if raw_dir else paths.raw_dir()
    where = where_of(raw)
    given = {str(k): "" if v is None else str(v).strip() for k, v in (fields or {}).items()}
    unknown = sorted(k for k in given if k not in FIELDS)
    if unknown:
        raise CorrectionError([f"not a field of a correction: {', '.join(unknown)}; the fields are {', '.join(FIELDS)}"])
    if given.get("indicator") == "" and (fields or {}).get("indicator") is not None:
        raise CorrectionError([f"{fact_id or 'the figure'}: an empty indicator sets nothing; to file the figure "
                               "under no indicator (it leaves the series, it stays in the facts) unfile it: "
                               "--unfile instead of --indicator"])
    given = {k: v for k, v in given.items() if v}
    if (fact_id is None) == (add is None):
        raise CorrectionError(["give either a fact's id (to drop, unfile or set its fields) or add=(file, start, end)"])
    if drop and unfile:
        raise CorrectionError([f"{fact_id}: give either --drop (not a figure) or --unfile (a figure of no indicator), "
                               "not both"])
    if fact_id is not None and (drop or unfile) == bool(given):
        said = "--drop" if drop else "--unfile" if unfile else "--drop, --unfile"
        raise CorrectionError([f"{fact_id}: give either {said} or the fields to set ({', '.join(FIELDS)}), not "
                               + ("both" if drop or unfile else "neither")])
    if add is not None and (drop or unfile):
        raise CorrectionError([f"an added figure cannot be {'dropped' if drop else 'unfiled'} in the same row; "
                               f"leave out --{'drop' if drop else 'unfile'}"])
    sources = read_manifest(raw)
    docs = _documents(sources)
    if facts is None:
        facts = _built_facts(Path(processed_dir) if processed_dir else paths.processed_dir())
    if fact_id is not None:
        fact = _fact(fact_id, facts)
        if unfile and (pd.isna(fact["indicator"]) or not str(fact["indicator"])):
            raise CorrectionError([f"{fact_id} ({fact['value_text']}) is filed under no indicator already; nothing "
                                   "to unfile"])
        values = {"file": fact["doc"], "start": str(int(fact["start"])), "end": str(int(fact["end"])),
                  "value_text": str(fact["value_text"]), "action": "drop" if drop else "unfile" if unfile else "set"}
        doc = str(fact["doc"])
    else:
        doc, start, end = str(add[0]), add[1], add[2]
        text = _span_text(doc, start, end, docs, raw)
        values = {"file": doc, "start": str(start), "end": str(end), "value_text": printed(text[start:end]),
                  "action": "add"}
        same = facts[(facts["doc"] == doc) & (facts["start"] == start) & (facts["end"] == end)]
        if len(same):
            raise CorrectionError([f"{doc} chars {start}-{end} are read as the fact {same['fact_id'].iloc[0]} "
                                   f"already; correct it with `python -m zzdata correct {same['fact_id'].iloc[0]} "
                                   "--<field> …`"])
    values.update({**given, "note": note.strip()})
    values = {c: values.get(c, "") for c in COLUMNS}
    path = raw / CORRECTIONS
    with _locked(raw):
        data = path.read_bytes() if path.is_file() else b""
        header, newline = _header(data, where)
        body = data if header else b""
        if body and not body.endswith((b"\n", b"\r")):
            body += newline.encode()
        line = _lines(body) + (1 if header else 2)
        added = _csv_line([values.get(h, "") for h in (header or COLUMNS)], newline)
        new = body + added if header else _csv_line(list(COLUMNS), newline) + added
        reading = parse(new, path, where, frozenset(docs["region"]))
        if line in reading.left_out:
            raise CorrectionError([f"{where} line {line} (not written): {reading.left_out[line][1]}"])
        row = next(r for r in reading.rows if r.line == line)
        _applies(row, facts, docs, raw, where)
        _replace(path, new)
    return {"line": line, **values, "where": where}


def _documents(sources) -> pd.DataFrame:
    """The manifest's rows as the documents table's first columns (what apply reads)."""
    return pd.DataFrame([{"file": s.file, "region": s.region, "region_level": s.region_level,
                          "review_year": s.review_year, "target_year": s.target_year} for s in sources],
                        columns=["file", "region", "region_level", "review_year", "target_year"])


def _built_facts(processed: Path) -> pd.DataFrame:
    path = processed / "facts.parquet"
    if not path.is_file():
        raise CorrectionError([f"{path} does not exist: build the tables first (`make data`), then correct"])
    return pd.read_parquet(path)


def _fact(fact_id: str, facts: pd.DataFrame) -> pd.Series:
    """The built fact `fact_id`, or CorrectionError naming the nearest ids."""
    hit = facts[facts["fact_id"] == fact_id]
    if len(hit):
        return hit.iloc[0]
    doc, _, offset = fact_id.rpartition(":")
    mine = facts[facts["doc"] == doc]
    if mine.empty or not offset.isdigit():
        near = closest(doc or fact_id, set(facts["doc"]))
        offer = f"; did you mean a fact of {', '.join(near)}?" if near else ""
        raise CorrectionError([f"no fact {fact_id!r} in the built facts: ids look like <raw file>:<offset> "
                               f"(`python -m zzdata query <indicator>` lists them){offer}"])
    nearest = mine.iloc[(mine["start"] - int(offset)).abs().argsort()[:3]]
    listed = ", ".join(f"{i} ({v})" for i, v in zip(nearest["fact_id"], nearest["value_text"]))
    raise CorrectionError([f"no fact {fact_id!r} in the built facts (a dropped figure is no longer one); the "
                           f"nearest in {doc}: {listed}"])


def _span_text(doc: str, start: int, end: int, docs: pd.DataFrame, raw: Path) -> str:
    """The report's text, after checking that the span lies in it."""
    if doc not in set(docs["file"]):
        near = closest(doc, docs["file"])
        raise CorrectionError([f"no report {doc!r} in sources.csv" + (f"; did you mean {', '.join(near)}?" if near
                                                                       else "")])
    try:
        text = raw_text(raw / doc)
    except (OSError, InputError) as err:
        raise CorrectionError([f"{doc}: cannot read its text ({err})"]) from None
    if not 0 <= start < end <= len(text):
        raise CorrectionError([f"chars {start}-{end} are not a span of {doc} (0 ≤ start < end ≤ {len(text)}); "
                               "give the figure's offsets in zzdata.raw_text(file)"])
    if not printed(text[start:end]):
        raise CorrectionError([f"chars {start}-{end} of {doc} hold only white space; select the figure"])
    return text


def _header(data: bytes, where: str) -> tuple[list[str], str]:
    """The file's header (empty for a new or empty file) and line ending; CorrectionError when a
    row cannot be appended to it (not UTF-8, a header without the columns)."""
    if not data.strip():
        return [], "\n"
    try:
        decoded = decode(data, where)
    except InputError as err:
        raise CorrectionError([f"{err}; repair it, then correct again"]) from None
    if decoded.encoding not in UTF8:
        raise CorrectionError([f"{where}: encoded in {decoded.encoding.upper()}, not UTF-8; save it as UTF-8 first "
                               f"(e.g. `iconv -f {decoded.encoding} -t UTF-8`), then correct again"])
    first = decoded.text.split("\n", 1)[0]
    header = [h.strip() for h in next(csv.reader([first]), [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CorrectionError([f"{where} line 1: the header lacks {', '.join(missing)}; it must be "
                               f"{','.join(COLUMNS)}: fix it, then correct again"])
    return header, "\r\n" if data.split(b"\n", 1)[0].endswith(b"\r") else "\n"


def _lines(body: bytes) -> int:
    """The lines of the file's bytes (each ends in a line break)."""
    return body.count(b"\n")


def _csv_line(values: list[str], newline: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow(values)
    return buf.getvalue().encode("utf-8")


def _applies(row: Row, facts: pd.DataFrame, docs: pd.DataFrame, raw: Path, where: str) -> None:
    """The build's corrections stage on this one row: CorrectionError unless it applies."""
    mine = facts[facts["doc"] == row.file].reset_index(drop=True)

    def text_of(file: str) -> str | None:
        try:
            return raw_text(raw / file)
        except (OSError, InputError):
            return None

    _, status = apply(mine, [row], docs, text_of)
    outcome, _, problem = status[row.line]
    if outcome != APPLIED:
        raise CorrectionError([f"{where} line {row.line} (not written): {problem}"])


@contextlib.contextmanager
def _locked(folder: Path):
    """Hold an exclusive lock on the raw folder (no file of its own is made): two writers append in turn."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _replace(path: Path, data: bytes) -> None:
    """Write `data` to `path` at once: a hidden temporary file beside it, then os.replace."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
