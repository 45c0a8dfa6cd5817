"""Validation: the extracted facts measured against the hand-read gold set. Imports core,
extract and tables.
"""
