"""Pages of an enquiry for respondents: no account, the link in the address identifies them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partnerlens.core.addresses import client_address
from partnerlens.enquiries import ratelimit
from partnerlens.enquiries.answer_forms import ThemeAnswers
from partnerlens.enquiries.emails import respond_url
from partnerlens.enquiries.errors import EnquiryError, LinkError
from partnerlens.enquiries.forms import PublicStartForm, ResumeLinkEmailForm
from partnerlens.enquiries.responding import (
    AskedPartners,
    asked_partners,
    gaps_in,
    stored_answers,
    themes_for,
)
from partnerlens.enquiries.services import responses, resume_links
from partnerlens.enquiries.summaries import review_rows
from partnerlens.frameworks.models import QuestionKind

LINK_STATUS = {"unknown": 404, "expired": 410, "used": 200, "closed": 200, "not_open": 200}
# A theme page opened from "Check your answers" (its Change links) returns there once saved.
FROM_CHECK = "check"

# Every page that shows answers is sent with Cache-Control: no-store (``never_cache``), so
# Back on a shared staffroom computer does not show a submitted response from the cache.


def _problem(request, error: LinkError):
    return render(
        request,
        "enquiries/link_problem.html",
        {"error": error, "cycle": error.cycle},
        status=LINK_STATUS.get(error.reason, 400),
    )


def _language(request) -> str:
    return (translation.get_language() or "en")[:2]


@never_cache
def start(request, token: str):
    """The start page: what this enquiry is, how anonymous it is, and Start or Continue."""
    try:
        link = responses.follow_link(token)
        if request.method == "POST":
            response = responses.start_or_resume_response(token, language=_language(request))
            themes = themes_for(response)
            answered = {q for q, _o in stored_answers(response)}
            for number, (_theme, questions) in enumerate(themes, start=1):
                if not answered & {q.id for q in questions}:
                    return redirect("enquiries:theme", token, number)
            return redirect("enquiries:review", token)
    except LinkError as error:
        return _problem(request, error)
    progress = _theme_progress(link.response) if link.response else []
    return render(
        request,
        "enquiries/start.html",
        {
            "link": link,
            "cycle": link.cycle,
            "token": token,
            "progress": progress,
            "answered_any": any(answered for _t, answered, _n in progress),
            "open_link": link.response is not None and link.response.channel == "open_link",
        },
    )


def _theme_progress(response) -> list[tuple[object, int, int]]:
    """Each theme with how many of its questions have an answer, and how many it has."""
    answered = {q for q, _o in stored_answers(response)}
    return [
        (theme, len(answered & {q.id for q in questions}), len(questions))
        for theme, questions in themes_for(response)
    ]


@never_cache
def theme(request, token: str, number: int):
    """One theme: its questions for the respondent's role; Save, or Save and continue."""
    try:
        link = responses.follow_link(token)
    except LinkError as error:
        return _problem(request, error)
    if link.response is None:
        return redirect("enquiries:start", token)
    response = link.response
    themes = themes_for(response)
    if not 1 <= number <= len(themes):
        raise Http404("No such theme")
    current, questions = themes[number - 1]
    asks_partners = any(q.kind == QuestionKind.RELATIONSHIP for q in questions)
    asked = asked_partners(response) if asks_partners else AskedPartners([])
    partners = asked.partners
    posting = request.method == "POST"
    # A POST shows the posted answers, never the stored ones: read those only to redraw.
    stored = {} if posting else stored_answers(response)
    returning = request.GET.get("from") == FROM_CHECK
    form = ThemeAnswers(questions, partners, stored, request.POST if posting else None)
    if posting:
        try:
            changed = responses.save_theme_answers(
                response, current, form.values, language=_language(request)
            )
        except LinkError as error:
            return _problem(request, error)
        if not form.errors:
            if changed or any(not v.is_empty for v in form.values.values()):
                messages.success(request, _("Your answers on this page have been saved."))
            if "continue" not in request.POST:
                return _to_theme(token, number, returning)
            if returning or number == len(themes):
                return redirect("enquiries:review", token)
            return redirect("enquiries:theme", token, number + 1)
        stored = stored_answers(response)
    context = {
        "cycle": response.cycle,
        "token": token,
        "theme": current,
        "number": number,
        "total": len(themes),
        "form": form,
        "blocks": form.blocks(),
        "only_changed_ties": asked.narrowed,
        "error_summary": form.error_summary(),
        "saved_others": bool(form.errors and form.values) and not form.only_evidence_missing,
        "evidence_only": form.only_evidence_missing,
        "returning": returning,
        "answered_any": bool(stored) or any(not v.is_empty for v in form.values.values()),
    }
    return render(request, "enquiries/theme.html", context, status=400 if form.errors else 200)


