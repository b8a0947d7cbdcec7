"""What counts for a year: the orders done and paid in it, and the one rule of a rule set that
pays a given payout. Shared by the subsidies and the rewards."""

from datetime import date, datetime, time

from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.booking.models import Order
from dayi.core.errors import DomainError

from .models import RuleSet

# Orders whose service is done and paid: they count for subsidies and rewards.
DONE = (Order.Status.SETTLED, Order.Status.REVIEWED)


def year_bounds(year: int):
    tz = timezone.get_current_timezone()
    return datetime.combine(date(year, 1, 1), time(), tz), datetime.combine(date(year + 1, 1, 1), time(), tz)


def orders_of_year(year: int):
    start, end = year_bounds(year)
    return Order.objects.annotate(day=Coalesce("ends_at", "created_at")).filter(day__gte=start, day__lt=end)


def one_rule(rule_set: RuleSet, pays: str):
    rule = rule_set.rules.filter(pays=pays).select_related("rule_set__region").prefetch_related("bands").first()
    if rule is None:
        raise DomainError(_("The rule set “%(set)s” has no rule for this payout.") % {"set": rule_set})
    return rule
