"""Web pages (``.html``, ``.htm``) as a researcher saves them from a government site: the page
decoded in the charset it declares (GB2312 and GBK read as their superset GB18030) or that is
detected, and only the article's text kept -- navigation, breadcrumbs, publication stamps,
visit counters, font-size switches, share buttons, related links, footers, scripts and styles
are left out. The main-content extractor is trafilatura; the few chrome lines it may leave
(``发布时间：…``, ``浏览次数``) are dropped by the patterns of ``data/page_chrome.csv``.
"""

from __future__ import annotations

import codecs
import csv
import re
from functools import lru_cache
from importlib import resources

from ..core.errors import InputError
from .decode import Decoded, decode_text
from .libraries import WEB, version

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
#: Declared charsets read as a superset, as browsers do (a GB2312 page often holds GBK characters).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "big5": "cp950", "x-big5": "cp950", "iso-8859-1": "cp1252", "ascii": "utf-8"}


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first 4 KB (normalised), if any."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def page_html(data: bytes, name: str) -> tuple[str, str]:
    """(the page as text, the charset it was read in): the declared charset when the bytes
    decode in it, else the charset detected as for a text file."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data, name)
    declared = declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # a page that lies about its charset: detect it instead
    return decode_text(data, name)


@lru_cache(maxsize=None)
def _chrome_lines() -> re.Pattern:
    with resources.files("zzdata").joinpath("data/page_chrome.csv").open(encoding="utf-8", newline="") as fh:
        patterns = [r["pattern"] for r in csv.DictReader(fh) if r["pattern"]]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def extractor_name() -> str:
    return f"{WEB} {version(WEB)}"


def read_html(data: bytes, name: str) -> Decoded:
    """The article text of a saved web page (see the module doc); refuses a page without one."""
    import trafilatura  # imported here: only a build with web pages pays for it

    html, charset = page_html(data, name)
    text = trafilatura.extract(html, include_tables=True, include_comments=False, include_images=False,
                               include_links=False, favor_precision=True, deduplicate=False, output_format="txt")
    chrome = _chrome_lines()
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line and not chrome.match(line)]
    if not lines:
        raise InputError(f"{name}: no article text found in this web page; save the page with its text "
                         "(not a frame or a page that loads its text by script), or copy the article's text "
                         "into a .txt file and add that instead")
    return Decoded(text="\n".join(lines) + "\n", encoding=charset, format="html", extractor=extractor_name())


def page_metadata(data: bytes, name: str) -> dict[str, str]:
    """What the page says about itself beyond the article: title, date, site name and URL
    (empty strings where it says nothing), for `zzdata add` to propose a manifest row."""
    import trafilatura

    html, _ = page_html(data, name)
    meta = trafilatura.extract_metadata(html)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S | re.I)
    title = re.sub(r"<[^>]+>|\s+", "", h1.group(1)) if h1 else ""
    return {
        "title": title or (meta.title if meta and meta.title else ""),
        "date": (meta.date or "") if meta else "",
        "sitename": (meta.sitename or "") if meta else "",
        "url": (meta.url or "") if meta else "",
    }
