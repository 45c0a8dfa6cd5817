"""Word files (``.docx``): the paragraphs and tables of the body in document order, one line per
paragraph and per table row (cells separated by `` | ``). The library is python-docx. The old
binary ``.doc`` is not read: save it as ``.docx`` first.
"""

from __future__ import annotations

import io

from ..core.errors import InputError
from .decode import Decoded
from .libraries import WORD, version


def extractor_name() -> str:
    return f"{WORD} {version(WORD)}"


def _document(data: bytes, name: str):
    import docx  # imported here: only a build with Word files pays for it

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises zip, XML and key errors on a damaged file
        raise InputError(f"{name}: not a readable Word (.docx) file ({type(err).__name__}); open it in Word or "
                         "LibreOffice and save it again as .docx, or save its text as .txt") from None


def read_docx(data: bytes, name: str) -> Decoded:
    """The text of a .docx body: paragraphs and table rows in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = _document(data, name)
    lines = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text.strip())
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip().replace("\n", " ") for c in row.cells]
                unique = [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1]]  # merged cells repeat
                lines.append(" | ".join(unique))
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(f"{name}: the Word file has no text; check that it is the report, not an empty template")
    return Decoded(text="\n".join(lines) + "\n", encoding="", format="docx", extractor=extractor_name())


def docx_metadata(data: bytes, name: str) -> dict[str, str]:
    """The file's own title and creation date (empty where it gives none), for `zzdata add`."""
    props = _document(data, name).core_properties
    created = props.created.date().isoformat() if props.created else ""
    return {"title": props.title or "", "date": created}


def read_doc(data: bytes, name: str) -> Decoded:
    """The old binary Word format is refused with what to do."""
    raise InputError(f"{name}: the old Word format (.doc) is not read; open it in Word or LibreOffice, "
                     "save it as .docx (or as .txt) and add that file")
