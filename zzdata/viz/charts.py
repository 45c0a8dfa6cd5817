"""Reusable charts for the notebooks, built on the house style in :mod:`zzdata.plot`.

Every function takes tidy frames from :mod:`zzdata.compare` and returns a :class:`Chart`: the
figure, the ``fact_id`` of every value drawn, the documents they come from, and a note (conflicts,
caveats) that :meth:`ChartBook.save` writes under the chart with the source line. Nothing here
parses text or types a number: values, names and units come from the tables.

Chart forms:

* :func:`slope_panels` -- one small panel per indicator (own axis: units never share one), its
  values in every year available joined by a line; values from other texts that disagree are
  hollow points in the conflict colour, labelled with their text.
* :func:`growth_bars` -- reported growth rates (themselves year-over-year changes), one bar per
  indicator and period, all in % on one axis.
* :func:`target_panels` -- results against targets: attainment bars (result / target) for levels,
  a dumbbell (target hollow, result filled) for rates; targets with no result are listed.
* :func:`district_panels` -- a district against the city: share-of-city bars for amounts, a
  dumbbell for rates, an index (city = 100) for other levels.
* :func:`conflict_panels` -- where texts disagree: the value used and the other text's, per row.
* :func:`dumbbell` -- the building block: two values per row on one axis.

:class:`ChartBook` saves a notebook's charts (``plot.save_figure`` with a source line naming the
texts, from documents.csv) and returns the table of the facts drawn, for the notebook's last cell.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import plot
from ..series import choice

__all__ = [
    "Chart", "ChartBook", "DOC_KIND", "THEMES", "describe_texts", "doc_label", "source_line", "indicator_name",
    "region_name", "period_label", "dumbbell", "slope_panels", "growth_bars", "target_panels",
    "district_panels", "conflict_panels", "sources_table",
]

#: How a document type is called in a source line.
DOC_KIND = {
    "work_report": ("政府工作报告", "government work report"),
    "year_review": ("年终综述", "year-end review"),
    "news": ("新闻报道", "news report"),
}
#: Display names of regions in English charts (the gazetteer has Chinese names only).
REGION_EN = {"郑州市": "Zhengzhou", "中原区": "Zhongyuan District"}
#: Theme names for titles: id -> (zh, en).
THEMES = {
    "economy": ("经济", "economy"),
    "livelihoods": ("民生", "livelihoods"),
    "environment": ("生态环境", "environment"),
    "housing": ("住房与城市建设", "housing and urban infrastructure"),
    "innovation": ("科技创新", "innovation"),
    "openness": ("对外开放", "openness"),
    "governance": ("社会治理", "governance"),
}
STATUS_TAG = {"cumulative": ("累计", "cumulative"), "target": ("目标", "target"), "actual": ("", "")}
_CAP_ATTAINMENT = 200.0  # attainment bars are cut here so one outlier does not squash the rest


def _zh(lang: str) -> bool:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang == "zh"


# --------------------------------------------------------------------------- words


def region_name(region: str, lang: str = "zh") -> str:
    return region if _zh(lang) else REGION_EN.get(region, region)


def indicator_name(row: Any, lang: str = "zh", status: bool = True) -> str:
    """The indicator's catalog name (zh or en), tagged with its status when it is cumulative."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    name = get("name_zh") if _zh(lang) else (get("name_en") or get("name_zh"))
    st = get("status", "actual") if status else "actual"
    tag = STATUS_TAG.get(st, ("", ""))[0 if _zh(lang) else 1]
    if tag:
        name = f"{name}（{tag}）" if _zh(lang) else f"{name} ({tag})"
    return str(name)


def _multi_year(period: str) -> bool:
    """A period spanning several calendar years (2018-2022), not a part of one (2024-01..11)."""
    p = str(period)
    return "-" in p and ".." not in p


def period_label(period: str, lang: str = "zh") -> str:
    """2024 -> 2024年; 2018-2022 -> 2018–2022年; 2024-01..11 -> 2024年1–11月; 2024-01-01..12-21 ->
    2024年1月1日–12月21日 (en: 2024, 2018–2022, Jan–Nov 2024, 1 Jan–21 Dec 2024)."""
    import re

    p = str(period)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    zh = _zh(lang)
    if m := re.fullmatch(r"(\d{4})", p):
        return f"{p}年" if zh else p
    if m := re.fullmatch(r"(\d{4})-(\d{4})", p):
        return f"{m[1]}–{m[2]}年" if zh else f"{m[1]}–{m[2]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})\.\.(\d{2})", p):
        a, b = int(m[2]), int(m[3])
        return f"{m[1]}年{a}–{b}月" if zh else f"{months[a - 1]}–{months[b - 1]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})\.\.(\d{2})-(\d{2})", p):
        a, d1, b, d2 = int(m[2]), int(m[3]), int(m[4]), int(m[5])
        return (f"{m[1]}年{a}月{d1}日–{b}月{d2}日" if zh else
                f"{d1} {months[a - 1]}–{d2} {months[b - 1]} {m[1]}")
    return p


def doc_label(doc: str, documents: pd.DataFrame, lang: str = "zh", short: bool = False) -> str:
    """e.g. 郑州市政府工作报告（2025-01） / Zhengzhou government work report (2025-01)."""
    d = documents.set_index("file")
    if doc not in d.index:
        return doc
    r = d.loc[doc]
    kind = DOC_KIND.get(r["doc_type"], (r["doc_type"], r["doc_type"]))
    if short:
        return f"{r['delivered']}{kind[0]}" if _zh(lang) else f"{kind[1]} of {r['delivered']}"
    if _zh(lang):
        return f"{r['region']}{kind[0]}（{r['delivered']}）"
    return f"{region_name(r['region'], 'en')} {kind[1]} ({r['delivered']})"


def _doc_kind(doc: str, documents: pd.DataFrame, lang: str) -> str:
    """What kind of text a document is (年终综述 / year-end review); the file name if unknown."""
    kind = DOC_KIND.get(documents.set_index("file")["doc_type"].get(doc, ""), (doc, doc))
    return kind[0] if _zh(lang) else kind[1]


def source_line(docs: Iterable[str], documents: pd.DataFrame, lang: str = "zh") -> str:
    """The texts a chart draws on, in the order they were delivered."""
    d = documents.set_index("file")
    docs = sorted(set(docs), key=lambda x: (str(d["delivered"].get(x, "")), x))
    sep = "；" if _zh(lang) else "; "
    head = "来源：" if _zh(lang) else "Source: "
    return head + sep.join(doc_label(x, documents, lang) for x in docs)


