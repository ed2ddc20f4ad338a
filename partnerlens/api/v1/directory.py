"""The token's partnership, its member organisations and their memberships."""

# No "from __future__ import annotations": django-ninja reads the parameters' real types.

from ninja import Router
from ninja.pagination import paginate

from partnerlens.api.v1 import access
from partnerlens.api.v1.pages import Pages
from partnerlens.api.v1.schemas import (
    ERRORS,
    ID,
    MembershipOut,
    OrganisationOut,
    PartnershipOut,
)

router = Router(tags=["directory"])


@router.get("/partnership", response={200: PartnershipOut, **ERRORS})
def partnership(request):
    """The partnership the token belongs to."""
    return access.partnership_of(request)


@router.get("/memberships", response={200: list[MembershipOut], **ERRORS})
@paginate(Pages)
def memberships(request):
    """Every membership, current and ended, oldest first."""
    return (
        access.partnership_of(request)
        .memberships.select_related("organisation")
        .order_by("joined", "id")
    )


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS})
@paginate(Pages)
def organisations(request):
    """Organisations that are or were members, by name."""
    return access.members(request).order_by("name", "id")


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, **ERRORS})
def organisation(request, organisation_id: int = ID):
    return access.get_organisation(request, organisation_id)
