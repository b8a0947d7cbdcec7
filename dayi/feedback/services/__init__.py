"""Writes of reviews, complaints and outcomes: each checks who may do it, runs in one
transaction, audits and notifies."""

from .complaints import (
    answer_complaint,
    confirm_resolution,
    escalate_complaint,
    escalate_overdue,
    file_complaint,
    give_unit_statement,
    reopen_complaint,
    request_unit_statement,
)
from .outcomes import record_outcome, remove_outcome
from .reviews import submit_review

__all__ = [
    "answer_complaint",
    "confirm_resolution",
    "escalate_complaint",
    "escalate_overdue",
    "file_complaint",
    "give_unit_statement",
    "record_outcome",
    "remove_outcome",
    "reopen_complaint",
    "request_unit_statement",
    "submit_review",
]
