"""The errors a researcher sees: each message names the file, the problem and what to do."""

from __future__ import annotations


class InputError(ValueError):
    """A raw file or the manifest cannot be read; the message says which and what to do."""


class BuildError(RuntimeError):
    """The build cannot go on; the message lists every problem, one per line."""
