"""Filters, sortable columns and pages for the brokerage's long tables (GET only).

A view names its columns (`Column`) and its filter form; `Table.of(request, ...)` reads
`?sort=<key>&dir=asc|desc&page=<n>` and gives the ordering, the header links (each with the
`aria-sort` value screen readers announce) and the current page. Unknown sort keys fall back
to the default, so a hand-edited URL never fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerlens.brokerage.models import AREA_CHOICES, Decision, SupportStatus
from partnerlens.core.forms import GovukFormMixin
from partnerlens.directory.models import Phase

PER_PAGE = 25


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    order: tuple[str, ...] = ()  # ORM ordering, or () when sorted in Python by `value`
    value: Callable[[Any], Any] | None = None
    numeric: bool = False
    sortable: bool = True


@dataclass
class Header:
    label: Any
    url: str | None
    aria_sort: str | None
    numeric: bool


@dataclass
class Table:
    sort: str
    descending: bool
    headers: list[Header]
    page: Page
    query: str  # the filters, for links that keep them

    @property
    def rows(self):
        return self.page.object_list

    @classmethod
    def of(
        cls,
        request,
        columns: Sequence[Column],
        rows,
        *,
        default: str,
        default_descending: bool = False,
        per_page: int | None = PER_PAGE,
    ) -> Table:
        """``rows`` is a queryset (sorted and paged by the database) or a list (in Python);
        ``per_page=None`` shows every row."""
        by_key = {c.key: c for c in columns if c.sortable}
        key = request.GET.get("sort", default)
        key = key if key in by_key else default
        if "sort" in request.GET:
            descending = request.GET.get("dir") == "desc"
        else:
            descending = default_descending
        column = by_key[key]
        if column.order and not isinstance(rows, list):
            first, *ties = column.order  # only the chosen column turns; ties stay A to Z
            rows = rows.order_by(f"-{first}" if descending else first, *ties, "pk")
        else:
            rows = _sorted(list(rows), column, descending)
        if per_page is None:
            rows = list(rows)
            per_page = max(len(rows), 1)
        page = Paginator(rows, per_page).get_page(request.GET.get("page"))
        kept = request.GET.copy()
        for name in ("sort", "dir", "page"):
            kept.pop(name, None)
        headers = [_header(c, key, descending, kept) for c in columns]
        return cls(key, descending, headers, page, kept.urlencode())

    def page_url(self, number: int) -> str:
        return "?" + "&".join(
            part
            for part in (self.query, f"sort={self.sort}", f"dir={self._dir}", f"page={number}")
            if part
        )

    @property
    def _dir(self) -> str:
        return "desc" if self.descending else "asc"

    @property
    def previous_url(self) -> str | None:
        return self.page_url(self.page.number - 1) if self.page.has_previous() else None

    @property
    def next_url(self) -> str | None:
        return self.page_url(self.page.number + 1) if self.page.has_next() else None


def _sortable(value):
    return (value is None, value if value is not None else 0)


def _field(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name, None)
    return row


def _sorted(rows: list, column: Column, descending: bool) -> list:
    """Python's stable sorts: the ties A to Z first, then the chosen column either way."""
    if column.value is not None:
        return sorted(rows, key=lambda row: _sortable(column.value(row)), reverse=descending)
    first, *ties = column.order
    rows = sorted(rows, key=lambda row: [_sortable(_field(row, t)) for t in ties])
    return sorted(rows, key=lambda row: _sortable(_field(row, first)), reverse=descending)


def _header(column: Column, key: str, descending: bool, kept) -> Header:
    if not column.sortable:
        return Header(column.label, None, None, column.numeric)
    current = column.key == key
    params = kept.copy()
    params["sort"] = column.key
    params["dir"] = "asc" if (not current or descending) else "desc"
    aria = ("descending" if descending else "ascending") if current else "none"
    return Header(column.label, "?" + params.urlencode(), aria, column.numeric)


# --- filter forms (GET) -----------------------------------------------------------------------


class FilterForm(GovukFormMixin, forms.Form):
    """A GET filter form: a value it cannot read (an unknown area, a typed local authority)
    is shown as that field's error and ignored; the other filters still apply."""

    def valid_data(self) -> dict:
        self.is_valid()  # runs the checks once; cleaned_data then holds only the valid fields
        return self.cleaned_data


