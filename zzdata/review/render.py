"""One report's review page as HTML: its text with every figure marked in place, the list of its
figures beside it, the details panel the page's script fills, all in one file.

Everything taken from a report or the tables is escaped (``html.escape``; the model as JSON with
``<``, ``>`` and ``&`` escaped, model.model_json), the style and script are inline, and nothing is
loaded from elsewhere: the page opens from disk with no server and no network. The wording in
Chinese and English is ``data/labels.csv``'s ``review_*`` rows (shown by language, like the charts).
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from importlib import resources

from ..core import links, vocab
from ..series import choice
from ..viz import words
from .model import MARKS, flags

#: Where the review server puts its script and settings in a page it serves (server.py).
SERVE_SLOT = "<!--zzdata-serve-->"


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """The page's style or script (zzdata/review/page.css, page.js …)."""
    return resources.files("zzdata.review").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def labels() -> dict[str, dict[str, str]]:
    """The review pages' wording: every ``review_*`` row of data/labels.csv, in both languages."""
    return {k: v for k, v in words.labels_table().items() if k.startswith("review_")}


def t(key: str, **fields) -> str:
    """A label in both languages, each in its own element (the page shows one: ``data-lang``)."""
    zh, en = (escape(words.phrase(key, lang, **fields)) for lang in ("zh", "en"))
    return f'<span class="zh" lang="zh">{zh}</span><span class="en" lang="en">{en}</span>'


def t_attr(key: str, **fields) -> str:
    """A label in both languages for an attribute (a title): ``中文 / English``."""
    return escape(" / ".join(words.phrase(key, lang, **fields) for lang in ("zh", "en")), quote=True)


