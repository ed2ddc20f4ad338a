"""The respondent's form for one theme page of answers, built from the framework's questions.

It checks each answer on its own, so valid answers on a page can be saved even when another
answer needs correcting. The lead's and the open-link forms are in ``forms.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from partnerlens.core.bilingual import marked
from partnerlens.enquiries.responding import MAX_SHORT_TEXT, MAX_TEXT, AnswerValue, options_for
from partnerlens.frameworks.models import Question, QuestionKind

DONT_KNOW = "dont-know"
CHOICE_KINDS = {QuestionKind.RUBRIC, QuestionKind.AGREEMENT, QuestionKind.SINGLE_CHOICE}


def text_limit(question: Question) -> int:
    """The most characters an answer may have: the question's own ``max_length`` setting
    (set in the framework editor), never above the service's limit for its kind."""
    ceiling = MAX_SHORT_TEXT if question.kind == QuestionKind.SHORT_TEXT else MAX_TEXT
    own = question.config.get("max_length")
    return min(int(own), ceiling) if own else ceiling


def _length_error(text: str, limit: int) -> str:
    return _(
        "Your answer is %(length)s characters; the limit is %(limit)s. "
        "Shorten it by %(over)s characters."
    ) % {
        "length": f"{len(text):,}",
        "limit": f"{limit:,}",
        "over": f"{len(text) - limit:,}",
    }


@dataclass
class Item:
    """One radio or checkbox on the page."""

    id: str
    value: str
    label: str
    hint: str = ""
    checked: bool = False


@dataclass
class Group:
    """A radio group: the question itself, or one partner within a relationship question."""

    name: str
    legend: str
    items: list[Item]
    error: str = ""


@dataclass
class Block:
    """Everything the template needs to draw one question."""

    question: Question
    number: int
    name: str
    kind: str
    groups: list[Group] = field(default_factory=list)
    checkboxes: list[Item] = field(default_factory=list)
    value: str = ""
    dont_know: bool = False
    note: str = ""
    link: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    max_length: int = MAX_TEXT

    @property
    def main_error(self) -> str:
        return self.errors.get(self.name, "")

    @property
    def note_error(self) -> str:
        return self.errors.get(f"{self.name}-note", "")

    @property
    def link_error(self) -> str:
        return self.errors.get(f"{self.name}-link", "")


