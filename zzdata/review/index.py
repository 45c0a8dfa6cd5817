"""The review pages' index: every report with its counts (figures, filed, chosen, with findings,
corrected, claims), sortable by any column, each linking to its page."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

import pandas as pd

from ..core import links, vocab
from ..viz import words
from .render import asset, head, t, t_attr

#: The index's columns: (label key, how a row gives its value, numeric).
COUNTS = (("review_figures", "figures"), ("review_filed", "filed"), ("review_chosen", "chosen"),
          ("review_with_findings", "findings"), ("review_corrected", "corrected"), ("review_claims", "claims"))


def index_html(documents: pd.DataFrame, counts: pd.DataFrame, digest: str) -> str:
    """The index of every report of `documents` (their counts from model.counts)."""
    heads = [("review_report", ""), ("review_region", ""), ("review_type", ""), ("review_delivered", "")]
    heads += [(key, "n") for key, _ in COUNTS]
    th = "".join(f'<th scope="col" class="{cls}"><button type="button">{t(key)}</button></th>' for key, cls in heads)
    rows, totals = [], {col: 0 for _, col in COUNTS}
    kinds = {lang: vocab.names("doc_type", lang) for lang in ("zh", "en")}
    by_file = counts.to_dict("index")
    for doc in documents.sort_values("file").to_dict("records"):
        file = str(doc["file"])
        n = by_file.get(file)
        title = str(doc.get("title") or file)
        region, kind = str(doc.get("region", "")), str(doc.get("doc_type", ""))
        cells = [f'<td data-v="{escape(file, quote=True)}"><a href="{escape(quote(links.page_name(file)), quote=True)}">'
                 f'{escape(title)}</a><div class="file">{escape(file)}</div></td>',
                 f'<td data-v="{escape(region, quote=True)}"><span class="zh">{escape(region)}</span>'
                 f'<span class="en">{escape(words.region_name(region, "en"))}</span></td>',
                 f'<td data-v="{escape(kind, quote=True)}"><span class="zh">{escape(kinds["zh"].get(kind, kind))}</span>'
                 f'<span class="en">{escape(kinds["en"].get(kind, kind))}</span></td>',
                 f'<td data-v="{escape(str(doc.get("delivered", "")), quote=True)}">{escape(str(doc.get("delivered", "")))}</td>']
        for _, col in COUNTS:
            v = int(n[col]) if n is not None else 0
            totals[col] += v
            cells.append(f'<td class="n" data-v="{v}">{v:,}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    foot = (f'<tr><td>{t("review_total", n=len(rows))}</td><td></td><td></td><td></td>'
            + "".join(f'<td class="n">{totals[col]:,}</td>' for _, col in COUNTS) + "</tr>")
    return (head(f'{words.phrase("review_index_title", "zh")} / {words.phrase("review_index_title", "en")}', digest)
            + '<body><header class="top"><nav><span></span>'
            f'<button type="button" id="lang" title="{t_attr("review_lang_hint")}">{t("review_lang_other")}</button></nav>'
            f'<h1>{t("review_index_title")}</h1></header>\n<p class="intro">{t("review_index_intro")}</p>\n'
            f'<table class="reports" id="reports"><thead><tr>{th}</tr></thead>\n<tbody>\n' + "\n".join(rows)
            + f'\n</tbody><tfoot>{foot}</tfoot></table>\n<script>{asset("index.js")}</script></body></html>\n')
