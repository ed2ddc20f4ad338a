"""The framework document: one framework version as YAML or JSON, validated with pydantic.

Pure on purpose (no Django): the same rules check a built-in file in a test, an upload in a
view and a command-line import. ``docs/frameworks.md`` documents the format with an example.

Validation runs in two passes. Pydantic checks the shape (types, unknown fields, required
fields); ``_check_rules`` then checks what depends on several fields at once (unique keys,
rubric levels, options per kind, roles, Welsh). Both passes name the path of the bad field,
e.g. ``themes[2].questions[0].options[1].score: ...``, so an author can find it in the file.
Each problem is a ``Problem`` (path, code, values), never a sentence: ``frameworks/codes.py``
words the codes in the reader's language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from partnerlens.core.messages import render
from partnerlens.frameworks import limits, reading
from partnerlens.frameworks.limits import (
    MAX_OPTIONS,
    MAX_PROMPTS,
    MAX_QUESTIONS,
    MAX_ROLES,
    MAX_SCORE,
    MAX_SHORT_TEXT,
    MAX_TEXT,
    MAX_THEMES,
    MAX_WEIGHT,
    SETTING_NAMES,
)
from partnerlens.frameworks.reading import MAX_DOCUMENT_BYTES  # noqa: F401 (forms.py reads it here)

SCHEMA_VERSION = 1
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

QuestionKindName = Literal[
    "rubric",
    "agreement",
    "number",
    "short_text",
    "long_text",
    "single_choice",
    "multiple_choice",
    "relationship",
]
CHOICE_KINDS = frozenset({"single_choice", "multiple_choice"})
FIXED_SCALE_KINDS = frozenset({"agreement", "relationship"})
NO_OPTION_KINDS = frozenset({"number", "short_text", "long_text"})
ALLOWED_CONFIG = {
    "number": {"min", "max", "step", "unit"},
    "short_text": {"max_length"},
    "long_text": {"max_length"},
    "multiple_choice": {"max_choices"},
}


# --- the standard scales ------------------------------------------------------------
# Agreement and relationship questions always use these options, so answers to any two
# such questions (in any framework, any version) are on the same scale and comparable.

AGREEMENT_OPTIONS: list[dict[str, Any]] = [
    {
        "value": "strongly_disagree",
        "label": {"en": "Strongly disagree", "cy": "Anghytuno'n gryf"},
        "score": 1.0,
    },
    {"value": "disagree", "label": {"en": "Disagree", "cy": "Anghytuno"}, "score": 2.0},
    {
        "value": "neither",
        "label": {"en": "Neither agree nor disagree", "cy": "Ddim yn cytuno nac yn anghytuno"},
        "score": 3.0,
    },
    {"value": "agree", "label": {"en": "Agree", "cy": "Cytuno"}, "score": 4.0},
    {
        "value": "strongly_agree",
        "label": {"en": "Strongly agree", "cy": "Cytuno'n gryf"},
        "score": 5.0,
    },
]

RELATIONSHIP_OPTIONS: list[dict[str, Any]] = [
    {
        "value": "none",
        "label": {"en": "No working relationship", "cy": "Dim perthynas waith"},
        "descriptor": {
            "en": "We have no regular contact with this organisation about our work.",
            "cy": "Does gennym ddim cysylltiad rheolaidd â'r sefydliad hwn ynglŷn â'n gwaith.",
        },
        "score": 0.0,
    },
    {
        "value": "networking",
        "label": {"en": "Networking", "cy": "Rhwydweithio"},
        "descriptor": {
            "en": "We swap information when it helps both sides. It asks little time and "
            "little trust, and each of us keeps full control of our own patch.",
            "cy": "Rydym yn rhannu gwybodaeth pan fydd hynny o fudd i'r ddwy ochr. Ychydig o "
            "amser ac ychydig o ymddiriedaeth sydd ei angen, ac mae pob un ohonom yn cadw "
            "rheolaeth lawn dros ein maes ein hunain.",
        },
        "score": 1.0,
    },
    {
        "value": "coordination",
        "label": {"en": "Co-ordination", "cy": "Cydgysylltu"},
        "descriptor": {
            "en": "As well as sharing information, we adjust what we do so our work fits "
            "together towards a shared aim. This takes more time and a firmer basis of trust.",
            "cy": "Yn ogystal â rhannu gwybodaeth, rydym yn addasu'r hyn a wnawn fel bod ein "
            "gwaith yn cyd-fynd tuag at nod cyffredin. Mae hyn yn gofyn am fwy o amser a "
            "sylfaen gadarnach o ymddiriedaeth.",
        },
        "score": 2.0,
    },
    {
        "value": "cooperation",
        "label": {"en": "Co-operation", "cy": "Cydweithredu"},
        "descriptor": {
            "en": "We also pool resources such as staff, money or space, often under a "
            "written agreement. Each side commits real time and trusts the other with "
            "something it values.",
            "cy": "Rydym hefyd yn cyfuno adnoddau megis staff, arian neu ofod, yn aml dan "
            "gytundeb ysgrifenedig. Mae pob ochr yn ymrwymo amser go iawn ac yn ymddiried "
            "rhywbeth gwerthfawr i'r llall.",
        },
        "score": 3.0,
    },
    {
        "value": "collaboration",
        "label": {"en": "Collaboration", "cy": "Cydweithio"},
        "descriptor": {
            "en": "We work to strengthen each other's capacity and share the risks, the "
            "responsibilities and the rewards. It needs a large investment of time, deep "
            "trust and a willingness to treat our territory as common ground.",
            "cy": "Rydym yn gweithio i gryfhau gallu ein gilydd ac yn rhannu'r risgiau, y "
            "cyfrifoldebau a'r manteision. Mae angen buddsoddi llawer o amser, "
            "ymddiriedaeth ddofn a pharodrwydd i drin ein tiriogaeth fel tir cyffredin.",
        },
        "score": 4.0,
    },
]

STANDARD_OPTIONS = {"agreement": AGREEMENT_OPTIONS, "relationship": RELATIONSHIP_OPTIONS}


# --- the document shape ---------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class OptionalText(_Strict):
    """A text in English and Welsh; a plain string is read as English only."""

    en: str = Field(default="", max_length=MAX_TEXT)
    cy: str = Field(default="", max_length=MAX_TEXT)

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_english(cls, value: Any) -> Any:
        return {"en": value} if isinstance(value, str) else value

    @property
    def is_empty(self) -> bool:
        return not self.en and not self.cy


class Text(OptionalText):
    """A text that must exist: English is required, Welsh is checked by ``_check_rules``."""

    en: str = Field(min_length=1, max_length=MAX_TEXT)


Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN, min_length=1, max_length=80)]


class OptionDoc(_Strict):
    value: str = Field(pattern=KEY_PATTERN, min_length=1, max_length=40)
    label: Text
    descriptor: OptionalText = OptionalText()
    score: float | None = Field(default=None, ge=-MAX_SCORE, le=MAX_SCORE)


class QuestionDoc(_Strict):
    key: Key
    kind: QuestionKindName
    text: Text
    help: OptionalText = OptionalText()
    roles: list[str] = Field(default=[], max_length=MAX_ROLES)
    required: bool = False
    evidence_required: bool = False
    allow_dont_know: bool = True
    weight: float = Field(default=1.0, ge=0, le=MAX_WEIGHT)
    config: dict[str, Any] = Field(default={}, max_length=len(SETTING_NAMES))
    options: list[OptionDoc] = Field(default=[], max_length=MAX_OPTIONS)


class ThemeDoc(_Strict):
    key: Key
    dimension: str = Field(default="", max_length=80)
    title: Text
    description: OptionalText = OptionalText()
    weight: float = Field(default=1.0, ge=0, le=MAX_WEIGHT)
    target_level: float | None = Field(default=None, ge=-MAX_SCORE, le=MAX_SCORE)
    questions: list[QuestionDoc] = Field(default=[], max_length=MAX_QUESTIONS)


class ReflectionPromptDoc(_Strict):
    key: Key
    text: Text
    roles: list[str] = Field(default=[], max_length=MAX_ROLES)


class FrameworkDoc(_Strict):
    schema_version: Literal[1]
    slug: Key
    name: Text
    summary: OptionalText = OptionalText()
    themes: list[ThemeDoc] = Field(min_length=1, max_length=MAX_THEMES)
    reflection_prompts: list[ReflectionPromptDoc] = Field(default=[], max_length=MAX_PROMPTS)


# --- results and errors ---------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What is wrong (a message code and its values) and where (the field's path)."""

    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        message = render(self.code, self.params)
        return f"{self.path}: {message}" if self.path else message


