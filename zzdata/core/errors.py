"""The errors a researcher sees: each message names the file, the problem and what to do."""

from __future__ import annotations


class InputError(ValueError):
    """A raw file or the manifest cannot be read; the message says which and what to do."""


class ProblemsError(InputError):
    """Several problems with one input file, found at once; `problems` holds one message each
    (file, line, what is wrong, what to do)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class BuildError(RuntimeError):
    """The build cannot go on; the message lists every problem, one per line."""
