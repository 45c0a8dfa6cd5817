"""Review pages: every report as a page with its figures marked in place (status, indicator,
the series' choice, the checks' findings, the corrections), and the local server that saves a
correction from the page. Imports every room before it.
"""