@dataclass
class CheckResult:
    document: FrameworkDoc | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None and not self.errors


class DocumentError(ValueError):
    """A framework document that cannot be used. ``problems`` are Problems; ``errors`` the
    same as lines (``path: message``) in the active language."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = problems
        self.warnings = warnings or []
        super().__init__("; ".join(f"{p.path}: {p.code}" for p in problems))

    @property
    def errors(self) -> list[str]:
        return [str(problem) for problem in self.problems]


def path_of(loc: Iterable[str | int]) -> str:
    """('themes', 2, 'questions', 0) -> 'themes[2].questions[0]'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(document)"


# pydantic's error types -> our codes (the values come from the error's context).
_CODES = {
    "missing": "schema.missing",
    "extra_forbidden": "schema.extra_field",
    "string_pattern_mismatch": "schema.key_pattern",
    "float_parsing": "schema.not_number",
    "float_type": "schema.not_number",
    "int_parsing": "schema.not_whole_number",
    "int_type": "schema.not_whole_number",
    "int_from_float": "schema.not_whole_number",
    "bool_parsing": "schema.not_yes_no",
    "bool_type": "schema.not_yes_no",
    "string_type": "schema.not_text",
    "list_type": "schema.not_list",
    "dict_type": "schema.not_mapping",
    "model_type": "schema.not_mapping",
    "model_attributes_type": "schema.not_mapping",
    "literal_error": "schema.one_of",
    "too_short": "schema.too_few",
    "string_too_short": "schema.empty_text",
    "string_too_long": "schema.too_long",
    "greater_than_equal": "schema.at_least",
    "less_than_equal": "schema.at_most",
    "too_long": "schema.too_many",
    "finite_number": "schema.not_number",
}
_CONTEXT = ("expected", "min_length", "max_length", "ge", "le")


