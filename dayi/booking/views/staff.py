from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dayi.accounts.permissions import scope_of
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import back_to, refusals_as_403, show_domain_error

from .. import configuration, selectors, services
from ..forms import ClosureForm, OpeningHoursForm, QualificationForm, ReasonForm, RulesForm
from ..models import Closure, OpeningHours, Qualification


@login_required
@refusals_as_403
def queue(request):
    if not scope_of(request.user).managed_unit_ids:
        raise PermissionDenied(_("You do not run instruments of a unit."))
    return render(
        request,
        "booking/queue.html",
        {
            "pending": selectors.staff_queue(request.user),
            "upcoming": selectors.staff_upcoming(request.user),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@refusals_as_403
@require_POST
def decide(request, pk):
    order = selectors.order_for_staff(request.user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("action") == "accept":
            services.accept_order(actor=request.user, order=order)
            messages.success(request, _("Order %(number)s was accepted.") % {"number": order.pk})
        else:
            services.reject_order(actor=request.user, order=order, reason=form.cleaned_data.get("reason", ""))
            messages.success(request, _("Order %(number)s was rejected.") % {"number": order.pk})
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    return back_to(request, "booking:queue")


@login_required
@refusals_as_403
def instrument_settings(request, pk):
    """Rules and weekly opening hours in one form; closures and training records below it."""
    instrument = selectors.instrument_for_settings(request.user, pk)
    rules = selectors.rules_of(instrument)
    windows = list(OpeningHours.objects.filter(instrument=instrument))
    posted = request.POST if request.method == "POST" else None
    rules_form = RulesForm(posted, instance=rules)
    hours_form = OpeningHoursForm(posted, windows=windows)
    if posted is not None and rules_form.is_valid() and hours_form.is_valid():
        try:
            configuration.save_rules(actor=request.user, instrument=instrument, data=rules_form.cleaned_data)
            configuration.set_opening_hours(
                actor=request.user, instrument=instrument, windows=hours_form.cleaned_data["windows"]
            )
        except PermissionDenied:
            raise
        except DomainError as error:
            show_domain_error(rules_form if error.field in rules_form.fields else hours_form, error)
        else:
            messages.success(request, _("The booking settings were saved."))
            return redirect("booking:settings", pk=instrument.pk)
    return _settings_page(request, instrument, rules_form, hours_form, ClosureForm(), QualificationForm())


def _settings_page(request, instrument, rules_form, hours_form, closure_form, qualification_form):
    return render(
        request,
        "booking/settings.html",
        {
            "instrument": instrument,
            "rules_form": rules_form,
            "hours_form": hours_form,
            "closure_form": closure_form,
            "qualification_form": qualification_form,
            "closures": Closure.objects.filter(instrument=instrument).order_by("-starts_at")[:50],
            "qualifications": Qualification.objects.filter(instrument=instrument).select_related("user"),
        },
    )


def _settings_forms(instrument):
    rules = selectors.rules_of(instrument)
    windows = list(OpeningHours.objects.filter(instrument=instrument))
    return RulesForm(instance=rules), OpeningHoursForm(windows=windows)


@login_required
@refusals_as_403
@require_POST
def closure_add(request, pk):
    instrument = selectors.instrument_for_settings(request.user, pk)
    form = ClosureForm(request.POST)
    if form.is_valid():
        try:
            _closure, cancelled = configuration.add_closure(
                actor=request.user, instrument=instrument, **form.cleaned_data
            )
        except PermissionDenied:
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The closure was added; %(count)s booking(s) inside it were cancelled and their users told.")
                % {"count": len(cancelled)},
            )
            return redirect("booking:settings", pk=instrument.pk)
    return _settings_page(request, instrument, *_settings_forms(instrument), form, QualificationForm())


@login_required
@refusals_as_403
@require_POST
def closure_remove(request, pk):
    closure = get_object_or_404(Closure.objects.select_related("instrument"), pk=pk)
    configuration.remove_closure(actor=request.user, closure=closure)
    messages.success(request, _("The closure was removed."))
    return redirect("booking:settings", pk=closure.instrument_id)


@login_required
@refusals_as_403
@require_POST
def qualification_grant(request, pk):
    instrument = selectors.instrument_for_settings(request.user, pk)
    form = QualificationForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["person"].strip()
        user = (
            get_user_model()
            .objects.filter(Q(username=person) | Q(phone=person) | Q(email__iexact=person), is_active=True)
            .first()
        )
        if user is None:
            form.add_error("person", _("No user with this username, phone or email."))
        else:
            try:
                configuration.grant_qualification(
                    actor=request.user, instrument=instrument, user=user, valid_until=form.cleaned_data["valid_until"]
                )
            except PermissionDenied:
                raise
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("%(user)s may now operate this instrument.") % {"user": user})
                return redirect("booking:settings", pk=instrument.pk)
    return _settings_page(request, instrument, *_settings_forms(instrument), ClosureForm(), form)


@login_required
@refusals_as_403
@require_POST
def qualification_revoke(request, pk):
    qualification = get_object_or_404(Qualification.objects.select_related("instrument", "user"), pk=pk)
    configuration.revoke_qualification(actor=request.user, qualification=qualification)
    messages.success(request, _("The qualification was withdrawn."))
    return redirect("booking:settings", pk=qualification.instrument_id)
