"""Commands around the pipeline: the headless notebook runner, the benchmark and the README's
generated parts. Imports any room; no room imports it.
"""
