"""One language per notebook (issue 21, part 4): a notebook makes one Words and hands it on; no
function of the charts takes a language code, so the refactor cannot slide back to a ``lang``
threaded through the signatures (with defaults that disagree); the notebooks' fixed texts come from
labels.csv in both languages."""

from __future__ import annotations

import ast
import csv
import importlib
import inspect
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from conftest import ROOT  # noqa: E402

from zzdata.series import choice, compare  # noqa: E402
from zzdata.tools import synthetic  # noqa: E402
from zzdata.viz import views  # noqa: E402
from zzdata.viz.words import Words  # noqa: E402

VIZ = ROOT / "zzdata" / "viz"
NOTEBOOKS = ROOT / "notebooks"
CJK = re.compile(r"[\u3400-\u9fff]")

#: The lookups below Words that take a language: the review pages (zzdata/review), which print
#: both languages side by side, call them directly; in zzdata/viz only words.py may.
LEAF_LOOKUPS = {"zzdata.viz.words.phrase", "zzdata.viz.words.region_name", "zzdata.viz.numbers.format_value"}


def _viz_modules() -> list[str]:
    return sorted("zzdata.viz." + ".".join(p.relative_to(VIZ).with_suffix("").parts).removesuffix(".__init__")
                  for p in VIZ.rglob("*.py") if p.name != "__main__.py")


def _public_callables(module) -> list[tuple[str, object]]:
    """Every public function and public method of a class defined in `module`."""
    out = []
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            out.append((f"{module.__name__}.{name}", obj))
        elif inspect.isclass(obj):
            out.append((f"{module.__name__}.{name}", obj))  # its constructor
            for attr, member in vars(obj).items():
                if not attr.startswith("_") and inspect.isfunction(member):
                    out.append((f"{module.__name__}.{name}.{attr}", member))
    return out


def test_no_function_of_the_charts_takes_a_language_but_words():
    """A chart form, a view, the chart book, the tables and the ticks take the notebook's Words;
    only Words itself is made from a language code (and the three leaf lookups it is built on)."""
    found = []
    for name in _viz_modules():
        for qualified, obj in _public_callables(importlib.import_module(name)):
            if qualified == "zzdata.viz.words.Words" or qualified in LEAF_LOOKUPS:
                continue
            try:
                params = inspect.signature(obj).parameters
            except (TypeError, ValueError):
                continue
            if "lang" in params or any(p.startswith(("lang_", "title_zh", "title_en")) for p in params):
                found.append(f"{qualified}{inspect.signature(obj)}")
    assert not found, "take the notebook's Words, not a language code:\n" + "\n".join(found)
    # The check sees what it should: Words is made from a language, the views take a Words.
    assert "lang" in inspect.signature(Words).parameters
    assert inspect.signature(views.open_notebook).parameters["words"].annotation in (Words, "Words")


