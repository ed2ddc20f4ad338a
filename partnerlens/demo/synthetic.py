"""Synthetic respondents for the demo: who is asked, and what they answer, from a fixed seed.

Pure Python and numpy, no Django, so a story can be read, tested and tuned without a
database. The builder turns questions into ``Ask`` and people into ``Person``; ``answer_sheet``
returns plain ``Given`` values that the enquiries services then save like any respondent's.

A scored answer comes from a latent view on the 1-4 rubric scale: the theme's mean for a
teacher in that cycle, plus a lift for the person's role (and for that role in that theme),
plus the person's own warmth, plus noise, placed on the question's own scale (an agreement
scale runs 1-5). So the stories a demo tells (leaders more optimistic than teachers,
governance weaker, trust improving) are visible in the figures without being painted on.

A relationship question is answered once per partner the person's organisation knows,
from that side's own view of the tie (``Story.relationships``), on the question's scores.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

SCORED = ("rubric", "agreement", "relationship")
TEXT = ("short_text", "long_text")
LOW, HIGH = 1.0, 4.0  # the latent scale: a four-level rubric


@dataclass(frozen=True)
class Level:
    value: str
    score: float | None = None


@dataclass(frozen=True)
class Ask:
    """One question as the generator needs it."""

    id: int
    key: str
    theme: str
    kind: str
    levels: tuple[Level, ...] = ()
    allow_dont_know: bool = True
    evidence_required: bool = False
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: str
    organisation: int | None
    language: str = "en"
    responds: bool = True


@dataclass(frozen=True)
class Given:
    """One answer, as plain values (the builder makes an ``AnswerValue`` of it)."""

    option_value: str = ""
    number: float | None = None
    text: str = ""
    choices: tuple[str, ...] = ()
    dont_know: bool = False
    evidence_note: str = ""


@dataclass(frozen=True)
class Story:
    """What one cycle's answers should show.

    ``theme_means``: a teacher's mean view per theme on the 1-4 scale; ``role_lift`` and
    ``theme_role_lift`` move it per role (and per role in one theme). ``dont_know``: the
    chance a role answers "don't know"; ``theme_dont_know`` overrides it per (theme, role).
    ``texts``: written answers per question key, each used once, in order;
    ``write_chance``: how likely someone asked a text question writes one.
    ``evidence``: notes per (theme, language) added to some scored answers (each used once,
    with chance ``evidence_chance`` for leaders); ``text_evidence``: notes for written answers
    that must carry evidence (reused in turn). ``numbers``: per question key and role, the
    mean of a count; ``amounts``: per question key, the values to choose from.
    ``choice_weights``: per question key, weights of option values (others weigh 1).
    ``relationships``: per organisation, the partners its people know and their view of each
    tie on the relationship question's own scores (the continuum runs from 0, none, through
    1, networking, to 4, collaboration), in place of the theme's mean; partners not named
    are left blank, as people skip partners they do not work with.
    ``question_lift``: per question key, added to the view (where a relationship should be
    sits above where it is).
    """

    theme_means: Mapping[str, float]
    role_lift: Mapping[str, float] = field(default_factory=dict)
    theme_role_lift: Mapping[tuple[str, str], float] = field(default_factory=dict)
    dont_know: Mapping[str, float] = field(default_factory=dict)
    theme_dont_know: Mapping[tuple[str, str], float] = field(default_factory=dict)
    texts: Mapping[str, Sequence[str]] = field(default_factory=dict)
    write_chance: Mapping[str, float] = field(default_factory=dict)
    evidence: Mapping[tuple[str, str], Sequence[str]] = field(default_factory=dict)
    evidence_chance: float = 0.0
    evidence_roles: frozenset[str] = frozenset({"partnership_lead", "headteacher"})
    text_evidence: Sequence[str] = ()
    numbers: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    amounts: Mapping[str, Sequence[float]] = field(default_factory=dict)
    choice_weights: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    relationships: Mapping[int, Mapping[int, float]] = field(default_factory=dict)
    question_lift: Mapping[str, float] = field(default_factory=dict)
    warmth_sd: float = 0.3
    noise_sd: float = 0.45


# --- who is asked ----------------------------------------------------------------------


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]+", "", plain.lower())


def roster(
    schools: Sequence[int],
    counts: Mapping[str, int],
    *,
    first_names: Sequence[str],
    surnames: Sequence[str],
    domain: str,
    seed: int,
    welsh_share: float = 0.0,
    non_responders: Mapping[str, int] | None = None,
) -> list[Person]:
    """People to invite: ``counts`` per role spread over ``schools`` in turn (headteachers one
    per school at most), names drawn without repeats, a few per role who never answer."""
    rng = np.random.default_rng(seed)
    non_responders = non_responders or {}
    pairs = [(f, s) for f in first_names for s in surnames]
    order = rng.permutation(len(pairs))
    people: list[Person] = []
    taken: set[str] = set()
    position = 0
    for role, count in counts.items():
        if role == "headteacher" and schools:
            count = min(count, len(schools))
        silent = set(range(count - non_responders.get(role, 0), count))
        for index in range(count):
            first, last = pairs[int(order[position % len(pairs)])]
            position += 1
            email = f"{_ascii(first)}.{_ascii(last)}@{domain}"
            suffix = 2
            while email in taken:
                email = f"{_ascii(first)}.{_ascii(last)}{suffix}@{domain}"
                suffix += 1
            taken.add(email)
            people.append(
                Person(
                    email=email,
                    name=f"{first} {last}",
                    role=role,
                    organisation=schools[index % len(schools)] if schools else None,
                    language="cy" if rng.random() < welsh_share else "en",
                    responds=index not in silent,
                )
            )
    return people


# --- what they answer --------------------------------------------------------------------


@dataclass
class _Pools:
    """Texts still unused in this cycle, so no two people write the same words."""

    texts: dict[str, list[str]]
    evidence: dict[tuple[str, str], list[str]]
    text_evidence: Sequence[str]
    turn: int = 0

    @classmethod
    def of(cls, story: Story) -> _Pools:
        return cls(
            texts={k: list(v) for k, v in story.texts.items()},
            evidence={k: list(v) for k, v in story.evidence.items()},
            text_evidence=story.text_evidence,
        )

    def next_evidence_for_text(self) -> str:
        if not self.text_evidence:
            return ""
        note = self.text_evidence[self.turn % len(self.text_evidence)]
        self.turn += 1
        return note


def _place(latent: float, levels: Sequence[Level], *, own_scale: bool = False) -> str:
    """The level of a scored question nearest to ``latent`` (on 1-4) on that question's scale,
    or (``own_scale``) nearest to ``latent`` read on the question's own scores."""
    scored = sorted((lv for lv in levels if lv.score is not None), key=lambda lv: lv.score)
    low, high = scored[0].score, scored[-1].score
    if own_scale:
        target = latent
    else:
        position = (min(max(latent, LOW), HIGH) - LOW) / (HIGH - LOW)
        target = low + position * (high - low)
    return min(scored, key=lambda lv: abs(lv.score - target)).value


