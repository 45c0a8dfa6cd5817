"""The IRI grammar jsonschema imports, built when a check first needs it rather than on import.

nbformat imports jsonschema, and jsonschema imports ``rfc3987_syntax`` (where installed: Jupyter's
event schemas bring it) only to offer its ``iri`` and ``iri-reference`` format checks, which
nbformat never runs. Imported, ``rfc3987_syntax`` builds its Lark parser: 0.9 s of CPU in the
process of `make figures`, before its workers and their kernels start, with the other core idle.
:func:`defer_iri_grammar` puts a stand-in in its place whose functions import the real module on
their first call, so every check gives the answer it gave, once the grammar is needed.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

MODULE = "rfc3987_syntax"
#: What jsonschema takes from it (``from rfc3987_syntax import is_valid_syntax``).
FUNCTIONS = ("is_valid_syntax",)


def _real() -> types.ModuleType:
    """The real module, imported in place of the stand-in on first use."""
    module = sys.modules.get(MODULE)
    if module is None or isinstance(module, _StandIn):
        sys.modules.pop(MODULE, None)
        module = importlib.import_module(MODULE)
    return module


class _StandIn(types.ModuleType):
    """``rfc3987_syntax`` until used: any other name imports the real module and is taken from it."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real(), name)


def _deferred(name: str):
    def call(*args, **kwargs):
        return getattr(_real(), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{MODULE}.{name}, imported on first use (zzdata.tools.deferred)."
    return call


def defer_iri_grammar() -> bool:
    """Put the stand-in for ``rfc3987_syntax`` in place unless the module is missing or already
    imported; True when it was put in place."""
    if MODULE in sys.modules or importlib.util.find_spec(MODULE) is None:
        return False
    stand_in = _StandIn(MODULE, __doc__)
    for name in FUNCTIONS:
        setattr(stand_in, name, _deferred(name))
    sys.modules[MODULE] = stand_in
    return True
