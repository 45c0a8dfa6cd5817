"""`python -m zzdata.validate`: the validation report (see zzdata/validate/report.py).

With `--if-stale` nothing runs when data/processed/validation.csv and reports/validation.md are
newer than the last build and than the checks and the catalog (`stale.is_current`; what
`python -m zzdata build` itself asks when the tables are up to date): this test needs no pandas,
and the report module is imported only when the checks run.
"""

import sys
from pathlib import Path

from ..core import paths
from .stale import default_report, is_current


def _is_current(argv: list[str]) -> bool:
    processed = Path(argv[argv.index("--processed") + 1]) if "--processed" in argv else paths.processed_dir()
    report = Path(argv[argv.index("--report") + 1]) if "--report" in argv else default_report()
    return is_current(processed, report)


args = sys.argv[1:]
if "--if-stale" in args:
    args.remove("--if-stale")
    if _is_current(args):
        sys.exit(0)

from .report import main  # noqa: E402  (pandas loads only when the checks run)

sys.exit(main(args))
