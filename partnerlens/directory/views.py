"""Pages for partnerships, their members and people.

Every view reaches a partnership through ``get_partnership_for_user`` and everything
inside it through that partnership's own relations, so nothing of another partnership
can be reached by changing a number in the address.
"""

from __future__ import annotations

from smtplib import SMTPException
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnerlens.core.bilingual import interpolate, marked
from partnerlens.directory import accounts, sections, services
from partnerlens.directory.access import Access, get_partnership_for_user
from partnerlens.directory.forms import (
    AddMemberForm,
    EndMembershipForm,
    InvitationForm,
    NewAccountForm,
    PartnerOrganisationForm,
    PartnershipForm,
    SchoolSearchForm,
)
from partnerlens.directory.models import Organisation, Partnership, PartnershipRole

SEARCH_LIMIT = 25
SIGN_IN_BACKEND = "partnerlens.directory.backends.EmailBackend"


def _posted(request):
    """The submitted data on POST (even if empty, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


@login_required
def partnership_list(request):
    mine = (
        Partnership.objects.filter(roles__user=request.user, roles__ended__isnull=True)
        .distinct()
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__left__isnull=True), distinct=True
            )
        )
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=PartnershipRole.objects.current().filter(user=request.user),
                to_attr="my_roles",
            )
        )
    )
    for partnership in mine:
        # Managers are shown where the partnership's Welsh is missing (the same rule as the
        # partnership's own page), read from the roles already fetched.
        access = Access.from_roles(request.user, partnership, partnership.my_roles)
        partnership.can_manage = access.can_manage
    return render(request, "directory/partnership_list.html", {"partnerships": mine})


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request):
    form = PartnershipForm(_posted(request))
    if form.is_valid():
        partnership = services.create_partnership(creator=request.user, **form.cleaned_data)
        messages.success(request, _("Partnership created. You are its partnership lead."))
        return redirect("directory:partnership_detail", pk=partnership.pk)
    return render(request, "directory/partnership_form.html", {"form": form, "creating": True})


@login_required
def partnership_detail(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    context = {
        "partnership": partnership,
        "can_manage": access.can_manage,
        "members": partnership.memberships.select_related("organisation").order_by(
            "left", "organisation__name"
        ),
        "roles": partnership.roles.select_related("user", "organisation").order_by(
            "ended", "role", "user__first_name"
        ),
        "invitations": partnership.role_invitations.pending() if access.can_manage else [],
        "sections": sections.links_for(access),
    }
    return render(request, "directory/partnership_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request, pk):
    partnership = get_partnership_for_user(request.user, pk, manage=True).partnership
    form = PartnershipForm(_posted(request), initial=PartnershipForm.initial_from(partnership))
    if form.is_valid():
        services.update_partnership(partnership, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Partnership details saved."))
        return redirect("directory:partnership_detail", pk=partnership.pk)
    return render(
        request, "directory/partnership_form.html", {"form": form, "partnership": partnership}
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    partnership = get_partnership_for_user(request.user, pk, manage=True).partnership
    if request.method == "POST":
        form = AddMemberForm(request.POST)
        if form.is_valid():
            try:
                services.add_member(
                    partnership, form.cleaned_data["organisation"], actor=request.user
                )
            except services.DirectoryError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s added to the partnership.")
                    % {"name": form.cleaned_data["organisation"].name},
                )
                return redirect("directory:partnership_detail", pk=partnership.pk)
        else:
            messages.error(request, _("Choose a school from the search results."))
    search = SchoolSearchForm(request.GET or None)
    results = []
    if search.is_valid():
        results = Organisation.objects.schools().search(search.cleaned_data["q"])[:SEARCH_LIMIT]
    context = {
        "partnership": partnership,
        "search": search,
        "results": results,
        "member_ids": set(
            partnership.memberships.current().values_list("organisation_id", flat=True)
        ),
        "limit": SEARCH_LIMIT,
    }
    return render(request, "directory/member_add.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partner_organisation_add(request, pk):
    partnership = get_partnership_for_user(request.user, pk, manage=True).partnership
    form = PartnerOrganisationForm(_posted(request))
    if form.is_valid():
        services.add_partner_organisation(partnership, actor=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(name)s added to the partnership.") % {"name": form.cleaned_data["name"]}
        )
        return redirect("directory:partnership_detail", pk=partnership.pk)
    context = {"partnership": partnership, "form": form}
    return render(request, "directory/partner_organisation_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request, pk, membership_pk):
    partnership = get_partnership_for_user(request.user, pk, manage=True).partnership
    membership = get_object_or_404(
        partnership.memberships.select_related("organisation"), pk=membership_pk, left=None
    )
    form = EndMembershipForm(_posted(request), membership=membership)
    if form.is_valid():
        services.end_membership(membership, actor=request.user, left=form.cleaned_data["left"])
        messages.success(
            request, _("%(name)s has left the partnership.") % {"name": membership.organisation}
        )
        return redirect("directory:partnership_detail", pk=partnership.pk)
    context = {"partnership": partnership, "membership": membership, "form": form}
    return render(request, "directory/membership_end.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_invite(request, pk):
    partnership = get_partnership_for_user(request.user, pk, manage=True).partnership
    form = InvitationForm(_posted(request), partnership=partnership)
    if form.is_valid():
        try:
            services.invite_person(partnership, actor=request.user, **form.cleaned_data)
        except (SMTPException, OSError):
            form.add_error(None, _("The invitation email could not be sent. Try again later."))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("directory:partnership_detail", pk=partnership.pk)
    context = {
        "partnership": partnership,
        "form": form,
        "invitation_days": settings.INVITATION_DAYS,
    }
    return render(request, "directory/invite.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def role_end(request, pk, role_pk):
    partnership = get_partnership_for_user(request.user, pk, manage=True).partnership
    role = get_object_or_404(
        partnership.roles.select_related("user", "organisation"), pk=role_pk, ended=None
    )
    problem = None
    if request.method == "POST":
        try:
            services.end_role(role, actor=request.user)
        except services.DirectoryError as error:
            problem = str(error)
        else:
            messages.success(request, _("Role ended."))
            return redirect("directory:partnership_detail", pk=partnership.pk)
    context = {"partnership": partnership, "role": role, "problem": problem}
    return render(request, "directory/role_end.html", context)


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """Opened from the emailed link. GET only shows the offer, as mail scanners follow links.

    Only the invited person may accept: someone signed in as anyone else is told whose it
    is and offered to sign out; an invited address that has an account signs in to accept
    (after signing in, the sign-in page brings them back here)."""
    try:
        invitation = services.find_invitation(token)
    except services.InvitationError as error:
        return _invitation_problem(request, error)
    user = request.user
    signed_in = user.is_authenticated
    if signed_in and not services.invitation_is_for(invitation, user):
        context = {"invitation": invitation, "masked_email": mask_email(invitation.email)}
        return render(request, "directory/invitation_other_account.html", context, status=403)
    has_account = not signed_in and services.account_for(invitation.email) is not None
    form = None
    if not signed_in and not has_account:
        form = NewAccountForm(_posted(request), email=invitation.email)
    if request.method == "POST" and (signed_in or (form is not None and form.is_valid())):
        try:
            if signed_in:
                role = services.accept_invitation(token, user=request.user)
            else:
                role = services.create_account_and_accept(token, **form.cleaned_data)
                login(request, role.user, backend=SIGN_IN_BACKEND)
        except services.InvitationError as error:
            return _invitation_problem(request, error)
        if signed_in:
            accounts.remember_two_factor(request)  # the new role may call for it
        welcome = _("Welcome to %(name)s.")
        messages.success(request, interpolate(welcome, name=marked(invitation.partnership, "name")))
        return redirect("directory:partnership_detail", pk=role.partnership_id)
    context = {
        "invitation": invitation,
        "form": form,
        "has_account": has_account,
        "sign_in_url": f"{reverse('login')}?{urlencode({'next': request.path})}",
    }
    return render(request, "directory/invitation_accept.html", context)


def mask_email(address: str) -> str:
    """An address shown to whoever holds the link, but not spelt out: "a…@school.org"."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


def _invitation_problem(request, error: services.InvitationError):
    return render(
        request,
        "directory/invitation_problem.html",
        {"problem": str(error)},
        status=error.status,
    )
