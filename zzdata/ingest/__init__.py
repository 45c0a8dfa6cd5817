"""Reading: a raw file to text (one reader per format, behind one registry) and the sources
manifest (parse, check, append a row). Imports only core.
"""
