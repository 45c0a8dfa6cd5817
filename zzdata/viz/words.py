"""What the charts say, in Chinese or English: the fixed wording (``data/labels.csv``, read by
:func:`phrase`), the names of regions (the gazetteer's ``name_en``), indicators (the catalog),
document types, themes and statuses (``data/vocab.csv``), numbers and periods, and the source
lines and lists of texts that name the documents a chart draws on (``documents.csv``).

:class:`Words` holds one language of all of it. A notebook makes one and hands it to its chart
book, its tables and every chart form: nothing else in the charts takes a language
(``tests/test_words.py`` checks the signatures). Two lookups stay free functions, :func:`phrase`
and :func:`region_name`, for the review pages, which print both languages side by side.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import pandas as pd

from ..core import catalog, periods, vocab
from ..series import choice
from .numbers import format_value

T = TypeVar("T")

LANGUAGES = ("zh", "en")


def _check(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")


@lru_cache(maxsize=None)
def labels_table() -> dict[str, dict[str, str]]:
    with resources.files("zzdata").joinpath("data/labels.csv").open(encoding="utf-8", newline="") as fh:
        return {r["key"]: {"zh": r["zh"], "en": r["en"]} for r in csv.DictReader(fh)}


def phrase(key: str, lang: str, **fields: Any) -> str:
    """The wording ``key`` of ``data/labels.csv`` in ``lang``, its ``{placeholders}`` filled from
    ``fields`` (``phrase("targets_missing", "en", names="GDP")``). The charts call it through
    :meth:`Words.phrase`; the review pages, which show both languages, directly."""
    _check(lang)
    try:
        template = labels_table()[key][lang]
    except KeyError:
        raise KeyError(f"no chart wording {key!r} in zzdata/data/labels.csv") from None
    return template.format(**fields)


#: A list under a chart that grows with the years, the regions or the texts (other texts' values
#: that differ from the value used, pairs not compared) names at most this many items; beyond, it
#: names the first ones and one line counts the rest and says where all of them are listed
#: (:func:`name_first`; one item over is named, not counted as "1 more"). Three: under a chart 8 inches wide, at the footer's 8 pt, a named
#: disagreement takes about one line in Chinese and one and a half in English, so three of them
#: and the count stay within about five lines whatever the collection holds -- a few named, so the
#: reader sees what kind of difference the hollow points are, and the chart keeps its page (the
#: footer grows the figure by its height, :func:`zzdata.viz.save.save_figure`).
NAMED_UP_TO = 3


def name_first(items: Iterable[T], k: int = NAMED_UP_TO) -> tuple[list[T], list[T]]:
    """The items a footer names and those it only counts: every item when there are at most
    `k` + 1 (a line counting one item would take the place of naming it), else the first `k` and
    the rest (the caller says how many and where they are listed). Either way at most `k` + 1
    parts of the note."""
    items = list(items)
    return (items, []) if len(items) <= k + 1 else (items[:k], items[k:])


# --------------------------------------------------------------------------- names


def _synthetic_name_en(region: str) -> str | None:
    """The English name of a region of a synthetic collection (zzdata.tools.synthetic), read from
    its Chinese name by the two patterns of labels.csv (合成中原区 -> Synthetic Zhongyuan District,
    合成第17区 -> Synthetic District 17); None for any other name. A rule, not a list that a
    collection registers: nothing here changes while charts are drawn."""
    marker = phrase("synthetic_region", "zh", name="")
    if not region.startswith(marker):
        return None
    known = catalog.regions().get(region[len(marker):])
    if known is not None and known.name_en:
        return phrase("synthetic_region", "en", name=known.name_en)
    head, _, tail = phrase("synthetic_numbered", "zh", n="\0").partition("\0")
    numbered = re.fullmatch(re.escape(head) + r"(\d+)" + re.escape(tail), region)
    return phrase("synthetic_numbered", "en", n=int(numbered.group(1))) if numbered else None


def region_name(region: str, lang: str) -> str:
    """The region's name: its gazetteer name in Chinese, its official English name in English (a
    synthetic region's from its Chinese name). The charts call it through :meth:`Words.region`;
    the review pages, which show both languages, directly."""
    _check(lang)
    if lang == "zh":
        return region
    known = catalog.regions().get(region)
    if known is not None and known.name_en:
        return known.name_en
    return _synthetic_name_en(region) or region


#: English words shortened in a region's short name (generic words, no region's name).
_EN_SHORT = {"District": "Dist.", "County": "Co.", "Economic": "Econ.", "Economy": "Econ.",
             "Technological": "Tech.", "Development": "Dev.", "Industrial": "Ind.", "and": "&",
             "High-tech": "Hi-tech", "Synthetic": "Syn."}
_ZH_SUFFIXES = ("区", "县", "市")


def abbreviate_words(name: str) -> str:
    """English generic words shortened (District -> Dist., and -> &): a short form any reader
    reads back."""
    return " ".join(_EN_SHORT.get(w, w) for w in name.split())


#: A source line names each text up to this many; beyond, texts of one region and kind are
#: written as one span (first to last delivered), and then texts of one kind as one count.
SOURCE_ITEMS = 6
#: The facts' columns a text's caveats read (Words._caveats).
CAVEAT_COLUMNS = ("period", "status", "preliminary")


# --------------------------------------------------------------------------- one language per chart


@dataclass(frozen=True)
class Title:
    """A chart's title in both languages: a Chinese chart shows the Chinese title with the English
    one under it (the house style), an English chart the English one alone."""

    zh: str
    en: str

    def page(self, page: int) -> Title:
        """The title of a further chart of the same view: 标题（续2） / Title (continued, 2)."""
        if page <= 1:
            return self
        return Title(phrase("continued", "zh", title=self.zh, page=page),
                     phrase("continued", "en", title=self.en, page=page))

    def shown(self, words: Words) -> tuple[str, str | None]:
        """The title and the subtitle a chart in `words`' language shows."""
        return (self.zh, self.en) if words.zh else (self.en, None)


