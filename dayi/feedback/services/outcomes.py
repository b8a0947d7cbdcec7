from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.audit import services as audit
from dayi.booking.models import Order
from dayi.core.errors import DomainError, PermissionDenied

from ..models import Outcome

# Outcomes are built on a service that took place.
SERVED_STATES = (Order.Status.COMPLETED, Order.Status.REPORT_ISSUED, Order.Status.SETTLED, Order.Status.REVIEWED)


def record_outcome(
    *, actor, order: Order, kind: str, title: str, achieved_on, reference: str = "", acknowledges_platform=False
) -> Outcome:
    if not actor.is_authenticated or order.user_id != actor.pk:
        raise PermissionDenied(_("You may only record outcomes of your own orders."))
    if order.status not in SERVED_STATES:
        raise DomainError(
            _("Outcomes are recorded on completed orders; this one is %(status)s.")
            % {"status": order.get_status_display()}
        )
    if kind not in Outcome.Kind.values:
        raise DomainError(_("Choose paper, patent, standard or product."), field="kind")
    title = title.strip()
    if not title:
        raise DomainError(_("Give the outcome's title."), field="title")
    if achieved_on is None:
        raise DomainError(_("Give the outcome's date."), field="achieved_on")
    if order.starts_at and achieved_on < timezone.localdate(order.starts_at):
        raise DomainError(_("An outcome built on this order cannot date from before it."), field="achieved_on")
    with transaction.atomic():
        outcome = Outcome.objects.create(
            order=order,
            recorded_by=actor,
            kind=kind,
            title=title,
            reference=reference.strip(),
            achieved_on=achieved_on,
            acknowledges_platform=bool(acknowledges_platform),
        )
        audit.record(
            actor=actor,
            action="outcome.recorded",
            target=outcome,
            changes={"order": order.pk, "kind": kind, "title": title, "achieved_on": str(achieved_on)},
        )
    return outcome


def remove_outcome(*, actor, outcome: Outcome) -> None:
    if not actor.is_authenticated or outcome.recorded_by_id != actor.pk:
        raise PermissionDenied(_("You may only remove outcomes you recorded."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="outcome.removed",
            target=outcome,
            changes={"order": outcome.order_id, "kind": outcome.kind, "title": outcome.title},
        )
        outcome.delete()