def _caveats(row: pd.Series, facts: pd.DataFrame, lang: str) -> list[str]:
    zh = _zh(lang)
    out = []
    if "报纸" in str(row.get("publisher", "")) or "摘编" in str(row.get("title", "")) or "读报告" in str(row.get("title", "")):
        out.append("报纸版面的摘编，不是全文" if zh else "a digest printed on a newspaper page, not the full text")
    if row["doc_type"] == "year_review":
        out.append("年终综述：发表于年末，数字为初步数" if zh else "year-end review: published before the year ended, figures are preliminary")
    mine = facts[facts["doc"] == row["file"]]
    multi = sorted({p for p in mine["period"] if _multi_year(p)})
    single = sorted({p for p in mine["period"] if p.isdigit()})
    if multi and single:
        out.append((f"混合多年回顾（{'、'.join(multi)}）与单年（{'、'.join(single)}）数字" if zh else
                    f"mixes a multi-year review ({', '.join(multi)}) with single-year figures ({', '.join(single)})"))
    if len(mine) and (mine["status"] == "target").all():
        out.append("只含目标，没有结果" if zh else "targets only, no results")
    if (mine["preliminary"]).any() and row["doc_type"] != "year_review":
        out.append("部分数字为初步或部分期间" if zh else "some figures are preliminary or for part of the year")
    return out


def describe_texts(documents: pd.DataFrame, facts: pd.DataFrame, docs: Iterable[str] | None = None,
                   lang: str = "zh") -> str:
    """A Markdown list of the texts (from documents.csv) with their caveats, for a notebook."""
    rows = documents if docs is None else documents[documents["file"].isin(set(docs))]
    rows = rows.sort_values(["delivered", "file"])
    lines = []
    for _, r in rows.iterrows():
        cav = ("；" if _zh(lang) else "; ").join(_caveats(r, facts, lang))
        lines.append(f"- **{doc_label(r['file'], documents, lang)}** — {r['title']}  \n"
                     f"  `{r['file']}` · {r['region']} · {int(r['n_facts'])} "
                     f"{'个数字' if _zh(lang) else 'figures'}" + (f" · *{cav}*" if cav else ""))
    return "\n".join(lines)


# --------------------------------------------------------------------------- chart object


@dataclass
class Chart:
    """A figure with the facts it draws, their documents and a note for the footer."""

    fig: Any
    fact_ids: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    note: str | None = None


class ChartBook:
    """Saves a notebook's charts with their source lines and remembers the facts they drew.

    >>> book = ChartBook("01_economy", facts, documents, lang="zh")
    >>> book.save(chart, "targets_2024")          # reports/figures/01_economy/targets_2024.png …
    >>> book.sources()                            # the table of charted facts and their sources
    """

    def __init__(self, notebook: str, facts: pd.DataFrame, documents: pd.DataFrame, lang: str = "zh"):
        _zh(lang)
        self.notebook, self.facts, self.documents, self.lang = notebook, facts, documents, lang
        self.saved: dict[str, Chart] = {}

    def save(self, chart: Chart | None, name: str, show: bool = True, empty: str | None = None) -> dict[str, Any]:
        """Write the chart (PNG, SVG, PDF), show it in the notebook and close it; return the paths.

        With no chart (nothing to draw for this theme) show `empty` instead and return {}.
        """
        if chart is None:
            if show and empty:
                _display_markdown(f"*{empty}*")
            return {}
        docs = set(chart.docs) | set(self.facts.loc[self.facts["fact_id"].isin(chart.fact_ids), "doc"])
        paths = plot.save_figure(chart.fig, self.notebook, name, source_line(docs, self.documents, self.lang),
                                 note=chart.note)
        self.saved[name] = chart
        if show:
            _display_figure(chart.fig)
        import matplotlib.pyplot as plt

        plt.close(chart.fig)
        return paths

    def fact_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for chart in self.saved.values():
            for f in chart.fact_ids:
                if isinstance(f, str) and f:
                    seen.setdefault(f, None)
        return list(seen)

    def sources(self) -> pd.DataFrame:
        """Every fact drawn in the saved charts, with the chart(s), the text and the clause."""
        table = sources_table(self.fact_ids(), self.facts)
        where = {}
        for name, chart in self.saved.items():
            for f in chart.fact_ids:
                where.setdefault(f, []).append(name)
        table.insert(0, "charts", table["fact_id"].map(lambda f: ", ".join(where.get(f, []))))
        return table


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _display_figure(fig, dpi: int = 110) -> None:
    """Show the laid-out figure as a PNG in the notebook (works with the Agg backend too)."""
    if _in_ipython():
        from io import BytesIO

        from IPython.display import Image, display

        buffer = BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
        display(Image(data=buffer.getvalue()))


def _display_markdown(text: str) -> None:
    if _in_ipython():
        from IPython.display import Markdown, display

        display(Markdown(text))


def sources_table(fact_ids: Sequence[str], facts: pd.DataFrame) -> pd.DataFrame:
    """The facts by id with where they were printed: doc, value_text, snippet, fact_id."""
    cols = ["indicator", "label", "region", "period", "status", "value_text", "doc", "snippet", "fact_id"]
    t = facts[facts["fact_id"].isin(list(fact_ids))][cols]
    return t.sort_values(["indicator", "region", "period", "status", "doc"]).reset_index(drop=True)


# --------------------------------------------------------------------------- helpers


def _fmt(v: float, unit: str, lang: str, sign: bool = False) -> str:
    return plot.format_value(v, unit, lang, digits=4, sign=sign)


def _fmt_qual(v: float, unit: str, qualifier: str | None, lang: str) -> str:
    text = _fmt(v, unit, lang)
    if _zh(lang):
        return {"over": f"{text}以上", "about": f"{text}左右", "under": f"{text}以内"}.get(qualifier or "", text)
    return {"over": f"over {text}", "about": f"about {text}", "under": f"under {text}"}.get(qualifier or "", text)


def _NonNegativeLocator():  # noqa: N802 - reads like the matplotlib locator it returns
    """MaxNLocator that drops ticks below zero (the axis extends below zero only for labels)."""
    from matplotlib.ticker import MaxNLocator

    class _Loc(MaxNLocator):
        def tick_values(self, vmin, vmax):
            return [t for t in super().tick_values(vmin, vmax) if t >= 0]

    return _Loc(nbins=5)


def _pct(v: float) -> str:
    """A percent change, one decimal below 100% (+4.7%, -0.6%), whole above (+1900%)."""
    return f"{v:+.0f}%" if abs(v) >= 100 else f"{v:+.1f}%"


def _points(v: float, lang: str, sign: bool = True) -> str:
    n = plot.format_value(v, None, lang, digits=3, sign=sign)
    return f"{n}个百分点" if _zh(lang) else f"{n} pp"


def _new(nrows: int, ncols: int, size: tuple[float, float], lang: str = "zh", grid: str | None = "y",
         **kw) -> tuple[Any, np.ndarray]:
    """plot.new_figure with a 2-D array of axes, Latin text in DejaVu Sans for English charts."""
    return plot.new_figure(size, nrows=nrows, ncols=ncols, grid=grid, latin_first=not _zh(lang), squeeze=False, **kw)