@lru_cache(maxsize=None)
def words_json() -> str:
    """The wording, the lists' names and the choice rule's steps the script needs, as JSON."""
    lists = {name: {v: {"zh": vocab.names(name, "zh").get(v, v), "en": vocab.names(name, "en").get(v, v)}
                    for v in vocab.values(name)} for name in ("status", "measure", "qualifier", "doc_type", "flag")}
    rule = [{"zh": s.short_zh, "en": s.short_en} for s in choice.CHOICE_RULE]
    text = json.dumps({"labels": labels(), "vocab": lists, "rule": rule}, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _text_escape(s: str) -> str:
    # A carriage return would be read as a line end and change the offsets the page counts.
    return escape(s, quote=False).replace("\r", "&#13;")


def text_html(text: str, figures: list[dict], claims: list[dict], corrections: list[dict] = ()) -> str:
    """The report's text with each figure in a ``<mark>`` (its fact_id as ``id`` and ``data-fact``),
    each claim in a ``<span class="claim">`` and each figure dropped by hand in a ``<del>``. A span
    outside the text is left out of it (a figure stays in the list); a span that crosses one before
    it is cut where that one ends."""
    spans = [(f["s"], f["e"], 0, i) for i, f in enumerate(figures)]
    spans += [(c["s"], c["e"], 1, i) for i, c in enumerate(claims)]
    spans += [(c["s"], c["e"], 2, i) for i, c in enumerate(corrections)
              if c["action"] == "drop" and c["outcome"] == "applied" and c["s"] is not None and c["e"] is not None]
    spans.sort(key=lambda x: (x[0], -x[1], x[2]))
    out, pos, n = [], 0, len(text)
    for start, end, kind, i in spans:
        start = max(start, pos)
        if not (0 <= start < end <= n):
            continue
        out.append(_text_escape(text[pos:start]))
        inner = _text_escape(text[start:end])
        if kind == 0:
            f = figures[i]
            cls = flags(f)[0]
            fid = escape(f["id"], quote=True)
            out.append(f'<mark class="f st-{escape(f["status"], quote=True)} {cls}" id="{fid}" data-fact="{fid}" '
                       f'tabindex="0">{inner}</mark>')
        elif kind == 1:
            out.append(f'<span class="claim" data-claim="{i}">{inner}</span>')
        else:
            out.append(f'<del class="dropped" data-corr="{i}" tabindex="0">{inner}</del>')
        pos = end
    out.append(_text_escape(text[pos:]))
    return "".join(out)


def _option(value: str, zh: str, en: str) -> str:
    return (f'<option value="{escape(value, quote=True)}" data-zh="{escape(zh, quote=True)}" '
            f'data-en="{escape(en, quote=True)}">{escape(zh)}</option>')


def filters_html(figures: list[dict]) -> str:
    """The list's filters: status, indicator (those on the page), unfiled, with findings, corrected."""
    any_zh, any_en = words.phrase("review_any", "zh"), words.phrase("review_any", "en")
    statuses = [s for s in vocab.STATUSES if any(f["status"] == s for f in figures)]
    st = "".join(_option(s, vocab.names("status", "zh")[s], vocab.names("status", "en")[s]) for s in statuses)
    inds = sorted({(f["ind"], f["ind_zh"], f["ind_en"]) for f in figures if f["ind"]}, key=lambda x: x[0])
    ind = "".join(_option(i, f"{zh}（{i}）", f"{en or zh} ({i})") for i, zh, en in inds)
    return (f'<form id="filters" role="search"><label>{t("review_filter_status")} <select name="status">'
            f'{_option("", any_zh, any_en)}{st}</select></label>'
            f'<label class="ind">{t("review_filter_indicator")} <select name="indicator">{_option("", any_zh, any_en)}{ind}'
            f'</select></label>'
            f'<label><input type="checkbox" name="unfiled"> {t("review_only_unfiled")}</label>'
            f'<label><input type="checkbox" name="findings"> {t("review_only_findings")}</label>'
            f'<label><input type="checkbox" name="corrected"> {t("review_only_corrected")}</label>'
            f'<span class="count" aria-live="polite"></span></form>')


def legend_html() -> str:
    """What the colours and marks mean."""
    items = [f'<li><mark class="f st-{s}">12.3</mark> {t("review_status_" + s)}</li>' for s in vocab.STATUSES]
    items += [f'<li><mark class="f {cls}">12.3</mark> {t(key)}</li>' for cls, key in MARKS]
    items.append(f'<li><span class="claim">前列</span> {t("review_mark_claim")}</li>')
    items.append(f'<li><del class="dropped">五个</del> {t("review_mark_dropped")}</li>')
    return '<ul class="legend" aria-label="legend">' + "".join(items) + "</ul>"


def notice_html(corrections: list[dict]) -> str:
    """The report's hand corrections that did not apply (stale or refused), each with its line."""
    bad = [c for c in corrections if c["outcome"] != "applied"]
    if not bad:
        return ""
    items = "".join(f'<li><b>{escape(c["outcome"])}</b> data/raw/corrections.csv line {c["line"]} '
                    f'({escape(c["action"])} {escape(c["vt"])}): {escape(c["problem"])}</li>' for c in bad)
    return f'<div class="notice"><p>{t("review_not_applied", n=len(bad))}</p><ul>{items}</ul></div>'


def head(title: str, digest: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh" data-lang="zh"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
            'script-src \'unsafe-inline\'; img-src data:; connect-src \'self\'; form-action \'self\'">'
            f'<meta name="zzdata-review" content="{escape(digest, quote=True)}">'
            f'<title>{escape(title)}</title><style>{asset("page.css")}</style></head>\n')


def page_html(model: dict, model_json: str, text: str, digest: str) -> str:
    """The whole page of one report."""
    doc = model["doc"]
    figures = model["figures"]
    kind = {lang: vocab.names("doc_type", lang).get(doc.get("doc_type", ""), doc.get("doc_type", "")) for lang in ("zh", "en")}
    region_en = words.region_name(doc.get("region", ""), "en")
    meta = (f'<span class="zh">{escape(str(doc.get("region", "")))} · {escape(kind["zh"])}</span>'
            f'<span class="en">{escape(region_en)} · {escape(kind["en"])}</span>'
            f' · {escape(str(doc.get("delivered", "")))} · <code>{escape(doc["file"])}</code> · '
            + t("review_n_figures", n=len(figures)) + " · " + t("review_n_claims", n=len(model["claims"])))
    title = str(doc.get("title") or doc["file"])
    return (head(f'{title} — {words.phrase("review_title", "zh")} / {words.phrase("review_title", "en")}', digest)
            + '<body><header class="top"><nav>'
            f'<a href="{links.INDEX}">← {t("review_all_reports")}</a>'
            f'<button type="button" id="lang" title="{t_attr("review_lang_hint")}">{t("review_lang_other")}</button></nav>'
            f'<h1>{escape(title)}</h1><p class="meta">{meta}</p>{legend_html()}'
            f'{notice_html(model["corrections"])}</header>\n'
            f'<main class="wrap"><article id="text" lang="zh">'
            f'{text_html(text, figures, model["claims"], model["corrections"])}</article>\n'
            '<aside id="side"><section id="details" aria-live="polite">'
            f'<p class="hint">{t("review_point_hint")}</p></section>'
            f'<section id="listbox" aria-label="{t_attr("review_figures")}">{filters_html(figures)}'
            '<ol id="figs"></ol></section></aside></main>\n'
            f'<script id="zz-data" type="application/json">{model_json}</script>\n'
            f'<script id="zz-words" type="application/json">{words_json()}</script>\n'
            f'<script>{asset("page.js")}</script>{SERVE_SLOT}</body></html>\n')