@dataclass(frozen=True)
class Words:
    """Everything a chart says, in one language: the wording of labels.csv, the names of regions,
    indicators, reasons, themes, periods and texts, numbers and titles. A notebook makes one
    (``Words(LANG)``, handed to :func:`zzdata.viz.views.open_notebook`) and hands it to its chart
    book, its tables and every chart form, so a chart cannot come out half in one language and
    half in the other; nothing in it changes after it is made. ``Words("zh")`` or ``Words("en")``."""

    lang: str

    def __post_init__(self) -> None:
        _check(self.lang)

    @property
    def zh(self) -> bool:
        return self.lang == "zh"

    # ------------------------------------------------------------------- wording

    def phrase(self, key: str, **fields: Any) -> str:
        """The wording ``key`` of labels.csv, its placeholders filled from ``fields``."""
        return phrase(key, self.lang, **fields)

    def join(self, items: Iterable[str], sep: str = "enum_sep") -> str:
        """Items joined the way the language lists them: 、 / ", " (``sep="list_sep"``: ； / "; ")."""
        return self.phrase(sep).join(items)

    def note(self, parts: Iterable[str | None]) -> str | None:
        """The note under a chart: its parts as one sentence (None when there is nothing to say)."""
        parts = [p for p in parts if p]
        if not parts:
            return None
        return self.join(parts, "list_sep") + self.phrase("note_end")

    def choice_rule(self, form: str = "list") -> str:
        """The choice rule in words (:func:`zzdata.series.choice.describe`): a numbered list, or
        one sentence (``form="short"``) for a note under a chart."""
        return choice.describe(lang=self.lang, form=form)

    def title(self, key: str, **fields: Any) -> Title:
        """A title of labels.csv in both languages; a field may be a function of a Words (a list
        joined the language's way), ``city``/``region`` and ``theme`` are named in each."""
        out = {}
        for lang in LANGUAGES:
            words = Words(lang)
            values = {}
            for k, v in fields.items():
                v = v(words) if callable(v) else v
                if k in ("city", "region") and isinstance(v, str):
                    v = words.region(v)
                elif k == "theme" and isinstance(v, str):
                    v = words.theme(v)
                values[k] = v
            out[lang] = words.phrase(key, **values)
        return Title(out["zh"], out["en"])

    # ------------------------------------------------------------------- names

    def region(self, region: str) -> str:
        """The region's gazetteer name in Chinese, its official English name in English."""
        return region_name(region, self.lang)

    def short_region(self, region: str) -> str:
        """A short name for crowded charts. Chinese: the shortest alias of the gazetteer that
        still ends in 区/县/市, without the city's name in front (航空港区, 经开区, 管城区); English:
        the official name without the city's name in front, generic words shortened (Econ. &
        Tech. Dev. Zone). A synthetic region keeps its prefix; a name not in the gazetteer stays
        as it is."""
        regions = catalog.regions()
        prefix = ""
        base = region
        marker = phrase("synthetic_region", "zh", name="")
        if region not in regions and region.startswith(marker) and region[len(marker):] in regions:
            prefix, base = marker, region[len(marker):]
        known = regions.get(base)
        if known is None:
            name = self.region(region)
            return name if self.zh else abbreviate_words(name)
        parent = regions.get(known.parent)
        if self.zh:
            names = [a for a in (known.name, *known.aliases) if a and a.endswith(_ZH_SUFFIXES)] or [known.name]
            short = min(names, key=lambda a: (len(a), names.index(a)))
            for head in sorted((parent.name, *parent.aliases) if parent else (), key=len, reverse=True):
                if head and short.startswith(head) and len(short) - len(head) >= 3:
                    short = short[len(head):]
                    break
            return prefix + short
        name = known.name_en
        if parent is not None and parent.name_en and name.startswith(parent.name_en + " "):
            name = name[len(parent.name_en) + 1:]
        text = abbreviate_words(name)
        return (_EN_SHORT["Synthetic"] + " " + text) if prefix else text

    def indicator(self, row: Any, status: bool = True) -> str:
        """The indicator's catalog name, tagged with its status unless it is a result."""
        get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
        name = get("name_zh") if self.zh else (get("name_en") or get("name_zh"))
        st = get("status", "actual") if status else "actual"
        # A result is the unmarked status; targets and running totals are tagged.
        tag = vocab.names("status", self.lang).get(st, "") if st != "actual" else ""
        if tag:
            name = self.phrase("tagged", name=name, tag=tag)
        return str(name)

    def growth(self, name: str) -> str:
        """An indicator's name as a growth rate (地区生产总值增速 / GDP growth), unless the name
        already says so (居民消费价格涨幅 / consumer price inflation)."""
        if name.endswith(tuple(self.phrase("growth_words").split("|"))):
            return name
        return self.phrase("growth_row", name=name)

    def reason(self, reason: str) -> str:
        """Why a pair is not compared, in words (the ``reason`` list of vocab.csv)."""
        try:
            return vocab.names("reason", self.lang).get(reason, reason)
        except KeyError:  # an older vocab.csv without the list
            return reason

    def theme(self, theme: str) -> str:
        return vocab.names("theme", self.lang).get(theme, theme)

    def period(self, period: str) -> str:
        """A period as the language writes it (2024年1–11月 / Jan–Nov 2024)."""
        return periods.label(period, self.lang)

    def flag(self, code: str) -> str:
        """An error check that flags a value, in words (the ``flag`` list of vocab.csv)."""
        return vocab.names("flag", self.lang).get(code, code)

    # ------------------------------------------------------------------- the texts

    def doc_kind(self, doc: str, documents: pd.DataFrame) -> str:
        """What kind of text a document is (年终综述 / year-end review); the file name if unknown."""
        doc_type = documents.set_index("file")["doc_type"].get(doc, "")
        return vocab.names("doc_type", self.lang).get(doc_type, doc)

    def doc(self, doc: str, documents: pd.DataFrame, short: bool = False) -> str:
        """e.g. 郑州市政府工作报告（2025-01） / Zhengzhou government work report (2025-01)."""
        d = documents.set_index("file")
        if doc not in d.index:
            return doc
        return self._doc_row(d.loc[doc], short)

    def _doc_row(self, r: pd.Series, short: bool = False) -> str:
        """:meth:`doc` of a row of documents.csv."""
        kind = vocab.names("doc_type", self.lang).get(r["doc_type"], r["doc_type"])
        if short:
            return self.phrase("doc_short", delivered=r["delivered"], kind=kind)
        return self.phrase("doc", region=self.region(r["region"]), kind=kind, delivered=r["delivered"])

    def source_line(self, docs: Iterable[str], documents: pd.DataFrame) -> str:
        """The texts a chart draws on, in the order they were delivered; many texts condensed
        (郑州市政府工作报告（2006-02—2025-01，20份）, 17份政府工作报告（17个地区，2025-01—2025-02）),
        the notebook's table of charted facts naming each one."""
        d = documents.set_index("file")
        docs = sorted(set(docs), key=lambda x: (str(d["delivered"].get(x, "")), x))
        known = [x for x in docs if x in d.index]
        if len(docs) <= SOURCE_ITEMS or len(known) < len(docs):
            return self.phrase("source", docs=self.join((self.doc(x, documents) for x in docs), "list_sep"))
        rows = d.loc[known, ["region", "doc_type", "delivered"]].reset_index()
        rows["kind"] = rows["doc_type"].map(vocab.names("doc_type", self.lang)).fillna(rows["doc_type"])

        def dates(g: pd.DataFrame) -> str:
            first, last = str(g["delivered"].min()), str(g["delivered"].max())
            return first if first == last else self.phrase("date_range", first=first, last=last)

        by_region = rows.groupby(["region", "kind"], sort=False)
        if by_region.ngroups <= SOURCE_ITEMS:
            items = [self.doc(g["file"].iloc[0], documents) if len(g) == 1 else
                     self.phrase("source_span", region=self.region(region), kind=kind, n=len(g), dates=dates(g))
                     for (region, kind), g in by_region]
        else:
            items = [self.phrase("source_many", kind=kind, n=len(g), m=g["region"].nunique(), dates=dates(g))
                     for kind, g in rows.groupby("kind", sort=False)]
        return self.phrase("source", docs=self.join(items, "list_sep"))

    def _caveats(self, row: pd.Series, mine: pd.DataFrame) -> list[str]:
        """What a reader should know of a text (a row of documents.csv; `mine`, its facts'
        CAVEAT_COLUMNS)."""
        out = []
        publisher, title = str(row.get("publisher", "")), str(row.get("title", ""))
        if "报纸" in publisher or "摘编" in title or "读报告" in title:  # a newspaper's digest, from the manifest
            out.append(self.phrase("caveat_digest"))
        if row["doc_type"] == "year_review":
            out.append(self.phrase("caveat_year_review"))
        multi = sorted({p for p in mine["period"] if periods.is_multi_year(p)})
        single = sorted({p for p in mine["period"] if p.isdigit()})
        if multi and single:
            out.append(self.phrase("caveat_mixed_years", multi=self.join(multi), single=self.join(single)))
        if len(mine) and (mine["status"] == "target").all():
            out.append(self.phrase("caveat_targets_only"))
        if (mine["preliminary"]).any() and row["doc_type"] != "year_review":
            out.append(self.phrase("caveat_preliminary"))
        return out

    def describe_texts(self, documents: pd.DataFrame, facts: pd.DataFrame, docs: Iterable[str] | None = None) -> str:
        """A Markdown list of the texts (from documents.csv) with their caveats, for a notebook."""
        rows = documents if docs is None else documents[documents["file"].isin(set(docs))]
        rows = rows.sort_values(["delivered", "file"])
        at = facts.groupby("doc", sort=False).indices  # each text's facts, found once
        read = facts[list(CAVEAT_COLUMNS)]
        none: list[int] = []
        lines = []
        for _, r in rows.iterrows():
            cav = self.join(self._caveats(r, read.iloc[at.get(r["file"], none)]), "list_sep")
            lines.append(f"- **{self._doc_row(r)}** — {r['title']}  \n"
                         f"  `{r['file']}` · {r['region']} · {self.phrase('n_figures', n=int(r['n_facts']))}"
                         + (f" · *{cav}*" if cav else ""))
        return "\n".join(lines)

    # ------------------------------------------------------------------- values in words

    def value(self, v: float, unit: str | None = None, **kw: Any) -> str:
        """A value as the language prints it (13.93万人 / 139,300 people):
        :func:`zzdata.viz.numbers.format_value`."""
        return format_value(v, unit, self.lang, **kw)

    def qualified(self, v: float, unit: str, qualifier: str | None) -> str:
        """A value with its qualifier: 30万人以上 / over 300,000 people."""
        text = self.value(v, unit)
        if qualifier in ("over", "about", "under"):
            return self.phrase(f"qualifier_{qualifier}", value=text)
        return text

    def points(self, v: float, sign: bool = True) -> str:
        """A change of a rate: +0.5个百分点 / +0.5 pp."""
        return self.phrase("points", n=self.value(v, None, digits=3, sign=sign))

    def pair(self, first: float, second: float, unit: str, qualifier: str | None = None) -> str:
        """'2.3万 / 13.93万人', '23,000 / 139,300 people': the unit once, after the second value."""
        a = self.value(first, "" if unit != "%" else "%")
        b = self.qualified(second, unit, qualifier) if qualifier else self.value(second, unit)
        return f"{a} / {b}"

    def other_text(self, a: Any, documents: pd.DataFrame) -> str:
        """A bracket naming the other text by its kind: （年终综述：13.1万人） / (year-end review: 131,000)."""
        return self.phrase("other_text", kind=self.doc_kind(a.doc, documents),
                           value=self.value(a.value, a.unit), number=self.value(a.value, ""))

    # ------------------------------------------------------------------- the footer's lists

    def name_others(self, items: Sequence[T], describe: Callable[[T], str]) -> list[str]:
        """Other texts' values that differ from the values used (hollow orange points), for a note:
        the first :data:`NAMED_UP_TO` described (``describe``), the rest counted in one line that
        gives the total and says where every one is listed (series.csv, column ``other_values``)."""
        named, rest = name_first(items)
        out = [describe(item) for item in named]
        if rest:
            out.append(self.phrase("more_others", n=len(rest), total=len(items)))
        return out

    def more_not_compared(self, key: str, reasons: Iterable[str]) -> str:
        """The line that counts the pairs not compared beyond those a note names (`key`: the phrase
        for year pairs or region pairs): how many, and each of their reasons once, in words."""
        reasons = list(reasons)
        names = [self.reason(k) for k in dict.fromkeys(reasons)]
        return self.phrase(key, n=len(reasons), reasons=self.join(names, "list_sep"))

    def left_out(self, flags: Iterable[str]) -> str | None:
        """The footer's line for values a chart leaves out because every figure of their key was
        flagged (``series.flag``): how many, and each check once, in words."""
        flags = [f for f in flags if f]
        if not flags:
            return None
        checks = dict.fromkeys(c for f in flags for c in str(f).split("|") if c)
        key = "left_out_one" if len(flags) == 1 else "left_out_many"
        return self.phrase(key, n=len(flags), reasons=self.join([self.flag(c) for c in checks], "list_sep"))

    def corrected(self, n: int) -> str | None:
        """The footer's line for a chart that draws values a person corrected."""
        return self.phrase("corrected_one" if n == 1 else "corrected_many", n=n) if n else None
