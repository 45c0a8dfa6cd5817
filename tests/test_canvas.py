"""The charts' canvas (zzdata.viz.canvas) remembers font measurements and draws the same pixels
as matplotlib's own Agg canvas."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from zzdata.viz import canvas, style  # noqa: E402


def _figure(canvas_class) -> tuple[Figure, list]:
    """A figure with one- and several-line texts in the house fonts at several sizes (Chinese,
    Latin, a glyph from the fallback font) on a ``canvas_class`` (inside the house rcParams); the
    figure and its texts."""
    fig = Figure(figsize=(5, 3))
    canvas_class(fig)
    ax = fig.subplots()
    ax.plot([2101, 2102, 2103], [1.5, 3.25, 2.0])
    ax.set_title("郑州 Testopolis 各区县 ∙ 2101")
    texts = [ax.text(2101.2, 2.5, "两行文字\nTwo lines, 12.5%", fontsize=8, linespacing=1.3),
             fig.text(0.02, 0.02, "来源 Source: 2101年工作报告 · zzdata", fontsize=7),
             ax.set_xlabel("年份 Year"), ax.set_ylabel("亿元\n100m yuan"),
             ax.text(2102, 1.8, "斜排 Slanted 30°", rotation=30, fontsize=9),
             ax.text(2102.4, 3.0, "锯齿 Jagged ∙", antialiased=False, fontsize=9),
             ax.text(2101.1, 1.6, "郑州 Testopolis 各区县 ∙ 2101", fontsize=6)]  # the title's words, smaller
    return fig, texts


def _draw(canvas_class, dpi: float) -> tuple[np.ndarray, list]:
    """:func:`_figure` drawn by ``canvas_class`` at ``dpi``: its pixels and the texts' boxes."""
    with matplotlib.rc_context(style.house_rc()):
        fig, texts = _figure(canvas_class)
        fig.dpi = dpi
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        boxes = [tuple(t.get_window_extent(renderer).bounds) for t in texts]
        return np.asarray(fig.canvas.buffer_rgba()).copy(), boxes


@pytest.mark.parametrize("dpi", [100, 300])
def test_the_chart_canvas_draws_what_matplotlibs_agg_draws(dpi, monkeypatch):
    """The same pixels and boxes, the texts' layouts made (and then remembered) by the chart canvas,
    rotated and jagged texts and a glyph of the fallback font among them."""
    monkeypatch.setattr(canvas, "_LAYOUTS", {})
    plain, plain_boxes = _draw(FigureCanvasAgg, dpi)
    assert not canvas._LAYOUTS
    ours, our_boxes = _draw(canvas.ChartCanvas, dpi)
    assert ours.shape == plain.shape
    assert np.array_equal(ours, plain), f"{int((ours != plain).any(axis=2).sum())} pixels differ"
    assert our_boxes == plain_boxes
    remembered = len(canvas._LAYOUTS)
    assert remembered >= 6 or not canvas._draws_glyph_by_glyph()
    again, again_boxes = _draw(canvas.ChartCanvas, dpi)  # from what the process remembered
    assert np.array_equal(again, plain) and again_boxes == plain_boxes
    assert len(canvas._LAYOUTS) == remembered


def test_the_chart_canvas_remembers_and_answers_for_the_installed_matplotlib():
    fig, _ax = style.new_figure()
    renderer = fig.canvas.get_renderer()
    assert isinstance(renderer, canvas.ChartRenderer)
    prop = matplotlib.font_manager.FontProperties(family=style.families(), size=10)
    ascent, descent, gap = renderer._get_font_height_metrics(prop)
    if canvas._reads_height_tables():  # matplotlib reads OS/2 itself: the hook answers in its place
        assert ascent > 0 and descent > 0 and gap >= 0
        assert ascent + descent < 2 * 10 * renderer.dpi / 72  # pixels of a 10 pt font, not font units
    else:
        assert (ascent, descent, gap) == (None, None, None)
    first = renderer.get_text_width_height_descent("郑州 2101", prop, ismath=False)
    prop.set_size(20)  # a changed property is measured afresh, not taken from the remembered size
    assert renderer.get_text_width_height_descent("郑州 2101", prop, ismath=False)[0] > 1.5 * first[0]