def _plain(value: Any) -> Any:
    """A bound as written: 10 rather than pydantic's 10.0 for a float field's limit."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def format_errors(exc: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into Problems (path, code, values) an author can act on."""
    problems = []
    for error in exc.errors(include_url=False):
        code = _CODES.get(error["type"])
        context = error.get("ctx") or {}
        if code is None:
            code, params = "schema.other", {"detail": error["msg"]}
        else:
            params = {name: _plain(context[name]) for name in _CONTEXT if name in context}
        problems.append(Problem(path_of(error["loc"]), code, params))
    return problems


# --- the rules pydantic cannot express field by field ---------------------------------


def _texts(doc: FrameworkDoc) -> Iterator[tuple[str, OptionalText, bool]]:
    """Every bilingual text with its path and whether it must be filled in."""
    yield "name", doc.name, True
    yield "summary", doc.summary, False
    for t, theme in enumerate(doc.themes):
        tp = f"themes[{t}]"
        yield f"{tp}.title", theme.title, True
        yield f"{tp}.description", theme.description, False
        for q, question in enumerate(theme.questions):
            qp = f"{tp}.questions[{q}]"
            yield f"{qp}.text", question.text, True
            yield f"{qp}.help", question.help, False
            for o, option in enumerate(question.options):
                yield f"{qp}.options[{o}].label", option.label, True
                yield f"{qp}.options[{o}].descriptor", option.descriptor, False
    for p, prompt in enumerate(doc.reflection_prompts):
        yield f"reflection_prompts[{p}].text", prompt.text, True


def _duplicates(values: list[str]) -> set[str]:
    seen: set[str] = set()
    return {v for v in values if v in seen or seen.add(v)}


