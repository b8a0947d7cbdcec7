from .orders import ACTIVE_STATES, Notification, Order
from .rules import BookingRules, Closure, OpeningHours, Qualification

__all__ = [
    "ACTIVE_STATES",
    "BookingRules",
    "Closure",
    "Notification",
    "OpeningHours",
    "Order",
    "Qualification",
]
