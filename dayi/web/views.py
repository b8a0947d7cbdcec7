from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from dayi.accounts.permissions import scope_of
from dayi.catalog import selectors as catalog
from dayi.feedback import dashboards
from dayi.workcalendar.services import missing_calendar_years


def home(request):
    return render(request, "web/home.html", {"figures": catalog.headline_figures()})


@login_required
def dashboard(request):
    """The person's workspace: their orders, their units' orders and income, and for the
    operator the platform overview with overdue complaints; this year's figures."""
    scope = scope_of(request.user)
    operator = scope.is_operator
    today = timezone.localdate()
    return render(
        request,
        "web/dashboard.html",
        {
            "missing_calendar_years": missing_calendar_years() if operator else [],
            "my_orders": dashboards.user_summary(request.user, year=today.year),
            "units": dashboards.unit_summaries(request.user, year=today.year),
            "overview": dashboards.operator_overview(year=today.year, today=today) if operator else None,
        },
    )


def health(request):
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