def _mean(story: Story, theme: str, role: str) -> float:
    base = story.theme_means.get(theme, 2.5)
    return base + story.role_lift.get(role, 0.0) + story.theme_role_lift.get((theme, role), 0.0)


def _dont_know_chance(story: Story, theme: str, role: str) -> float:
    return story.theme_dont_know.get((theme, role), story.dont_know.get(role, 0.03))


def _scored(ask, person, story, rng, warmth, pools, mean=None) -> Given:
    centre = _mean(story, ask.theme, person.role) if mean is None else mean
    latent = centre + story.question_lift.get(ask.key, 0.0) + warmth
    latent += rng.normal(0, story.noise_sd)
    note = ""
    pool = pools.evidence.get((ask.theme, person.language)) or []
    if pool and person.role in story.evidence_roles and rng.random() < story.evidence_chance:
        note = pool.pop(0)
    if ask.evidence_required and not note:
        note = pools.next_evidence_for_text()
    placed = _place(latent, ask.levels, own_scale=mean is not None)
    return Given(option_value=placed, evidence_note=note)


def _number(ask, person, story, rng) -> Given | None:
    if ask.key in story.amounts:
        return Given(number=float(rng.choice(story.amounts[ask.key])))
    mean = story.numbers.get(ask.key, {}).get(person.role)
    if mean is None:
        return None
    value = float(rng.poisson(mean))
    if ask.minimum is not None:
        value = max(value, ask.minimum)
    if ask.maximum is not None:
        value = min(value, ask.maximum)
    return Given(number=value)


