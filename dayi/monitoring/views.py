"""The live status page (refreshed by htmx) and the per-instrument day chart."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.core.http import refusals_as_403

from . import selectors

PAGE_SIZE = 50
REFRESH_SECONDS = 5


def _table_context(request):
    state = request.GET.get("state", "")
    state = state if state in selectors.LIVE_STATES else ""
    page = Paginator(selectors.live_status(request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.live_counts(request.user)
    labels = [("", _("All")), ("in_use", _("In use")), ("on", _("On")), ("off", _("Off")), ("offline", _("Offline"))]
    return {
        "page": page,
        "state": state,
        "tabs": [(value, label, counts[value or "all"]) for value, label in labels],
        "refresh_seconds": REFRESH_SECONDS,
        "updated_at": timezone.localtime(),
    }


@login_required
@refusals_as_403
def live(request):
    return render(request, "monitoring/live.html", _table_context(request))


@login_required
@refusals_as_403
def live_table(request):
    return render(request, "monitoring/_live_table.html", _table_context(request))


@login_required
@refusals_as_403
def instrument_day(request, pk):
    instrument = selectors.instrument_for_monitoring(request.user, pk)
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = today
    day = min(day, today)
    data = selectors.day_of_instrument(instrument, day)
    return render(
        request,
        "monitoring/instrument_day.html",
        {
            "instrument": instrument,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1) if day < today else None,
            "usage": data["usage"],
            "chart": {"points": data["points"], "sessions": data["sessions"], "day": day.isoformat()},
            "sessions": data["sessions"],
            "deadline": selectors.install_deadline(instrument),
            "overdue": selectors.install_is_overdue(instrument),
        },
    )
