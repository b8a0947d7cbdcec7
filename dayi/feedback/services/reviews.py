from django.db import transaction
from django.utils.translation import gettext as _

from dayi.audit import services as audit
from dayi.booking import services as booking
from dayi.booking.models import Order
from dayi.core.errors import DomainError, PermissionDenied

from ..models import ASPECTS, Review

COMMENT_LIMIT = 2000


def submit_review(*, actor, order: Order, scores: dict, comment: str = "") -> Review:
    """The order's own user rates it once, after it is completed; the order becomes reviewed
    (booking tells the unit)."""
    if not actor.is_authenticated or order.user_id != actor.pk:
        raise PermissionDenied(_("You may only rate your own orders."))
    values = {}
    for name, label in ASPECTS:
        value = scores.get(name)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(_("Rate %(aspect)s from 1 to 5.") % {"aspect": label}, field=name)
        values[name] = value
    comment = comment.strip()
    if len(comment) > COMMENT_LIMIT:
        raise DomainError(_("Keep the comment under %(n)s characters.") % {"n": COMMENT_LIMIT}, field="comment")
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("instrument").get(pk=order.pk)
        if Review.objects.filter(order=order).exists():
            raise DomainError(_("This order has already been rated; an order is rated once."))
        if order.status not in booking.REVIEWABLE_STATES:
            raise DomainError(
                _("An order can be rated once it is completed; this one is %(status)s.")
                % {"status": order.get_status_display()}
            )
        review = Review.objects.create(order=order, author=actor, comment=comment, **values)
        audit.record(actor=actor, action="review.created", target=review, changes={**values, "order": order.pk})
        booking.mark_reviewed(actor=actor, order=order)
    return review