def check_question(question: QuestionDoc, path: str, roles: Iterable[str]) -> list[Problem]:
    """Rules for one question; also used when a question is added through a form."""
    errors = []
    kind = question.kind
    options = question.options
    known_roles = set(roles)
    for r, role in enumerate(question.roles):
        if role not in known_roles:
            values = {"role": role, "roles": ", ".join(sorted(known_roles))}
            errors.append(Problem(f"{path}.roles[{r}]", "rules.not_a_role", values))
    for value in sorted(_duplicates([o.value for o in options])):
        errors.append(Problem(f"{path}.options", "rules.option_value_twice", {"value": value}))
    if kind in FIXED_SCALE_KINDS and options:
        errors.append(Problem(f"{path}.options", "rules.fixed_scale_options", {"kind": kind}))
    if kind in NO_OPTION_KINDS and options:
        errors.append(Problem(f"{path}.options", "rules.no_options", {"kind": kind}))
    if kind == "rubric":
        if len(options) < 2:
            errors.append(Problem(f"{path}.options", "rules.rubric_levels"))
        for o, option in enumerate(options):
            if option.score is None:
                errors.append(Problem(f"{path}.options[{o}].score", "rules.rubric_score"))
        seen = set()
        for o, option in enumerate(options):
            if option.score is not None and option.score in seen:
                errors.append(Problem(f"{path}.options[{o}].score", "rules.rubric_shared_score"))
            seen.add(option.score)
    if kind in CHOICE_KINDS and len(options) < 2:
        errors.append(Problem(f"{path}.options", "rules.choice_options", {"kind": kind}))
    allowed = ALLOWED_CONFIG.get(kind, set())
    for name in sorted(set(question.config) - allowed):
        where = f"{path}.config.{name}"
        if allowed:
            values = {"kind": kind, "allowed": ", ".join(sorted(allowed))}
            errors.append(Problem(where, "rules.unknown_setting", values))
        else:
            errors.append(Problem(where, "rules.no_settings", {"kind": kind}))
    for name in ("min", "max", "step", "max_length", "max_choices"):
        value = question.config.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            errors.append(Problem(f"{path}.config.{name}", "rules.setting_number"))
    low, high = question.config.get("min"), question.config.get("max")
    if isinstance(low, int | float) and isinstance(high, int | float) and low >= high:
        errors.append(Problem(f"{path}.config.max", "rules.max_above_min", {"min": f"{low:g}"}))
    for name, code, values in limits.setting_problems(question.config):
        errors.append(Problem(f"{path}.config.{name}", code, values))
    return errors


def _scale_of(theme: ThemeDoc) -> tuple[float, float] | None:
    scores = [
        o["score"] if isinstance(o, dict) else o.score
        for q in theme.questions
        for o in (STANDARD_OPTIONS.get(q.kind) or q.options)
    ]
    scores = [s for s in scores if s is not None]
    return (min(scores), max(scores)) if scores else None


def _check_rules(doc: FrameworkDoc, roles: Iterable[str], require_welsh: bool):
    errors: list[Problem] = []
    warnings: list[Problem] = []
    roles = list(roles)
    for key in sorted(_duplicates([t.key for t in doc.themes])):
        errors.append(Problem("themes", "rules.theme_key_twice", {"key": key}))
    # Question keys are unique across the version, not just the theme: answers and trend
    # mapping refer to a question by its key alone.
    all_keys = [q.key for t in doc.themes for q in t.questions]
    for key in sorted(_duplicates(all_keys)):
        errors.append(Problem("themes", "rules.question_key_twice", {"key": key}))
    for key in sorted(_duplicates([p.key for p in doc.reflection_prompts])):
        errors.append(Problem("reflection_prompts", "rules.prompt_key_twice", {"key": key}))
    for t, theme in enumerate(doc.themes):
        for q, question in enumerate(theme.questions):
            errors += check_question(question, f"themes[{t}].questions[{q}]", roles)
        scale = _scale_of(theme)
        if theme.target_level is not None:
            where = f"themes[{t}].target_level"
            if scale is None:
                errors.append(Problem(where, "rules.target_no_scale"))
            elif not scale[0] <= theme.target_level <= scale[1]:
                values = {"low": f"{scale[0]:g}", "high": f"{scale[1]:g}"}
                errors.append(Problem(where, "rules.target_off_scale", values))
    for p, prompt in enumerate(doc.reflection_prompts):
        for r, role in enumerate(prompt.roles):
            if role not in roles:
                where = f"reflection_prompts[{p}].roles[{r}]"
                errors.append(Problem(where, "rules.prompt_not_a_role", {"role": role}))
    for path, text, required in _texts(doc):
        if path.rsplit(".", 1)[-1] in ("name", "title", "label"):
            for language in ("en", "cy"):
                if len(getattr(text, language)) > MAX_SHORT_TEXT:
                    where, values = f"{path}.{language}", {"max_length": MAX_SHORT_TEXT}
                    errors.append(Problem(where, "schema.too_long", values))
        if text.cy and not text.en:
            errors.append(Problem(f"{path}.en", "rules.english_missing"))
        elif (text.en or required) and not text.cy:
            line = Problem(f"{path}.cy", "rules.welsh_missing")
            (errors if require_welsh else warnings).append(line)
    return errors, warnings


