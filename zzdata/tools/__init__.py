"""Commands around the pipeline: the headless notebook runner and the benchmark. Imports any
room; no room imports it.
"""
