"""Funding pages: the enterprise's vouchers and subsidies, the unit's redemptions, rewards and
insurance, the operator's and authority's review queues and budgets. Thin: forms in, services
do the work, refusals shown next to what the person typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dayi.accounts.models import Organisation
from dayi.accounts.permissions import scope_of
from dayi.booking.models import Order
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import back_to, refusals_as_403, show_domain_error

from . import exports, grants, insurance, payments, pdf, redemptions, rewards, selectors, statements, subsidies, years
from .forms import (
    GradeForm,
    GrantForm,
    InvoiceFormSet,
    PayForm,
    PolicyForm,
    ReasonForm,
    RewardComputeForm,
    SubsidyForm,
    VoucherApplicationForm,
    claimed_invoices,
)
from .models import InsurancePolicy, RedemptionBatch, SubsidyApplication, VoucherApplication, VoucherGrant

FORMATS = {
    "xlsx": (exports.workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (pdf.document, "application/pdf"),
}


def _download(statement, fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    write, content_type = FORMATS[fmt]
    response = HttpResponse(write(statement), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _attempt(request, action, success: str, default: str):
    """Run a POSTed action; a refusal becomes a message on the page it came from."""
    try:
        action()
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return back_to(request, default)


def _attempt_form(request, form, action, success: str, default: str):
    """A small POSTed form: its field errors, or the service's refusal, become a message."""
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return back_to(request, default)
    return _attempt(request, lambda: action(**form.cleaned_data), success, default)


@login_required
def home(request):
    user = request.user
    scope = scope_of(user)
    units = sorted(scope.administered_unit_ids)
    context = {
        "grants": selectors.grants(user).filter(organisation_id=user.organisation_id),
        "ledger": selectors.ledger(user).filter(grant__organisation_id=user.organisation_id)[:20],
        "voucher_applications": selectors.voucher_applications(user).filter(organisation_id=user.organisation_id),
        "subsidy_applications": selectors.subsidy_applications(user).filter(organisation_id=user.organisation_id),
        "payable": selectors.payable_orders(user),
        "unit_ids": units,
        "redeemable": [
            (unit, list(redemptions.redeemable(unit.pk).select_related("order__instrument")))
            for unit in Organisation.objects.filter(pk__in=units)
        ],
        "batches": selectors.batches(user).filter(unit_id__in=scope.managed_unit_ids)[:20],
        "reward_lines": selectors.unit_reward_lines(user)[:50],
        "policies": selectors.policies(user).filter(unit_id__in=scope.managed_unit_ids)[:50],
        "policy_form": PolicyForm(unit_ids=units) if units else None,
        "overseer": selectors.overseer(user),
    }
    return render(request, "funding/home.html", context)


@login_required
@refusals_as_403
def apply_vouchers(request):
    form = VoucherApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grants.apply_for_vouchers(actor=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your voucher application was submitted."))
            return redirect("funding:home")
    return render(request, "funding/form.html", {"form": form, "title": _("Apply for innovation vouchers")})


@login_required
@refusals_as_403
def pay(request, order_id):
    order = get_object_or_404(Order.objects.select_related("instrument"), pk=order_id, user=request.user)
    usable = selectors.grants(request.user).filter(
        organisation_id=order.organisation_id, status=VoucherGrant.Status.ACTIVE, remaining__gt=0
    )
    form = PayForm(request.POST or None, grants=usable)
    if request.method == "POST" and form.is_valid():
        try:
            payment = payments.pay_order(actor=request.user, order=order, grant=form.cleaned_data["grant"])
        except PermissionDenied:
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Paid: %(voucher)s yuan by voucher, %(user)s yuan by you.")
                % {"voucher": payment.voucher_amount, "user": payment.paid_by_user},
            )
            return redirect("funding:home")
    return render(request, "funding/pay.html", {"form": form, "order": order})


@login_required
@refusals_as_403
def apply_subsidy(request):
    done = Order.objects.filter(
        organisation_id=request.user.organisation_id, status__in=years.DONE, final_fee__isnull=False
    ).select_related("instrument")
    form = SubsidyForm(request.POST or None, request.FILES or None, orders=done)
    invoices = InvoiceFormSet(request.POST or None, request.FILES or None, prefix="invoices")
    if request.method == "POST" and form.is_valid() and invoices.is_valid():
        try:
            application = subsidies.apply_for_subsidy(
                actor=request.user,
                rule_set=form.cleaned_data["rule_set"],
                year=form.cleaned_data["year"],
                order_ids=[int(pk) for pk in form.cleaned_data["orders"]],
                invoices=claimed_invoices(invoices),
            )
        except PermissionDenied:
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("Submitted; the subsidy computed is %(amount)s yuan.") % {"amount": application.amount}
            )
            return redirect("funding:home")
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "formsets": [(_("Invoices of tests done elsewhere"), invoices)],
            "title": _("Apply for a testing subsidy"),
            "multipart": True,
        },
    )


@login_required
@require_POST
@refusals_as_403
def redeem(request):
    scope = scope_of(request.user)
    unit_id = int(request.POST.get("unit", 0))
    if unit_id not in scope.administered_unit_ids:
        raise PermissionDenied(_("Only the unit's administrator redeems its vouchers."))
    unit = get_object_or_404(Organisation, pk=unit_id)
    ids = [int(pk) for pk in request.POST.getlist("payments")]
    return _attempt(
        request,
        lambda: redemptions.submit_batch(actor=request.user, unit=unit, payment_ids=ids),
        _("The redemption batch was submitted."),
        "funding:home",
    )


