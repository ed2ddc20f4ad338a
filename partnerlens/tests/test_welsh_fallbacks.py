"""Welsh pages of a partnership whose texts were typed in English only: every typed text
shown must sit inside an element marked ``lang="en"``, so a screen reader reads it in an
English voice. The pages are the main ones a Welsh reader meets: the respondent's theme
page (options and rubric descriptors) and check-your-answers, the results dashboard (its
tables and charts come from a stored release), the framework version page, the partnership
pages and the brokerage offers."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partnerlens.brokerage.models import SupportOffer
from partnerlens.directory.models import Partnership, Role
from partnerlens.enquiries.services.cycles import create_cycle, open_cycle
from partnerlens.enquiries.services.invitees import create_open_link
from partnerlens.enquiries.services.responses import start_open_link_response
from partnerlens.frameworks.models import Option, Question
from partnerlens.insights.tests.helpers import (
    MAIL,
    answer,
    fill_cycle,
    make_results_framework,
)

pytestmark = pytest.mark.django_db

# Elements whose text cannot hold markup: the page title and what is not shown as text.
UNMARKABLE = {"title", "script", "style", "textarea", "option"}
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class LanguageOfText(HTMLParser):
    """Each run of text on the page with the language of its nearest ``lang`` ancestor."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.runs: list[tuple[str, str]] = []  # (language, text)

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not data.strip() or any(tag in UNMARKABLE for tag, _lang in self.stack):
            return
        language = next((lang for _tag, lang in reversed(self.stack) if lang), "")
        self.runs.append((language, data))


def unmarked(html: str, texts: set[str]) -> tuple[dict[str, int], list[str]]:
    """(how often each text shows, the texts shown somewhere not inside ``lang="en"``)."""
    parser = LanguageOfText()
    parser.feed(html)
    shown = {text: 0 for text in texts}
    wrong = []
    for language, run in parser.runs:
        for text in texts:
            if text in run:
                shown[text] += 1
                if language != "en":
                    wrong.append(f"{text!r} in {language or 'no'} text {run.strip()[:80]!r}")
    return shown, wrong


@pytest.fixture
def english_only(personas, make_school):
    """Partnership A with English texts only: its name and purpose, a published results
    framework (rubric levels with descriptors, help text), a published cycle with a release,
    a second open cycle with a Welsh respondent part way through, and an offer of support."""
    partnership = personas["a"]
    Partnership.objects.filter(pk=partnership.pk).update(purpose="Raising attainment together")
    extra = make_school("Riverside Infants")
    partnership.memberships.create(organisation=extra)
    schools = [personas["school_a"], extra]
    version = make_results_framework()
    for option in Option.objects.filter(question__theme__version=version):
        Option.objects.filter(pk=option.pk).update(descriptor_en=f"{option.label_en} practice")
    Question.objects.filter(theme__version=version, key="aims").update(
        help_en="Think about this year"
    )
    people = [(Role.TEACHER, 0, 3, "developing", "agree", "cooperating")] * 2
    published = fill_cycle(partnership, personas["lead_a"], schools, version, people)
    today = timezone.localdate()
    current = create_cycle(
        partnership,
        actor=personas["lead_a"],
        framework_version=version,
        title="Autumn check-in",
        opens_on=today,
        closes_on=today + timedelta(days=10),
        audience_roles=[Role.TEACHER],
    )
    with MAIL:
        open_cycle(current, actor=personas["lead_a"])
    with MAIL:
        link = create_open_link(current, actor=personas["lead_a"])
    response, resume = start_open_link_response(
        link, role=Role.TEACHER, organisation=schools[0], language="cy"
    )
    with translation.override("cy"):
        answer(response, "developing", "agree", "cooperating", "")
    SupportOffer.objects.create(
        partnership=partnership,
        organisation=personas["school_a"],
        summary="Our maths leads coach your staff",
    )
    version.refresh_from_db()
    texts = {
        "Northside Cluster",
        "Raising attainment together",
        version.framework.name_en,
        published.title,
        current.title,
        "Our maths leads coach your staff",
    }
    for theme in version.themes.prefetch_related("questions__options"):
        texts.add(theme.title_en)
        for question in theme.questions.all():
            texts |= {question.text_en, question.help_en} - {""}
            for option in question.options.all():
                texts |= {option.label_en, option.descriptor_en}
    return {
        "texts": texts,
        "partnership": partnership,
        "version": version,
        "published": published,
        "resume": resume,
        "lead": personas["lead_a"],
    }


def welsh(url: str) -> str:
    return "/cy" + url.removeprefix("/cy")


