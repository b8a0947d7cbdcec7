"""Idle and offline lists, and one idle case with the unit's explanation form and the
operator's decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import refusals_as_403, show_domain_error

from . import idle, selectors
from .forms import DecisionForm, ExplanationForm
from .models import IdleCase
from .views import PAGE_SIZE

VIEWS = ("open", "reminded", "internal", "departmental", "review", "closed")


@login_required
@refusals_as_403
def idle_list(request):
    view = request.GET.get("view", "open")
    view = view if view in VIEWS else "open"
    labels = {
        "open": _("Open"),
        "reminded": IdleCase.Step.REMINDED.label,
        "internal": IdleCase.Step.INTERNAL.label,
        "departmental": IdleCase.Step.DEPARTMENTAL.label,
        "review": _("Awaiting review"),
        "closed": _("Closed"),
    }
    cases = Paginator(selectors.idle_cases(request.user, view=view), PAGE_SIZE).get_page(request.GET.get("page"))
    offline = Paginator(selectors.offline_bindings(request.user), PAGE_SIZE).get_page(request.GET.get("offline_page"))
    return render(
        request,
        "monitoring/idle_list.html",
        {"view": view, "tabs": [(value, labels[value]) for value in VIEWS], "cases": cases, "offline": offline},
    )


@login_required
@refusals_as_403
def idle_case(request, pk):
    case = get_object_or_404(
        IdleCase.objects.select_related("instrument__owner", "instrument__region"),
        pk=pk,
        instrument__in=selectors.monitored_instruments(request.user),
    )
    scope = scope_of(request.user)
    can_explain = case.is_open and case.instrument.owner_id in scope.managed_unit_ids
    can_decide = case.is_open and scope.is_operator and case.explanation_status == IdleCase.Explanation.SUBMITTED
    explain_form = ExplanationForm(initial={"explanation": case.explanation}) if can_explain else None
    decision_form = DecisionForm() if can_decide else None
    if request.method == "POST":
        try:
            if "explanation" in request.POST and can_explain:
                explain_form = ExplanationForm(request.POST)
                if explain_form.is_valid():
                    idle.submit_explanation(
                        actor=request.user, case_id=case.pk, text=explain_form.cleaned_data["explanation"]
                    )
                    messages.success(request, _("Your explanation was sent to the operator."))
                    return redirect("monitoring:idle_case", pk=case.pk)
            elif "decision" in request.POST and can_decide:
                decision_form = DecisionForm(request.POST)
                if decision_form.is_valid():
                    data = decision_form.cleaned_data
                    idle.decide_explanation(
                        actor=request.user, case_id=case.pk, accept=data["decision"] == "accept", note=data["note"]
                    )
                    messages.success(request, _("The decision was recorded."))
                    return redirect("monitoring:idle_case", pk=case.pk)
            else:
                raise Forbidden(_("You may not act on this idle case."))
        except PermissionDenied:
            raise
        except DomainError as error:
            form = explain_form if "explanation" in request.POST else decision_form
            show_domain_error(form, error)
    return render(
        request,
        "monitoring/idle_case.html",
        {"case": case, "explain_form": explain_form, "decision_form": decision_form},
        status=400 if request.method == "POST" else 200,
    )
