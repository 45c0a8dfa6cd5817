"""Series and comparisons: the choice rule that keeps one value per indicator, region, year,
status and measure, and the tidy frames the charts draw (year over year, targets, district
against city). Works on the facts and documents tables; imports only core.
"""
