"""Framework problems are codes with values, worded in the reader's language when shown."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from partnerlens.core.messages import is_registered
from partnerlens.frameworks.errors import FrameworkChangeError
from partnerlens.frameworks.schema import Problem, check_document

from .test_schema import ROLES, minimal

APP = Path(__file__).resolve().parents[1]
CODE = re.compile(r"""["']((?:schema|rules|file|change)\.[a-z_]+)["']""")


def test_every_problem_code_has_a_text():
    sources = [APP / "schema.py", *APP.glob("services/*.py")]
    found = {m.group(1) for path in sources for m in CODE.finditer(path.read_text())}
    assert len(found) > 30
    assert sorted(code for code in found if not is_registered(code)) == []


def test_problems_are_worded_with_their_values_and_keep_their_path():
    doc = minimal()
    doc["themes"][0]["key"] = "Bad Key"
    doc["themes"][0]["questions"][0]["options"] = doc["themes"][0]["questions"][0]["options"][:1]
    doc["themes"][0]["questions"][1]["roles"] = ["caretaker"]
    doc["themes"][0]["extra"] = 1
    problems = check_document(doc, roles=ROLES).errors
    assert all(isinstance(p, Problem) for p in problems) and len(problems) >= 2
    for problem in problems:
        text = str(problem)
        assert text.startswith(f"{problem.path}: ")
        assert not CODE.search(f'"{text.split(": ", 1)[1]}"'), text  # worded, not a code


def test_a_change_error_is_worded_when_it_is_read_not_when_it_is_raised():
    error = FrameworkChangeError(Problem("", "change.empty_theme", {"title": "Trust"}))
    with translation.override("en"):
        assert error.errors == ["The theme ‘Trust’ has no questions yet."]
    assert error.problems[0].params == {"title": "Trust"}