class ThemeAnswers:
    """The answers on one theme page: parses POST data, checks it, shows it back.

    An answer whose question needs evidence but has none is kept (it is a valid answer)
    and flagged on its evidence note, so the theme cannot be passed without evidence.
    """

    def __init__(self, questions, partners, stored, data=None):
        self.questions = questions
        self.partners = partners
        self.stored = stored
        self.data = data
        self.errors: dict[int, dict[str, str]] = {}
        self.values: dict[tuple[int, int | None], AnswerValue] = {}
        self.evidence_missing: set[int] = set()
        if data is not None:
            self._parse()

    @property
    def only_evidence_missing(self) -> bool:
        """Every problem on the page is missing evidence: all the answers were saved."""
        return bool(self.errors) and set(self.errors) == self.evidence_missing

    # --- reading POST ---------------------------------------------------------------
    def _parse(self) -> None:
        for number, question in enumerate(self.questions, start=1):
            name = f"q{question.id}"
            errors: dict[str, str] = {}
            note = self.data.get(f"{name}-note", "").strip()
            link = self.data.get(f"{name}-link", "").strip()
            if len(note) > MAX_TEXT:
                errors[f"{name}-note"] = _length_error(note, MAX_TEXT)
            if link:
                try:
                    URLValidator(schemes=["http", "https"])(link)
                except ValidationError:
                    errors[f"{name}-link"] = _(
                        "Enter a full web address starting with https://, for example "
                        "https://example.org/minutes"
                    )
            evidence = {"evidence_note": note, "evidence_link": link}
            if question.kind == QuestionKind.RELATIONSHIP:
                allowed = {v for v, _l, _s in options_for(question)} | {DONT_KNOW}
                for partner in self.partners:
                    key = f"{name}-o{partner.id}"
                    chosen = self.data.get(key, "")
                    if chosen and chosen not in allowed:
                        errors[key] = _("Choose one of the options")
                        continue
                    self.values[(question.id, partner.id)] = AnswerValue(
                        option_value="" if chosen == DONT_KNOW else chosen,
                        dont_know=chosen == DONT_KNOW,
                        **(evidence if chosen else {}),
                    )
                if not any(
                    v.has_answer for (q, _o), v in self.values.items() if q == question.id
                ) and (note or link):
                    # Evidence for a relationship question is kept on the first partner.
                    first = self.partners[0].id if self.partners else None
                    if first is not None:
                        self.values[(question.id, first)] = AnswerValue(**evidence)
            else:
                value = self._parse_single(question, name, errors)
                if value is not None:
                    value.evidence_note, value.evidence_link = note, link
                    self.values[(question.id, None)] = value
            if errors:
                self.errors[question.id] = errors
                for key in [k for k in self.values if k[0] == question.id]:
                    del self.values[key]
            elif question.evidence_required and not (note or link) and self._answered(question):
                self.evidence_missing.add(question.id)
                self.errors[question.id] = {
                    f"{name}-note": _(
                        "Add evidence for your answer to question %(number)s: "
                        "a note saying what shows it, or a link"
                    )
                    % {"number": number}
                }

    def _answered(self, question: Question) -> bool:
        """An answer other than "I don't know" was given (which is what needs evidence)."""
        return any(
            value.has_answer and not value.dont_know
            for (question_id, _about), value in self.values.items()
            if question_id == question.id
        )

    def _parse_single(self, question, name, errors) -> AnswerValue | None:
        kind = question.kind
        dont_know = self.data.get(f"{name}-dk") == "yes" or self.data.get(name) == DONT_KNOW
        if dont_know and not question.allow_dont_know:
            errors[name] = _("Choose an answer; “don't know” is not offered for this question")
            return None
        if kind in CHOICE_KINDS:
            chosen = self.data.get(name, "")
            allowed = {v for v, _l, _s in options_for(question)}
            if chosen and chosen != DONT_KNOW and chosen not in allowed:
                errors[name] = _("Choose one of the options")
                return None
            return AnswerValue(option_value="" if dont_know else chosen, dont_know=dont_know)
        if kind == QuestionKind.MULTIPLE_CHOICE:
            chosen = self.data.getlist(name)
            allowed = [v for v, _l, _s in options_for(question)]
            if set(chosen) - set(allowed):
                errors[name] = _("Choose from the options listed")
                return None
            if chosen and dont_know:
                errors[name] = _("Either tick options or tick “I don't know”, not both")
                return None
            most = question.config.get("max_choices")
            if most and len(set(chosen)) > most:
                errors[name] = _(
                    "Choose up to %(most)s options; you chose %(chosen)s. Untick %(over)s."
                ) % {"most": most, "chosen": len(set(chosen)), "over": len(set(chosen)) - most}
                return None
            return AnswerValue(choices=sorted(set(chosen), key=allowed.index), dont_know=dont_know)
        raw = self.data.get(name, "").strip()
        if raw and dont_know:
            errors[name] = _("Either give an answer or tick “I don't know”, not both")
            return None
        if kind == QuestionKind.NUMBER:
            return self._parse_number(question, name, raw, dont_know, errors)
        limit = text_limit(question)
        if len(raw) > limit:
            errors[name] = _length_error(raw, limit)
            return None
        return AnswerValue(text=raw, dont_know=dont_know)

    def _parse_number(self, question, name, raw, dont_know, errors) -> AnswerValue | None:
        if not raw:
            return AnswerValue(dont_know=dont_know)
        try:
            number = Decimal(raw.replace(",", ""))
            if not number.is_finite() or abs(number) >= Decimal("1e13"):
                raise InvalidOperation
        except InvalidOperation:
            errors[name] = _("Enter a number, like 12 or 3.5 (you entered “%(value)s”)") % {
                "value": raw[:40]
            }
            return None
        low, high = question.config.get("min"), question.config.get("max")
        if (low is not None and number < Decimal(str(low))) or (
            high is not None and number > Decimal(str(high))
        ):
            errors[name] = _("Enter a number from %(low)s to %(high)s") % {
                "low": low if low is not None else "…",
                "high": high if high is not None else "…",
            }
            return None
        if number != number.to_integral_value() and question.config.get("integer"):
            errors[name] = _("Enter a whole number")
            return None
        step = question.config.get("step")
        if step and (number - Decimal(str(low or 0))) % Decimal(str(step)):
            errors[name] = _("Enter a number in steps of %(step)s from %(start)s") % {
                "step": step,
                "start": low or 0,
            }
            return None
        return AnswerValue(number=number.normalize() if number == number.to_integral() else number)

    # --- drawing the page -------------------------------------------------------------
    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs in page order, for the GOV.UK error summary."""
        summary = []
        for block in self.blocks():
            for key, message in block.errors.items():
                anchor = key
                if key == block.name and block.kind in CHOICE_KINDS | {
                    QuestionKind.MULTIPLE_CHOICE
                }:
                    anchor = f"{key}-0"
                elif "-o" in key:
                    anchor = f"{key}-0"
                summary.append((anchor, message))
        return summary

    def _current(self, question: Question, about: int | None) -> AnswerValue:
        if self.data is not None:
            return AnswerValue()
        return self.stored.get((question.id, about)) or AnswerValue()

    def _posted(self, key: str, default: str = "") -> str:
        return self.data.get(key, default) if self.data is not None else default

    def blocks(self) -> list[Block]:
        blocks = []
        for number, question in enumerate(self.questions, start=1):
            name = f"q{question.id}"
            errors = self.errors.get(question.id, {})
            block = Block(question, number, name, question.kind, errors=errors)
            if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
                block.max_length = text_limit(question)
            options = options_for(question)
            descriptors = {o.value: marked(o, "descriptor") for o in question.options.all()}
            stored_any = [v for (q, _o), v in self.stored.items() if q == question.id]
            if self.data is None:
                evidence = next((v for v in stored_any if v.evidence_note or v.evidence_link), None)
                block.note = evidence.evidence_note if evidence else ""
                block.link = evidence.evidence_link if evidence else ""
            else:
                block.note = self._posted(f"{name}-note")
                block.link = self._posted(f"{name}-link")
            if question.kind == QuestionKind.RELATIONSHIP:
                block.groups.extend(
                    self._group(question, partner, f"{name}-o{partner.id}", options, descriptors)
                    for partner in self.partners
                )
            elif question.kind in CHOICE_KINDS:
                block.groups.append(self._group(question, None, name, options, descriptors))
            elif question.kind == QuestionKind.MULTIPLE_CHOICE:
                current = self._current(question, None)
                chosen = (
                    set(self.data.getlist(name)) if self.data is not None else set(current.choices)
                )
                block.checkboxes = [
                    Item(f"{name}-{i}", value, label, descriptors.get(value, ""), value in chosen)
                    for i, (value, label, _s) in enumerate(options)
                ]
                block.dont_know = (
                    self._posted(f"{name}-dk") == "yes"
                    if self.data is not None
                    else current.dont_know
                )
            else:
                current = self._current(question, None)
                if self.data is not None:
                    block.value = self._posted(name)
                    block.dont_know = self._posted(f"{name}-dk") == "yes"
                else:
                    block.value = (
                        _format_number(current.number)
                        if question.kind == QuestionKind.NUMBER
                        else current.text
                    )
                    block.dont_know = current.dont_know
            blocks.append(block)
        return blocks

    def _group(self, question: Question, partner, key: str, options, descriptors) -> Group:
        """One set of radios: for the question itself, or for one partner (relationships)."""
        current = self._current(question, partner.id if partner else None)
        chosen = self._posted(key) or (DONT_KNOW if current.dont_know else current.option_value)
        return Group(
            key,
            partner.name if partner else question.text,
            self._items(key, options, descriptors, chosen, question),
            self.errors.get(question.id, {}).get(key, ""),
        )

    @staticmethod
    def _items(key, options, descriptors, chosen, question) -> list[Item]:
        items = [
            Item(f"{key}-{i}", value, label, descriptors.get(value, ""), value == chosen)
            for i, (value, label, _s) in enumerate(options)
        ]
        if question.allow_dont_know:
            items.append(
                Item(f"{key}-{len(items)}", DONT_KNOW, _("I don't know"), "", chosen == DONT_KNOW)
            )
        return items


def _format_number(number: Decimal | None) -> str:
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text


# --- lead forms ----------------------------------------------------------------------
