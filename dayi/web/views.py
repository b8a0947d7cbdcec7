from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from dayi.accounts.permissions import scope_of
from dayi.catalog import selectors as catalog
from dayi.workcalendar.services import missing_calendar_years


def home(request):
    return render(request, "web/home.html", {"figures": catalog.headline_figures()})


@login_required
def dashboard(request):
    operator = scope_of(request.user).is_operator
    return render(
        request, "web/dashboard.html", {"missing_calendar_years": missing_calendar_years() if operator else []}
    )


def health(request):
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
