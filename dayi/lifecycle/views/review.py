"""The platform operator's network-entry review: the queue and one record's review page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dayi.audit.views import present
from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import refusals_as_403

from .. import selectors, services
from ..forms import FIELDSETS, ReturnForm


@login_required
@refusals_as_403
def review_queue(request):
    instruments = list(selectors.review_queue_for(request.user))
    for instrument in instruments:
        instrument.deadline = selectors.entry_deadline(instrument)
        instrument.overdue = selectors.entry_is_overdue(instrument)
    return render(request, "lifecycle/review_queue.html", {"instruments": instruments})


@login_required
@refusals_as_403
def review(request, pk):
    instrument = selectors.instrument_for_review(request.user, pk)
    return_form = ReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.approve_entry(actor=request.user, instrument=instrument)
                messages.success(request, _("“%(name)s” is now in the network.") % {"name": instrument.name})
                return redirect("lifecycle:review_queue")
            if return_form.is_valid():
                services.return_entry(
                    actor=request.user, instrument=instrument, reason=return_form.cleaned_data["reason"]
                )
                messages.success(request, _("“%(name)s” was returned to its unit.") % {"name": instrument.name})
                return redirect("lifecycle:review_queue")
        except PermissionDenied:
            raise
        except DomainError as error:
            if error.field == "reason":
                return_form.add_error("reason", error.message)
            else:
                messages.error(request, error.message)
    instrument.deadline = selectors.entry_deadline(instrument)
    instrument.overdue = selectors.entry_is_overdue(instrument)
    return render(
        request,
        "lifecycle/review.html",
        {
            "instrument": instrument,
            "sections": _sections(instrument),
            "return_form": return_form,
            "reviewable": instrument.entry_status == Instrument.EntryStatus.SUBMITTED,
            "history": present(selectors.instrument_history(instrument)),
        },
    )


def _sections(instrument):
    """The whole record in the editor's groups, each field as label and the value a person reads."""
    sections = []
    for title, names in FIELDSETS:
        rows = []
        for name in names:
            field = Instrument._meta.get_field(name)
            if field.many_to_many:
                value = "、".join(str(item) for item in getattr(instrument, name).all())
            elif field.choices:
                value = getattr(instrument, f"get_{name}_display")()
            else:
                value = getattr(instrument, name)
            rows.append((field.verbose_name, value))
        sections.append((title, rows))
    return sections
