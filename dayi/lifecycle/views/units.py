"""The unit's pages: its instrument list by entry status, the editor, photos and submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dayi.accounts.permissions import scope_of
from dayi.audit.views import present
from dayi.catalog.models import Instrument, InstrumentPhoto
from dayi.catalog.services import create_instrument, update_instrument
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import form_status, refusals_as_403, submit_form

from .. import selectors, services
from ..forms import InstrumentForm, PhotoForm, class_choices

Status = Instrument.EntryStatus
PAGE_SIZE = 25


def _chosen_unit(units, wanted):
    by_id = {str(unit.pk): unit for unit in units}
    return by_id.get(wanted or "", units[0])


@login_required
@refusals_as_403
def my_instruments(request):
    units = list(selectors.managed_units(request.user).only("id", "name"))
    if not units:
        raise PermissionDenied(_("You do not manage a unit."))
    unit = _chosen_unit(units, request.GET.get("unit"))
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    overdue = request.GET.get("overdue") == "1"
    query = request.GET.get("q", "").strip()
    instruments = selectors.unit_entry_list(request.user, unit.pk, status=status, overdue=overdue, query=query)
    page = Paginator(instruments, PAGE_SIZE).get_page(request.GET.get("page"))
    for instrument in page.object_list:
        instrument.deadline = selectors.entry_deadline(instrument)
        instrument.overdue = selectors.entry_is_overdue(instrument)
    counts = selectors.status_counts(request.user, unit.pk)
    tabs = [("", _("All"), counts["all"])] + [(value, label, counts[value]) for value, label in Status.choices]
    return render(
        request,
        "lifecycle/my_instruments.html",
        {
            "units": units,
            "unit": unit,
            "page": page,
            "tabs": tabs,
            "status": status,
            "overdue": overdue,
            "overdue_count": counts["overdue"],
            "query": query,
            "can_edit": scope_of(request.user).can_administer_unit(unit.pk),
            "submittable": (Status.DRAFT, Status.RETURNED),
        },
    )


def _list_url(unit_id):
    return f"{reverse('lifecycle:my_instruments')}?unit={unit_id}"


@login_required
@refusals_as_403
def instrument_create(request):
    administered = sorted(scope_of(request.user).administered_unit_ids)
    unit_id = request.GET.get("unit") or (administered[0] if len(administered) == 1 else None)
    if unit_id is None:
        return redirect("lifecycle:my_instruments")
    unit = selectors.unit_for_new_instrument(request.user, unit_id)
    form = InstrumentForm(request.POST or None, instance=Instrument(owner=unit), owner=unit)
    saved = submit_form(
        request,
        form,
        lambda: create_instrument(actor=request.user, owner=unit, **form.service_arguments()),
        success=_("Draft saved. Add photos, then submit it for network entry."),
        then=lambda instrument: redirect("lifecycle:instrument_edit", pk=instrument.pk),
        show_error=InstrumentForm.show_errors,
    )
    return saved or render(
        request,
        "lifecycle/instrument_form.html",
        {"form": form, "unit": unit, "class_groups": class_choices(), "list_url": _list_url(unit.pk)},
        status=form_status(request),
    )


@login_required
@refusals_as_403
def instrument_edit(request, pk):
    if request.method != "POST":
        return _edit_page(request, selectors.instrument_for_edit(request.user, pk))
    instrument = get_object_or_404(Instrument.objects.select_related("owner"), pk=pk)
    services.require_editor(actor=request.user, instrument=instrument)
    # The form works on its own copy: a rejected submission must not leak into the page's record.
    form = InstrumentForm(request.POST, instance=Instrument.objects.get(pk=pk), owner=instrument.owner)
    saved = submit_form(
        request,
        form,
        lambda: update_instrument(actor=request.user, instrument=instrument, **form.service_arguments()),
        success=_("Changes saved."),
        then=lambda _saved: redirect("lifecycle:instrument_edit", pk=pk),
        show_error=InstrumentForm.show_errors,
    )
    return saved or _edit_page(request, instrument, form=form, status=400)


def _edit_page(request, instrument, *, form=None, photo_form=None, status=200):
    instrument.deadline = selectors.entry_deadline(instrument)
    instrument.overdue = selectors.entry_is_overdue(instrument)
    return render(
        request,
        "lifecycle/instrument_form.html",
        {
            "form": form or InstrumentForm(instance=instrument, owner=instrument.owner),
            "instrument": instrument,
            "unit": instrument.owner,
            "class_groups": class_choices(),
            "photos": instrument.photos.all(),
            "photo_form": photo_form or PhotoForm(),
            "history": present(selectors.instrument_history(instrument)),
            "can_submit": instrument.entry_status in (Status.DRAFT, Status.RETURNED),
            "list_url": _list_url(instrument.owner_id),
        },
        status=status,
    )


@login_required
@require_POST
@refusals_as_403
def photo_add(request, pk):
    instrument = get_object_or_404(Instrument.objects.select_related("owner"), pk=pk)
    services.require_editor(actor=request.user, instrument=instrument)
    photo_form = PhotoForm(request.POST, request.FILES)
    added = submit_form(
        request,
        photo_form,
        lambda: services.add_photo(actor=request.user, instrument=instrument, **photo_form.cleaned_data),
        success=_("Photo added."),
        then=lambda _photo: redirect(reverse("lifecycle:instrument_edit", args=[pk]) + "#photos"),
    )
    return added or _edit_page(request, instrument, photo_form=photo_form, status=400)


@login_required
@require_POST
@refusals_as_403
def photo_remove(request, pk):
    photo = get_object_or_404(InstrumentPhoto.objects.select_related("instrument"), pk=pk)
    services.remove_photo(actor=request.user, photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect(reverse("lifecycle:instrument_edit", args=[photo.instrument_id]) + "#photos")


@login_required
@require_POST
@refusals_as_403
def submit(request, pk):
    instrument = get_object_or_404(Instrument, pk=pk)
    try:
        services.submit_for_entry(actor=request.user, instrument=instrument)
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” was submitted for network entry.") % {"name": instrument.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = _list_url(instrument.owner_id)
    return redirect(target)