@login_required
@require_POST
@refusals_as_403
def register_policy(request):
    form = PolicyForm(request.POST, unit_ids=scope_of(request.user).administered_unit_ids)
    return _attempt_form(
        request,
        form,
        lambda **data: insurance.register_policy(actor=request.user, **data),
        _("The insurance policy was registered."),
        "funding:home",
    )


@login_required
@refusals_as_403
def review(request):
    user = request.user
    if not selectors.overseer(user):
        raise PermissionDenied(_("The review queues are for the platform operator and the authorities."))
    context = {
        "voucher_applications": selectors.voucher_applications(user).filter(status=VoucherApplication.Status.SUBMITTED),
        "grant_form": GrantForm(),
        "reason_form": ReasonForm(),
        "batches": selectors.batches(user).filter(
            status__in=(RedemptionBatch.Status.SUBMITTED, RedemptionBatch.Status.APPROVED)
        ),
        "subsidies": selectors.subsidy_applications(user).filter(status=SubsidyApplication.Status.SUBMITTED),
        "reward_runs": selectors.reward_runs(user)[:20],
        "reward_form": RewardComputeForm(),
        "grade_form": GradeForm(),
        "unsubsidised": selectors.policies(user).filter(subsidy=0)[:50],
        "budgets": selectors.budgets(user),
        "regions": selectors.region_summary(user),
        "is_operator": scope_of(user).is_operator,
    }
    return render(request, "funding/review.html", context)


@login_required
@require_POST
@refusals_as_403
def decide_voucher(request, pk):
    application = get_object_or_404(VoucherApplication, pk=pk)
    if request.POST.get("action") == "reject":
        reason = request.POST.get("reason", "")
        action = lambda: grants.reject_voucher_application(  # noqa: E731
            actor=request.user, application=application, reason=reason
        )
        return _attempt(request, action, _("The application was rejected."), "funding:review")
    form = GrantForm(request.POST)
    return _attempt_form(
        request,
        form,
        lambda **data: grants.grant_vouchers(actor=request.user, application=application, **data),
        _("The vouchers were granted."),
        "funding:review",
    )


@login_required
@require_POST
@refusals_as_403
def decide_batch(request, pk):
    batch = get_object_or_404(RedemptionBatch, pk=pk)
    return _attempt(
        request,
        lambda: redemptions.decide_batch(
            actor=request.user,
            batch=batch,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("The redemption batch was updated."),
        "funding:review",
    )


@login_required
@require_POST
@refusals_as_403
def decide_subsidy(request, pk):
    application = get_object_or_404(SubsidyApplication, pk=pk)
    approve = request.POST.get("action") == "approve"
    return _attempt(
        request,
        lambda: subsidies.decide_subsidy(
            actor=request.user, application=application, approve=approve, reason=request.POST.get("reason", "")
        ),
        _("The subsidy application was decided."),
        "funding:review",
    )


@login_required
@require_POST
@refusals_as_403
def compute_rewards(request):
    form = RewardComputeForm(request.POST)
    return _attempt_form(
        request,
        form,
        lambda **data: rewards.compute_rewards(actor=request.user, **data),
        _("The rewards were computed."),
        "funding:review",
    )


@login_required
@require_POST
@refusals_as_403
def set_grade(request):
    form = GradeForm(request.POST)
    return _attempt_form(
        request,
        form,
        lambda **data: insurance.set_unit_grade(actor=request.user, **data),
        _("The grade was saved."),
        "funding:review",
    )


@login_required
@require_POST
@refusals_as_403
def compute_policy(request, pk):
    policy = get_object_or_404(InsurancePolicy, pk=pk)
    return _attempt(
        request,
        lambda: insurance.compute_policy_subsidy(actor=request.user, policy=policy),
        _("The insurance subsidy was computed."),
        "funding:review",
    )


@login_required
@refusals_as_403
def reward_run(request, pk):
    run = get_object_or_404(selectors.reward_runs(request.user), pk=pk)
    if request.method == "POST":
        return _attempt(
            request,
            lambda: rewards.approve_rewards(actor=request.user, run=run),
            _("The reward list was approved."),
            "funding:review",
        )
    if request.GET.get("format"):
        statement = statements.rewards_statement(request.user, run)
        return _download(statement, request.GET["format"], f"rewards-{run.year}-{run.pk}")
    lines = selectors.reward_lines(request.user, run)[:200]
    scope = scope_of(request.user)
    return render(
        request,
        "funding/reward_run.html",
        {"run": run, "lines": lines, "can_approve": scope.is_authority and run.status == "computed"},
    )


@login_required
@refusals_as_403
def statement(request, fmt):
    """The person's own organisation's voucher statement."""
    return _download(statements.enterprise_statement(request.user), fmt, "voucher-statement")


@login_required
@refusals_as_403
def unit_statement(request, unit_id, fmt):
    unit = get_object_or_404(Organisation, pk=unit_id)
    return _download(statements.unit_statement(request.user, unit), fmt, f"unit-statement-{unit.pk}")


@login_required
@refusals_as_403
def summary(request, fmt):
    return _download(statements.overseer_summary(request.user), fmt, "funding-summary")
