"""A chart and the facts it draws, and a notebook's book of charts: it saves each one with a
source line naming its texts and returns the table of the facts drawn, for the notebook's last
cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .save import save_chart
from .style import house
from .words import Words


@dataclass
class Chart:
    """A figure with the facts it draws, their documents and a note for the footer."""

    fig: Any
    fact_ids: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    note: str | None = None
    #: Where the chart's files are kept when a view drew it through :func:`~.reuse.draw` (``fig``
    #: is then None until it must be drawn).
    reuse: Any = None


class ChartBook:
    """Saves a notebook's charts with their source lines and remembers the facts they drew.

    >>> book = ChartBook("01_economy", facts, documents, Words("zh"))
    >>> book.save(chart, "targets")               # reports/figures/01_economy/targets.png …
    >>> book.sources()                            # the table of charted facts and their sources
    """

    def __init__(self, notebook: str, facts: pd.DataFrame, documents: pd.DataFrame, words: Words,
                 root: Path | None = None, formats: tuple[str, ...] | None = None):
        if not isinstance(words, Words):
            raise TypeError(f"ChartBook takes the notebook's Words (Words('zh') or Words('en')), not {words!r}")
        self.notebook, self.facts, self.documents, self.words, self.root = notebook, facts, documents, words, root
        self.formats = formats
        self.saved: dict[str, Chart] = {}
        self.paths: dict[str, dict[str, Path]] = {}

    def save(self, chart: Chart | None, name: str, show: bool = True, empty: str | None = None) -> dict[str, Any]:
        """Write the chart (PNG, SVG, PDF), show it in the notebook and close it; return the paths.

        With no chart (nothing to draw for this theme) show `empty` instead and return {}.
        """
        if chart is None:
            if show and empty:
                display_markdown(f"*{empty}*")
            return {}
        docs = set(chart.docs) | set(self.facts.loc[self.facts["fact_id"].isin(chart.fact_ids), "doc"])
        save = chart.reuse.save if chart.reuse is not None else save_chart  # reuse: stored files, or drawn
        saved = save(chart.fig, self.notebook, name, self.words.source_line(docs, self.documents),
                           note=chart.note, root=self.root, **({"formats": self.formats} if self.formats else {}))
        paths = saved.paths
        self.saved[name] = chart
        self.paths[name] = paths
        if show:
            if saved.preview is not None:  # the saved rendering, made smaller: not drawn again
                display_png(saved.preview)
            elif chart.fig is not None:
                display_figure(chart.fig)
        if chart.fig is not None:
            import matplotlib.pyplot as plt

            plt.close(chart.fig)
        return paths

    def save_all(self, charts: Chart | Sequence[Chart] | None, name: str, show: bool = True,
                 empty: str | None = None) -> list[dict[str, Any]]:
        """Save the charts of one view: the first as `name`, further ones as `name_2`, `name_3` …"""
        if charts is None or isinstance(charts, Chart):
            charts = [charts] if charts is not None else []
        if not charts:
            self.save(None, name, show=show, empty=empty)
            return []
        return [self.save(c, name if i == 1 else f"{name}_{i}", show=show) for i, c in enumerate(charts, start=1)]

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
        where: dict[str, list[str]] = {}
        for name, chart in self.saved.items():
            for f in chart.fact_ids:
                where.setdefault(f, []).append(name)
        table.insert(0, "charts", table["fact_id"].map(lambda f: ", ".join(where.get(f, []))))
        return table


def sources_table(fact_ids: Sequence[str], facts: pd.DataFrame) -> pd.DataFrame:
    """The facts by id with where they were printed: doc, value_text, snippet, fact_id."""
    cols = ["indicator", "label", "region", "period", "status", "value_text", "doc", "snippet", "fact_id"]
    t = facts[facts["fact_id"].isin(list(fact_ids))][cols]
    return t.sort_values(["indicator", "region", "period", "status", "doc"]).reset_index(drop=True)


# --------------------------------------------------------------------------- showing in a notebook


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def display_figure(fig, dpi: int = 110) -> None:
    """Show the laid-out figure as a PNG in the notebook (works with the Agg backend too)."""
    if _in_ipython():
        from io import BytesIO

        from IPython.display import Image, display

        buffer = BytesIO()
        with house():
            fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
        display(Image(data=buffer.getvalue()))


def display_png(data: bytes) -> None:
    """Show a PNG in the notebook (nothing outside one)."""
    if _in_ipython():
        from IPython.display import Image, display

        display(Image(data=data))


def display_markdown(text: str) -> None:
    """Show Markdown in the notebook (nothing outside one)."""
    if _in_ipython():
        from IPython.display import Markdown, display

        display(Markdown(text))
