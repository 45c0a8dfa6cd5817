"""Whether the validation of the built tables is current: `make data`'s build asks it when the
tables themselves are, without loading pandas (a no-op `make data` stays a fraction of a second)."""

from __future__ import annotations

from pathlib import Path

from ..core import paths
from ..tables.stamp import STAMP


def default_report() -> Path:
    """reports/validation.md of the project."""
    return paths.project_root() / "reports" / "validation.md"


def is_current(processed: Path, report: Path) -> bool:
    """True when `processed`/validation.csv and the `report` exist and are newer than the build
    stamp and than the checks' code and the catalog (what the checks read besides the tables)."""
    outputs = [Path(processed) / "validation.csv", Path(report)]
    stamp = Path(processed) / STAMP
    inputs = [stamp, *Path(__file__).parent.glob("*.py"), paths.PACKAGE_DIR / "data" / "indicators.csv"]
    if not stamp.exists() or not all(p.exists() for p in outputs):
        return False
    return min(p.stat().st_mtime for p in outputs) >= max(p.stat().st_mtime for p in inputs if p.exists())
