"""Charts: the house style (fonts, colours, titles, source lines, saving), the chart forms (each
takes an Axes and a tidy frame and names no region) and the views the notebooks call. Imports
core, series and tables.
"""
