"""Enquiry cycles: list, one cycle, and (with a write token) closing an open one."""

# No "from __future__ import annotations": django-ninja reads the parameters' real types.

from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from partnerlens.api.v1 import access
from partnerlens.api.v1.auth import WriteTokenAuth
from partnerlens.api.v1.pages import Pages
from partnerlens.api.v1.schemas import ERRORS, ID, WRITE_ERRORS, CycleOut
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import Cycle
from partnerlens.enquiries.services.cycles import close_cycle

router = Router(tags=["cycles"])


@router.get("/cycles", response={200: list[CycleOut], **ERRORS})
@paginate(Pages)
def cycles(request):
    """Every cycle of the partnership, latest opening first."""
    return (
        Cycle.objects.for_partnership(access.partnership_of(request))
        .select_related("framework_version__framework")
        .order_by("-opens_on", "-id")
    )


@router.get("/cycles/{cycle_id}", response={200: CycleOut, **ERRORS})
def cycle(request, cycle_id: int = ID):
    return access.get_cycle(request, cycle_id)


@router.post(
    "/cycles/{cycle_id}/close", response={200: CycleOut, **WRITE_ERRORS}, auth=WriteTokenAuth()
)
def cycle_close(request, cycle_id: int = ID):
    """Close an open cycle: it takes no more answers, and its results are prepared.
    A cycle that is not open gives 409."""
    cycle = access.get_cycle(request, cycle_id)
    try:
        close_cycle(cycle, actor=request.auth.created_by)
    except EnquiryError as error:
        raise HttpError(409, str(error)) from None
    return access.get_cycle(request, cycle_id)
