from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dayi.accounts.models import Organisation
from dayi.accounts.permissions import scope_of
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import back_to, form_status, refusals_as_403, show_domain_error, submit_form

from .. import configuration, selectors, services
from ..forms import (
    ClosureForm,
    FeeStandardForm,
    OpeningHoursForm,
    PreferenceForm,
    QualificationForm,
    ReasonForm,
    RulesForm,
)
from ..models import Closure, FeeStandard, OpeningHours, Order, Preference, Qualification


@login_required
@refusals_as_403
def queue(request):
    if not scope_of(request.user).managed_unit_ids:
        raise PermissionDenied(_("You do not run instruments of a unit."))
    today = timezone.localdate()
    week = list(selectors.staff_slots(request.user, today, today + timedelta(days=6)))
    tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1), datetime.min.time()))
    return render(
        request,
        "booking/queue.html",
        {
            "pending": selectors.staff_queue(request.user),
            "today": [order for order in week if order.starts_at < tomorrow],
            "week": [order for order in week if order.starts_at >= tomorrow],
            "work": selectors.staff_work(request.user),
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

    def save():
        configuration.save_rules(actor=request.user, instrument=instrument, data=rules_form.cleaned_data)
        configuration.set_opening_hours(
            actor=request.user, instrument=instrument, windows=hours_form.cleaned_data["windows"]
        )

    saved = submit_form(
        request,
        rules_form,
        save,
        valid=posted is not None and all([rules_form.is_valid(), hours_form.is_valid()]),
        success=_("The booking settings were saved."),
        then=lambda _result: redirect("booking:settings", pk=instrument.pk),
        show_error=lambda form, error: show_domain_error(form if error.field in form.fields else hours_form, error),
    )
    return saved or _settings_page(request, instrument, rules_form, hours_form, ClosureForm(), QualificationForm())


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
        status=form_status(request),
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
    added = submit_form(
        request,
        form,
        lambda: configuration.add_closure(actor=request.user, instrument=instrument, **form.cleaned_data),
        success=lambda added: (
            _("The closure was added; %(count)s booking(s) inside it were cancelled and their users told.")
            % {"count": len(added[1])}
        ),
        then=lambda _added: redirect("booking:settings", pk=instrument.pk),
    )
    return added or _settings_page(request, instrument, *_settings_forms(instrument), form, QualificationForm())


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
    user = None
    if form.is_valid():
        person = form.cleaned_data["person"].strip()
        user = (
            get_user_model()
            .objects.filter(Q(username=person) | Q(phone=person) | Q(email__iexact=person), is_active=True)
            .first()
        )
        if user is None:
            form.add_error("person", _("No user with this username, phone or email."))
    granted = submit_form(
        request,
        form,
        lambda: configuration.grant_qualification(
            actor=request.user, instrument=instrument, user=user, valid_until=form.cleaned_data["valid_until"]
        ),
        valid=user is not None,
        success=_("%(user)s may now operate this instrument.") % {"user": user},
        then=lambda _qualification: redirect("booking:settings", pk=instrument.pk),
    )
    return granted or _settings_page(request, instrument, *_settings_forms(instrument), ClosureForm(), form)


@login_required
@refusals_as_403
@require_POST
def qualification_revoke(request, pk):
    qualification = get_object_or_404(Qualification.objects.select_related("instrument", "user"), pk=pk)
    configuration.revoke_qualification(actor=request.user, qualification=qualification)
    messages.success(request, _("The qualification was withdrawn."))
    return redirect("booking:settings", pk=qualification.instrument_id)


@login_required
@refusals_as_403
def fee_settings(request, pk):
    """The instrument's fee standard for machine time and for sample testing."""
    instrument = selectors.instrument_for_settings(request.user, pk)
    posted = request.POST if request.method == "POST" else None
    fee_forms = {
        mode: FeeStandardForm(
            posted, mode=mode, instance=FeeStandard.objects.filter(instrument=instrument, mode=mode).first()
        )
        for mode in Order.Mode.values
    }

    def publish():
        for mode, form in fee_forms.items():
            configuration.save_fee_standard(
                actor=request.user, instrument=instrument, mode=mode, data=form.cleaned_data
            )

    published = submit_form(
        request,
        next(iter(fee_forms.values())),
        publish,
        valid=posted is not None and all([form.is_valid() for form in fee_forms.values()]),
        success=_("The fee standard was published."),
        then=lambda _result: redirect("booking:fees", pk=instrument.pk),
    )
    return published or render(
        request,
        "booking/fees.html",
        {
            "instrument": instrument,
            "forms": [(Order.Mode(mode).label, form) for mode, form in fee_forms.items()],
            "can_set_preferences": scope_of(request.user).can_administer_unit(instrument.owner_id),
        },
        status=form_status(request),
    )


@login_required
@refusals_as_403
def preferences(request, unit_pk=None):
    """Preferential rates of a unit (its admins) or of the whole platform (the operator)."""
    unit = get_object_or_404(Organisation, pk=unit_pk, is_management_unit=True) if unit_pk else None
    configuration.require_preference_editor(request.user, unit)
    current = Preference.objects.filter(unit=unit)
    form = PreferenceForm(request.POST or None, preferences=current)
    saved = submit_form(
        request,
        form,
        lambda: configuration.save_preferences(actor=request.user, unit=unit, discounts=form.cleaned_data),
        success=_("The preferential rates were saved."),
        then=lambda _result: redirect(request.path),
    )
    return saved or render(
        request, "booking/preferences.html", {"unit": unit, "form": form}, status=form_status(request)
    )
