"""`python -m zzdata`: the command line (cli.py).

After a build (cli.ENDS_AT_ONCE) the process ends at once, its output flushed: by then every file
is written and closed and every process the build started has ended, and the interpreter would
otherwise spend about 0.1 s of a 1,000-text `make data` freeing, one object at a time, the modules
and memory that the system frees in one step."""

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
