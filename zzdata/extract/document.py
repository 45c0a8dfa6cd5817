"""One text read once: cleaned once, its clean text passed to the facts and the claims."""

from __future__ import annotations

from .claims import extract_claims
from .clean import clean
from .facts import DocMeta, extract_document


def read_document(meta: DocMeta, raw: str) -> tuple[list[dict], list[dict]]:
    """(facts, claims) of one raw text. `clean()` runs once here and its result is passed on (the
    segmentation and the quantities of a clean text are shared through their own caches)."""
    ct = clean(raw)
    return extract_document(meta, ct), extract_claims(meta.file, ct)
