"""`make bench`'s charts (``python -m zzdata bench --charts``): every chart kind of a synthetic
collection drawn in both languages side by side, timed as charts per second; then one district's
report, held back until then, added, and the charts drawn again counted (the others come back from
the chart store), as a researcher adds a report and reruns the notebooks. A benchmark, not a test.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

#: The collection the chart bench draws: regions beside the city, years, and the years whose
#: region charts are drawn (the last ones: every region chart kind, not one of each year).
CHART_REGIONS, CHART_YEARS, CHART_REGION_YEARS = 16, 20, 2


def _region_years(n_years: int, region_years: int) -> list[int]:
    from . import synthetic

    return list(range(synthetic.FIRST_YEAR, synthetic.FIRST_YEAR + n_years))[-region_years:]


def _draw_language(args: tuple[str, int, int, int, str, int | None, int | None]) -> tuple[str, int, float]:
    """One language's charts of the synthetic collection (zzdata.tools.synthetic.render): every
    view the notebooks call, saved as PNG, SVG and PDF, through the chart store in `out` (without
    the report of the year `hold_back`, when given). Returns (lang, charts, seconds)."""
    lang, n_regions, n_years, region_years, out, themes, hold_back = args
    from . import synthetic

    t0 = time.perf_counter()
    made = synthetic.render(Path(out), n_regions, n_years, langs=(lang,), strict=False,
                            years=_region_years(n_years, region_years), themes=themes, store=True,
                            hold_back=hold_back)
    return lang, sum(len(v) for v in made.values()), time.perf_counter() - t0


def _stored_charts(out: Path) -> int:
    """The charts in the chart store of `out` (one record each)."""
    from ..viz import reuse

    return len(list(reuse.store_of(out).glob("*.json")))


def _draw(tasks: list[tuple], jobs: int) -> tuple[list[tuple[str, int, float]], float]:
    from concurrent.futures import ProcessPoolExecutor

    t0 = time.perf_counter()
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            done = list(pool.map(_draw_language, tasks))
    else:
        done = [_draw_language(t) for t in tasks]
    return done, time.perf_counter() - t0


def charts(workdir: Path, n_regions: int = CHART_REGIONS, n_years: int = CHART_YEARS,
           region_years: int = CHART_REGION_YEARS, jobs: int = 2, say=print, themes: int | None = None) -> dict:
    """Draw and save every chart kind of a synthetic collection of `n_regions` regions over
    `n_years` years (the region charts of the last `region_years`), in Chinese and English side by
    side (`jobs` processes, as `make figures` runs notebooks), each chart in the three formats
    (`themes`: the first so many themes' charts, default all); return and print the charts per
    second. The first pass goes through an empty chart store, so every chart is drawn, with one
    district's report on the first of those years held back; the second adds that report, as a
    researcher adds one and reruns the notebooks, and counts the charts drawn again. The font is
    made first, outside the timing."""
    from ..viz import fonts
    from . import synthetic

    fonts.chart_fonts()
    out = workdir / "charts"
    shutil.rmtree(out, ignore_errors=True)
    year = _region_years(n_years, region_years)[0]
    report = synthetic.held_back(synthetic.collection(n_regions, n_years)[1], year)
    tasks = [(lang, n_regions, n_years, region_years, str(out), themes, year) for lang in ("zh", "en")]
    done, wall = _draw(tasks, jobs)
    n = sum(d[1] for d in done)
    fig = {"charts": n, "charts_s": wall, "charts_per_s": n / wall, "seconds_per_chart": wall / n,
           "by_lang": {lang: (k, s) for lang, k, s in done}}
    say(f"charts: {n} charts of {n_regions} regions x {n_years} years (PNG 300 dpi, SVG, PDF), "
        f"{len(tasks)} languages in {min(jobs, len(tasks))} processes: {wall:.1f} s wall, "
        f"{n / wall:.2f} charts/s, {wall / n:.2f} s a chart; "
        + ", ".join(f"{lang} {k} in {sec:.1f} s" for lang, k, sec in done))
    stored = _stored_charts(out)
    again, wall2 = _draw([t[:-1] + (None,) for t in tasks], jobs)
    redrawn = _stored_charts(out) - stored
    fig.update({"report_added": report, "charts_after_report": sum(d[1] for d in again),
                "redrawn_after_report": redrawn, "after_report_s": wall2})
    say(f"  one district's report added ({report}, {year}), the store kept: {redrawn} of "
        f"{fig['charts_after_report']} charts drawn again, {wall2:.1f} s wall (every chart drawn: {wall:.1f} s)")
    return fig
