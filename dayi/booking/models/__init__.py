from .documents import OrderDocument
from .fees import FeeStandard, Preference
from .orders import ACTIVE_STATES, Notification, Order
from .rules import BookingRules, Closure, OpeningHours, Qualification
from .schedule import FeedToken, RecurringSeries, WaitingEntry

__all__ = [
    "ACTIVE_STATES",
    "BookingRules",
    "Closure",
    "FeeStandard",
    "FeedToken",
    "Notification",
    "OpeningHours",
    "Order",
    "OrderDocument",
    "Preference",
    "Qualification",
    "RecurringSeries",
    "WaitingEntry",
]