class SchoolFilterForm(FilterForm):
    """Search by name or URN, and narrow by local authority and phase."""

    q = forms.CharField(label=_("School name or URN"), required=False, max_length=100)
    la = forms.ChoiceField(label=_("Local authority"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)

    def __init__(self, data, *, schools, **kwargs):
        super().__init__(data, **kwargs)
        found = list(schools.order_by().values_list("la_name", "phase").distinct())
        las = sorted({name for name, _phase in found if name})
        self.fields["la"].choices = [("", _("All")), *[(name, name) for name in las]]
        used = {phase for _name, phase in found}
        self.fields["phase"].choices = [
            ("", _("All")),
            *[(value, label) for value, label in Phase.choices if value in used],
        ]

    def narrow(self, schools, prefix: str = ""):
        """``schools`` (or rows whose school is at ``prefix``) narrowed by the valid filters."""
        data = self.valid_data()
        if text := data.get("q", "").strip():
            query = Q(**{f"{prefix}name__icontains": text})
            if text.isdigit():
                query |= Q(**{f"{prefix}urn": int(text)})
            schools = schools.filter(query)
        if data.get("la"):
            schools = schools.filter(**{f"{prefix}la_name": data["la"]})
        if data.get("phase"):
            schools = schools.filter(**{f"{prefix}phase": data["phase"]})
        return schools


class NeedFilterForm(SchoolFilterForm):
    need_area = forms.ChoiceField(label=_("With a need in"), required=False)

    def __init__(self, data, *, schools, areas, **kwargs):
        super().__init__(data, schools=schools, **kwargs)
        labels = dict(AREA_CHOICES)
        self.fields["need_area"].choices = [("", _("Any area")), *[(a, labels[a]) for a in areas]]


class OfferFilterForm(SchoolFilterForm):
    offers = forms.ChoiceField(
        label=_("Offer"),
        required=False,
        choices=[("", _("All schools")), ("yes", _("Offers support")), ("no", _("No offer"))],
    )


class ProposalFilterForm(FilterForm):
    q = forms.CharField(label=_("School name or URN"), required=False, max_length=100)
    area = forms.ChoiceField(label=_("Area"), required=False)
    decision = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("All")), *Decision.choices]
    )

    def __init__(self, data, *, areas, **kwargs):
        super().__init__(data, **kwargs)
        labels = dict(AREA_CHOICES)
        self.fields["area"].choices = [("", _("All areas")), *[(a, labels[a]) for a in areas]]

    def narrow(self, rows: list, schools=("need_school", "support_school")) -> list:
        """The run's proposals (or, with ``schools=("school",)``, unmet needs) that fit, in
        Python: the page has them all loaded already for the plot."""
        data = self.valid_data()
        text = data.get("q", "").strip().lower()

        def named(row) -> bool:
            found = [getattr(row, name) for name in schools]
            return any(text in s.name.lower() or str(s.urn or "") == text for s in found)

        return [
            row
            for row in rows
            if (not text or named(row))
            and (not data.get("area") or row.area == data["area"])
            and (not data.get("decision") or getattr(row, "decision", None) == data["decision"])
        ]


class SupportFilterForm(FilterForm):
    q = forms.CharField(label=_("School name or URN"), required=False, max_length=100)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, data, *, areas, **kwargs):
        super().__init__(data, **kwargs)
        labels = dict(AREA_CHOICES)
        self.fields["area"].choices = [("", _("All areas")), *[(a, labels[a]) for a in areas]]

    def narrow(self, relationships):
        data = self.valid_data()
        if text := data.get("q", "").strip():
            query = Q(supporter__name__icontains=text) | Q(supported__name__icontains=text)
            if text.isdigit():
                query |= Q(supporter__urn=int(text)) | Q(supported__urn=int(text))
            relationships = relationships.filter(query)
        if data.get("area"):
            relationships = relationships.filter(area=data["area"])
        return relationships


ENDED = (SupportStatus.COMPLETED, SupportStatus.ENDED_EARLY)
