"""What each endpoint returns. Field names are part of the version's promise (docs/api.md):
within v1 fields are only ever added, never renamed, removed or given another meaning."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Path, Schema

# Largest id a path accepts: ids are positive and fit a 64-bit integer.
MAX_ID = 2**63 - 1
ID = Path(..., ge=1, le=MAX_ID)


class Error(Schema):
    detail: str


class ValidationErrors(Schema):
    detail: list[dict]


# The responses every endpoint may give besides its own 200.
ERRORS = {401: Error, 404: Error, 422: ValidationErrors}
WRITE_ERRORS = {**ERRORS, 403: Error, 409: Error}


class PartnershipOut(Schema):
    id: int
    name: str
    name_cy: str = Field(description="Welsh name; empty when there is none")
    kind: str
    purpose: str
    purpose_cy: str
    start_date: date | None
    end_date: date | None


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    nation: str
    urn: int | None = Field(description="Unique reference number in England (GIAS)")
    welsh_school_code: str
    phase: str
    la_name: str = Field(description="Local authority")
    postcode: str


class OrganisationRef(Schema):
    id: int
    name: str


class MembershipOut(Schema):
    id: int
    organisation: OrganisationRef
    joined: date | None
    left: date | None = Field(description="Empty while the organisation is a member")


class FrameworkRef(Schema):
    version_id: int
    version_number: int
    name: str
    slug: str


class CycleOut(Schema):
    id: int
    title: str
    title_cy: str
    state: str = Field(description="draft, open, closed or published")
    anonymity_mode: str = Field(description="named, confidential or anonymous")
    opens_on: date
    closes_on: date
    framework: FrameworkRef

    @staticmethod
    def resolve_framework(cycle) -> dict:
        version = cycle.framework_version
        return {
            "version_id": version.pk,
            "version_number": version.number,
            "name": version.framework.name_en,
            "slug": version.framework.slug,
        }


class ReleaseOut(Schema):
    number: int = Field(description="1, 2, ... per cycle; results come from the latest")
    created_at: datetime
    reason: str
    k: int = Field(description="Smallest group shown")
    parent_k: int = Field(description="Smallest group of parents shown")
    respondents: int


class CellOut(Schema):
    """One figure of a release: a theme, dimension or the whole framework, for one group."""

    level: str = Field(description="theme, dimension or framework")
    theme_key: str | None
    dimension: str | None
    group: str = Field(description="partnership, role, role_group, organisation, source, ...")
    role: str | None
    role_group: str | None
    organisation_id: int | None
    source: str | None
    shown: bool = Field(description="False: too few people to show; no figures are given")
    reason: str | None = Field(
        description="'hidden' for every hidden cell, whatever hid it; else empty"
    )
    n: int | None
    n_dont_know: int | None
    mean: float | None
    sd: float | None
    scale_min: float | None
    scale_max: float | None


class ResultsOut(Schema):
    cycle_id: int
    release: ReleaseOut | None = Field(description="Empty when no release exists yet")
    withheld: str | None = Field(
        description="Why the cycle's responses are not all in the release: no_release, "
        "too_few_changed or audit_failed; empty when they are"
    )
    cells: list[CellOut]


class MatchOut(Schema):
    id: int
    scenario_id: int
    scenario_name: str
    run_at: datetime
    need_school: OrganisationRef
    support_school: OrganisationRef
    area: str
    severity: int = Field(description="Need, 0 to 3")
    strength: int = Field(description="Expertise, 0 to 3")
    distance_km: float
    score: int
    decision: str = Field(description="pending, accepted, rejected, pinned or excluded")

    @staticmethod
    def resolve_scenario_id(match) -> int:
        return match.run.scenario_id

    @staticmethod
    def resolve_scenario_name(match) -> str:
        return match.run.scenario.name

    @staticmethod
    def resolve_run_at(match) -> datetime:
        return match.run.run_at
