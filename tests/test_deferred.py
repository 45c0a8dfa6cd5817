"""jsonschema's IRI grammar (rfc3987_syntax) is built on the first check that needs it, not when
`make figures` imports the notebook runner, and every check answers as without the deferral."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("rfc3987_syntax")

# Valid and invalid IRIs and references of our own, with and without non-ASCII characters.
VALUES = ["http://例子.测试/路径?查询=1", "https://example.org/a%20b#frag", "http://exa mple.org/", "mailto:someone@example.org",
          "relative/path", "//host/only", "http://[::1]:8080/", "http://[::1/", "", "urn:isbn:978-7-0000-0000-0",
          "郑州/报告", "ht tp://x", 12]

PROBE = """
import json, sys
deferred = sys.argv[1] == "deferred"
if deferred:
    from zzdata.tools import notebooks
    notebooks._import_runner()
import jsonschema
built_on_import = "rfc3987_syntax.syntax_helpers" in sys.modules
checker = jsonschema.FormatChecker()
answers = {fmt: [checker.conforms(v, fmt) for v in json.loads(sys.argv[2])] for fmt in ("iri", "iri-reference")}
print(json.dumps({"built_on_import": built_on_import, "answers": answers,
                  "built_after": "rfc3987_syntax.syntax_helpers" in sys.modules}))
"""


def _probe(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, mode, json.dumps(VALUES, ensure_ascii=False)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_grammar_waits_for_the_first_check_and_every_check_answers_the_same():
    plain, deferred = _probe("plain"), _probe("deferred")
    assert plain["built_on_import"] and not deferred["built_on_import"]
    assert deferred["built_after"]
    assert deferred["answers"] == plain["answers"]
    assert True in plain["answers"]["iri"] and False in plain["answers"]["iri"]  # the values tell them apart


def test_any_other_name_is_the_real_modules(monkeypatch):
    from zzdata.tools import deferred

    monkeypatch.delitem(sys.modules, deferred.MODULE, raising=False)
    for name in [m for m in sys.modules if m.startswith(deferred.MODULE + ".")]:
        monkeypatch.delitem(sys.modules, name)
    assert deferred.defer_iri_grammar()
    stand_in = sys.modules[deferred.MODULE]
    assert "rfc3987_syntax.syntax_helpers" not in sys.modules
    parse = stand_in.parse  # a name jsonschema does not take: the real module is imported for it
    assert sys.modules[deferred.MODULE] is not stand_in and parse is sys.modules[deferred.MODULE].parse
    assert not deferred.defer_iri_grammar()  # imported now: nothing to defer
