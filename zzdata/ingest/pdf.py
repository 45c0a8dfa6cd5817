"""PDF files with a text layer (as government sites publish reports): the text of each page,
page numbers (``— 3 —``, ``-3-``, ``第3页``) and running headers and footers dropped, and the
lines of a paragraph joined back into one (a PDF breaks lines where the page is full, not where
a sentence ends). A PDF without a text layer is a scan: it is refused with a note that it needs
OCR first. The PDF library is pypdf.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from ..core.errors import InputError
from .decode import Decoded
from .libraries import PDF, version

_PAGE_NUMBER = re.compile(r"^(?:[—\-－–_\s]*\d{1,4}[—\-－–_\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]+部分|\d{1,2}[.、．])")
_BULLETS = "●•■◆▲★▪◎○◇□"
_ENDS = "。！？；：…”」』!?;:"
#: A page with fewer characters than this (on average) has no text layer worth the name.
MIN_CHARS_PER_PAGE = 20
#: A line this much shorter than the page's usual full line ends its paragraph.
SHORT_LINE = 0.8


def extractor_name() -> str:
    return f"{PDF} {version(PDF)}"


def _pages(data: bytes, name: str) -> list[list[str]]:
    """The non-empty lines of every page."""
    import pypdf  # imported here: only a build with PDFs pays for it

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: the PDF is password-protected; save an unprotected copy and add that")
        texts = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as err:  # pypdf raises many kinds on a damaged file
        raise InputError(f"{name}: not a readable PDF ({type(err).__name__}: {err}); download it again, "
                         "or save the report's text as a .txt file and add that") from None
    return [[line.strip() for line in text.splitlines() if line.strip()] for text in texts]


def _running(pages: list[list[str]]) -> set[str]:
    """Lines that stand first or last on at least half the pages (two at least): running heads
    and feet, compared with their digits removed (a page's own number may be in them)."""
    if len(pages) < 2:
        return set()
    edge = Counter()
    for lines in pages:
        ends = {re.sub(r"\d+", "#", line) for line in (lines[:2] + lines[-2:])}
        edge.update(ends)
    return {line for line, n in edge.items() if n >= max(2, len(pages) / 2)}


def _join(lines: list[str]) -> str:
    """Lines of text to paragraphs: a line runs on into the next unless it ends a sentence, is
    clearly shorter than a full line, or the next begins a heading or a bullet."""
    if not lines:
        return ""
    lengths = sorted(len(line) for line in lines if len(line) >= 8)
    full = lengths[int(len(lengths) * 0.75)] if lengths else 0
    out = [lines[0]]
    for prev, line in zip(lines, lines[1:]):  # prev: the line as printed, before any joining
        breaks = (prev.endswith(tuple(_ENDS)) or len(prev) < SHORT_LINE * full
                  or _HEADING.match(line) or line[:1] in _BULLETS or _HEADING.match(prev))
        if breaks:
            out.append(line)
        else:
            out[-1] += line
    return "\n".join(out)


def read_pdf(data: bytes, name: str) -> Decoded:
    """The text of a PDF (see the module doc); refuses a scan and a damaged or protected file."""
    pages = _pages(data, name)
    chars = sum(len(line) for lines in pages for line in lines)
    if chars < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise InputError(f"{name}: this PDF has no text layer ({len(pages)} pages, {chars} characters of text): "
                         "it is a scan and needs OCR first (e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`); add the "
                         "OCRed PDF, or the text typed or copied into a .txt file")
    running = _running(pages)
    kept = [line for lines in pages for line in lines
            if not _PAGE_NUMBER.match(line) and re.sub(r"\d+", "#", line) not in running]
    return Decoded(text=_join(kept) + "\n", encoding="", format="pdf", extractor=extractor_name())


def pdf_metadata(data: bytes, name: str) -> dict[str, str]:
    """The PDF's own title and creation date (empty where it gives none), for `zzdata add`."""
    import pypdf

    try:
        meta = pypdf.PdfReader(io.BytesIO(data)).metadata or {}
    except Exception:
        return {"title": "", "date": ""}
    created = str(meta.get("/CreationDate", "") or "")
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})", created)
    return {"title": str(meta.get("/Title", "") or ""), "date": f"{m[1]}-{m[2]}-{m[3]}" if m else ""}
