"""Booking pages: the instrument's calendar and booking form, a person's orders and inbox
(users.py), and the running unit's queue and settings (staff.py)."""
