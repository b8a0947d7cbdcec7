"""One order's page for everyone who may see it (its user, their organisation's admins, the
running unit), with the actions each may take; sample orders; documents; calendar feeds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import refusals_as_403, show_domain_error, submit_form

from .. import documents, feeds, fees, samples, selectors, services
from ..forms import CompleteForm, DocumentForm, ReasonForm, SampleOrderForm
from ..models import Order
from ..permissions import runs_instrument

Status = Order.Status


def _order_page(request, order, complete_form=None, document_form=None, status=200):
    staff = runs_instrument(request.user, order.instrument)
    return render(
        request,
        "booking/order.html",
        {
            "order": order,
            "staff": staff,
            "mine": order.user_id == request.user.pk,
            "documents": selectors.documents_of(order),
            "complete_form": complete_form or CompleteForm(),
            "document_form": document_form or DocumentForm(),
            "reason_form": ReasonForm(),
            "cancellable": order.status in services.CANCELLABLE_STATES,
            "settleable": order.status in services.SETTLEABLE_STATES and order.final_fee is not None,
            "accepts_documents": order.status in documents.DOCUMENT_STATES,
            "can_start": (order.mode == Order.Mode.MACHINE_TIME and order.status == Status.SCHEDULED)
            or (order.mode == Order.Mode.SAMPLE_TESTING and order.status == Status.ACCEPTED),
        },
        status=status,
    )


@login_required
def order_detail(request, pk):
    return _order_page(request, selectors.order_for_person(request.user, pk))


STAFF_ACTIONS = {
    "start": (services.start_service, gettext_lazy("The service has started.")),
    "no_show": (services.mark_no_show, gettext_lazy("The booking was marked as a no-show.")),
    "settle": (services.settle_order, gettext_lazy("The payment was confirmed; the order is settled.")),
}


@login_required
@refusals_as_403
@require_POST
def act(request, pk, action):
    """The state changes that take no input: start, no-show, settle."""
    order = selectors.order_for_person(request.user, pk)
    if action not in STAFF_ACTIONS:
        raise Http404
    function, done = STAFF_ACTIONS[action]
    try:
        function(actor=request.user, order=order)
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("booking:order", pk=order.pk)


@login_required
@refusals_as_403
@require_POST
def complete(request, pk):
    order = selectors.order_for_person(request.user, pk)
    form = CompleteForm(request.POST)
    done = submit_form(
        request,
        form,
        lambda: services.complete_order(actor=request.user, order=order, **form.cleaned_data),
        success=_("The order is completed."),
        then=lambda _result: redirect("booking:order", pk=order.pk),
    )
    return done or _order_page(request, order, complete_form=form, status=400)


@login_required
@refusals_as_403
@require_POST
def upload(request, pk):
    order = selectors.order_for_person(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    done = submit_form(
        request,
        form,
        lambda: documents.upload_document(
            actor=request.user, order=order, kind=form.cleaned_data["kind"], uploaded=form.cleaned_data["file"]
        ),
        success=_("The file was uploaded; the user was told."),
        then=lambda _result: redirect("booking:order", pk=order.pk),
    )
    return done or _order_page(request, order, document_form=form, status=400)


@login_required
def download(request, pk):
    document = selectors.document_for_person(request.user, pk)
    filename = f"{document.order_id}-{document.get_kind_display()}.pdf"
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=filename)
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, no-store"
    return response


def sample_order(request, pk):
    """The sample testing form, with the quote and its working before the order is placed."""
    instrument = selectors.instrument_for_booking(request.user, pk)
    form = SampleOrderForm(request.POST or None)
    quote = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                if "preview" in request.POST:
                    items = samples.check_sample_details(
                        sample_count=data["sample_count"],
                        test_items=data["test_items"],
                        sample_description=data["sample_description"],
                        hazard=data["hazard"],
                        hazard_details=data["hazard_details"],
                        disposal=data["disposal"],
                    )
                    quote = fees.quote(
                        instrument=instrument,
                        mode=Order.Mode.SAMPLE_TESTING,
                        organisation=request.user.organisation,
                        is_external=request.user.organisation_id != instrument.owner_id,
                        service_purpose=data["service_purpose"],
                        samples=data["sample_count"],
                        items=len(items),
                    )
                else:
                    order = samples.create_sample_order(actor=request.user, instrument=instrument, **data)
                    messages.success(request, _("Your sample order was submitted; the instrument manager will answer."))
                    return redirect("booking:order", pk=order.pk)
            except PermissionDenied as error:
                form.add_error(None, error.message)
            except DomainError as error:
                show_domain_error(form, error)
    return render(
        request,
        "booking/sample_order.html",
        {
            "instrument": instrument,
            "form": form,
            "quote": quote,
            "standard": fees.standard_for(instrument, Order.Mode.SAMPLE_TESTING),
        },
    )


@login_required
def feeds_page(request):
    token = feeds.token_of(request.user).token
    return render(
        request,
        "booking/feeds.html",
        {"mine_url": request.build_absolute_uri(reverse("booking:feed_mine", args=[token]))},
    )


@login_required
@require_POST
def feeds_renew(request):
    feeds.renew_token(actor=request.user)
    messages.success(request, _("New feed addresses were made; the old ones no longer work."))
    return redirect("booking:feeds")


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def feed_mine(request, token):
    user = feeds.user_of(token)
    if user is None:
        raise Http404
    return _ics(feeds.my_bookings_ics(user), "bookings")


def feed_instrument(request, token, pk):
    user = feeds.user_of(token)
    if user is None:
        raise Http404
    instrument = get_object_or_404(selectors.visible_instruments(user), pk=pk)
    return _ics(feeds.instrument_ics(user, instrument), f"instrument-{instrument.pk}")
