"""Feedback pages: an order's review and outcomes and an instrument's reviews (orders.py);
complaints for the complainant, the unit, the operator and the authority (complaints.py)."""