def test_only_words_reads_the_language_or_calls_the_lookups_that_take_one():
    """Outside words.py no module of zzdata/viz reads ``.lang`` off a Words (to hand a code on) or
    imports the leaf lookups that take one: a chart asks its Words."""
    leaves = {q.rsplit(".", 1)[1] for q in LEAF_LOOKUPS}
    found = []
    for path in sorted(VIZ.rglob("*.py")):
        if path.name == "words.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "lang":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .lang")
            if isinstance(node, ast.ImportFrom) and any(a.name in leaves for a in node.names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: imports {[a.name for a in node.names]}")
    assert not found, "\n".join(found)


def test_the_series_room_has_no_default_language():
    """The series room cannot import the charts: its one function that words anything (the choice
    rule, whose steps hold both languages) asks for the language every time."""
    with pytest.raises(TypeError):
        choice.describe()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        choice.describe("en")  # type: ignore[misc]
    for module in (choice, compare):
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_"):
                lang = inspect.signature(fn).parameters.get("lang")
                assert lang is None or lang.default is inspect.Parameter.empty, f"{module.__name__}.{name}"
    assert Words("zh").choice_rule("short") == choice.describe(lang="zh", form="short")


def _labels() -> dict[str, dict[str, str]]:
    with (ROOT / "zzdata" / "data" / "labels.csv").open(encoding="utf-8", newline="") as fh:
        return {r["key"]: r for r in csv.DictReader(fh)}


def test_the_notebooks_fixed_texts_come_from_labels_in_both_languages():
    """How to read each view's chart, the line shown when it has nothing to draw, and the
    summaries the notebooks print: labels.csv, Chinese in Chinese, English with no Chinese."""
    labels = _labels()
    keys = {f"method_{v}" for v in views.VIEWS} | {f"empty_{v}" for v in views.VIEWS} | {"method_texts"}
    keys |= {f"empty_regions_{kind}" for kind in views.REGION_CHARTS} | {"empty_conflicts"}
    keys |= {"targets_summary", "regions_summary", "conflicts_summary", "charted_summary"}
    # ... and every phrase a notebook asks for itself.
    for path in NOTEBOOKS.glob("*.py"):
        keys |= set(re.findall(r"phrase\(\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    missing = sorted(keys - set(labels))
    assert not missing, f"not in zzdata/data/labels.csv: {missing}"
    for key in sorted(keys):
        assert CJK.search(labels[key]["zh"]), key
        assert not CJK.search(labels[key]["en"]), key
    # No English sentence typed into the views or the notebooks' code for a reader to see.
    source = (VIZ / "views.py").read_text(encoding="utf-8")
    assert "targets with a reported result" not in source and "districts and counties (" not in source
    for path in NOTEBOOKS.glob("*.py"):
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
        assert not re.search(r'Markdown\(f?"[^"]*[A-Za-z]{3,} [A-Za-z]{3,}', code), path.name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_notebooks_summaries_and_tables_speak_its_language(lang, tmp_path):
    """The summaries and the table of pairs not compared of a notebook opened with Words(lang)
    are in that language; the series room hands over reasons, the notebook words them."""
    facts, series, documents = synthetic.tables(3, 4)
    words = Words(lang)
    nb = views.notebook_from("speaks", facts, series, documents, words, root=tmp_path, formats=("png",))
    assert nb.book.words is words
    years = views.pair_years(nb)
    table = pd.concat([views.pairs(nb, y) for y in years], ignore_index=True)
    odd = views.not_compared(nb, table)
    assert len(odd) and (odd["why"] == odd["reason"].map(words.reason)).all()
    assert set(compare.not_compared(table)["reason"]) == set(odd["reason"]) and "why" not in compare.not_compared(table)
    summary = views.regions_summary(nb)
    texts = [summary, *odd["why"], views.texts_used(nb, "economy")]
    if lang == "en":
        hits = [t for t in texts[:-1] if CJK.search(t)]  # texts_used names the texts' Chinese titles on purpose
        assert not hits, hits
        assert summary.startswith("**Synthetic ")
    else:
        assert all(CJK.search(t) for t in texts)
        assert not re.search(r"[A-Za-z]{3,}", summary), summary
    assert str(len(years)) in summary


def test_a_chart_book_wants_words_not_a_code(tmp_path):
    facts, series, documents = synthetic.tables(2, 2)
    from zzdata.viz.book import ChartBook

    with pytest.raises(TypeError, match="Words"):
        ChartBook("x", facts, documents, "en", root=tmp_path)  # type: ignore[arg-type]


def test_a_words_object_is_one_language_and_cannot_change():
    words = Words("en")
    with pytest.raises(ValueError):
        Words("fr")
    with pytest.raises(AttributeError):
        words.lang = "zh"  # type: ignore[misc]
    assert Words("zh").period("2024-01..11") == "2024年1–11月" and words.period("2024-01..11") == "Jan–Nov 2024"
    assert Words("zh").points(0.5) == "+0.5个百分点" and words.points(0.5) == "+0.5 pp"
    assert Path(inspect.getsourcefile(Words)).name == "words.py"
