"""The proof behind docs/anonymity.md: in anonymous cycles nothing stored joins a person
to their response."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import DateField, DateTimeField

from partnerlens.directory.models import Role
from partnerlens.enquiries.models import Answer, Invitee, ReceiptSet, Response
from partnerlens.enquiries.receipts import receipts_of
from partnerlens.enquiries.services.cycles import open_cycle
from partnerlens.enquiries.services.responses import start_or_resume_response, submit_response
from partnerlens.enquiries.tests.conftest import answer_everything, link_from


def stored_values(instance) -> dict[str, object]:
    """Every concrete column of a row, as the database holds it."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_response_model_has_no_column_that_points_at_a_person():
    pointers = {f.name: f.related_model for f in Response._meta.concrete_fields if f.is_relation}
    # ``invitee`` exists for named and confidential cycles; the test below proves it is empty
    # in anonymous ones. Nothing points at a user account at all.
    assert set(pointers) == {"cycle", "invitee", "organisation"}
    assert not any(
        f.is_relation
        for f in Answer._meta.concrete_fields
        if f.name not in {"response", "question", "about_organisation"}
    )


def test_anonymous_submissions_leave_no_link_between_invitees_and_responses(
    make_cycle, invite, cluster, smtp_server
):
    cycle = make_cycle("anonymous")
    people = [(f"person{n}@example.org", Role.TEACHER, n % 3, "en") for n in range(4)]
    invite(cycle, *people)
    open_cycle(cycle, actor=cluster["lead_a"])
    tokens = {email: link_from(smtp_server.body(smtp_server.to(email)[0])) for email, *_ in people}
    # Three submit, one only starts a draft.
    for email in list(tokens)[:3]:
        response = start_or_resume_response(tokens[email])
        answer_everything(response)
        submit_response(response, token=tokens[email])
    start_or_resume_response(tokens["person3@example.org"])

    invitees = [stored_values(i) for i in Invitee.objects.all()]
    responses = [stored_values(r) for r in Response.objects.all()]
    answers = [stored_values(a) for a in Answer.objects.all()]
    assert len(responses) == 4 and sum(r["state"] == "submitted" for r in responses) == 3
    # Nothing about submitting is written to any invitee: not even a completion flag.
    assert not any(i["completed"] for i in invitees)
    assert len(receipts_of(cycle)) == 3

    for response in responses:
        assert response["invitee_id"] is None
        for moment in ("started_at", "updated_at", "submitted_at"):
            value = response[moment]
            if value is not None:  # coarsened to the day: no time to match against emails
                local = value.astimezone(cycle.closing_moment.tzinfo)
                assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)

    # 1. No foreign key from a response or an answer reaches an invitee or a person.
    person_models = {Invitee, get_user_model()}
    for model, rows in ((Response, responses), (Answer, answers)):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in person_models:
                assert all(row[f.attname] is None for row in rows), f"{model.__name__}.{f.name}"
            assert not (f.is_relation and f.related_model is get_user_model())

    # 2. No value stored with a response equals anything stored about a person: no shared
    #    email, name or hash (the invitee and resume hashes are salted differently).
    personal = set()
    for i in invitees:
        personal |= {i["email"], i["name"], i["token_hash"], *i["earlier_token_hashes"].split()}
    personal.discard("")
    receipt_rows = [stored_values(r) for r in ReceiptSet.objects.all()]
    for row in responses + answers + receipt_rows:
        for column, value in row.items():
            assert not (isinstance(value, str) and value in personal), column

    # 3. No time to correlate: invitees record no completion time, responses only the day.
    assert not any(
        isinstance(f, (DateTimeField, DateField)) and "complet" in f.name
        for f in Invitee._meta.concrete_fields
    )
    assert not any(isinstance(f, (DateTimeField, DateField)) for f in Answer._meta.concrete_fields)
    sent_times = {i["sent_at"] for i in invitees} | {i["last_reminded_at"] for i in invitees}
    sent_times.discard(None)
    for row in responses:
        assert not ({row["started_at"], row["updated_at"], row["submitted_at"]} & sent_times)

    # Response ids are random, so their order says nothing about who answered first.
    assert all(r["id"].version == 4 for r in responses)


def test_a_confidential_response_keeps_its_invitee_for_the_system_only(
    make_cycle, invite, cluster, smtp_server
):
    cycle = make_cycle("confidential")
    invite(cycle, ("ann@example.org", Role.TEACHER, 0, "en"))
    open_cycle(cycle, actor=cluster["lead_a"])
    token = link_from(smtp_server.body(smtp_server.to("ann@example.org")[0]))
    response = start_or_resume_response(token)
    assert response.invitee.email == "ann@example.org"