def _to_theme(token: str, number: int, returning: bool):
    address = reverse("enquiries:theme", args=[token, number])
    return redirect(f"{address}?from={FROM_CHECK}" if returning else address)


@never_cache
def review(request, token: str):
    """Check your answers: every answer with a Change link, and what still stops submission."""
    try:
        link = responses.follow_link(token)
    except LinkError as error:
        return _problem(request, error)
    if link.response is None:
        return redirect("enquiries:start", token)
    response = link.response
    sections = review_rows(response)
    answered_any = any(row.answer or row.evidence for _n, _t, rows in sections for row in rows)
    return render(
        request,
        "enquiries/review.html",
        {
            "cycle": response.cycle,
            "token": token,
            "sections": sections,
            "gaps": gaps_in(response) if answered_any else [],
            "answered_any": answered_any,
            "last_theme": len(sections),
        },
    )


@never_cache
@require_POST
def submit(request, token: str):
    try:
        link = responses.follow_link(token)
        if link.response is None:
            return redirect("enquiries:start", token)
        submitted = responses.submit_response(link.response, token=token)
    except LinkError as error:
        return _problem(request, error)
    except EnquiryError as error:
        messages.error(request, str(error))
        return redirect("enquiries:review", token)
    if not submitted:
        messages.info(request, _("You had already submitted this response; nothing changed."))
    return redirect("enquiries:submitted")


@never_cache
def submitted(request):
    return render(request, "enquiries/submitted.html")


@never_cache
def open_link_start(request, token: str):
    """The open link: choose a role, then get a fresh response with its own private link."""
    try:
        cycle = responses.cycle_for_open_link(token)
    except LinkError as error:
        return _problem(request, error)
    form = PublicStartForm(cycle, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow_open_link_start(cycle, client_address(request)):
            wait = ratelimit.retry_after()
            reply = render(
                request,
                "enquiries/too_many.html",
                {"cycle": cycle, "minutes": max(1, round(wait / 60))},
                status=429,
            )
            reply["Retry-After"] = str(wait)
            return reply
        try:
            _response, own = responses.start_open_link_response(
                token,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                language=_language(request),
            )
        except LinkError as error:
            return _problem(request, error)
        except EnquiryError as error:
            form.add_error("role", str(error))
        else:
            return redirect("enquiries:resume_link", own)
    return render(request, "enquiries/open_link_start.html", {"cycle": cycle, "form": form})


@never_cache
def resume_link(request, token: str):
    """An open-link respondent's private link, to copy or (not in anonymous cycles) to email
    to themselves. The address is used for that one message and never stored."""
    try:
        link = responses.follow_link(token)
    except LinkError as error:
        return _problem(request, error)
    if link.response is None:
        return redirect("enquiries:start", token)
    can_email = resume_links.can_email(link.response)
    form = ResumeLinkEmailForm(request.POST or None)
    if request.method == "POST" and can_email and form.is_valid():
        resume_links.email_resume_link(
            link.response, token, form.cleaned_data["email"], language=_language(request)
        )
        # The address is not repeated in the message: messages may be kept in the session.
        messages.success(request, _("We have emailed your private link to you."))
        return redirect("enquiries:resume_link", token)
    return render(
        request,
        "enquiries/resume_link.html",
        {
            "cycle": link.cycle,
            "token": token,
            "address": respond_url(token, _language(request)),
            "form": form,
            "can_email": can_email,
        },
        status=400 if form.errors else 200,
    )
