"""Which Python runs a bench, and how fast it runs pure Python: the bench's figures depend on it.

The build is pure Python where it reads the texts, and CPython builds differ: one compiled without
profile-guided and link-time optimisation (pyenv's default, unless ``PYTHON_CONFIGURE_OPTS`` asks
for ``--enable-optimizations --with-lto``) runs it slower than python.org's, conda's or a Linux
distribution's build of the same version. On this project's machine pyenv's 3.11 spends 14 % more
CPU on the extraction than Debian's, 9 % more on the whole build. Which kind of build a
Python is cannot be read from it reliably (Debian's is optimised outside its configure line), so
the bench times a fixed piece of pure Python and prints it before its figures: two benches compare
when their reference times do (README, "Large collections").
"""

from __future__ import annotations

import os
import platform
import sys
import time

#: What the reference loop reads: a report's kind of sentence (figures, units, full-width punctuation).
_TEXT = "全市生产总值增长6.5%，规模以上工业增加值增长7.1%；一般公共预算收入完成1,234.5亿元。" * 2
REFERENCE_ROUNDS = 300_000  # about 0.1 s on this project's machine
REFERENCE_REPEAT = 3  # the best of three: the machine's noise only ever adds time


def _step(piece: str, i: int) -> int:
    return len(piece) + (i & 7) if piece.startswith(("全", "规")) else len(piece)


def reference_work(rounds: int = REFERENCE_ROUNDS) -> int:
    """What the extraction does most, in miniature: slices of a text, a dict of them, calls, tests."""
    seen: dict[str, int] = {}
    total = 0
    span = len(_TEXT) - 12
    for i in range(rounds):
        at = i % span
        piece = _TEXT[at : at + 12]
        seen[piece] = seen.get(piece, 0) + 1
        total += _step(piece, i)
    return total + len(seen)


def reference_seconds(rounds: int = REFERENCE_ROUNDS, repeat: int = REFERENCE_REPEAT) -> float:
    """The best of `repeat` timings of `reference_work(rounds)`."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        reference_work(rounds)
        best = min(best, time.perf_counter() - t0)
    return best


def describe() -> str:
    """One line: the implementation, version and file of this Python, and its reference time."""
    took = reference_seconds()
    return (f"interpreter: {platform.python_implementation()} {platform.python_version()} "
            f"({os.path.realpath(sys.executable)}); pure-Python reference loop {took:.3f} s "
            "(the interpreter's build changes every figure: README, \"Large collections\")")


if __name__ == "__main__":  # `python -m zzdata.tools.interpreter`: the line alone, to compare two Pythons
    print(describe())
