from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dayi.accounts.models import Organisation
from dayi.accounts.permissions import scope_of
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import form_status, refusals_as_403, show_domain_error, submit_form

from .. import selectors, services
from ..forms import ComplaintForm, ComplaintStepForm
from ..models import Complaint
from ..services.complaints import can_state_for_unit, is_overdue


def _page(request, queryset, size=20):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@login_required
def mine(request):
    return render(
        request, "feedback/my_complaints.html", {"page": _page(request, selectors.my_complaints(request.user))}
    )


@login_required
@refusals_as_403
def new(request):
    """A complaint about one of the person's orders (?order=) or about a unit (?unit=)."""
    source = request.POST if request.method == "POST" else request.GET
    order = unit = None
    if source.get("order"):
        order = get_object_or_404(selectors.orders_seen_by(request.user).filter(user=request.user), pk=source["order"])
    elif source.get("unit"):
        unit = get_object_or_404(Organisation.objects.filter(is_management_unit=True), pk=source["unit"])
    form = ComplaintForm(request.POST or None)
    filed = submit_form(
        request,
        form,
        lambda: services.file_complaint(actor=request.user, order=order, unit=unit, **form.cleaned_data),
        success=lambda complaint: (
            _("Your complaint was filed; the platform operator answers by %(due)s.")
            % {"due": f"{complaint.answer_due:%Y-%m-%d}"}
        ),
        then=lambda complaint: redirect("feedback:complaint", pk=complaint.pk),
    )
    if filed:
        return filed
    units = None if order or unit else Organisation.objects.filter(is_management_unit=True).only("pk", "name")
    context = {"form": form, "order": order, "unit": unit, "units": units}
    return render(request, "feedback/complaint_new.html", context, status=form_status(request))


@login_required
@refusals_as_403
def detail(request, pk, form=None, status=200):
    complaint = selectors.complaint_for(request.user, pk)
    scope = scope_of(request.user)
    today = timezone.localdate()
    open_ = complaint.status != Complaint.Status.CLOSED
    return render(
        request,
        "feedback/complaint.html",
        {
            "complaint": complaint,
            "record": selectors.complaint_record(complaint),
            "overdue": is_overdue(complaint, today),
            "is_operator": scope.is_operator and open_,
            "is_complainant": complaint.complainant_id == request.user.pk,
            "may_state": open_
            and complaint.statement_requested_at is not None
            and can_state_for_unit(request.user, complaint),
            "form": form or ComplaintStepForm(),
        },
        status=status,
    )


ACTIONS = {
    "answer": (services.answer_complaint, gettext_lazy("The answer was sent to the complainant.")),
    "request_statement": (services.request_unit_statement, gettext_lazy("The unit was asked for its statement.")),
    "statement": (
        services.give_unit_statement,
        gettext_lazy("Your unit's statement was sent to the platform operator."),
    ),
    "confirm": (services.confirm_resolution, gettext_lazy("Thank you: the complaint is closed.")),
    "reopen": (services.reopen_complaint, gettext_lazy("The complaint was reopened.")),
}


@login_required
@refusals_as_403
@require_POST
def act(request, pk):
    complaint = selectors.complaint_for(request.user, pk)
    form = ComplaintStepForm(request.POST)
    form.is_valid()
    action = request.POST.get("action")
    try:
        if action == "escalate":
            services.escalate_complaint(actor=request.user, complaint=complaint)
            done = _("The complaint was escalated to the authority.")
        elif action in ACTIONS:
            function, done = ACTIONS[action]
            function(actor=request.user, complaint=complaint, text=form.cleaned_data.get("text", ""))
        else:
            raise DomainError(_("Unknown action."))
    except PermissionDenied:
        raise
    except DomainError as error:
        show_domain_error(form, error)
        return detail(request, pk, form=form, status=400)
    messages.success(request, done)
    return redirect("feedback:complaint", pk=complaint.pk)


@login_required
@refusals_as_403
def about_my_units(request):
    if not scope_of(request.user).managed_unit_ids:
        raise PermissionDenied(_("You do not run instruments of a unit."))
    page = _page(request, selectors.complaints_about_my_units(request.user))
    return render(request, "feedback/unit_complaints.html", {"page": page, "today": timezone.localdate()})


@login_required
@refusals_as_403
def queue(request):
    """The operator's queue, overdue first; an authority sees the complaints escalated to it."""
    scope = scope_of(request.user)
    today = timezone.localdate()
    if scope.is_operator:
        complaints = selectors.operator_queue(request.user, today=today)
    elif scope.authority_region_paths:
        complaints = selectors.escalated_in_my_region(request.user)
    else:
        raise PermissionDenied(_("Only the platform operator and the authorities see complaint queues."))
    return render(
        request,
        "feedback/queue.html",
        {"page": _page(request, complaints, 30), "is_operator": scope.is_operator, "today": today},
    )


@login_required
@refusals_as_403
@require_POST
def escalate_overdue(request):
    if not scope_of(request.user).is_operator:
        raise PermissionDenied(_("Only the platform operator handles complaints."))
    count = services.escalate_overdue()
    messages.success(request, _("%(count)s overdue complaint(s) were escalated.") % {"count": count})
    return redirect("feedback:queue")
