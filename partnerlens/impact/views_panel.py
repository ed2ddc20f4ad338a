"""The outcome panel's pages: each member school's results by year, and the partnership's own
measures (define, name in both languages, upload figures, download). Access through
``impact.access``: the panel and downloads for those who see impact, defining, renaming and
uploading for the lead and administrators."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from partnerlens.audit import services as audit
from partnerlens.impact import own_measures
from partnerlens.impact import panel as panels
from partnerlens.impact.access import can_run, get_partnership_for_impact
from partnerlens.impact.estimate_codes import measure_name
from partnerlens.impact.forms_panel import (
    MeasureChoiceForm,
    OwnMeasureForm,
    OwnMeasureTextsForm,
    OwnMeasureUploadForm,
)
from partnerlens.impact.models import OwnMeasure
from partnerlens.impact.panel_table import school_years


def _own_measure(access, measure_pk) -> OwnMeasure:
    return access.object_or_404(OwnMeasure, measure_pk, "measure")


@login_required
def panel(request, pk):
    access = get_partnership_for_impact(request.user, pk)
    partnership = access.partnership
    own = panels.own_measure_names(partnership)
    choices = panels.measure_choices(partnership, own)
    chosen = request.GET.get("measure") or (choices[0][0] if choices else "")
    form = MeasureChoiceForm({"measure": chosen}, measure_choices=choices)
    table = None
    if choices and form.is_valid():
        chosen = form.cleaned_data["measure"]
        table = school_years(partnership, chosen)
    context = {
        "partnership": partnership,
        "form": form,
        "measure_name": measure_name(chosen, own) if table else "",
        "english": own.english,
        "table": table,
        "can_run": can_run(access),
    }
    return render(request, "impact/panel_page.html", context)


@login_required
def own_measure_list(request, pk):
    access = get_partnership_for_impact(request.user, pk)
    partnership = access.partnership
    form = None
    if can_run(access):
        form = OwnMeasureForm(request.POST or None, partnership=partnership)
        if request.method == "POST" and form.is_valid():
            measure = own_measures.create_measure(
                partnership, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Measure added. Now upload its figures."))
            return redirect("impact:own_measure_upload", pk=pk, measure_pk=measure.pk)
    elif request.method == "POST":
        get_partnership_for_impact(request.user, pk, run=True)  # 403, recorded
    measures = partnership.own_measures.prefetch_related("uploads").all()
    context = {"partnership": partnership, "measures": measures, "form": form}
    return render(request, "impact/panel_own_measures.html", context)


@login_required
def own_measure_edit(request, pk, measure_pk):
    access = get_partnership_for_impact(request.user, pk, run=True)
    measure = _own_measure(access, measure_pk)
    form = OwnMeasureTextsForm(
        request.POST or None, partnership=access.partnership, measure=measure
    )
    if request.method == "POST" and form.is_valid():
        own_measures.change_texts(measure, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The measure’s name and unit are saved."))
        return redirect("impact:own_measures", pk=pk)
    context = {"partnership": access.partnership, "measure": measure, "form": form}
    return render(request, "impact/panel_own_measure_form.html", context)


@login_required
def own_measure_upload(request, pk, measure_pk):
    access = get_partnership_for_impact(request.user, pk, run=True)
    measure = _own_measure(access, measure_pk)
    form = OwnMeasureUploadForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            rows = own_measures.read_file(upload)
        except own_measures.OwnMeasureFileError as error:
            form.add_error("document", str(error))
        else:
            figures, row_errors = own_measures.check_rows(access.partnership, rows)
            if not row_errors and not figures:
                form.add_error("document", _("The file has no rows of figures."))
            elif not row_errors:
                result = own_measures.save_figures(measure, figures, actor=request.user)
                messages.success(
                    request,
                    _("Figures saved: %(created)s new, %(updated)s changed, %(same)s the same.")
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "same": result.unchanged,
                    },
                )
                return redirect("impact:own_measures", pk=pk)
    context = {
        "partnership": access.partnership,
        "measure": measure,
        "form": form,
        "row_errors": row_errors,
    }
    return render(request, "impact/panel_upload.html", context)


@never_cache  # a download is never kept by a browser or proxy (no-store)
@login_required
def own_measure_download(request, pk, measure_pk):
    access = get_partnership_for_impact(request.user, pk)
    measure = _own_measure(access, measure_pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="own-measure-{measure.pk}.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(own_measures.export_rows(measure))
    audit.record_export(
        request.user,
        measure,
        export="own_measure",
        fmt="csv",
        partnership_id=measure.partnership_id,
    )
    return response