def test_every_typed_english_text_on_the_main_welsh_pages_is_marked_english(client, english_only):
    world = english_only
    partnership, version = world["partnership"], world["version"]
    respondent = {
        "theme page": reverse("enquiries:theme", args=[world["resume"], 1]),
        "check your answers": reverse("enquiries:review", args=[world["resume"]]),
    }
    lead = {
        "partnerships": reverse("directory:partnership_list"),
        "partnership": reverse("directory:partnership_detail", args=[partnership.pk]),
        "framework version": reverse("frameworks:version", args=[partnership.pk, version.pk]),
        "dashboard": reverse("insights:dashboard", args=[world["published"].pk]),
        "offers": reverse("brokerage:offer_list", args=[partnership.pk]),
    }
    pages = {}
    for name, url in respondent.items():
        pages[name] = client.get(welsh(url))
    client.force_login(world["lead"])
    for name, url in lead.items():
        pages[name] = client.get(welsh(url))

    seen = {text: 0 for text in world["texts"]}
    problems = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="cy"' in html, name
        shown, wrong = unmarked(html, world["texts"])
        assert sum(shown.values()), f"no typed text on the {name}"
        problems += [f"{name}: {problem}" for problem in wrong]
        for text, count in shown.items():
            seen[text] += count
    assert not problems, "\n".join(problems)
    # Every typed text was on some page, so none escaped the check by not being looked at.
    assert not [text for text, count in seen.items() if not count]


def test_the_options_and_descriptors_are_marked_where_they_are_built(client, english_only):
    """The theme page's radio labels and hints are built in Python: marked, not escaped."""
    url = welsh(reverse("enquiries:theme", args=[english_only["resume"], 1]))
    html = client.get(url).content.decode()
    assert '<span lang="en">Developing</span></label>' in html
    assert '<span lang="en">Developing practice</span></div>' in html
    assert "&lt;span" not in html


def test_the_english_pages_mark_nothing(client, english_only):
    client.force_login(english_only["lead"])
    url = reverse("insights:dashboard", args=[english_only["published"].pk])
    html = client.get(url).content.decode()
    shown, _wrong = unmarked(html, english_only["texts"])
    assert sum(shown.values())  # the texts are there, in an English page: nothing to mark
    assert '<span lang="en">' not in html and ' lang="en">' not in html.split("</header>")[-1]


def test_the_partnership_list_shows_welsh_missing_to_those_who_manage(client, personas):
    warning = "partnerlens-welsh-missing"
    url = reverse("directory:partnership_list")
    client.force_login(personas["teacher_a"])
    assert warning not in client.get(url).content.decode()
    client.force_login(personas["lead_a"])
    assert client.get(url).content.decode().count(warning) == 1  # A lacks Welsh; B is not lead_a's
    Partnership.objects.filter(pk=personas["a"].pk).update(name_cy="Clwstwr y Gogledd")
    assert warning not in client.get(url).content.decode()
    Partnership.objects.filter(pk=personas["a"].pk).update(purpose="Raising attainment together")
    assert warning in client.get(url).content.decode()


def test_the_results_page_marks_what_its_release_was_built_with(client, english_only):
    """The English in a stored release stays marked after Welsh is added to a text (the
    stored Welsh page still holds the English), and marking costs the page no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnerlens.enquiries.models import Cycle
    from partnerlens.frameworks.models import Theme
    from partnerlens.insights.models import Release

    cycle = english_only["published"]
    release = Release.objects.get(cycle=cycle)
    stored = set(release.page["cy"]["english"])
    assert cycle.title in stored and "Northside Cluster" in stored
    assert release.page["en"].get("english") is None  # an English page has no fallback
    theme = Theme.objects.filter(version=english_only["version"]).first()
    assert theme.title_en in stored
    Theme.objects.filter(pk=theme.pk).update(title_cy="Thema wedi ei chyfieithu wedyn")
    Cycle.objects.filter(pk=cycle.pk).update(title_cy="Cylch wedi ei gyfieithu wedyn")
    client.force_login(english_only["lead"])
    url = reverse("insights:dashboard", args=[cycle.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as english_queries:
        client.get(url)
    with CaptureQueriesContext(connection) as welsh_queries:
        page = client.get(welsh(url)).content.decode()
    assert len(welsh_queries) == len(english_queries)
    body = page.split('id="release"')[1]  # the stored release, not the live heading
    _shown, wrong = unmarked(body, {theme.title_en, cycle.title})
    assert theme.title_en in body and not wrong, wrong


def test_a_release_built_before_it_kept_its_english_is_marked_from_the_texts_of_today(
    english_only,
):
    from partnerlens.insights.models import Release
    from partnerlens.insights.templatetags.release_text import english_fallbacks

    cycle = english_only["published"]
    release = Release.objects.get(cycle=cycle)
    kept = frozenset(release.page["cy"].pop("english"))  # as a release built before it
    with translation.override("cy"):
        today = english_fallbacks(release, cycle)
    assert kept and kept <= today  # nothing was translated since: every text is still found
    with translation.override("en"):
        assert english_fallbacks(release, cycle) == frozenset()