def _fit_x(ax, max_iter: int = 8, pad_px: float = 6.0) -> None:
    """Widen the x limits until every value label of the axes lies inside it (labels are kept
    out of the layout, so long labels do not squeeze the plot; the data range makes room)."""
    fig = ax.get_figure(root=True)
    renderer = fig.canvas.get_renderer()
    may_go_left = ax.get_xlim()[0] < 0  # an axis starting at 0 (shares, counts) stays there
    for _ in range(max_iter):
        texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
        if not texts:
            return
        box = ax.get_window_extent(renderer)
        ext = [t.get_window_extent(renderer) for t in texts]
        over_r = max(e.x1 for e in ext) + pad_px - box.x1
        over_l = box.x0 - (min(e.x0 for e in ext) - pad_px)
        if over_r <= 0.5 and over_l <= 0.5:
            return
        x0, x1 = ax.get_xlim()
        scale = (x1 - x0) / max(box.width, 1.0)
        if over_r > 0.5:
            x1 += over_r * scale * 1.2
        if over_l > 0.5 and may_go_left:
            x0 -= over_l * scale * 1.2
        elif over_r <= 0.5:
            return
        ax.set_xlim(x0, x1)


def _round_ticks(ax, axis: str = "x") -> None:
    """Ticks on 1, 2, 5 steps (no 2.5 steps that a 3-digit label would round to 103%)."""
    from matplotlib.ticker import MaxNLocator

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))


def _finish(fig, title_zh: str, title_en: str, lang: str) -> None:
    """Titles, then keep value labels out of the layout and make room for them in the axes."""
    for ax in fig.axes:
        for t in ax.texts:
            t.set_in_layout(False)
    plot.set_titles(fig, title_zh, title_en, lang=lang)
    for ax in fig.axes:
        if ax.get_visible() and ax.axison:
            _fit_x(ax)


def _wrap_title(text: str, width_in: float, fontsize: float, lang: str) -> str:
    """Wrap a panel title to the panel width (character counts: CJK about 1 em, Latin 0.55 em)."""
    import textwrap

    per_line = max(6, int(width_in * 72 / (fontsize * (1.0 if _zh(lang) else 0.55))))
    if _zh(lang):
        return "\n".join(text[i:i + per_line] for i in range(0, len(text), per_line))
    return "\n".join(textwrap.wrap(text, per_line)) or text


def _legend_handles(items: list[tuple[str, dict]]) -> list[Any]:
    from matplotlib.lines import Line2D

    return [Line2D([], [], linestyle="none", label=label, **style) for label, style in items]


def _style_color(style: dict) -> str:
    """The colour a marker style reads as: its face, or its edge when hollow."""
    face = style.get("markerfacecolor", plot.COLORS["text"])
    return style.get("markeredgecolor", plot.COLORS["text"]) if face in ("white", "none") else face


def _filled(color: str) -> dict:
    return {"marker": "o", "markersize": 7, "markerfacecolor": color, "markeredgecolor": color}


def _hollow(color: str) -> dict:
    return {"marker": "o", "markersize": 7, "markerfacecolor": "white", "markeredgecolor": color,
            "markeredgewidth": 1.6}


# --------------------------------------------------------------------------- dumbbell


