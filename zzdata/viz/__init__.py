"""Charts: the house style (fonts, colours, titles, source lines, saving), the chart forms (each
takes an Axes and a tidy frame and names no region) and the views the notebooks call. Imports
core, series and tables.

The house style, free of pandas (a script that only draws loads nothing else of zzdata):
``style`` (colours, period colours, sizes, rcParams, ``new_figure``), ``fonts`` (Noto Sans CJK SC,
SIL Open Font License, converted once to TrueType outlines in the user cache and registered),
``layout`` (title, subtitle, source and note lines, wrapped, and the axes fitted between them),
``annotate`` (value labels on bars and points), ``numbers`` (13.93万人 / 139,300 people),
``overlap`` (no two texts of a chart overlap: the check, and optional labels left out where they
would collide), ``canvas`` (the Agg canvas, remembering font measurements for the process) and
``save`` (PNG, SVG and PDF, byte for byte the same on every run, checked).

The charts: ``words`` (what they say, in the one language of a notebook's ``Words``: labels.csv,
region, indicator and document names, numbers, source lines), ``pieces`` (markers, the panel grid,
ticks in words, label fitting, the overlay of other texts' values),
``forms/`` (one module per chart form, a ``draw_*`` function per panel kind: year over year on a
year axis, growth rates, targets, every region ranked against the city or as its share, the
overview table of regions and indicators, disagreeing texts), ``book`` (a chart, the facts it
draws, a notebook's book of charts), ``reuse`` (a chart whose inputs and code did not change is
not drawn again: its files come from ``reports/figures/.reuse/``) and ``views`` (what the notebooks
call).
"""
