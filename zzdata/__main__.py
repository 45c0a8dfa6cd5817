"""`python -m zzdata`: the command line (cli.py).

A build that has finished ends the process at once, its output flushed: every file is written
and closed and every process it started has ended by then, and the interpreter would otherwise
spend about 0.1 s of a 1,000-text `make data` freeing, one object at a time, the modules and
memory that the system frees in one step."""

import os
import sys

from .cli import ENDS_AT_ONCE, main

code = main()
if sys.argv[1:2] and sys.argv[1] in ENDS_AT_ONCE:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that has gone (`| head`), a stream closed
            pass
    os._exit(code)
raise SystemExit(code)
