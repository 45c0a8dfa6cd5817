"""An overview of every region against the city in one chart: a table of coloured cells, regions
across and indicators down, in blocks by what the cell holds -- the gap to the city in
percentage points for growth rates and other rates, the share of the city for amounts that add
up, the region as an index of the city (city = 100) for other levels. The first column gives the
city's own value. Values are written in the cells when they fit the cell (all of a block or
none, so a reader never wonders why one is missing). Pairs not compared are grey cells, named
with their reason in the note; a blank cell is a figure the region's text does not give.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...core import vocab
from ..book import Chart
from ..layout import text_width_pt

from ..pieces import finish, new, page_note, pages, panel_title, region_labels
from ..style import COLORS, PALETTE, families, styled
from ..words import Title, Words
from .pairs import KEY, not_compared_parts, unit_word

BLOCKS = ("rate", "share", "index")
#: Colours: better than the city, worse (diverging blocks), shares (sequential), grey cells.
BETTER, WORSE, SHARE = COLORS["city"], COLORS["conflict"], PALETTE[4]
NOT_COMPARED, CITY_CELL = "#D9D9D9", "#F0F0F0"
CELL_FONT, LABEL_FONT = 7.0, 7.5
ROW_IN, ROW2_IN, MAX_ROWS = 0.22, 0.32, 34


def block_of(frame: pd.DataFrame) -> pd.Series:
    """Which block each pair belongs to: rate (gap in points), share (of the city), index."""
    out = pd.Series("index", index=frame.index)
    out[frame["gap_points"].notna() | ((frame["unit"] == "%") & frame["measure"].isin(["growth", "share"]))] = "rate"
    out[frame["additive"].astype(bool) & (out != "rate")] = "share"
    return out


def _blend(color: str, t: float) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    t = float(min(max(t, 0.0), 1.0)) * 0.85
    return (1 - t + t * r, 1 - t + t * g, 1 - t + t * b)


def _ink(rgb: Sequence[float]) -> str:
    lum = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    return "white" if lum < 0.5 else COLORS["text"]


def _cell_text(block: str, v: float, digits: int) -> str:
    if block == "rate":
        return f"{v:+.{digits}f}"
    return f"{v:.{digits}f}"


def _scores(block: str, values: pd.Series, better: pd.Series) -> pd.Series:
    """Signed strength of each cell: positive better than the city (diverging blocks)."""
    sign = np.where(better == "lower", -1.0, 1.0)
    if block == "rate":
        return values * sign
    if block == "index":
        return np.log(values.where(values > 0) / 100.0) * sign
    return values


def _row_name(r: pd.Series, block: str, words: Words) -> str:
    name = words.indicator(r)
    if r["measure"] == "growth":
        return words.growth(name)
    if block == "index" and r["unit"] != "%":
        return words.phrase("panel_unit", name=name, unit=unit_word(r["unit"], words))
    return name


@styled
def draw_block(ax, rows: pd.DataFrame, block: str, columns: Sequence[str], *, words: Words,
               headers: dict[str, str], cell_pt: float, city_name: str) -> dict[str, bool]:
    """One block (rows of :func:`zzdata.series.compare.district_vs_city` of one kind, for one year)
    on `ax`: a row per indicator, the city's value in the first column, each region's cell
    coloured and, when the block's values fit their cells, written. Returns which texts were
    left out (``values``, ``city``)."""
    keys = list(dict.fromkeys(rows[KEY].itertuples(index=False, name=None)))
    col = {"rate": "gap_points", "share": "district_share", "index": "ratio"}[block]
    by_key = {k: g for k, g in rows.groupby(KEY, sort=False)}
    n, m = len(keys), len(columns) + 1
    rgb = np.ones((n, m, 3))
    texts: dict[tuple[int, int], str] = {}
    city_texts: dict[int, str] = {}
    comparable = rows[rows["comparable"].astype(bool)]
    strength = _scores(block, comparable[col], comparable["better"]) if len(comparable) else pd.Series(dtype=float)
    vmax = float(np.nanquantile(np.abs(strength), 0.9)) if len(strength.dropna()) else 1.0
    vmax = max(vmax, {"rate": 1.0, "index": math.log(1.1), "share": 1.0}[block])
    names = []
    for i, k in enumerate(keys):
        g = by_key[k]
        first = g.iloc[0]
        names.append(_row_name(first, block, words))
        rgb[i, 0] = _blend("#9A9A9A", 0.12)
        city_texts[i] = (f"{first['city_value']:.1f}" if first["unit"] == "%"
                         else words.value(first["city_value"], "" if block == "share" else first["unit"], digits=3))
        for r in g.itertuples():
            if r.district not in columns:
                continue
            j = columns.index(r.district) + 1
            v = getattr(r, col)
            if not r.comparable or pd.isna(v):
                rgb[i, j] = _blend("#7F7F7F", 0.3) if not r.comparable else (1, 1, 1)
                continue
            s = float(_scores(block, pd.Series([v]), pd.Series([r.better])).iloc[0])
            if block == "share":
                rgb[i, j] = _blend(SHARE, s / max(vmax, 1e-9))
            else:
                rgb[i, j] = _blend(BETTER if s >= 0 else WORSE, abs(s) / vmax)
            texts[(i, j)] = v
    # The cells as a mesh of rectangles, rows from the top: vector cells in the SVG and PDF (an
    # image was resampled at 300 dpi for each format and embedded as a picture), under the white
    # lines between them (zorder 0, as an image's), in the 8-bit colours an image's floats become.
    ax.pcolormesh(np.arange(m + 1) - 0.5, np.arange(n + 1) - 0.5, (rgb * 255).astype(np.uint8), shading="flat",
                  antialiased=False, edgecolors="none", linewidth=0, zorder=0)
    ax.set_xlim(-0.5, m - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    # Cell values: as many decimals as fit, the same for the whole block; none when none fit.
    family = families()
    left_out = {"values": False, "city": False}
    for digits in ((1, 0) if block != "index" else (0,)):
        written = {ij: _cell_text(block, v, digits) for ij, v in texts.items()}
        widest = max((text_width_pt(t, CELL_FONT, family) for t in written.values()), default=0.0)
        if widest <= cell_pt - 3:
            break
    else:
        written, left_out["values"] = {}, bool(texts)
    city_widest = max((text_width_pt(t, CELL_FONT, family) for t in city_texts.values()), default=0.0)
    if city_widest > cell_pt - 3:
        city_texts, left_out["city"] = {}, True
    for (i, j), t in written.items():
        ax.text(j, i, t, ha="center", va="center", fontsize=CELL_FONT, color=_ink(rgb[i, j]))
    for i, t in city_texts.items():
        ax.text(0, i, t, ha="center", va="center", fontsize=CELL_FONT, color=COLORS["text"])
    # Frame: white lines between cells, regions on top, indicators on the left.
    ax.set_xticks(np.arange(m + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n + 1) - 0.5, minor=True)
    ax.grid(False)
    ax.grid(True, which="minor", color="white", linewidth=1.2, linestyle="-")
    ax.tick_params(which="minor", length=0)
    ax.tick_params(axis="both", which="major", length=0, labelsize=LABEL_FONT, labelcolor=COLORS["text"], pad=2)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_yticks(np.arange(n), [_wrap_row(x, words) for x in names])
    heads = [city_name] + [headers[c] for c in columns]
    ax.set_xticks(np.arange(m), heads)
    ax.xaxis.tick_top()
    ax.get_xticklabels()[0].set_color(COLORS["city"])
    ax.axvline(0.5, color=COLORS["muted"], linewidth=0.8)
    title = {"rate": "overview_rate_title", "share": "overview_share_title", "index": "overview_index_title"}[block]
    panel_title(ax, words.phrase(title, city=city_name), fontsize=9, pad=6)
    return left_out


def _wrap_row(text: str, words: Words) -> str:
    import textwrap

    if words.zh or len(text) <= 34:
        return text
    return "\n".join(textwrap.wrap(text, 34)[:2])


def _header(label: str, cell_pt: float, words: Words) -> tuple[str, int]:
    """A column header: horizontal when it fits the cell, else upright Chinese characters one
    under another, or English turned 90 degrees. Returns the text and its rotation."""
    if max(text_width_pt(line, LABEL_FONT, families()) for line in label.split("\n")) <= cell_pt - 2:
        return label, 0
    if words.zh:
        return "\n".join(label.replace("\n", "")), 0
    return label.replace("\n", " "), 90


@styled
def overview_chart(dvc: pd.DataFrame, documents: pd.DataFrame, title: Title, words: Words,
                   regions: Sequence[str] | None = None, max_rows: int = MAX_ROWS) -> list[Chart]:
    """Every region against the city for one year in one table of cells (:func:`draw_block`
    per block); more than ``max_rows`` indicators go on further charts. ``regions`` orders the
    columns (default: as they come). Returns the charts (empty: nothing to draw)."""
    if dvc.empty:
        return []
    from ...core import catalog

    d = dvc[dvc["measure"].isin(["level", "growth", "share"])].copy()
    if d.empty:
        return []
    d["block"] = block_of(d)
    d["better"] = d["indicator"].map({i.id: i.better for i in catalog.indicators().values()}).fillna("higher")
    d["_key"] = list(d[KEY].itertuples(index=False, name=None))
    themes = vocab.rank("theme")
    d["_order"] = d["theme"].map(themes).fillna(99)
    d = d.sort_values(["_order", "indicator", "measure", "status"], kind="stable")
    present = list(dict.fromkeys(d["district"]))
    columns = [r for r in (regions or present) if r in set(present)] + [r for r in present if r not in (regions or [])]
    columns = list(dict.fromkeys(columns))
    city_name = words.region(d["city"].iloc[0])
    labels, abbreviations = region_labels(columns, words, width=14)
    row_keys = [(b, k) for b in BLOCKS for k in dict.fromkeys(d.loc[d["block"] == b, "_key"])]
    chunks = pages(row_keys, max_rows)
    label_in = 1.9 if words.zh else 2.6
    cell_in = min(0.8, max(0.34, (8.0 - 0.5 - label_in) / (len(columns) + 1)))
    cell_pt = cell_in * 72
    headers = {}
    rotated = False
    for c in columns:
        headers[c], rot = _header(labels[c], cell_pt, words)
        rotated |= bool(rot)
    charts = []
    for page, chunk in enumerate(chunks, start=1):
        blocks = [(b, [k for bb, k in chunk if bb == b]) for b in BLOCKS]
        blocks = [(b, keys) for b, keys in blocks if keys]
        first = {r["_key"]: r for _, r in d.drop_duplicates("_key").iterrows()}
        two = not words.zh and any(len(_row_name(first[k], b, words)) > 34
                                      for b, keys in blocks for k in keys)
        row_in = ROW2_IN if two else ROW_IN
        head_in = max((text_width_pt(h, LABEL_FONT, families()) if rotated else LABEL_FONT * 1.25 * (h.count("\n") + 1))
                      for h in headers.values()) / 72 + 0.45
        heights = [len(keys) for _, keys in blocks]
        width = max(6.0, label_in + cell_in * (len(columns) + 1) + 0.6)
        height = 1.9 + sum(heights) * row_in + len(blocks) * head_in
        fig, axes = new(len(blocks), 1, (width, height), grid=None, gridspec_kw={"height_ratios": heights})
        left_out = {"values": False, "city": False}
        fact_ids: list[str] = []
        for (b, keys), ax in zip(blocks, axes[:, 0], strict=True):
            rows = d[(d["block"] == b) & d["_key"].isin(keys)]
            out = draw_block(ax, rows, b, columns, words=words, headers=headers, cell_pt=cell_pt, city_name=city_name)
            if rotated:
                ax.tick_params(axis="x", labelrotation=90)
            left_out = {k: left_out[k] or out[k] for k in left_out}
            ok = rows[rows["comparable"].astype(bool)]
            fact_ids += ok["district_fact_id"].tolist() + ok["city_fact_id"].tolist()
        finish(fig, title.page(page), words)
        done = sum(1 for c in chunks[:page - 1] for _ in c)
        notes = [page_note(page, len(chunks), done + 1, done + len(chunk), len(row_keys), words),
                 words.phrase("overview_colours", city=city_name)]
        if left_out["values"] or left_out["city"]:
            notes.append(words.phrase("overview_values_omitted"))
        notes.append(abbreviations)
        if page == len(chunks):
            notes += not_compared_parts(dvc, words)
        charts.append(Chart(fig, fact_ids, [], words.note(notes)))
    return charts
