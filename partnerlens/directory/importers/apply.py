"""Writing parsed records to the directory in bulk, reporting what each row changed.

Every function here takes the records of one file and returns one outcome per record:
``created``, ``updated`` or ``unchanged``. Values are compared before anything is written,
so re-importing a file reports it unchanged and writes nothing. Callers own the
transaction (one per file, see ``runner.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from partnerlens.core.bulk import save_fields
from partnerlens.directory.importers.base import (
    GroupLinkRecord,
    GroupRef,
    LinkRecord,
    MeasureValue,
    Options,
    OrgRecord,
    PartnershipRecord,
    PostcodeRecord,
)
from partnerlens.directory.models import (
    EstablishmentLink,
    Membership,
    Organisation,
    OrganisationKind,
    OutcomeMeasure,
    Partnership,
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
BATCH = 500
_RANK = {UNCHANGED: 0, UPDATED: 1, CREATED: 2}

# Organisation.pupils and .fsm_pct follow the latest period among these measures; on the
# same period the first code listed wins (the census file is more exact than GIAS's copy).
PUPIL_MEASURES = ("census.pupils", "gias.pupils")
FSM_MEASURES = ("census.fsm_pct", "gias.fsm_pct")


def strongest(*outcomes: str) -> str:
    return max(outcomes, key=_RANK.__getitem__, default=UNCHANGED)


def chunks(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def placeholder_name(key: tuple[str, Any]) -> str:
    """The name of a school known so far only by its number, until a register names it."""
    field, value = key
    label = {"urn": "URN", "welsh_school_code": "school code"}.get(field, field)
    return f"School with {label} {value}"


def _blank(org: Organisation, name: str) -> bool:
    value = getattr(org, name)
    if name == "name":
        return not value or (org.details_as_of is None and value == placeholder_name(_key_of(org)))
    return value is None or value == ""


def _key_of(org: Organisation) -> tuple[str, Any]:
    if org.urn:
        return ("urn", org.urn)
    if org.welsh_school_code:
        return ("welsh_school_code", org.welsh_school_code)
    return ("la_code", org.la_code)


def _fetch_organisations(keys: set[tuple[str, Any]]) -> dict[tuple[str, Any], Organisation]:
    found: dict[tuple[str, Any], Organisation] = {}
    by_field: dict[str, list[Any]] = defaultdict(list)
    for field, value in keys:
        by_field[field].append(value)
    for field, values in by_field.items():
        for batch in chunks(values):
            query = Organisation.objects.filter(**{f"{field}__in": batch})
            if field == "la_code":
                query = query.filter(kind=OrganisationKind.LOCAL_AUTHORITY)
            for org in query:
                found[(field, getattr(org, field))] = org
    return found


def _merge(org: Organisation, record: OrgRecord) -> set[str]:
    """Apply a record's fields to a stored organisation; return the names that changed.

    A snapshot at least as recent as the stored one replaces values; an older or undated
    one only fills blanks. A blank never erases a value.
    """
    newer = record.as_of is not None and (
        org.details_as_of is None or record.as_of >= org.details_as_of
    )
    changed: set[str] = set()
    for name, value in record.fields.items():
        if value is None or value == "":
            continue
        if getattr(org, name) == value:
            continue
        if newer or _blank(org, name):
            setattr(org, name, value)
            changed.add(name)
    if newer and org.details_as_of != record.as_of:
        org.details_as_of = record.as_of
        changed.add("details_as_of")
    if "postcode" in changed:
        org.postcode_compact = org.postcode.replace(" ", "").upper()
        changed.add("postcode_compact")
    return changed


def _new_organisation(record: OrgRecord) -> Organisation:
    field, value = record.key
    values = {k: v for k, v in record.fields.items() if v is not None and v != ""}
    values.setdefault("kind", OrganisationKind.SCHOOL)
    values.setdefault("name", placeholder_name(record.key))
    values[field] = value
    org = Organisation(**values, details_as_of=record.as_of)
    org.postcode_compact = org.postcode.replace(" ", "").upper()
    # Headline figures from the row itself, so a new school needs no second write.
    figures = [(m.measure, m.period, m.value) for m in record.measures]
    if (pupils := latest(figures, PUPIL_MEASURES)) is not None:
        org.pupils = int(pupils)
    org.fsm_pct = latest(figures, FSM_MEASURES)
    return org


def upsert_organisations(records: list[OrgRecord]) -> tuple[list[Organisation], list[str]]:
    """The organisation for each record (saved) and whether it was created/updated/unchanged."""
    existing = _fetch_organisations({r.key for r in records})
    orgs: list[Organisation] = []
    outcomes: list[str] = []
    to_create: list[Organisation] = []
    to_update: dict[int, Organisation] = {}
    fields_changed: set[str] = set()
    for record in records:
        org = existing.get(record.key)
        if org is None:
            org = existing[record.key] = _new_organisation(record)
            to_create.append(org)
            outcomes.append(CREATED)
        elif org.pk is None:  # created earlier in this file under the same key
            _merge(org, record)
            outcomes.append(UNCHANGED)
        else:
            changed = _merge(org, record)
            if changed:
                to_update[org.pk] = org
                fields_changed |= changed
            outcomes.append(UPDATED if changed else UNCHANGED)
        orgs.append(org)
    Organisation.objects.bulk_create(to_create, batch_size=BATCH)
    _save_changed(list(to_update.values()), fields_changed)
    return orgs, outcomes


def _save_changed(orgs: list[Organisation], fields: set[str]) -> None:
    if not orgs:
        return
    now = timezone.now()
    for org in orgs:
        org.updated_at = now
    save_fields(orgs, fields | {"updated_at"})


# --- measures ------------------------------------------------------------------------


def upsert_measures(pairs: list[tuple[Organisation, list[MeasureValue]]], source: str) -> list[str]:
    """Upsert by (organisation, measure, period); one outcome per pair."""
    org_ids = {org.pk for org, values in pairs if values}
    codes = {v.measure for _, values in pairs for v in values}
    stored: dict[tuple[int, str, str], OutcomeMeasure] = {}
    for batch in chunks(org_ids):
        for m in OutcomeMeasure.objects.filter(organisation_id__in=batch, measure__in=codes):
            stored[(m.organisation_id, m.measure, m.period)] = m
    to_create: list[OutcomeMeasure] = []
    to_update: list[OutcomeMeasure] = []
    outcomes: list[str] = []
    for org, values in pairs:
        outcome = UNCHANGED
        for v in values:
            key = (org.pk, v.measure, v.period)
            current = stored.get(key)
            if current is None:
                stored[key] = OutcomeMeasure(
                    organisation=org,
                    measure=v.measure,
                    period=v.period,
                    value=v.value,
                    value_text=v.value_text,
                    source=source,
                )
                to_create.append(stored[key])
                outcome = CREATED
            elif (current.value, current.value_text, current.source) != (
                v.value,
                v.value_text,
                source,
            ):
                current.value, current.value_text, current.source = v.value, v.value_text, source
                to_update.append(current)
                outcome = strongest(outcome, UPDATED)
        outcomes.append(outcome)
    OutcomeMeasure.objects.bulk_create(to_create, batch_size=BATCH)
    save_fields(to_update, ["value", "value_text", "source"])
    return outcomes


def latest(values: list[tuple[str, str, float | None]], codes: tuple[str, ...]) -> float | None:
    """The value of the latest period among (measure, period, value); ties go to ``codes`` order."""
    ranked = [
        (period, -codes.index(measure), value)
        for measure, period, value in values
        if measure in codes and value is not None
    ]
    return max(ranked)[2] if ranked else None


def refresh_headline_figures(orgs: list[Organisation]) -> set[int]:
    """Keep Organisation.pupils and .fsm_pct equal to their latest published measures."""
    by_id = {org.pk: org for org in orgs}
    found: dict[int, list[tuple[str, str, float | None]]] = defaultdict(list)
    for batch in chunks(by_id):
        for org_id, measure, period, value in OutcomeMeasure.objects.filter(
            organisation_id__in=batch, measure__in=PUPIL_MEASURES + FSM_MEASURES
        ).values_list("organisation_id", "measure", "period", "value"):
            found[org_id].append((measure, period, value))
    changed: dict[int, Organisation] = {}
    for org_id, values in found.items():
        org = by_id[org_id]
        pupils = latest(values, PUPIL_MEASURES)
        fsm = latest(values, FSM_MEASURES)
        pupils = int(pupils) if pupils is not None else org.pupils
        fsm = fsm if fsm is not None else org.fsm_pct
        if (org.pupils, org.fsm_pct) != (pupils, fsm):
            org.pupils, org.fsm_pct = pupils, fsm
            changed[org_id] = org
    _save_changed(list(changed.values()), {"pupils", "fsm_pct"})
    return set(changed)


# --- partnerships and memberships ---------------------------------------------------------


def _partnerships_by_uid(uids: set[int]) -> dict[int, Partnership]:
    found = {}
    for batch in chunks(uids):
        for p in Partnership.objects.filter(gias_group_uid__in=batch):
            found[p.gias_group_uid] = p
    return found


def ensure_partnerships(refs: list[GroupRef]) -> dict[tuple, Partnership]:
    """The partnership each reference names, created when it is not yet in the directory.

    A reference with a GIAS Group UID is matched on it; one with only a name (Trafford's
    trust column) on the same name and kind, ignoring case.
    """
    by_uid = _partnerships_by_uid({r.uid for r in refs if r.uid})
    named = {r.name.casefold() for r in refs if not r.uid}
    by_name: dict[tuple[str, str], Partnership] = {}
    if named:
        for p in Partnership.objects.filter(kind__in={r.kind for r in refs if not r.uid}):
            by_name.setdefault((p.name.casefold(), p.kind), p)
    result: dict[tuple, Partnership] = {}
    to_create: list[Partnership] = []
    for ref in refs:
        key = _ref_key(ref)
        if key in result:
            continue
        if ref.uid:
            partnership = by_uid.get(ref.uid)
        else:
            partnership = by_name.get((ref.name.casefold(), ref.kind))
        if partnership is None:
            partnership = Partnership(
                name=ref.name or f"GIAS group {ref.uid}",
                kind=ref.kind,
                gias_group_uid=ref.uid,
                gias_group_type=ref.group_type,
            )
            to_create.append(partnership)
            if ref.uid:
                by_uid[ref.uid] = partnership
            else:
                by_name[(ref.name.casefold(), ref.kind)] = partnership
        result[key] = partnership
    Partnership.objects.bulk_create(to_create, batch_size=BATCH)
    return result


def _ref_key(ref: GroupRef) -> tuple:
    return ("uid", ref.uid) if ref.uid else ("name", ref.name.casefold(), ref.kind)


def upsert_memberships(
    wanted: list[tuple[Partnership, Organisation, date | None]], source: str, *, joined_wins: bool
) -> list[str]:
    """Open memberships for (partnership, organisation, joined); one outcome per item.

    ``joined_wins``: the source is the authority on the joining date (GIAS group links) and
    replaces a stored one; otherwise it only fills a blank date.
    """
    pairs = {(p.pk, o.pk) for p, o, _ in wanted}
    stored: dict[tuple[int, int], Membership] = {}
    org_ids = {o for _, o in pairs}
    for batch in chunks(org_ids):
        for m in Membership.objects.filter(organisation_id__in=batch, left__isnull=True):
            stored[(m.partnership_id, m.organisation_id)] = m
    to_create: list[Membership] = []
    to_update: dict[int, Membership] = {}
    outcomes = []
    for partnership, org, joined in wanted:
        key = (partnership.pk, org.pk)
        current = stored.get(key)
        if current is None:
            stored[key] = Membership(
                partnership=partnership, organisation=org, joined=joined, source=source
            )
            to_create.append(stored[key])
            outcomes.append(CREATED)
        elif joined and current.joined != joined and (joined_wins or current.joined is None):
            current.joined = joined
            if current.pk:
                to_update[current.pk] = current
            outcomes.append(UPDATED)
        else:
            outcomes.append(UNCHANGED)
    Membership.objects.bulk_create(to_create, batch_size=BATCH)
    save_fields(list(to_update.values()), ["joined"])
    return outcomes


# --- whole formats ---------------------------------------------------------------------------


def apply_organisations(records: list[OrgRecord], options: Options) -> list[str]:
    """Organisations with their measures and memberships; the outcome is the strongest change."""
    orgs, outcomes = upsert_organisations(records)
    measure_outcomes = upsert_measures(
        [(org, r.measures) for org, r in zip(orgs, records, strict=True)], options.source
    )
    refreshed = refresh_headline_figures(
        [org for org, r in zip(orgs, records, strict=True) if r.measures]
    )
    refs = [g for r in records for g in r.groups]
    membership_outcome: dict[int, str] = defaultdict(lambda: UNCHANGED)
    if refs:
        partnerships = ensure_partnerships(refs)
        wanted, owners = [], []
        for i, (org, record) in enumerate(zip(orgs, records, strict=True)):
            for ref in record.groups:
                wanted.append((partnerships[_ref_key(ref)], org, ref.joined))
                owners.append(i)
        for i, outcome in zip(
            owners, upsert_memberships(wanted, options.source, joined_wins=False), strict=True
        ):
            membership_outcome[i] = strongest(membership_outcome[i], outcome)
    result = []
    for i, (org, record) in enumerate(zip(orgs, records, strict=True)):
        related = strongest(measure_outcomes[i], membership_outcome[i])
        if org.pk in refreshed:
            related = strongest(related, UPDATED)
        if record.as_of is None:
            # A row of figures: new figures (or a new placeholder school) count as created.
            result.append(strongest(outcomes[i], related))
        elif outcomes[i] == CREATED:
            result.append(CREATED)
        else:
            # A register row: "created" means a new organisation; anything else is an update.
            changed = outcomes[i] == UPDATED or related != UNCHANGED
            result.append(UPDATED if changed else UNCHANGED)
    return result


PARTNERSHIP_FIELDS = (
    "name",
    "kind",
    "gias_group_id",
    "gias_group_type",
    "companies_house_number",
    "status",
    "postcode",
    "start_date",
    "end_date",
)  # what a GIAS group record says; the groups file is the authority, blanks included


def apply_partnerships(records: list[PartnershipRecord], options: Options) -> list[str]:
    """GIAS groups by Group UID. A partnership made earlier from a trust's name alone (no
    UID) is adopted when name and kind agree, so the trust is not listed twice."""
    by_uid = _partnerships_by_uid({r.uid for r in records})
    by_name = {
        (p.name.casefold(), p.kind): p
        for p in Partnership.objects.filter(gias_group_uid__isnull=True)
    }
    to_create, to_update, outcomes = [], {}, []
    now = timezone.now()
    for record in records:
        partnership = by_uid.get(record.uid)
        changed = False
        if partnership is None:
            adopted = by_name.pop((record.fields["name"].casefold(), record.fields["kind"]), None)
            partnership = adopted or Partnership()
            partnership.gias_group_uid = record.uid
            by_uid[record.uid] = partnership
            changed = adopted is not None
            if adopted is None:
                to_create.append(partnership)
        for name, value in record.fields.items():
            if getattr(partnership, name) != value:
                setattr(partnership, name, value)
                changed = True
        if partnership.pk is None:
            outcomes.append(CREATED)
        elif changed:
            partnership.updated_at = now
            to_update[partnership.pk] = partnership
            outcomes.append(UPDATED)
        else:
            outcomes.append(UNCHANGED)
    Partnership.objects.bulk_create(to_create, batch_size=BATCH)
    save_fields(list(to_update.values()), [*PARTNERSHIP_FIELDS, "gias_group_uid", "updated_at"])
    return outcomes


def apply_group_links(records: list[GroupLinkRecord], options: Options) -> list[str]:
    """Establishment-to-group membership with its joining date (GIAS "All group links")."""
    refs = [
        GroupRef(
            uid=r.uid,
            name=r.group.get("name", ""),
            kind=r.group.get("kind", "other"),
            group_type=r.group.get("gias_group_type", ""),
        )
        for r in records
    ]
    partnerships = ensure_partnerships(refs)
    orgs, _ = upsert_organisations(
        [OrgRecord(key=("urn", r.urn), fields=r.establishment) for r in records]
    )
    wanted = [
        (partnerships[_ref_key(ref)], org, r.joined)
        for ref, org, r in zip(refs, orgs, records, strict=True)
    ]
    return upsert_memberships(wanted, options.source, joined_wins=True)


def apply_establishment_links(records: list[LinkRecord], options: Options) -> list[str]:
    stored: dict[tuple[int, int, str], EstablishmentLink] = {}
    for batch in chunks({r.urn for r in records}):
        for link in EstablishmentLink.objects.filter(urn__in=batch):
            stored[(link.urn, link.link_urn, link.link_type)] = link
    to_create, to_update, outcomes = [], [], []
    for r in records:
        link = stored.get((r.urn, r.link_urn, r.link_type))
        if link is None:
            to_create.append(
                EstablishmentLink(
                    urn=r.urn,
                    link_urn=r.link_urn,
                    link_type=r.link_type,
                    link_name=r.link_name,
                    link_date=r.link_date,
                )
            )
            outcomes.append(CREATED)
        elif (link.link_name, link.link_date) != (r.link_name, r.link_date):
            link.link_name, link.link_date = r.link_name, r.link_date
            to_update.append(link)
            outcomes.append(UPDATED)
        else:
            outcomes.append(UNCHANGED)
    EstablishmentLink.objects.bulk_create(to_create, batch_size=BATCH)
    save_fields(to_update, ["link_name", "link_date"])
    return outcomes


def apply_postcodes(records: list[PostcodeRecord], options: Options) -> list[str]:
    """Fill easting/northing of organisations that lack them, from their postcode."""
    lacking: dict[str, list[Organisation]] = defaultdict(list)
    for org in Organisation.objects.filter(
        Q(easting__isnull=True) | Q(northing__isnull=True)
    ).exclude(postcode_compact=""):
        lacking[org.postcode_compact].append(org)
    changed, outcomes = [], []
    for r in records:
        orgs = lacking.get(r.postcode.replace(" ", ""), [])
        for org in orgs:
            org.easting, org.northing = r.easting, r.northing
        changed.extend(orgs)
        outcomes.append(UPDATED if orgs else UNCHANGED)
    _save_changed(changed, {"easting", "northing"})
    return outcomes


def apply_local_authorities(records: list[OrgRecord], options: Options) -> list[str]:
    """Local authorities as partner organisations, and their names and regions filled in on
    schools that carry the LA code but not yet its name or region."""
    outcomes = apply_organisations(records, options)
    by_code = {r.key[1]: r.fields for r in records}
    filled: dict[str, bool] = defaultdict(bool)
    changed = []
    for batch in chunks(by_code):
        for org in Organisation.objects.filter(la_code__in=batch).exclude(
            kind=OrganisationKind.LOCAL_AUTHORITY
        ):
            fields = by_code[org.la_code]
            touched = False
            if not org.la_name and fields.get("la_name"):
                org.la_name, touched = fields["la_name"], True
            if not org.region and fields.get("region"):
                org.region, touched = fields["region"], True
            if touched:
                changed.append(org)
                filled[org.la_code] = True
    _save_changed(changed, {"la_name", "region"})
    return [
        strongest(outcome, UPDATED if filled[r.key[1]] else UNCHANGED)
        for outcome, r in zip(outcomes, records, strict=True)
    ]