def _weights(ask: Ask, story: Story) -> np.ndarray:
    wanted = story.choice_weights.get(ask.key, {})
    weights = np.array([wanted.get(lv.value, 1.0) for lv in ask.levels], dtype=float)
    return weights / weights.sum()


def _choice(ask, story, rng) -> Given:
    index = rng.choice(len(ask.levels), p=_weights(ask, story))
    return Given(option_value=ask.levels[int(index)].value)


def _choices(ask, story, rng) -> Given:
    count = int(rng.integers(1, min(3, len(ask.levels)) + 1))
    picked = rng.choice(len(ask.levels), size=count, replace=False, p=_weights(ask, story))
    return Given(choices=tuple(ask.levels[int(i)].value for i in sorted(picked)))


def _written(ask, person, story, rng, pools) -> Given | None:
    pool = pools.texts.get(ask.key) or []
    if not pool or rng.random() >= story.write_chance.get(ask.key, 0.5):
        return None
    text = pool.pop(0)
    note = pools.next_evidence_for_text() if ask.evidence_required else ""
    return Given(text=text, evidence_note=note)


def _about_partners(ask, person, story, rng, warmth, pools) -> dict[int, Given]:
    """A relationship question: one answer per partner the person's organisation knows. No
    "don't know": people name only partners they work with."""
    known = story.relationships.get(person.organisation, {}) if ask.levels else {}
    return {
        partner: _scored(ask, person, story, rng, warmth, pools, mean=view)
        for partner, view in sorted(known.items())
    }


Sheet = dict[tuple[int, int | None], Given]  # (question id, partner or None) -> answer


def answer_sheet(
    people: Sequence[Person],
    questions: Mapping[str, Sequence[Ask]],
    story: Story,
    *,
    seed: int,
) -> list[Sheet]:
    """Each responding person's answers, in the order of ``people``: keyed by question id
    and the partner organisation a relationship answer is about (None for the rest), as the
    enquiries services key a page's answers.

    ``questions`` maps a role to the questions that role is asked, in page order. Questions
    a person leaves blank are absent from their sheet.
    """
    rng = np.random.default_rng(seed)
    pools = _Pools.of(story)
    sheets = []
    for person in people:
        if not person.responds:
            continue
        warmth = rng.normal(0, story.warmth_sd)
        sheet: Sheet = {}
        for ask in questions.get(person.role, ()):
            if ask.kind == "relationship":
                about = _about_partners(ask, person, story, rng, warmth, pools)
                sheet.update({(ask.id, partner): given for partner, given in about.items()})
                continue
            chance = _dont_know_chance(story, ask.theme, person.role)
            if ask.kind not in TEXT and ask.allow_dont_know and rng.random() < chance:
                sheet[(ask.id, None)] = Given(dont_know=True)
                continue
            if ask.kind in SCORED and ask.levels:
                given = _scored(ask, person, story, rng, warmth, pools)
            elif ask.kind == "number":
                given = _number(ask, person, story, rng)
            elif ask.kind == "single_choice" and ask.levels:
                given = _choice(ask, story, rng)
            elif ask.kind == "multiple_choice" and ask.levels:
                given = _choices(ask, story, rng)
            elif ask.kind in TEXT:
                given = _written(ask, person, story, rng, pools)
            else:
                given = None
            if given is not None:
                sheet[(ask.id, None)] = given
        sheets.append(sheet)
    return sheets
