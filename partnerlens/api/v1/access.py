"""The one place the API decides which objects a token reaches: those of its partnership.

An object of another partnership is reported as not found (404), as the pages do, so a
token cannot learn that it exists.
"""

from __future__ import annotations

from django.http import Http404

from partnerlens.directory.models import Organisation, Partnership
from partnerlens.enquiries.models import Cycle


def partnership_of(request) -> Partnership:
    return request.auth.partnership


def get_cycle(request, pk: int) -> Cycle:
    cycle = (
        Cycle.objects.for_partnership(partnership_of(request))
        .select_related("framework_version__framework")
        .filter(pk=pk)
        .first()
    )
    if cycle is None:
        raise Http404("No such cycle")
    return cycle


def members(request):
    """Organisations that are or were members of the token's partnership."""
    return Organisation.objects.filter(memberships__partnership=partnership_of(request)).distinct()


def get_organisation(request, pk: int) -> Organisation:
    organisation = members(request).filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation
