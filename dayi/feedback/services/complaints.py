"""The complaint loop. The operator owes a first answer within ANSWER_WORKING_DAYS working days
of filing (or of reopening); an overdue complaint is escalated to the authority of the unit's
region."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.models import Organisation, Role
from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.booking.models import Order
from dayi.booking.notifications import notify, unit_staff
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.workdays import add_working_days

from ..models import Complaint, ComplaintEntry

ANSWER_WORKING_DAYS = 3
SUBJECT_LIMIT = 200
TEXT_LIMIT = 4000
Status = Complaint.Status
Kind = ComplaintEntry.Kind


def _text(text: str, *, field: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(missing, field=field)
    if len(text) > TEXT_LIMIT:
        raise DomainError(_("Keep it under %(n)s characters.") % {"n": TEXT_LIMIT}, field=field)
    return text


def operators():
    return get_user_model().objects.filter(is_active=True, role_grants__role=Role.OPERATOR).distinct()


def unit_people(unit_id: int):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_grants__role__in=[Role.UNIT_ADMIN, Role.INSTRUMENT_MANAGER],
            role_grants__organisation_id=unit_id,
        )
        .distinct()
    )


def answer_due(filed_at) -> date:
    return add_working_days(timezone.localdate(filed_at), ANSWER_WORKING_DAYS)


def _add(complaint, kind, actor, text, now):
    return ComplaintEntry.objects.create(complaint=complaint, kind=kind, author=actor, text=text, created_at=now)


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("unit__region", "complainant").get(pk=complaint.pk)


def _about(complaint: Complaint) -> str:
    return _("Complaint %(number)s (%(subject)s)") % {"number": complaint.pk, "subject": complaint.subject}


def _audit(actor, action, complaint, changes=None, reason=""):
    audit.record(actor=actor, action=f"complaint.{action}", target=complaint, changes=changes or {}, reason=reason)


def file_complaint(
    *, actor, subject: str, text: str, order: Order | None = None, unit: Organisation | None = None, now=None
) -> Complaint:
    """Against one of the person's own orders, or against a management unit."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to file a complaint."))
    now = now or timezone.now()
    if order is not None:
        if order.user_id != actor.pk:
            raise PermissionDenied(_("You may only complain about your own orders."))
        unit = order.instrument.owner
    elif unit is None or not unit.is_management_unit:
        raise DomainError(_("Choose the order or the unit the complaint is about."), field="unit")
    subject = (subject or "").strip()
    if not subject:
        raise DomainError(_("Give the complaint a subject."), field="subject")
    if len(subject) > SUBJECT_LIMIT:
        raise DomainError(_("Keep the subject under %(n)s characters.") % {"n": SUBJECT_LIMIT}, field="subject")
    text = _text(text, field="text", missing=_("Say what happened."))
    with transaction.atomic():
        complaint = Complaint.objects.create(
            complainant=actor, order=order, unit=unit, subject=subject, filed_at=now, answer_due=answer_due(now)
        )
        _add(complaint, Kind.FILED, actor, text, now)
        _audit(
            actor,
            "filed",
            complaint,
            {"unit": unit.pk, "order": order.pk if order else None, "answer_due": str(complaint.answer_due)},
        )
        notify(
            operators(),
            _("%(complaint)s against %(unit)s was filed; answer by %(due)s.")
            % {"complaint": _about(complaint), "unit": unit.name, "due": f"{complaint.answer_due:%Y-%m-%d}"},
            order=order,
        )
        notify(
            [actor],
            _("%(complaint)s was received; the platform operator answers by %(due)s.")
            % {"complaint": _about(complaint), "due": f"{complaint.answer_due:%Y-%m-%d}"},
            order=order,
        )
    return complaint


def _require_operator(actor):
    if not scope_of(actor).is_operator:
        raise PermissionDenied(_("Only the platform operator handles complaints."))


def _require_not_closed(complaint):
    if complaint.status == Status.CLOSED:
        raise DomainError(_("This complaint is closed."))


def answer_complaint(*, actor, complaint: Complaint, text: str, now=None) -> Complaint:
    _require_operator(actor)
    now = now or timezone.now()
    text = _text(text, field="text", missing=_("Write the answer to the complainant."))
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.status != Status.OPEN:
            raise DomainError(
                _("Only a complaint waiting for an answer can be answered; this one is %(status)s.")
                % {"status": complaint.get_status_display()}
            )
        first = complaint.first_answered_at is None
        if first:
            complaint.first_answered_at = now
        complaint.status = Status.ANSWERED
        complaint.save(update_fields=["status", "first_answered_at"])
        _add(complaint, Kind.ANSWER, actor, text, now)
        _audit(
            actor,
            "answered",
            complaint,
            {
                "status": [Status.OPEN, Status.ANSWERED],
                "first": first,
                "late": timezone.localdate(now) > complaint.answer_due,
            },
        )
        notify(
            [complaint.complainant],
            _("%(complaint)s was answered; please confirm it is resolved or reopen it.")
            % {"complaint": _about(complaint)},
            order=complaint.order,
        )
        notify(unit_people(complaint.unit_id), _("%(complaint)s was answered.") % {"complaint": _about(complaint)})
    return complaint


def request_unit_statement(*, actor, complaint: Complaint, text: str, now=None) -> Complaint:
    _require_operator(actor)
    now = now or timezone.now()
    text = _text(text, field="text", missing=_("Say what the unit should explain."))
    with transaction.atomic():
        complaint = _locked(complaint)
        _require_not_closed(complaint)
        complaint.statement_requested_at = now
        complaint.save(update_fields=["statement_requested_at"])
        _add(complaint, Kind.STATEMENT_REQUESTED, actor, text, now)
        _audit(actor, "statement_requested", complaint, reason=text)
        recipients = set(unit_people(complaint.unit_id))
        if complaint.order is not None:
            recipients.update(unit_staff(complaint.order.instrument))
        notify(
            recipients,
            _("The platform operator asks your unit for a statement on %(complaint)s.")
            % {"complaint": _about(complaint)},
            order=complaint.order,
        )
    return complaint


