"""The chart forms. Each panel kind is a function ``draw_*(ax, frame, *, lang, …)`` that draws a
tidy frame from :mod:`zzdata.series` on one Axes and names no region (regions come from the
frame, the city by its ``region_level``); the ``*_panels`` / ``*_bars`` functions lay the
panels out, add titles and the note, and return a :class:`~zzdata.viz.book.Chart`.

* :mod:`.slopes` -- year over year, one panel per series (:func:`~.slopes.draw_slope`).
* :mod:`.growth` -- growth rates as reported, one bar per indicator and period.
* :mod:`.targets` -- results against targets: attainment bars, rate dumbbells.
* :mod:`.district` -- a district against its city: shares, rate dumbbells, an index.
* :mod:`.conflicts` -- where texts disagree: the value used and the other text's.
* :mod:`.dumbbell` -- the building block: two values per row on one axis.
"""
