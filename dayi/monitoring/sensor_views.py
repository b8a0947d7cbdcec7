"""The unit's sensor management: register, bind and re-bind (with history), thresholds, and new
credentials. A secret is shown once, on the page that issued it, and never again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dayi.accounts.models import Organisation
from dayi.accounts.permissions import scope_of
from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import refusals_as_403, show_domain_error

from . import services
from .forms import BindForm, SensorRegisterForm, SensorSettingsForm
from .models import Sensor
from .views import PAGE_SIZE


def _sensors_of(user):
    scope = scope_of(user)
    if scope.is_operator:
        return Sensor.objects.all()
    if not scope.administered_unit_ids:
        raise PermissionDenied(_("Sensors are managed by the unit's administrators."))
    return Sensor.objects.filter(owner_id__in=scope.administered_unit_ids)


def _bindable(owner_id):
    return Instrument.objects.filter(owner_id=owner_id, entry_status=Instrument.EntryStatus.APPROVED).exclude(
        usage_status=Instrument.UsageStatus.SCRAPPED
    )


def _unit_of(user):
    """The unit a new sensor belongs to: the one the person administers (the first, if several)."""
    ids = sorted(scope_of(user).administered_unit_ids)
    if not ids:
        raise PermissionDenied(_("Sensors are registered by the unit's administrators."))
    return Organisation.objects.get(pk=ids[0])


@login_required
@refusals_as_403
def sensor_list(request):
    sensors = (
        _sensors_of(request.user)
        .select_related("owner", "state")
        .prefetch_related("bindings__instrument")
        .order_by("owner__name", "code")
    )
    page = Paginator(sensors, PAGE_SIZE).get_page(request.GET.get("page"))
    for sensor in page.object_list:
        sensor.current_binding = next((b for b in sensor.bindings.all() if b.bound_to is None), None)
    can_register = bool(scope_of(request.user).administered_unit_ids)
    return render(request, "monitoring/sensor_list.html", {"page": page, "can_register": can_register})


@login_required
@refusals_as_403
def sensor_register(request):
    owner = _unit_of(request.user)
    form = SensorRegisterForm(request.POST or None, instruments=_bindable(owner.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code, instrument = data.pop("code"), data.pop("instrument")
        try:
            sensor, secret = services.register_sensor(actor=request.user, owner=owner, code=code, **data)
            if instrument is not None:
                services.bind_sensor(actor=request.user, sensor=sensor, instrument=instrument)
        except PermissionDenied:
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return render(request, "monitoring/sensor_secret.html", {"sensor": sensor, "secret": secret})
    status = 400 if request.method == "POST" else 200
    return render(request, "monitoring/sensor_register.html", {"form": form, "owner": owner}, status=status)


@login_required
@refusals_as_403
def sensor_detail(request, pk):
    sensor = get_object_or_404(_sensors_of(request.user).select_related("owner", "state"), pk=pk)
    settings_form = SensorSettingsForm(instance=sensor, prefix="settings")
    bind_form = BindForm(instruments=_bindable(sensor.owner_id), prefix="bind")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "settings":
                settings_form = SensorSettingsForm(request.POST, instance=Sensor.objects.get(pk=pk), prefix="settings")
                if settings_form.is_valid():
                    fields = {name: settings_form.cleaned_data[name] for name in settings_form.Meta.fields}
                    services.update_sensor(actor=request.user, sensor=sensor, **fields)
                    messages.success(request, _("The sensor's settings were saved."))
                    return redirect("monitoring:sensor_detail", pk=pk)
            elif action == "bind":
                bind_form = BindForm(request.POST, instruments=_bindable(sensor.owner_id), prefix="bind")
                if bind_form.is_valid():
                    services.bind_sensor(
                        actor=request.user, sensor=sensor, instrument=bind_form.cleaned_data["instrument"]
                    )
                    messages.success(request, _("The sensor now measures the chosen instrument."))
                    return redirect("monitoring:sensor_detail", pk=pk)
            elif action == "unbind":
                services.unbind_sensor(actor=request.user, sensor=sensor, reason=request.POST.get("reason", ""))
                messages.success(request, _("The sensor no longer measures any instrument."))
                return redirect("monitoring:sensor_detail", pk=pk)
            elif action == "rotate":
                secret = services.rotate_sensor_secret(actor=request.user, sensor=sensor)
                return render(request, "monitoring/sensor_secret.html", {"sensor": sensor, "secret": secret})
        except PermissionDenied:
            raise
        except DomainError as error:
            show_domain_error(bind_form if action in ("bind", "unbind") else settings_form, error)
        status = 400
    bindings = sensor.bindings.select_related("instrument").order_by("-bound_from")
    return render(
        request,
        "monitoring/sensor_detail.html",
        {"sensor": sensor, "settings_form": settings_form, "bind_form": bind_form, "bindings": bindings},
        status=status,
    )