def _vector(fmt: str) -> bytes:
    """The figure of :func:`_figure` written as ``fmt`` (svg or pdf), its metadata without a date."""
    import io

    with matplotlib.rc_context(style.house_rc()):
        fig, _texts = _figure(FigureCanvasAgg)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata={"svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt])
        return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_the_vector_files_are_the_same_with_the_remembered_line_metrics(fmt, monkeypatch):
    plain = _vector(fmt)
    asked = []
    answer = canvas.height_metrics
    monkeypatch.setattr(canvas, "height_metrics", lambda prop, dpi: asked.append(dpi) or answer(prop, dpi))
    monkeypatch.setattr(canvas, "_TEXT_SIZES", {})
    with canvas.vector_metrics():
        ours = _vector(fmt)
        sizes = len(canvas._TEXT_SIZES)
        again = _vector(fmt)  # the texts' sizes from memory
    assert ours == plain and again == plain
    assert sizes >= 6 and len(canvas._TEXT_SIZES) == sizes
    if canvas._reads_height_tables():
        assert asked and set(asked) == {canvas.VECTOR_DPI}  # the hook answered, at the vector dpi
    from matplotlib.backends.backend_pdf import RendererPdf
    from matplotlib.backends.backend_svg import RendererSVG

    assert "_get_font_height_metrics" not in vars(RendererSVG)  # put back as it was
    assert vars(RendererPdf).get("_get_font_height_metrics") is None


def test_a_pdf_is_the_same_with_its_texts_layouts_remembered(monkeypatch):
    """canvas.pdf_layouts: the same PDF, written once with the layouts made and once from memory;
    matplotlib's PDF renderer and text helper as they were after."""
    from matplotlib import _text_helpers
    from matplotlib.backends.backend_pdf import RendererPdf

    monkeypatch.setattr(canvas, "_LAYOUTS", {})
    plain = _vector("pdf")
    draw, layout = RendererPdf.draw_text, _text_helpers.layout
    with canvas.pdf_layouts():
        first = _vector("pdf")
        made = len(canvas._LAYOUTS)
        again = _vector("pdf")
    assert first == plain and again == plain
    assert made >= 6 and len(canvas._LAYOUTS) == made  # made once, then taken from memory
    assert RendererPdf.draw_text is draw and _text_helpers.layout is layout


def _ticked(fmt: str) -> tuple[bytes, list]:
    """Four panels with shared x axes, aligned labels, an offset on the y axis (values in the
    millions) and a second y axis, written as ``fmt``; the file's bytes and each axes' tight box."""
    import io

    with matplotlib.rc_context(style.house_rc()):
        fig = Figure(figsize=(6, 4))
        canvas.ChartCanvas(fig)
        axes = fig.subplots(2, 2, sharex=True)
        for k, ax in enumerate(axes.flat):
            ax.plot([2101, 2105, 2109], [1.2e6 + k, 1.5e6, 1.3e6 + 7 * k])
            ax.set_ylabel(f"亿元 {k}")
        axes[1, 0].set_xlabel("年份 Year")
        axes[0, 1].twinx().plot([2101, 2109], [3, 5])
        fig.align_labels()
        fig.tight_layout()
        renderer = fig.canvas.get_renderer()
        boxes = [tuple(ax.get_tightbbox(renderer).bounds) for ax in fig.axes]
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=100, metadata={"svg": {"Date": None}}.get(fmt))
        return buffer.getvalue(), boxes


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_ticks_worked_out_once_a_draw_give_the_same_files_and_boxes(fmt, monkeypatch):
    from matplotlib.axis import Axis

    plain = _ticked(fmt)
    original = Axis._update_ticks
    calls = {"plain": 0, "once": 0}
    counting = "plain"

    def counted(self):
        calls[counting] += 1
        return original(self)

    monkeypatch.setattr(Axis, "_update_ticks", counted)
    _ticked(fmt)
    counting = "once"
    with canvas.ticks_once():
        with canvas.ticks_once():  # nested blocks: the outermost puts matplotlib's methods back
            pass
        assert Axis.__dict__["_update_ticks"] is not counted
        ours = _ticked(fmt)
    assert ours == plain
    assert calls["once"] < 0.8 * calls["plain"]  # the second working out of each draw and box is gone
    assert Axis.__dict__["_update_ticks"] is counted and "_zzdata_ticks_once" not in vars(Axis)