def dumbbell(ax, labels: Sequence[str], a: Sequence[float], b: Sequence[float], *,
             a_label: str, b_label: str, unit: str = "%", lang: str = "zh",
             a_style: dict | None = None, b_style: dict | None = None,
             a_text: Sequence[str] | None = None, b_text: Sequence[str] | None = None,
             b_colors: Sequence[str] | None = None, legend: bool = True,
             legend_items: list[tuple[str, dict]] | None = None,
             right_text: Sequence[str] | None = None) -> None:
    """Two values per row on one shared axis (same unit), joined by a line, each labelled.

    Rows are drawn top to bottom in the order given. ``a`` is drawn hollow by default (e.g. a
    target or the city), ``b`` filled (the result, the district). Labels sit outside the pair:
    the smaller value's label on its left, the larger's on its right, so they never overlap.
    With ``right_text`` one label per row goes right of the rightmost point instead.
    """
    n = len(labels)
    ys = np.arange(n)[::-1]
    a_style = a_style or _hollow(plot.COLORS["target"])
    b_style = b_style or _filled(plot.COLORS["actual"])
    a_text = list(a_text) if a_text is not None else [_fmt(v, unit, lang) for v in a]
    b_text = list(b_text) if b_text is not None else [_fmt(v, unit, lang) for v in b]
    for i, y in enumerate(ys):
        va, vb = a[i], b[i]
        if not (pd.isna(va) or pd.isna(vb)):
            ax.plot([va, vb], [y, y], color=plot.COLORS["neutral"], linewidth=2.4, zorder=1,
                    solid_capstyle="round")
        style_b = dict(b_style)
        if b_colors is not None:
            style_b.update(markerfacecolor=b_colors[i], markeredgecolor=b_colors[i])
        if not pd.isna(va):
            ax.plot([va], [y], linestyle="none", zorder=3, **a_style)
        if not pd.isna(vb):
            ax.plot([vb], [y], linestyle="none", zorder=4, **style_b)
        pairs = [(va, a_text[i], _style_color(a_style)), (vb, b_text[i], _style_color(style_b))]
        pairs = [p for p in pairs if not pd.isna(p[0])]
        pairs.sort(key=lambda p: p[0])
        if right_text is not None and pairs:
            ax.annotate(right_text[i], (pairs[-1][0], y), xytext=(8, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=9, color=plot.COLORS["text"])
            continue
        if len(pairs) == 2 and pairs[0][0] == pairs[1][0]:
            # Same value: one label on the right naming both.
            ax.annotate(f"{pairs[1][1]}", (pairs[1][0], y), xytext=(8, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=9, color=plot.COLORS["text"])
            continue
        for k, (v, text, color) in enumerate(pairs):
            left = k == 0 and len(pairs) == 2
            ax.annotate(text, (v, y), xytext=(-8 if left else 8, 0), textcoords="offset points",
                        ha="right" if left else "left", va="center", fontsize=9, color=color)
    ax.set_yticks(ys, [_wrap_label(str(x), lang) for x in labels])
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(False)
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0, labelcolor=plot.COLORS["text"])
    plot.format_ticks(ax, unit, lang, axis="x")
    _round_ticks(ax)
    vals = [v for v in list(a) + list(b) if not pd.isna(v)]
    if vals:
        lo, hi = min(vals), max(vals)
        span = max(hi - lo, abs(hi) * 0.25, 1.0)
        left, right = lo - span * 0.35, hi + span * 0.35
        if lo >= 0 > left and lo < span * 0.6:
            left = min(0.0, lo - span * 0.35)  # start at zero when the values are near it
        ax.set_xlim(left, right)
        if left < 0 < right:
            ax.axvline(0, color=plot.COLORS["axis"], linewidth=0.8, zorder=0)
    if legend:
        items = legend_items if legend_items is not None else [(a_label, a_style), (b_label, b_style)]
        ax.legend(handles=_legend_handles(items), loc="lower right",
                  bbox_to_anchor=(1.0, 1.0), ncols=len(items), fontsize=9, handletextpad=0.3, borderaxespad=0.2,
                  columnspacing=1.2)


def _nice_note(parts: list[str], lang: str) -> str | None:
    parts = [p for p in parts if p]
    if not parts:
        return None
    return ("；".join(parts) + "。") if _zh(lang) else ("; ".join(parts) + ".")


# --------------------------------------------------------------------------- slope panels


def slope_panels(yoy: pd.DataFrame, alternatives: pd.DataFrame | None, documents: pd.DataFrame,
                 title_zh: str, title_en: str, lang: str = "zh", ncols: int = 3,
                 min_years: int = 2) -> Chart | None:
    """One panel per indicator series (indicator, region, status, measure, unit) with at least
    `min_years` years: its values in every year present, joined by a line and labelled; the
    change from the previous year written on each segment. Each panel has its own axis, so
    indicators with different units never share one. Values of other texts that disagree with
    the chosen one (``alternatives`` from :func:`zzdata.compare.alternatives`) are hollow points
    in the conflict colour; a preliminary chosen value is hollow too.
    """
    zh = _zh(lang)
    rows = yoy[yoy["n_years"] >= min_years]
    if rows.empty:
        return None
    key = ["indicator", "region", "status", "measure", "unit"]
    groups = [g for _, g in rows.groupby(key, sort=False)]
    groups.sort(key=lambda g: (g["measure"].iloc[0] != "level", str(g["indicator"].iloc[0])))
    n = len(groups)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    width = {1: 5.5, 2: 7.0}.get(ncols, 8.0)
    fig, axes = _new(nrows, ncols, (width, 1.0 + 2.6 * nrows), lang=lang)
    alts = alternatives if alternatives is not None else pd.DataFrame(columns=key + ["year", "value", "doc"])
    fact_ids: list[str] = []
    notes: list[str] = []
    all_years = sorted(rows["year"].dropna().astype(int).unique())
    for idx, g in enumerate(groups):
        ax = axes.flat[idx]
        g = g.sort_values("year")
        unit, measure = g["unit"].iloc[0], g["measure"].iloc[0]
        years = g["year"].astype(int).tolist()
        vals = g["value"].astype(float).tolist()
        color = plot.COLORS["city"] if g["region"].iloc[0] == "郑州市" else plot.COLORS["district"]
        ax.plot(years, vals, color=color, linewidth=2.0, zorder=2)
        prelim = g["preliminary"].astype(bool).tolist()
        for x, v, p in zip(years, vals, prelim, strict=True):
            ax.plot([x], [v], linestyle="none", zorder=3, **(_hollow(color) if p else _filled(color)))
        fact_ids += g["fact_id"].tolist()
        texts = [_fmt(v, unit, lang) for v in vals]
        # Values of other texts for the same key.
        mine = alts.merge(g[["indicator", "region", "status", "measure", "year"]],
                          on=["indicator", "region", "status", "measure", "year"]) if len(alts) else alts
        extra_x, extra_y, extra_t = [], [], []
        for a in mine.itertuples():
            ax.plot([int(a.year)], [a.value], linestyle="none", zorder=4, **_hollow(plot.COLORS["conflict"]))
            fact_ids.append(a.fact_id)
            extra_x.append(int(a.year))
            extra_y.append(a.value)
            extra_t.append(_fmt(a.value, unit, lang))
            notes.append(
                (f"{indicator_name(g.iloc[0], lang, status=False)}{int(a.year)}年：选用"
                 f"{_fmt(a.chosen_value, unit, lang)}（{doc_label(a.chosen_doc, documents, lang, short=True)}），"
                 f"{doc_label(a.doc, documents, lang, short=True)}为{_fmt(a.value, unit, lang)}（空心橙点）")
                if zh else
                (f"{indicator_name(g.iloc[0], lang, status=False)} {int(a.year)}: "
                 f"{_fmt(a.chosen_value, unit, lang)} used ({doc_label(a.chosen_doc, documents, lang, short=True)}); "
                 f"the {doc_label(a.doc, documents, lang, short=True)} gave {_fmt(a.value, unit, lang)} (hollow orange)"))
        # Axis: levels from zero (an honest slope); rates around their values.
        allv = vals + extra_y
        lo, hi = min(allv), max(allv)
        if measure == "level" and lo >= 0:
            top = hi * 1.32 if hi > 0 else 1
            ax.set_ylim(-0.16 * top, top)  # room for labels under low points; ticks start at zero
            ax.yaxis.set_major_locator(_NonNegativeLocator())
            ax.spines["bottom"].set_visible(False)
            ax.axhline(0, color=plot.COLORS["axis"], linewidth=0.8, zorder=1)
            ax.tick_params(axis="x", length=0)
        else:
            span = (hi - lo) or abs(hi) or 1
            ax.set_ylim(min(lo, 0) - span * 0.25, max(hi, 0) + span * 0.35)
        ax.set_xlim(all_years[0] - 0.6, all_years[-1] + 0.6)
        ax.set_xticks(all_years, [str(y) for y in all_years])
        # Chinese ticks carry the unit compactly (5000亿元); English ones only the number.
        plot.format_ticks(ax, unit if _zh(lang) else "", lang, digits=3)
        ax.tick_params(axis="y", labelsize=8)
        # Labels: chosen values in the series colour, other texts' values in the conflict colour;
        # where two values share a year, the larger is labelled above and the smaller below.
        above: list[tuple[float, float, str, str]] = []
        below: list[tuple[float, float, str, str]] = []
        for i, (x, v, t) in enumerate(zip(years, vals, texts, strict=True)):
            others = [ev for ex, ev in zip(extra_x, extra_y, strict=True) if ex == x]
            neighbours = [vals[k] for k in (i - 1, i + 1) if 0 <= k < len(vals)]
            if others:
                down = v < min(others)
            else:  # below where the line runs above the point, so the line never crosses its label
                down = bool(neighbours) and all(n > v for n in neighbours)
            (below if down else above).append((x, v, t, color))
        for x, v, t in zip(extra_x, extra_y, extra_t, strict=True):
            chosen_v = vals[years.index(x)] if x in years else v
            (above if v > chosen_v else below).append((x, v, t, plot.COLORS["conflict"]))
        for where, items in (("above", above), ("below", below)):
            if items:
                xs_, ys_, ts_, cs_ = zip(*items, strict=True)
                plot.label_points(ax, xs_, ys_, ts_, color=list(cs_), fontsize=8.5, where=where, offset=6)
        # The change on each segment, on a white ground at the segment's middle.
        for r in g.itertuples():
            if pd.isna(r.prev_value):
                continue
            if measure == "level" and not pd.isna(r.pct_change):
                ch = _pct(r.pct_change)
            else:
                ch = _points(r.change, lang)
            xm, ym = (r.prev_year + r.year) / 2, (r.prev_value + r.value) / 2
            ax.annotate(ch, (xm, ym), ha="center", va="center", fontsize=8, color=plot.COLORS["muted"], zorder=5,
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"})
        title = indicator_name(g.iloc[0], lang)
        region = g["region"].iloc[0]
        if region != "郑州市":
            title = f"{region_name(region, lang)} {title}"
        ax.set_title(_wrap_title(title, width / ncols - 0.5, 9.5, lang), fontsize=9.5, loc="left", pad=4)
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    _finish(fig, title_zh, title_en, lang)
    legend = ("实心点：选用值；灰字：与上一个有数据年份相比的变化（数量为%，比率为百分点）"
              if zh else "Filled points: values used; grey: change from the previous year with data (levels in %, rates in points)")
    notes.insert(0, legend)
    if rows["preliminary"].astype(bool).any():
        notes.insert(1, "空心蓝点：初步或部分期间的数字" if zh else "hollow blue: preliminary or part-year figure")
    return Chart(fig, fact_ids, [], _nice_note(notes, lang))


# --------------------------------------------------------------------------- growth bars


def growth_bars(series: pd.DataFrame, alternatives: pd.DataFrame | None, documents: pd.DataFrame,
                title_zh: str, title_en: str, lang: str = "zh", region: str = "郑州市") -> Chart | None:
    """Reported growth rates (``measure == "growth"``, status actual) of one region: one bar per
    indicator and period present (every year in the data, coloured by period; multi-year periods
    hatched), grouped by indicator, all in % on one axis. A differing value from another text is
    a hollow point in the conflict colour, labelled."""
    zh = _zh(lang)
    g = series[(series["measure"] == "growth") & (series["status"] == "actual") & (series["region"] == region)]
    if g.empty:
        return None
    g = g.copy()
    g["name"] = g.apply(lambda r: indicator_name(r, lang), axis=1)
    periods = sorted(g["period"].unique(), key=lambda p: (int(str(p)[-4:]) if str(p)[-4:].isdigit() else 0, str(p)))
    colour = {p: c for p, c in zip(periods, [plot.PALETTE[1], plot.PALETTE[0], plot.PALETTE[2], plot.PALETTE[4],
                                             plot.PALETTE[5], plot.PALETTE[6]] * 4)}
    # Indicators top to bottom: latest year first, then by value.
    latest = g.sort_values("year").groupby("name").agg(year=("year", "max"), value=("value", "last"))
    order = latest.sort_values(["year", "value"], ascending=[False, False]).index.tolist()
    alts = alternatives if alternatives is not None else pd.DataFrame()
    if len(alts):
        alts = alts[(alts["measure"] == "growth") & (alts["region"] == region) & (alts["status"] == "actual")]
    # Rows: one per (indicator, period), periods newest first within an indicator.
    y, ys, ticks, rows = 0.0, [], [], []
    for name in order:
        sub = g[g["name"] == name].sort_values("year", ascending=False)
        first = y
        for r in sub.itertuples():
            rows.append(r)
            ys.append(y)
            y += 0.78
        ticks.append(((first + y - 0.78) / 2, name))
        y += 0.5
    ys = [-v for v in ys]
    height = 1.9 + 0.3 * (y + 1)
    fig, axes = _new(1, 1, (8.0, max(3.6, height)), lang=lang, grid="x")
    ax = axes[0, 0]
    fact_ids: list[str] = []
    notes: list[str] = []
    for yy, r in zip(ys, rows, strict=True):
        multi = _multi_year(r.period)
        c = colour[r.period]
        bar = ax.barh([yy], [r.value], height=0.66, color="white" if multi else c, edgecolor=c,
                      linewidth=1.2 if multi else 0, hatch="////" if multi else None)
        ax.bar_label(bar, labels=[plot.format_value(r.value, "%", lang, digits=3, sign=True)], padding=3,
                     fontsize=8.5, color=plot.COLORS["text"])
        fact_ids.append(r.fact_id)
        for a in (alts[(alts["indicator"] == r.indicator) & (alts["year"] == r.year)].itertuples() if len(alts) else []):
            ax.plot([a.value], [yy], linestyle="none", zorder=5, **_hollow(plot.COLORS["conflict"]))
            ax.annotate(plot.format_value(a.value, "%", lang, digits=3, sign=True), (a.value, yy),
                        xytext=(7, 0), textcoords="offset points", ha="left", va="center", fontsize=8,
                        color=plot.COLORS["conflict"])
            fact_ids.append(a.fact_id)
            chosen = plot.format_value(a.chosen_value, "%", lang, sign=True)
            other = plot.format_value(a.value, "%", lang, sign=True)
            src_c = doc_label(a.chosen_doc, documents, lang, short=True)
            src_o = doc_label(a.doc, documents, lang, short=True)
            per = period_label(a.period, lang)
            notes.append(f"{r.name}：选用{chosen}（{src_c}），{src_o}给出{per}为{other}（空心橙点）" if zh else
                         f"{r.name}: {chosen} used ({src_c}); the {src_o} gave {other} for {per} (hollow orange)")
    xs_all = list(g["value"]) + (list(alts["value"]) if len(alts) else [])
    lo, hi = min(xs_all + [0.0]), max(xs_all + [0.0])
    span = (hi - lo) or 1.0
    ax.set_yticks([t[0] * -1 for t in ticks], [t[1] for t in ticks])
    ax.tick_params(axis="y", length=0, labelcolor=plot.COLORS["text"])
    ax.axvline(0, color=plot.COLORS["axis"], linewidth=0.8)
    ax.set_xlim(lo - (span * 0.14 if lo < 0 else span * 0.02), hi + span * 0.2)
    ax.set_ylim(min(ys) - 0.6, 0.6)
    plot.format_ticks(ax, "%", lang, axis="x")
    ax.set_xlabel("比上年增长（%）" if zh else "Growth on the previous year (%)")
    from matplotlib.patches import Patch

    handles = [Patch(facecolor="white" if _multi_year(p) else colour[p], edgecolor=colour[p],
                     hatch="////" if _multi_year(p) else None, label=period_label(p, lang))
               for p in periods]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=min(len(periods), 4),
              fontsize=9, borderaxespad=0.2)
    _finish(fig, title_zh, title_en, lang)
    if any(_multi_year(p) for p in periods):
        notes.insert(0, "斜线柱：多年回顾中给出的增长（多年期间，可能是年均或累计增长，不能与单年比较）" if zh
                     else "hatched bars: growth stated in a multi-year review (average or cumulative; not comparable with one year)")
    return Chart(fig, fact_ids, [], _nice_note(notes, lang))


# --------------------------------------------------------------------------- targets


def _alts_for(alts: pd.DataFrame | None, indicator: str, region: str, year: int, status: str | None,
              measure: str) -> list[Any]:
    if alts is None or alts.empty or status is None:
        return []
    m = alts[(alts["indicator"] == indicator) & (alts["region"] == region) & (alts["year"] == year)
             & (alts["status"] == status) & (alts["measure"] == measure)]
    return list(m.itertuples())


def _mark_rate_alts(ax, alts_per_row: Sequence[list[Any]], lang: str) -> list[str]:
    """Other texts' values on a rate dumbbell (rows top to bottom, as :func:`dumbbell` draws
    them): a hollow point in the conflict colour, labelled below. Returns their fact_ids."""
    fact_ids: list[str] = []
    for y, alts in zip(np.arange(len(alts_per_row))[::-1], alts_per_row, strict=True):
        for a in alts:
            ax.plot([a.value], [y], linestyle="none", zorder=5, **_hollow(plot.COLORS["conflict"]))
            ax.annotate(_fmt(a.value, "%", lang), (a.value, y), xytext=(0, -7), textcoords="offset points",
                        ha="center", va="top", fontsize=8, color=plot.COLORS["conflict"])
            fact_ids.append(a.fact_id)
    return fact_ids


def _alt_text(a: Any, documents: pd.DataFrame, lang: str) -> str:
    """A short bracket naming the other text by its kind: （年终综述：13.1万人） / (year-end review: 131,000)."""
    kind = _doc_kind(a.doc, documents, lang)
    if _zh(lang):
        return f"（{kind}：{_fmt(a.value, a.unit, lang)}）"
    return f" ({kind}: {_fmt(a.value, '', lang)})"


def _pair(first: float, second: float, unit: str, lang: str, qualifier: str | None = None) -> str:
    """'2.3万 / 13.93万人', '23,000 / 139,300 people': the unit once, after the second value."""
    a = _fmt(first, "" if unit != "%" else "%", lang)
    b = _fmt_qual(second, unit, qualifier, lang) if qualifier else _fmt(second, unit, lang)
    return f"{a} / {b}"


def _wrap_label(text: str, lang: str, width: int = 24) -> str:
    """Wrap long English row labels on two lines (Chinese names are short enough)."""
    import textwrap

    if _zh(lang) or len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width))


