from .complaints import Complaint, ComplaintEntry
from .outcomes import Outcome
from .reviews import ASPECTS, Review

__all__ = ["ASPECTS", "Complaint", "ComplaintEntry", "Outcome", "Review"]
