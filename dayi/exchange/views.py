from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from dayi.core.http import form_status, refusals_as_403, submit_form

from . import export as exporting
from . import selectors, services, tasks
from .forms import ImportForm

MAX_ERRORS_SHOWN = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _exchanger_required(view):
    """Import and export are for unit administrators and the platform operator."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_exchange(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@_exchanger_required
@refusals_as_403
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    started = submit_form(
        request,
        form,
        lambda: services.create_job(
            actor=request.user, unit=form.cleaned_data["unit"], upload=form.cleaned_data["file"]
        ),
        then=_run_and_follow,
    )
    if started:
        return started
    context = {
        "form": form,
        "jobs": selectors.jobs_for(request.user)[:10],
        "units": selectors.importable_units(request.user),
        "max_rows": settings.DAYI_IMPORT_MAX_ROWS,
    }
    return render(request, "exchange/import.html", context, status=form_status(request))


def _run_and_follow(job):
    tasks.run_import_job.delay(job.pk)
    return redirect("exchange:job", pk=job.pk)


def _job_context(request, pk):
    job = get_object_or_404(selectors.jobs_for(request.user), pk=pk)
    return {
        "job": job,
        "progress": selectors.job_progress(job),
        "errors": job.errors[:MAX_ERRORS_SHOWN],
        "hidden_errors": max(0, len(job.errors) - MAX_ERRORS_SHOWN),
    }


@_exchanger_required
def job_detail(request, pk):
    return render(request, "exchange/job.html", _job_context(request, pk))


@_exchanger_required
def job_status(request, pk):
    """The part of the job page that htmx refreshes every second until the job is finished."""
    return render(request, "exchange/_job_status.html", _job_context(request, pk))


@_exchanger_required
def template_download(request, fmt):
    if fmt == "csv":
        response = HttpResponse(exporting.template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(content_type=XLSX)
        exporting.template_xlsx(response)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="dayi-instruments-template.{fmt}"'
    return response


@_exchanger_required
def export(request):
    """The catalogue as the person may see it; a unit's own records when ?unit= is given."""
    unit = None
    if request.GET.get("unit"):
        unit = get_object_or_404(selectors.importable_units(request.user), pk=request.GET["unit"])
    instruments = selectors.exportable_instruments(request.user, unit)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"dayi-instruments-{unit.pk if unit else 'all'}-{stamp}.xlsx"
    return FileResponse(exporting.export_file(instruments), as_attachment=True, filename=name, content_type=XLSX)