def fill_standard_options(doc: FrameworkDoc) -> FrameworkDoc:
    """Give agreement and relationship questions their standard scale (a new document)."""
    doc = doc.model_copy(deep=True)
    for theme in doc.themes:
        for question in theme.questions:
            if question.kind in STANDARD_OPTIONS:
                question.options = [OptionDoc(**o) for o in STANDARD_OPTIONS[question.kind]]
    return doc


def check_document(data: Any, *, roles: Iterable[str], require_welsh: bool = True) -> CheckResult:
    """Validate a parsed document. ``roles`` are the role codes a question may be limited to.

    Built-in frameworks require Welsh for every text; a partnership's own upload may leave
    Welsh out, which is reported as warnings so it can be added later.
    """
    try:
        doc = FrameworkDoc.model_validate(data)
    except ValidationError as exc:
        return CheckResult(None, errors=format_errors(exc))
    errors, warnings = _check_rules(doc, roles, require_welsh)
    if errors:
        return CheckResult(None, errors=errors, warnings=warnings)
    return CheckResult(fill_standard_options(doc), warnings=warnings)


def validate_document(data: Any, *, roles: Iterable[str], require_welsh: bool = True):
    """Like ``check_document`` but raises ``DocumentError``; returns (document, warnings)."""
    result = check_document(data, roles=roles, require_welsh=require_welsh)
    if not result.ok:
        raise DocumentError(result.errors, result.warnings)
    return result.document, result.warnings


def dump_document(doc: FrameworkDoc) -> dict[str, Any]:
    """The canonical form of a document: defaults and standard scales left out.

    Export writes this, and "has the content changed?" compares this, so two documents that
    mean the same thing compare equal however they were written.
    """
    data = doc.model_dump(mode="json", exclude_defaults=True)
    data["schema_version"] = SCHEMA_VERSION
    for theme in data.get("themes", []):
        for question in theme.get("questions", []):
            if question["kind"] in STANDARD_OPTIONS:
                question.pop("options", None)
    return data


# --- reading files --------------------------------------------------------------------


def parse_text(text: str | bytes, filename: str = "") -> Any:
    """Read YAML or JSON (chosen by file extension; YAML reads JSON too), within the bounds
    of ``reading`` (size, nesting, aliases, values), each named in the problem if passed."""
    try:
        reading.check_size(text)
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = Problem("(file)", "file.not_utf8", {"byte": exc.start})
                raise DocumentError([problem]) from None
        if filename.lower().endswith(".json"):
            try:
                return reading.load_json(text)
            except json.JSONDecodeError as exc:
                where = f"(file) line {exc.lineno}"
                raise DocumentError(
                    [Problem(where, "file.unreadable", {"detail": exc.msg})]
                ) from None
        return reading.load_yaml(text)
    except reading.TooBig as exc:
        raise DocumentError([Problem("(file)", exc.code, exc.params)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"(file) line {mark.line + 1}" if mark else "(file)"
        detail = getattr(exc, "problem", None)
        problem = (
            Problem(where, "file.unreadable", {"detail": detail})
            if detail
            else Problem(where, "file.not_yaml")
        )
        raise DocumentError([problem]) from None


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def slugify_key(text: str, taken: Iterable[str] = ()) -> str:
    """A key from a title, made unique against ``taken`` by a numeric suffix."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70] or "item"
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key
