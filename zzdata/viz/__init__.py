"""Charts: the house style (fonts, colours, titles, source lines, saving), the chart forms (each
takes an Axes and a tidy frame and names no region) and the views the notebooks call. Imports
core, series and tables.

The house style, free of pandas (a script that only draws loads nothing else of zzdata):
``style`` (colours, period colours, sizes, the CJK font, rcParams, ``new_figure``), ``layout``
(title, subtitle, source and note lines, wrapped, and the axes fitted between them), ``annotate``
(value labels on bars and points), ``numbers`` (13.93万人 / 139,300 people, ticks) and ``save``
(PNG, SVG and PDF, byte for byte the same on every run).

The charts: ``words`` (what they say: labels.csv, region, indicator and document names, source
lines), ``pieces`` (markers, the panel grid, label fitting, the overlay of other texts' values),
``forms/`` (one module per chart form, a ``draw_*`` function per panel kind), ``book`` (a chart,
the facts it draws, a notebook's book of charts) and ``views`` (what the theme notebooks call).
"""
