"""The README's generated parts, written from the one place each is defined: the rooms of the
package (their docstrings), the column dictionaries and the manifest's columns
(data/columns.csv) and the series choice rule (series.choice.CHOICE_RULE).

Each part stands between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``.
``python -m zzdata.tools.readme`` rewrites them in place; ``--check`` exits 1 when one is stale
(tests/test_readme.py runs the check).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from ..core import paths, schema
from ..series import choice

ROOMS = ("core", "ingest", "extract", "correct", "series", "tables", "validate", "viz", "review", "tools")
TABLES = ("facts", "series", "documents", "indicators", "claims", "panel", "panel_columns", "sources",
          "raw_corrections", "corrections")
_BLOCK = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end: (?P=name) -->)", re.S)


def rooms() -> str:
    """One line per room of the package, from the first sentence of its docstring."""
    lines = []
    for room in ROOMS:
        doc = (importlib.import_module(f"zzdata.{room}").__doc__ or "").strip()
        first = " ".join(doc.split("\n\n")[0].split())
        head = first.split(":", 1)[0] if ":" in first[:40] else first.split(".")[0]
        what = first.split(":", 1)[1].strip() if ":" in first[:40] else ""
        what = what.split(". ")[0].rstrip(".")
        lines.append(f"| `zzdata/{room}/` | {head} | {what} |")
    return "| room | stage | what it holds |\n|---|---|---|\n" + "\n".join(lines)


def parts() -> dict[str, str]:
    """name -> the Markdown of that generated part."""
    out = {"rooms": rooms(), "choice-rule": choice.describe(lang="en", form="list")}
    for table in TABLES:
        out[f"columns-{table}"] = schema.markdown_dictionary(table)
    return out


def render(readme: str) -> str:
    """The README with every generated part rewritten (an unknown part name is an error)."""
    generated = parts()

    def fill(m: re.Match) -> str:
        name = m["name"]
        if name not in generated:
            raise KeyError(f"README.md: no generator for the part {name!r}; known: {', '.join(generated)}")
        return f"{m[1]}{generated[name]}\n{m[4]}"

    return _BLOCK.sub(fill, readme)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m zzdata.tools.readme", description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a generated part is stale; change nothing")
    args = ap.parse_args(argv)
    path = paths.project_root() / "README.md"
    text = path.read_text(encoding="utf-8")
    new = render(text)
    if args.check:
        if new != text:
            print(f"{path}: generated parts are stale; run `python -m zzdata.tools.readme`", file=sys.stderr)
            return 1
        return 0
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"rewrote the generated parts of {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
