"""Where a report's review page is, and the link to one of its figures on it.

Written once here, in the first room, so every place that shows a figure -- `make validate`'s
report, the notebooks' "facts charted" tables, the review pages themselves (zzdata/review/) --
links to the same ``reports/review/<file>.html#<fact_id>`` without importing the room that writes
the pages. Links are relative to the folder of the page that shows them, so they work opened from
disk; a page written to another folder than the one its links were made for (a notebook, run in
notebooks/, as reports/html/<notebook>.html) has them rewritten for its own (:func:`rebase`).
"""

from __future__ import annotations

import functools
import html
import os
import re
from pathlib import Path
from urllib.parse import quote, unquote

from . import paths

#: The review pages' folder, under the project root.
REVIEW_PARTS = ("reports", "review")
INDEX = "index.html"


def review_dir(root: Path | None = None) -> Path:
    """reports/review/ of the project (or of `root`)."""
    return Path(root or paths.project_root()).joinpath(*REVIEW_PARTS)


def page_name(doc: str) -> str:
    """The review page of a report file (a name in data/raw/): ``<file>.html``."""
    return f"{doc}.html"


def doc_of(fact_id: str) -> str:
    """The report file of a fact id (``<file>:<offset>``)."""
    return fact_id.rpartition(":")[0]


@functools.lru_cache(maxsize=4096)
def _quoted(text: str, safe: str) -> str:
    """`quote` of a file name, once a name: a report's links all share it."""
    return quote(text, safe=safe)


def _plain(offset: str) -> bool:
    """Whether a fact id's last part is an offset as the build writes it (ASCII digits: no quoting)."""
    return offset.isascii() and offset.isdigit()


def fragment(fact_id: str) -> str:
    """A fact id as a URL fragment (``#`` not included): the page's element of that id."""
    doc, sep, offset = fact_id.rpartition(":")  # quote() works char by char: the parts quoted apart
    return _quoted(doc, ":") + sep + (offset if _plain(offset) else quote(offset, safe=":"))


def folder_prefix(from_dir: Path | str | None = None, pages: Path | None = None) -> str:
    """The review folder as a URL path relative to `from_dir`, ending in ``/`` ('' from the review
    folder itself): worked out once for all the links of a page, not once a link."""
    if from_dir is None:
        return ""
    pages = Path(pages) if pages is not None else review_dir()
    rel = os.path.relpath(pages, Path(from_dir))
    return "" if rel == "." else quote(Path(rel).as_posix()) + "/"


def fact_href(fact_id: str, from_dir: Path | str | None = None, doc: str | None = None,
              pages: Path | None = None, prefix: str | None = None) -> str:
    """The URL of a figure on its review page, relative to `from_dir` (the folder of the page that
    shows the link; default: the review folder itself). `pages` is the review folder (default
    reports/review of the project); `prefix` (:func:`folder_prefix`) stands for both."""
    prefix = folder_prefix(from_dir, pages) if prefix is None else prefix
    if doc is None:
        file, sep, offset = fact_id.rpartition(":")
        if sep and _plain(offset):  # (an id as the build makes it: file:offset)
            return _anchor(prefix, file) + offset
    return _page_href(prefix, doc or doc_of(fact_id)) + "#" + fragment(fact_id)


def _page_href(prefix: str, doc: str) -> str:
    """The URL of a report's review page (`prefix`: :func:`folder_prefix`)."""
    return prefix + _quoted(page_name(doc), "/")


@functools.lru_cache(maxsize=4096)
def _anchor(prefix: str, doc: str) -> str:
    """:func:`fact_href` of a figure of `doc` up to its offset (``<page>#<doc>:``), made once a
    report and folder from the same parts as any other link."""
    return _page_href(prefix, doc) + "#" + fragment(doc + ":")


def markdown_links(fact_ids: list[str], from_dir: Path | str | None = None, pages: Path | None = None,
                   prefix: str | None = None) -> str:
    """Markdown links to figures on their review pages, each labelled by its fact id."""
    prefix = folder_prefix(from_dir, pages) if prefix is None else prefix
    return ", ".join(f"[{fid}]({fact_href(fid, prefix=prefix)})" for fid in fact_ids if fid)


def html_link(fact_id: str, from_dir: Path | str | None = None, pages: Path | None = None,
              prefix: str | None = None) -> str:
    """An HTML link to a figure on its review page, its text the fact id (escaped)."""
    href = html.escape(fact_href(fact_id, from_dir, pages=pages, prefix=prefix), quote=True)
    return f'<a href="{href}">{html.escape(fact_id)}</a>'


def linked_table(table, column: str = "fact_id", from_dir: Path | str | None = None):
    """A table of facts for a notebook: a pandas Styler whose `column` links each fact id to its
    review page, relative to `from_dir` (default: the working folder, the notebook's own); every
    other cell is escaped. The values underneath stay the table's (``.data``)."""
    from_dir = Path.cwd() if from_dir is None else Path(from_dir)
    prefix = folder_prefix(from_dir, review_dir())
    return (table.style.set_uuid("facts").format(escape="html")
            .format(lambda fid: html_link(str(fid), prefix=prefix), subset=[column], escape=None))


#: An ``<a>`` element's href, quoted either way: (up to the opening quote, the quote, the href).
_A_HREF = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
#: An href that is not relative to the page's folder: a scheme (https:, mailto:, data:), the site's
#: root (/x, //host) or a place in the page itself (#x).
_NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|$)")


def rebase_href(href: str, from_dir: Path | str, to_dir: Path | str) -> str:
    """`href`, relative to `from_dir`, made relative to `to_dir`: the same file (and the same
    fragment and query). An href that is not relative to a folder is returned as it is."""
    if _NOT_RELATIVE.match(href):
        return href
    path, tail = re.fullmatch(r"([^?#]*)(.*)", href, re.DOTALL).groups()
    target = os.path.normpath(os.path.join(os.path.abspath(from_dir), unquote(path)))
    rel = Path(os.path.relpath(target, os.path.abspath(to_dir))).as_posix()
    return quote(rel) + tail


def rebase(page: str, from_dir: Path | str, to_dir: Path | str) -> str:
    """An HTML page whose relative links (``<a href>``) were made for a page in `from_dir`, with
    each rewritten to reach the same file from `to_dir`, where the page is written."""
    if Path(os.path.abspath(from_dir)) == Path(os.path.abspath(to_dir)):
        return page

    def one(m: re.Match) -> str:
        href = html.unescape(m.group(3))
        return m.group(1) + m.group(2) + html.escape(rebase_href(href, from_dir, to_dir), quote=True) + m.group(2)

    return _A_HREF.sub(one, page)
