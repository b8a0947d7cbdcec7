"""Hours pages: one instrument's months of a year (chart, corrections, orders matched, reported
against measured), and the overview of coverage, offline sensors and flagged reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import refusals_as_403, show_domain_error

from . import conf, hours, selectors, services
from .forms import CorrectionForm
from .matching import service_totals
from .models import HoursCorrection
from .views import PAGE_SIZE


def _year(request) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return min(max(year, 2000), this_year)


@login_required
@refusals_as_403
def instrument_hours(request, pk):
    instrument = selectors.instrument_for_monitoring(request.user, pk)
    year = _year(request)
    can_correct = scope_of(request.user).can_administer_unit(instrument.owner_id)
    form = CorrectionForm(request.POST or None) if can_correct else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the unit's administrators correct its hours."))
        if form.is_valid():
            try:
                services.correct_hours(actor=request.user, instrument=instrument, **form.cleaned_data)
            except PermissionDenied:
                raise
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The correction was saved; the measured hours stay beside it."))
                return redirect(f"{request.path}?year={form.cleaned_data['day'].year}")
    months = hours.months_of_year(instrument.pk, year)
    start, end = hours.year_bounds(year)
    service = service_totals([instrument.pk], start, end)[instrument.pk]
    comparison = hours.compare_reported([instrument.pk], year)[instrument.pk]
    corrections = HoursCorrection.objects.filter(instrument=instrument, day__year=year).select_related("corrected_by")
    measured = {row.day: row.in_use_hours for row in instrument.daily_usage.filter(day__year=year)}
    for correction in corrections:
        correction.measured_hours = measured.get(correction.day, 0)
    chart = {
        "months": [row.period.strftime("%Y-%m") for row in months],
        "running": [row.running_hours for row in months],
        "measured": [row.measured_hours for row in months],
        "effective": [row.effective_hours for row in months],
    }
    this_year = timezone.localdate().year
    return render(
        request,
        "monitoring/instrument_hours.html",
        {
            "instrument": instrument,
            "year": year,
            "previous_year": year - 1,
            "next_year": year + 1 if year < this_year else None,
            "months": months,
            "totals": hours.Hours(
                months[0].period,
                running_s=sum(m.running_s for m in months),
                in_use_s=sum(m.in_use_s for m in months),
                offline_s=sum(m.offline_s for m in months),
                effective_s=sum(m.effective_s for m in months),
                corrected_days=sum(m.corrected_days for m in months),
            ),
            "chart": chart,
            "service": service,
            "comparison": comparison,
            "tolerance": f"{conf.reported_hours_tolerance():.0%}",
            "corrections": corrections,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@refusals_as_403
def overview(request):
    """Coverage (share of networked instruments with a working sensor), offline sensors and the
    reports that differ from the measurements, for a unit, an authority's region or all."""
    year = _year(request)
    total, units = selectors.coverage(request.user)
    offline = Paginator(selectors.offline_bindings(request.user), PAGE_SIZE).get_page(request.GET.get("offline_page"))
    flags = Paginator(hours.flagged(selectors.monitored_instruments(request.user), year), PAGE_SIZE).get_page(
        request.GET.get("flags_page")
    )
    return render(
        request,
        "monitoring/overview.html",
        {
            "year": year,
            "year_query": f"year={year}",
            "total": total,
            "units": units if len(units) > 1 or scope_of(request.user).is_operator else [],
            "target": f"{conf.coverage_target():.0%}",
            "offline": offline,
            "flags": flags,
            "tolerance": f"{conf.reported_hours_tolerance():.0%}",
        },
    )