def can_state_for_unit(user, complaint: Complaint) -> bool:
    return complaint.unit_id in scope_of(user).managed_unit_ids


def give_unit_statement(*, actor, complaint: Complaint, text: str, now=None) -> Complaint:
    if not can_state_for_unit(actor, complaint):
        raise PermissionDenied(_("Only the unit the complaint is about may give its statement."))
    now = now or timezone.now()
    text = _text(text, field="text", missing=_("Write the unit's statement."))
    with transaction.atomic():
        complaint = _locked(complaint)
        _require_not_closed(complaint)
        if complaint.statement_requested_at is None:
            raise DomainError(_("The platform operator has not asked your unit for a statement."))
        _add(complaint, Kind.STATEMENT, actor, text, now)
        _audit(actor, "statement", complaint)
        notify(
            operators(),
            _("%(unit)s gave its statement on %(complaint)s.")
            % {"unit": complaint.unit.name, "complaint": _about(complaint)},
            order=complaint.order,
        )
    return complaint


def _require_complainant(actor, complaint):
    if complaint.complainant_id != actor.pk:
        raise PermissionDenied(_("Only the person who filed the complaint may confirm or reopen it."))


def confirm_resolution(*, actor, complaint: Complaint, text: str = "", now=None) -> Complaint:
    _require_complainant(actor, complaint)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.status != Status.ANSWERED:
            raise DomainError(_("A complaint can be confirmed as resolved once it has been answered."))
        complaint.status = Status.CLOSED
        complaint.closed_at = now
        complaint.save(update_fields=["status", "closed_at"])
        _add(complaint, Kind.CONFIRMED, actor, (text or "").strip()[:TEXT_LIMIT], now)
        _audit(actor, "confirmed", complaint, {"status": [Status.ANSWERED, Status.CLOSED]})
        notify(
            operators(),
            _("%(complaint)s was confirmed as resolved by the complainant.") % {"complaint": _about(complaint)},
        )
    return complaint


def reopen_complaint(*, actor, complaint: Complaint, text: str, now=None) -> Complaint:
    """The answer did not resolve it: the operator owes a new answer, due again in 3 working days."""
    _require_complainant(actor, complaint)
    now = now or timezone.now()
    text = _text(text, field="text", missing=_("Say why the answer does not resolve the complaint."))
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.status != Status.ANSWERED:
            raise DomainError(_("Only an answered complaint can be reopened."))
        complaint.status = Status.OPEN
        complaint.answer_due = answer_due(now)
        complaint.save(update_fields=["status", "answer_due"])
        _add(complaint, Kind.REOPENED, actor, text, now)
        _audit(
            actor,
            "reopened",
            complaint,
            {"status": [Status.ANSWERED, Status.OPEN], "answer_due": str(complaint.answer_due)},
            reason=text,
        )
        notify(
            operators(),
            _("%(complaint)s was reopened; answer by %(due)s.")
            % {"complaint": _about(complaint), "due": f"{complaint.answer_due:%Y-%m-%d}"},
        )
    return complaint


def is_overdue(complaint: Complaint, today) -> bool:
    return complaint.status == Status.OPEN and complaint.answer_due < today


def authorities_over(region):
    """The authorities closest to the region: its own if it has any, else its parent's, up to
    the province."""
    User = get_user_model()
    grants = User.objects.filter(is_active=True, role_grants__role=Role.AUTHORITY)
    node = region
    while node is not None:
        people = list(grants.filter(role_grants__region=node).distinct())
        if people:
            return node, people
        node = node.parent
    return None, []


def escalate_complaint(*, actor, complaint: Complaint, now=None) -> Complaint:
    """Hand an overdue complaint to the authority of the unit's region. `actor` None is the
    daily job; the operator may also do it by hand."""
    if actor is not None:
        _require_operator(actor)
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint)
        if not is_overdue(complaint, timezone.localdate(now)):
            raise DomainError(_("Only a complaint whose answer is overdue is escalated."))
        if complaint.escalated_at is not None:
            raise DomainError(_("This complaint was already escalated."))
        region, people = authorities_over(complaint.unit.region)
        complaint.escalated_at = now
        complaint.escalated_to = region
        complaint.save(update_fields=["escalated_at", "escalated_to"])
        where = region.full_name if region else _("no authority is registered for the unit's region")
        _add(complaint, Kind.ESCALATED, actor, where, now)
        _audit(actor, "escalated", complaint, {"region": region.code if region else None})
        message = _("%(complaint)s against %(unit)s was not answered by %(due)s and is escalated.") % {
            "complaint": _about(complaint),
            "unit": complaint.unit.name,
            "due": f"{complaint.answer_due:%Y-%m-%d}",
        }
        notify(set(people) | set(operators()) | {complaint.complainant}, message, order=complaint.order)
    return complaint


def escalate_overdue(*, now=None) -> int:
    """The daily job: escalate every overdue complaint not escalated yet."""
    now = now or timezone.now()
    waiting = Complaint.objects.filter(
        status=Status.OPEN, answer_due__lt=timezone.localdate(now), escalated_at__isnull=True
    ).values_list("pk", flat=True)
    escalated = 0
    for pk in list(waiting):
        try:
            escalate_complaint(actor=None, complaint=Complaint(pk=pk), now=now)
        except DomainError:
            continue  # answered or escalated by someone else since the list was read
        escalated += 1
    return escalated
