from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from dayi.catalog import selectors as catalog


def home(request):
    return render(request, "web/home.html", {"figures": catalog.headline_figures()})


@login_required
def dashboard(request):
    return render(request, "web/dashboard.html")


def health(request):
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
