from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import back_to, refusals_as_403, show_domain_error

from .. import checks, feeds, fees, recurring, selectors, services, waiting
from ..availability import first_open_day
from ..forms import BookingForm, ReasonForm, RecurringForm
from ..models import Order
from ..permissions import can_set_rules


def instrument_calendar(request, pk):
    """The availability calendar and the booking form; visitors see the calendar and log in to book."""
    instrument = selectors.instrument_for_booking(request.user, pk)
    rules = selectors.rules_of(instrument)
    step = rules.granularity_minutes if rules else None
    form = BookingForm(request.POST or None, step_minutes=step, initial=_initial_slot(request))
    quote = None
    slot_taken = False
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        if form.is_valid():
            try:
                if "preview" in request.POST:
                    quote = _preview(request.user, instrument, form.cleaned_data)
                elif "wait" in request.POST:
                    waiting.join_waiting_list(
                        actor=request.user,
                        instrument=instrument,
                        starts_at=form.cleaned_data["starts_at"],
                        ends_at=form.cleaned_data["ends_at"],
                    )
                    messages.success(request, _("You are on the waiting list; you will be told if this time frees up."))
                    return redirect("booking:instrument", pk=instrument.pk)
                else:
                    order = services.book_slot(actor=request.user, instrument=instrument, **form.cleaned_data)
                    if order.status == order.Status.SCHEDULED:
                        messages.success(request, _("Your booking is confirmed."))
                    else:
                        messages.success(request, _("Your booking was submitted; the instrument manager will answer."))
                    return redirect("booking:mine")
            except PermissionDenied as error:
                form.add_error(None, error.message)
            except DomainError as error:
                show_domain_error(form, error)
                slot_taken = error.message == services.slot_taken_message()
    feed_url = None
    if request.user.is_authenticated:
        token = feeds.token_of(request.user).token
        feed_url = request.build_absolute_uri(reverse("booking:feed_instrument", args=[token, instrument.pk]))
    return render(
        request,
        "booking/instrument_calendar.html",
        {
            "instrument": instrument,
            "rules": rules,
            "form": form,
            "quote": quote,
            "slot_taken": slot_taken,
            "feed_url": feed_url,
            "first_day": first_open_day(instrument, rules, timezone.now()) if rules else None,
            "standard": fees.standard_for(instrument, Order.Mode.MACHINE_TIME),
            "can_set_rules": request.user.is_authenticated and can_set_rules(request.user, instrument),
            "calendar_texts": {
                "today": _("today"),
                "week": _("week"),
                "day": _("day"),
                "list": _("list"),
                "locale": calendar_locale(),
            },
        },
    )


def calendar_locale() -> str:
    """FullCalendar names simplified Chinese zh-cn; its locale file is served from
    vendor/fullcalendar-locales."""
    return "zh-cn" if (get_language() or "").startswith("zh") else "en"


def _preview(user, instrument, data):
    """The quote and its working for the form's slot, before anything is booked."""
    rules = checks.rules_for_booking(instrument)
    checks.check_time(instrument, rules, data["starts_at"], data["ends_at"], timezone.now())
    is_external = checks.check_user(user, instrument, rules, timezone.localdate(data["starts_at"]))
    return fees.quote(
        instrument=instrument,
        mode=Order.Mode.MACHINE_TIME,
        organisation=user.organisation,
        is_external=is_external,
        service_purpose=data["service_purpose"],
        hours=Decimal((data["ends_at"] - data["starts_at"]).total_seconds()) / 3600,
    )


def _initial_slot(request):
    initial = {}
    for name in ("starts_at", "ends_at"):
        value = parse_datetime(request.GET.get(name, ""))
        if value is not None:
            initial[name] = value
    return initial


def availability(request, pk):
    """Free and busy time of one instrument as FullCalendar event JSON."""
    instrument = selectors.instrument_for_booking(request.user, pk)
    today = timezone.localdate()
    first = _date_param(request.GET.get("start"), today)
    # FullCalendar's end is exclusive: a one-day view sends end = the next day.
    last = _date_param(request.GET.get("end"), first + timedelta(days=1)) - timedelta(days=1)
    return JsonResponse(selectors.availability_events(instrument, request.user, first, max(first, last)), safe=False)


def _date_param(value, default) -> date:
    """FullCalendar sends ISO dates or date-times; only the date counts here."""
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return default


@login_required
def my_orders(request):
    page = Paginator(selectors.my_orders(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "booking/my_orders.html",
        {"page": page, "cancellable": services.CANCELLABLE_STATES, "cancel_form": ReasonForm()},
    )


@login_required
@refusals_as_403
@require_POST
def cancel(request, pk):
    order = selectors.order_for_cancel(request.user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.cancel_order(actor=request.user, order=order, reason=form.cleaned_data.get("reason", ""))
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking was cancelled."))
    return back_to(request, "booking:mine")


@login_required
def inbox(request):
    notifications = list(selectors.inbox(request.user)[:100])
    selectors.inbox(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "booking/inbox.html", {"notifications": notifications})


@login_required
def recurring_booking(request, pk):
    """The same weekly slot over a date range; the page shows each week's result."""
    instrument = selectors.instrument_for_booking(request.user, pk)
    form = RecurringForm(request.POST or None)
    series = None
    if request.method == "POST" and form.is_valid():
        try:
            series = recurring.book_recurring(actor=request.user, instrument=instrument, **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error(None, error.message)
        except DomainError as error:
            show_domain_error(form, error)
    return render(request, "booking/recurring.html", {"instrument": instrument, "form": form, "series": series})
