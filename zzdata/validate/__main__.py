"""`python -m zzdata.validate`: the validation report (see zzdata/validate/report.py).

With `--if-stale` (what `make data` passes) nothing runs when data/processed/validation.csv and
reports/validation.md are newer than the last build and than the checks and the catalog, so that
a no-op `make data` stays fast: this test needs no pandas, and the report module is imported only
when the checks run.
"""

import sys
from pathlib import Path

from ..core import paths


def _is_current(argv: list[str]) -> bool:
    processed = Path(argv[argv.index("--processed") + 1]) if "--processed" in argv else paths.processed_dir()
    report = Path(argv[argv.index("--report") + 1]) if "--report" in argv else paths.project_root() / "reports" / "validation.md"
    outputs = [processed / "validation.csv", report]
    stamp = processed / ".build-stamp.json"
    inputs = [stamp, *Path(__file__).parent.glob("*.py"), paths.PACKAGE_DIR / "data" / "indicators.csv"]
    if not stamp.exists() or not all(p.exists() for p in outputs):
        return False
    return min(p.stat().st_mtime for p in outputs) >= max(p.stat().st_mtime for p in inputs if p.exists())


args = sys.argv[1:]
if "--if-stale" in args:
    args.remove("--if-stale")
    if _is_current(args):
        sys.exit(0)

from .report import main  # noqa: E402  (pandas loads only when the checks run)

sys.exit(main(args))