def target_panels(tva: pd.DataFrame, documents: pd.DataFrame, title_zh: str, title_en: str,
                  lang: str = "zh", alternatives: pd.DataFrame | None = None) -> Chart | None:
    """Results against targets (a frame from :func:`zzdata.compare.target_vs_actual`).

    Levels: bars of attainment (result / target, %) with the 100% line, labelled with the result
    and the target in their units; bars are cut at 200% (the label keeps the real figure).
    Rates: a dumbbell, target hollow and result filled. Green: met (in the indicator's direction,
    catalog ``better``); red: missed. A preliminary or part-year result is hatched, a result on
    which texts disagree is starred. Targets with no reported result are listed in the note.
    """
    zh = _zh(lang)
    if tva.empty:
        return None
    have = tva[tva["actual"].notna()].copy()
    missing = tva[tva["actual"].isna()]
    if have.empty:
        return None
    have["name"] = have.apply(lambda r: indicator_name(r, lang) + (" *" if r["actual_conflict"] else ""), axis=1)
    levels = have[have["measure"] == "level"].sort_values("attainment")
    rates = have[(have["unit"] == "%") & (have["measure"] != "level")].sort_values("gap")
    # Growth rates and other rates (shares, coverage) are both % but on very different scales.
    panels = [p for p in (("level", levels), ("growth", rates[rates["measure"] == "growth"]),
                          ("share", rates[rates["measure"] != "growth"])) if len(p[1])]
    heights = [max(1.0, 0.42 * len(p[1]) + 0.5) for p in panels]
    fig, axes = _new(len(panels), 1, (8.0, 1.7 + sum(heights) + 0.5 * len(panels)),
                     gridspec_kw={"height_ratios": heights}, lang=lang, grid="x")
    good, bad = plot.COLORS["cumulative"], plot.COLORS["conflict"]
    fact_ids: list[str] = []
    for (kind, frame), ax in zip(panels, axes[:, 0], strict=True):
        fact_ids += frame["target_fact_id"].tolist() + frame["actual_fact_id"].tolist()
        colors = [good if bool(m) else bad for m in frame["met"]]
        if kind == "level":
            ys = np.arange(len(frame))
            shown = frame["attainment"].clip(upper=_CAP_ATTAINMENT)
            hatch = ["////" if p else None for p in frame["actual_preliminary"].astype(bool)]
            for y, v, c, h in zip(ys, shown, colors, hatch, strict=True):
                ax.barh([y], [v], height=0.62, color="white" if h else c, edgecolor=c, linewidth=1.2 if h else 0,
                        hatch=h)
            ax.axvline(100, color=plot.COLORS["text"], linewidth=1.0, linestyle=(0, (3, 2)))
            ax.annotate("目标 = 100%" if zh else "target = 100%", (100, len(frame) - 0.45), xytext=(3, 0),
                        textcoords="offset points", fontsize=8.5, color=plot.COLORS["muted"], va="bottom")
            for y, r, v in zip(ys, frame.itertuples(), shown, strict=True):
                cut = "»" if r.attainment > _CAP_ATTAINMENT else ""
                text = (f"{plot.format_value(r.attainment, '%', lang, digits=3)}{cut}  "
                        f"{_pair(r.actual, r.target, r.unit, lang, r.target_qualifier)}")
                right = v
                for a in _alts_for(alternatives, r.indicator, r.region, r.year, r.actual_status, r.measure):
                    ax_ = min(a.value / r.target * 100, _CAP_ATTAINMENT) if r.target else np.nan
                    ax.plot([ax_], [y], linestyle="none", zorder=5, **_hollow(plot.COLORS["conflict"]))
                    text += _alt_text(a, documents, lang)
                    fact_ids.append(a.fact_id)
                    right = max(right, ax_)
                ax.annotate(text, (right, y), xytext=(9 if right != v else 4, 0), textcoords="offset points",
                            va="center", fontsize=8.5,
                            color=plot.COLORS["text"], zorder=6,
                            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"})
            ax.set_yticks(ys, [_wrap_label(n, lang) for n in frame["name"]])
            ax.set_ylim(-0.6, len(frame) - 0.2)
            ax.set_xlim(0, _CAP_ATTAINMENT * 1.6)
            ax.set_xticks([0, 50, 100, 150, 200])
            plot.format_ticks(ax, "%", lang, axis="x")
            ax.set_title("数量：结果占目标的百分比（结果 / 目标）" if zh else "Amounts: result as % of target",
                         fontsize=10, loc="left")
        else:
            dumbbell(ax, frame["name"].tolist(), frame["target"].tolist(), frame["actual"].tolist(),
                     a_label="目标" if zh else "target", b_label="结果" if zh else "result", unit="%", lang=lang,
                     a_text=[_fmt_qual(t, "%", q, lang) for t, q in zip(frame["target"], frame["target_qualifier"], strict=True)],
                     b_colors=colors,
                     legend_items=[("目标" if zh else "target", _hollow(plot.COLORS["target"])),
                                   ("达到" if zh else "met", _filled(good)),
                                   ("未达到" if zh else "missed", _filled(bad))])
            fact_ids += _mark_rate_alts(ax, [_alts_for(alternatives, r.indicator, r.region, r.year, r.actual_status,
                                                       r.measure) for r in frame.itertuples()], lang)
            title = {"growth": ("增速（%）", "Growth rates (%)"), "share": ("比率（%）", "Rates (%)")}[kind]
            ax.set_title(title[0] if zh else title[1], fontsize=10, loc="left")
        ax.tick_params(axis="y", length=0, labelcolor=plot.COLORS["text"])
    _finish(fig, title_zh, title_en, lang)
    notes = ["绿色：达到目标；红色：未达到（按指标方向）" if zh else "green: target met; red: missed (in the indicator's direction)"]
    if have["actual_preliminary"].astype(bool).any():
        notes.append("斜线：结果为初步或部分期间的数字" if zh else "hatched: the result is preliminary or for part of the year")
    if have["actual_conflict"].astype(bool).any():
        notes.append("*：不同文本给出的结果不同，柱/实心点为按选用规则选用的值，空心橙点与括号内为另一文本的数值" if zh
                     else "*: texts give different results; bars and filled points show the value chosen by the rule, "
                          "hollow orange points and brackets the other text's value")
    if (levels["attainment"] > _CAP_ATTAINMENT).any():
        notes.append(f"»：柱在{_CAP_ATTAINMENT:.0f}%处截断，标签为实际比例" if zh else
                     f"»: bar cut at {_CAP_ATTAINMENT:.0f}%, the label gives the full figure")
    if (have["actual_status"] == "cumulative").any():
        notes.append("“累计”结果为累计数" if zh else "results marked cumulative are running totals")
    if len(missing):
        unique = list(dict.fromkeys(indicator_name(r, lang) for _, r in missing.iterrows()))
        names = "、".join(unique) if zh else ", ".join(unique)
        notes.append(f"未找到结果的目标：{names}" if zh else f"targets with no reported result: {names}")
        fact_ids += missing["target_fact_id"].tolist()
    return Chart(fig, fact_ids, [], _nice_note(notes, lang))


# --------------------------------------------------------------------------- district vs city


def district_panels(dvc: pd.DataFrame, documents: pd.DataFrame, title_zh: str, title_en: str,
                    lang: str = "zh", alternatives: pd.DataFrame | None = None) -> Chart | None:
    """A district against the city (a frame from :func:`zzdata.compare.district_vs_city`).

    Amounts that add up: bars of the district's share of the city (%), labelled with both values.
    Rates: a dumbbell, city hollow and district filled, in %. Other levels (days, per-capita):
    bars of the district as an index of the city (city = 100). Amounts where the district's
    figure exceeds the city's (the texts count different things) are listed in the note.
    """
    zh = _zh(lang)
    if dvc.empty:
        return None
    d = dvc.copy()
    d["name"] = d.apply(lambda r: indicator_name(r, lang) + (" *" if r["city_conflict"] else ""), axis=1)
    share = d[d["additive"] & d["comparable"]].sort_values("district_share")
    rates = d[d["gap_points"].notna()].sort_values("gap_points")
    index = d[~d["additive"] & d["gap_points"].isna() & d["ratio"].notna()].sort_values("ratio")
    odd = d[~d["comparable"]]
    panels = [p for p in (("share", share), ("rate", rates[rates["measure"] == "growth"]),
                          ("rate", rates[rates["measure"] != "growth"]), ("index", index)) if len(p[1])]
    if not panels:
        return None
    heights = [max(1.0, 0.42 * len(p[1]) + 0.5) for p in panels]
    fig, axes = _new(len(panels), 1, (8.0, 1.7 + sum(heights) + 0.5 * len(panels)),
                     gridspec_kw={"height_ratios": heights}, lang=lang, grid="x")
    district = region_name(d["district"].iloc[0], lang)
    city = region_name(d["city"].iloc[0], lang)
    cd, cc = plot.COLORS["district"], plot.COLORS["city"]
    fact_ids: list[str] = []
    for (kind, frame), ax in zip(panels, axes[:, 0], strict=True):
        fact_ids += frame["district_fact_id"].tolist() + frame["city_fact_id"].tolist()
        if kind == "rate":
            dumbbell(ax, frame["name"].tolist(), frame["city_value"].tolist(), frame["district_value"].tolist(),
                     a_label=city, b_label=district, unit="%", lang=lang, a_style=_hollow(cc),
                     b_style=_filled(cd))
            fact_ids += _mark_rate_alts(ax, [_alts_for(alternatives, r.indicator, r.city, r.year, r.status, r.measure)
                                             for r in frame.itertuples()], lang)
            growth = frame["measure"].eq("growth").all()
            kind_zh, kind_en = ("增速", "Growth rates") if growth else ("比率", "Rates")
            ax.set_title(f"{kind_zh}（%）" if zh else f"{kind_en} (%)",
                         fontsize=10, loc="left")
            continue
        col = "district_share" if kind == "share" else "ratio"
        ys = np.arange(len(frame))
        ax.barh(ys, frame[col], height=0.62, color=cd)
        for y, v, r in zip(ys, frame[col], frame.itertuples(), strict=True):
            text = (f"{plot.format_value(v, '%' if kind == 'share' else '', lang, digits=3)}  "
                    f"{_pair(r.district_value, r.city_value, r.unit, lang)}")
            right = v
            for a in _alts_for(alternatives, r.indicator, r.city, r.year, r.status, r.measure):
                alt_v = r.district_value / a.value * 100 if a.value else np.nan
                text += _alt_text(a, documents, lang)
                fact_ids.append(a.fact_id)
                if kind == "share" and not alt_v <= 100:
                    continue  # the other text's city figure is below the district's: named, not drawn
                ax.plot([alt_v], [y], linestyle="none", zorder=5, **_hollow(plot.COLORS["conflict"]))
                right = max(right, alt_v)
            ax.annotate(text, (right, y), xytext=(9 if right != v else 4, 0), textcoords="offset points",
                        va="center", fontsize=8.5, color=plot.COLORS["text"], zorder=6)
        ax.set_yticks(ys, [_wrap_label(n, lang) for n in frame["name"]])
        ax.set_ylim(-0.6, len(frame) - 0.4)
        top = float(frame[col].max())
        if kind == "share":
            ax.set_xlim(0, max(top * 1.9, 10))
            plot.format_ticks(ax, "%", lang, axis="x")
            ax.set_title(f"数量：{district}占{city}的比重（{district} / {city}）" if zh
                         else f"Amounts: {district} as % of {city}", fontsize=10, loc="left")
        else:
            ax.axvline(100, color=plot.COLORS["text"], linewidth=1.0, linestyle=(0, (3, 2)))
            ax.set_xlim(0, max(top * 1.9, 150))
            _round_ticks(ax)
            ax.set_title(f"其他水平值：{district}相对{city}（{city} = 100）" if zh
                         else f"Other levels: {district} relative to {city} = 100", fontsize=10, loc="left")
        ax.tick_params(axis="y", length=0, labelcolor=plot.COLORS["text"])
    _finish(fig, title_zh, title_en, lang)
    notes = []
    if d["status"].eq("cumulative").any():
        notes.append("“累计”为累计数" if zh else "“cumulative”: running totals")
    if d["city_conflict"].any():
        parts = [indicator_name(r, lang, status=False) for r in d[d["city_conflict"]].itertuples()]
        notes.append((f"*：{city}的数值各文本不一（{'、'.join(parts)}），柱为按选用规则选用的值，空心橙点与括号内为另一文本的数值" if zh else
                      f"*: texts disagree on the {city} figure ({', '.join(parts)}); bars use the value chosen by the rule, "
                      "hollow orange points and brackets the other text's value"))
    if len(odd):
        parts = [f"{indicator_name(r, lang, status=False)} {_fmt(r.district_value, r.unit, lang)} / "
                 f"{_fmt(r.city_value, r.unit, lang)}" for r in odd.itertuples()]
        notes.append((f"未画出：{district}数值大于{city}，两份文本统计口径不同（{'；'.join(parts)}）" if zh else
                      f"not drawn: the {district} figure exceeds the {city} one, the texts count different things ({'; '.join(parts)})"))
        fact_ids += odd["district_fact_id"].tolist() + odd["city_fact_id"].tolist()
    return Chart(fig, fact_ids, [], _nice_note(notes, lang))


# --------------------------------------------------------------------------- conflicts


def conflict_panels(alternatives: pd.DataFrame, series: pd.DataFrame, documents: pd.DataFrame,
                    title_zh: str, title_en: str, lang: str = "zh") -> Chart | None:
    """Where texts disagree (a frame from :func:`zzdata.compare.alternatives`): one row per
    indicator, region, year, status and measure. Amounts: the other text's value as an index of
    the chosen one (chosen = 100), labelled with both values; rates (%): both values on one axis.
    The chosen value is filled, the other text's hollow in the conflict colour."""
    zh = _zh(lang)
    if alternatives is None or alternatives.empty:
        return None
    key = ["indicator", "region", "year", "status", "measure"]
    a = alternatives.merge(series[key + ["name_zh", "name_en"]], on=key, how="left")

    def kind(doc: str) -> str:
        return _doc_kind(doc, documents, lang)

    def name(r) -> str:
        n = indicator_name(r, lang)
        region = "" if r["region"] == "郑州市" else region_name(r["region"], lang) + " "
        return f"{region}{n} {int(r['year'])}" if not zh else f"{region}{n}（{int(r['year'])}）"

    a["row"] = a.apply(name, axis=1)
    levels = a[a["unit"] != "%"].copy()
    rates = a[a["unit"] == "%"].copy()
    levels["index"] = levels["value"] / levels["chosen_value"] * 100
    levels = levels.sort_values("index", ascending=False)
    rates = rates.sort_values("value", ascending=False)
    panels = [p for p in (("level", levels), ("rate", rates)) if len(p[1])]
    heights = [max(1.0, 0.48 * len(p[1]) + 0.5) for p in panels]
    # Left: the dots on their axis; right: the values as text, row by row (a chart and a table).
    fig, axes = _new(len(panels), 2, (8.0, 1.7 + sum(heights) + 0.6 * len(panels)),
                     gridspec_kw={"height_ratios": heights, "width_ratios": [1.0, 1.25]},
                     lang=lang, grid="x")
    chosen_style, other_style = _filled(plot.COLORS["actual"]), _hollow(plot.COLORS["conflict"])
    items = [("选用值" if zh else "value used", chosen_style), ("另一文本" if zh else "other text", other_style)]
    fact_ids: list[str] = []
    for (k, frame), ax, tx in zip(panels, axes[:, 0], axes[:, 1], strict=True):
        fact_ids += frame["chosen_fact_id"].tolist() + frame["fact_id"].tolist()
        chosen_text = [f"{_fmt(r.chosen_value, r.unit, lang)}（{kind(r.chosen_doc)}）" if zh else
                       f"{_fmt(r.chosen_value, r.unit, lang)} ({kind(r.chosen_doc)})" for r in frame.itertuples()]
        other_text = [f"{_fmt(r.value, r.unit, lang)}（{kind(r.doc)}{'，' + period_label(r.period, lang) if r.period != str(r.year) else ''}）"
                      if zh else
                      f"{_fmt(r.value, r.unit, lang)} ({kind(r.doc)}{', ' + period_label(r.period, lang) if r.period != str(r.year) else ''})"
                      for r in frame.itertuples()]
        blank = [""] * len(frame)
        if k == "level":
            dumbbell(ax, frame["row"].tolist(), [100.0] * len(frame), frame["index"].tolist(),
                     a_label="", b_label="", unit="", lang=lang, a_style=chosen_style, b_style=other_style,
                     a_text=blank, b_text=blank, legend=False)
            ax.axvline(100, color=plot.COLORS["text"], linewidth=0.8, linestyle=(0, (3, 2)), zorder=0)
            ax.set_title("数量（选用值 = 100）" if zh else "Amounts (value used = 100)",
                         fontsize=10, loc="left")
        else:
            dumbbell(ax, frame["row"].tolist(), frame["chosen_value"].tolist(), frame["value"].tolist(),
                     a_label="", b_label="", unit="%", lang=lang, a_style=chosen_style, b_style=other_style,
                     a_text=blank, b_text=blank, legend=False)
            ax.set_title("增速与比率（%）" if zh else "Growth rates and rates (%)", fontsize=10, loc="left")
        # The table column: value used (filled) and the other text's value (hollow), per row.
        import matplotlib.transforms as mtransforms

        tx.set_axis_off()
        tx.set_ylim(ax.get_ylim())
        where = mtransforms.blended_transform_factory(tx.transAxes, tx.transData)
        for y, c, o in zip(np.arange(len(frame))[::-1], chosen_text, other_text, strict=True):
            tx.plot([0.02], [y + 0.17], transform=where, linestyle="none", clip_on=False, **{**chosen_style, "markersize": 5})
            tx.text(0.05, y + 0.17, c, transform=where, va="center", fontsize=8.5, color=_style_color(chosen_style))
            tx.plot([0.02], [y - 0.2], transform=where, linestyle="none", clip_on=False, **{**other_style, "markersize": 5})
            tx.text(0.05, y - 0.2, o, transform=where, va="center", fontsize=8.5, color=_style_color(other_style))
        tx.legend(handles=_legend_handles(items), loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, fontsize=9,
                  handletextpad=0.3, borderaxespad=0.2)
    _finish(fig, title_zh, title_en, lang)
    note = choice.describe("zh" if zh else "en", "short")  # the rule's one wording (series/choice.py)
    return Chart(fig, fact_ids, [], _nice_note([note], lang))
