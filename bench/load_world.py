"""The world the load benchmark answers in, built through the app's own services.

One partnership of real Trafford schools (``demo/data/trafford_schools``, Open Government
Licence), a 40-question framework (8 themes x 5 questions: three agreement, one rubric with
four levels, one optional long text) imported and published by
``frameworks.services.versions.import_framework``, a confidential cycle made and opened by
``enquiries.services.cycles``, and the invitees added by ``invite_people``. Each invitee's
link is then minted as ``invitees._issue_link`` does when it emails one (a fresh token, only
its hash stored): the bench keeps the tokens instead of emailing them.

``answers_for`` is what a simulated respondent posts on one theme page: a choice for every
question (5% "I don't know"), and a sentence for the text question every fourth page.
"""

from __future__ import annotations

import csv
import os
import random
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHOOLS_CSV = ROOT / "demo/data/trafford_schools/trafford_schools_and_colleges_2023-04-27.csv"
THEMES = 8
PER_THEME = 5
QUESTIONS = THEMES * PER_THEME
SCHOOLS = 30
ROLES = ["teacher", "teacher", "teacher", "support_staff", "middle_leader", "senior_leader"]


def setup_django(database_url: str) -> None:
    """Django against ``database_url``, as production runs it (no per-query debug log)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ["DEBUG"] = "false"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerlens.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def framework_document() -> dict:
    rubric = [
        {
            "value": f"level-{i}",
            "label": {"en": f"Level {i}", "cy": f"Lefel {i}"},
            "descriptor": {"en": f"What level {i} looks like", "cy": f"Sut olwg sydd ar lefel {i}"},
            "score": i,
        }
        for i in range(1, 5)
    ]
    themes = []
    for t in range(THEMES):
        questions = []
        for q in range(PER_THEME):
            kind = ("agreement", "agreement", "agreement", "rubric", "long_text")[q]
            question = {
                "key": f"t{t + 1}-q{q + 1}",
                "kind": kind,
                "text": {
                    "en": f"How far do partner schools share practice in area {t + 1}.{q + 1}?",
                    "cy": "I ba raddau mae ysgolion partner yn rhannu arfer ym maes "
                    f"{t + 1}.{q + 1}?",
                },
                "help": {
                    "en": "Think about the last term.",
                    "cy": "Meddyliwch am y tymor diwethaf.",
                },
                "allow_dont_know": kind != "long_text",
                "required": kind != "long_text",
            }
            if kind == "rubric":
                question["options"] = rubric
            questions.append(question)
        themes.append(
            {
                "key": f"strand-{t + 1}",
                "dimension": ["deep", "tight", "wide"][t % 3],
                "title": {"en": f"Strand {t + 1}", "cy": f"Llinyn {t + 1}"},
                "description": {
                    "en": "Questions about how the partnership works together.",
                    "cy": "Cwestiynau am sut mae'r bartneriaeth yn cydweithio.",
                },
                "questions": questions,
            }
        )
    return {
        "schema_version": 1,
        "slug": "bench-load-forty",
        "name": {"en": "Forty questions", "cy": "Deugain cwestiwn"},
        "themes": themes,
    }


def school_names(count: int) -> list[str]:
    with SCHOOLS_CSV.open(newline="", encoding="utf-8") as handle:
        return [row["name"] for row in csv.DictReader(handle)][:count]


def build(respondents: int) -> tuple[int, list[str]]:
    """The cycle's id and one link token per invitee."""
    from datetime import timedelta

    from django.utils import timezone

    from partnerlens.core.tokens import hash_token
    from partnerlens.directory.models import (
        Membership,
        Organisation,
        OrganisationKind,
        Partnership,
        PartnershipKind,
    )
    from partnerlens.enquiries.invitee_files import InviteeRow
    from partnerlens.enquiries.models import Invitee
    from partnerlens.enquiries.services.cycles import create_cycle, open_cycle
    from partnerlens.enquiries.services.invitees import invite_people
    from partnerlens.frameworks.services.versions import import_framework

    version = import_framework(framework_document(), publish=True)
    partnership = Partnership.objects.create(
        name="Trafford load partnership", kind=PartnershipKind.LA_PARTNERSHIP
    )
    schools = Organisation.objects.bulk_create(
        [Organisation(kind=OrganisationKind.SCHOOL, name=n) for n in school_names(SCHOOLS)]
    )
    Membership.objects.bulk_create(
        [Membership(partnership=partnership, organisation=o) for o in schools]
    )
    today = timezone.localdate()
    cycle = create_cycle(
        partnership,
        actor=None,
        framework_version=version,
        title="Summer staff enquiry",
        opens_on=today,
        closes_on=today + timedelta(days=30),
    )
    rows = [
        InviteeRow(
            row=i + 1,
            email=f"staff{i + 1}@load.example",
            name=f"Member of staff {i + 1}",
            role=ROLES[i % len(ROLES)],
            organisation=schools[i % len(schools)],
            language="en",
        )
        for i in range(respondents)
    ]
    invite_people(cycle, rows, actor=None)
    invitees = list(Invitee.objects.filter(cycle=cycle).order_by("pk"))
    tokens = []
    sent = timezone.now()
    for invitee in invitees:
        token = secrets.token_urlsafe(32)
        invitee.token_hash = hash_token(token, purpose="invitee")
        invitee.sent_at = sent
        tokens.append(token)
    Invitee.objects.bulk_update(invitees, ["token_hash", "sent_at"], batch_size=1000)
    open_cycle(cycle, actor=None)  # everyone is "sent": no email goes out
    return cycle.pk, tokens


def answers_for(page_html: str, page: int, rng: random.Random) -> dict[str, list[str]]:
    """The form a respondent posts on one theme page, read from the page itself: one of the
    offered radios for every question, and sometimes a sentence in a text box."""
    import re

    radios: dict[str, list[str]] = {}
    for name, value in re.findall(r'name="(q\d+)" type="radio" value="([^"]*)"', page_html):
        radios.setdefault(name, []).append(value)
    form: dict[str, list[str]] = {}
    for name, values in radios.items():
        dont_know = "dont-know" in values and rng.random() < 0.05
        form[name] = [
            "dont-know" if dont_know else rng.choice([v for v in values if v != "dont-know"])
        ]
    for name in re.findall(r'<textarea[^>]*name="(q\d+)"', page_html):
        if page % 4 == 0:
            form[name] = ["We meet each half term and share planning across the schools."]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_html)
    form["csrfmiddlewaretoken"] = [token.group(1) if token else ""]
    form["continue"] = ["1"]
    return form
