from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dayi.booking import services as booking
from dayi.core.http import refusals_as_403, submit_form

from .. import selectors, services
from ..forms import OutcomeForm, ReviewForm
from ..models import Outcome, Review
from ..services.outcomes import SERVED_STATES


def _order_page(request, order, review_form=None, outcome_form=None, status=200):
    mine = order.user_id == request.user.pk
    review = Review.objects.filter(order=order).first()
    can_review = mine and review is None and order.status in booking.REVIEWABLE_STATES
    return render(
        request,
        "feedback/order.html",
        {
            "order": order,
            "mine": mine,
            "review": review,
            "review_form": review_form or (ReviewForm() if can_review else None),
            "outcomes": selectors.order_outcomes(order),
            "outcome_form": outcome_form or (OutcomeForm() if mine and order.status in SERVED_STATES else None),
        },
        status=status,
    )


@login_required
def order_page(request, pk):
    return _order_page(request, selectors.order_for_feedback(request.user, pk))


@login_required
@refusals_as_403
@require_POST
def review(request, pk):
    order = selectors.order_for_feedback(request.user, pk)
    form = ReviewForm(request.POST)
    saved = submit_form(
        request,
        form,
        lambda: services.submit_review(
            actor=request.user, order=order, scores=form.scores(), comment=form.cleaned_data["comment"]
        ),
        success=_("Thank you: your rating was saved."),
        then=lambda _review: redirect("feedback:order", pk=order.pk),
    )
    return saved or _order_page(request, order, review_form=form, status=400)


@login_required
@refusals_as_403
@require_POST
def outcome_add(request, pk):
    order = selectors.order_for_feedback(request.user, pk)
    form = OutcomeForm(request.POST)
    saved = submit_form(
        request,
        form,
        lambda: services.record_outcome(actor=request.user, order=order, **form.cleaned_data),
        success=_("The outcome was recorded."),
        then=lambda _outcome: redirect("feedback:order", pk=order.pk),
    )
    return saved or _order_page(request, order, outcome_form=form, status=400)


@login_required
@refusals_as_403
@require_POST
def outcome_remove(request, pk):
    outcome = get_object_or_404(Outcome.objects.select_related("order"), pk=pk)
    services.remove_outcome(actor=request.user, outcome=outcome)
    messages.success(request, _("The outcome was removed."))
    return redirect("feedback:order", pk=outcome.order_id)


@login_required
def outcome_list(request):
    """The outcomes of the orders a unit ran (or all, for the operator) and the person's own."""
    page = Paginator(selectors.outcomes_seen_by(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "feedback/outcomes.html", {"page": page})


def instrument_reviews(request, pk):
    """The reviews of one instrument: the whole page, or, asked by htmx from the catalogue's
    instrument page, just the block."""
    instrument = selectors.instrument_for_reviews(request.user, pk)
    page = Paginator(selectors.instrument_reviews(instrument), 10).get_page(request.GET.get("page"))
    context = {"instrument": instrument, "summary": selectors.review_summary(instrument), "page": page}
    if request.headers.get("HX-Request"):
        return render(request, "feedback/_instrument_reviews.html", context)
    return render(request, "feedback/instrument_reviews.html", context)
