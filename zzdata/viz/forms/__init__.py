"""The chart forms. Each panel kind is a function ``draw_*(ax, frame, *, words, …)`` that draws a
tidy frame from :mod:`zzdata.series` on one Axes and names no region (regions come from the
frame, the city by its ``region_level``); the ``*_panels`` / ``*_bars`` functions lay the
panels out, add titles and the note, and return a :class:`~zzdata.viz.book.Chart` -- or, for the
forms that grow with the collection, a list of them (a panel cap per chart).

* :mod:`.slopes` -- year over year on a year axis, one panel per series (:func:`~.slopes.draw_slope`).
* :mod:`.growth` -- growth rates as reported: bars for a few years, lines for more.
* :mod:`.ranking` -- every region against the city, a panel per indicator: ranked dots with the
  city as a reference line, or each region's share of the city.
* :mod:`.overview` -- every region and indicator of a year in one table of coloured cells.
* :mod:`.targets` -- results against targets: attainment bars, rate dumbbells.
* :mod:`.district` -- one district against its city: shares, rate dumbbells, an index.
* :mod:`.conflicts` -- where texts disagree: the value used and the other text's.
* :mod:`.dumbbell` -- the building block: two values per row on one axis.
* :mod:`.pairs` -- a region and its city in words: the pairs not compared, a unit in a title.

No form imports another that imports it back: ``ranking`` draws a single region with
``district``, and both name the pairs they leave out with ``pairs``.
"""
