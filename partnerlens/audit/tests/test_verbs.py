"""The audit verbs: one list, each verb once, and every call site naming its verb from it."""

from __future__ import annotations

import ast
from pathlib import Path

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent

PACKAGE = Path(__file__).resolve().parents[2]


def test_each_verb_is_listed_once_and_fits_its_column():
    listed = verbs.all_verbs()
    assert len(set(listed.values())) == len(listed) > 40
    width = AuditEvent._meta.get_field("verb").max_length
    assert all(len(verb) <= width for verb in listed.values())


def test_each_constant_is_named_after_its_verb():
    for name, verb in verbs.all_verbs().items():
        assert name == verb.upper().replace(".", "_"), name


def _verbs_written_as_text():
    """(file, line, verb) for each record(actor, "literal", ...) call in the package."""
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            verb = node.args[1]
            if name == "record" and isinstance(verb, ast.Constant) and isinstance(verb.value, str):
                yield path.relative_to(PACKAGE), node.lineno, verb.value


def test_no_call_site_writes_its_verb_as_text():
    # A typo in a constant fails on import; a typo in a string would be stored silently.
    assert list(_verbs_written_as_text()) == []
