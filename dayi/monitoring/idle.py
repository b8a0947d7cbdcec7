"""The idle rules of DOMAIN.md §6 [002 §四] and the offline-sensor notices.

An instrument in the network whose bound sensor has reported no "on" for `remind_after_days`
gets an IdleCase: the unit is reminded and must explain. Without an accepted explanation the
case becomes an internal transfer candidate, then a departmental one listed for the authority.
The idle clock starts at the last "on", at the first binding of a sensor, or at the last
accepted explanation, whichever is latest, so an accepted explanation is not re-reminded the
next day. Every function takes the day or moment it runs for, so tests walk a calendar."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Min, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dayi.accounts.models import Role
from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.booking.notifications import notify, unit_staff
from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError, PermissionDenied

from .models import IdleCase, IdleRuleSettings, OfflineNotice, SensorBinding, UsageSession
from .selectors import offline_bindings

STEPS = (IdleCase.Step.REMINDED, IdleCase.Step.INTERNAL, IdleCase.Step.DEPARTMENTAL)


@dataclass(frozen=True)
class Thresholds:
    remind_after_days: int = 30
    internal_after_days: int = 90
    departmental_after_days: int = 180

    def step_for(self, idle_days: int):
        if idle_days >= self.departmental_after_days:
            return IdleCase.Step.DEPARTMENTAL
        if idle_days >= self.internal_after_days:
            return IdleCase.Step.INTERNAL
        if idle_days >= self.remind_after_days:
            return IdleCase.Step.REMINDED
        return None


def region_prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def thresholds_for(region) -> Thresholds:
    """The region's own settings, else its nearest ancestor's, else the defaults."""
    rows = IdleRuleSettings.objects.filter(region__path__in=region_prefixes(region.path)).select_related("region")
    nearest = max(rows, key=lambda row: len(row.region.path), default=None)
    if nearest is None:
        return Thresholds()
    return Thresholds(nearest.remind_after_days, nearest.internal_after_days, nearest.departmental_after_days)


def _watched_instruments():
    """Instruments in the network with a sensor bound now, annotated with the moments the idle clock uses."""
    running = UsageSession.objects.filter(instrument=OuterRef("pk"), kind=UsageSession.Kind.RUNNING)
    return (
        Instrument.objects.filter(
            entry_status=Instrument.EntryStatus.APPROVED,
            pk__in=SensorBinding.objects.filter(bound_to__isnull=True).values("instrument_id"),
        )
        .select_related("region", "owner")
        .annotate(
            last_on=Subquery(running.order_by().values("instrument").annotate(m=Max("ended_at")).values("m")),
            running_now=Subquery(running.filter(is_open=True).values("pk")[:1]),
            first_bound=Subquery(
                SensorBinding.objects.filter(instrument=OuterRef("pk"))
                .order_by()
                .values("instrument")
                .annotate(m=Min("bound_from"))
                .values("m")
            ),
            last_accepted=Subquery(
                IdleCase.objects.filter(instrument=OuterRef("pk"), closure=IdleCase.Closure.ACCEPTED)
                .order_by()
                .values("instrument")
                .annotate(m=Max("closed_at"))
                .values("m")
            ),
        )
    )


def authorities_over(region):
    return (
        get_user_model()
        .objects.filter(
            is_active=True, role_grants__role=Role.AUTHORITY, role_grants__region__path__in=region_prefixes(region.path)
        )
        .distinct()
    )


def _step_message(step, instrument, days: int) -> str:
    values = {"name": instrument.name, "days": days}
    if step == IdleCase.Step.REMINDED:
        return _("%(name)s has not been powered on for %(days)s days: please explain why.") % values
    if step == IdleCase.Step.INTERNAL:
        return (
            _("%(name)s, idle for %(days)s days without an accepted reason, is now an internal transfer candidate.")
            % values
        )
    return _("%(name)s, idle for %(days)s days, is now listed as a departmental transfer candidate.") % values


def _announce(case, step, days: int) -> None:
    instrument = case.instrument
    audit.record(
        actor=None, action=f"idle.{step}", target=instrument, changes={"idle_case": case.pk, "idle_days": days}
    )
    recipients = list(unit_staff(instrument))
    if step == IdleCase.Step.DEPARTMENTAL:
        recipients += [person for person in authorities_over(instrument.region) if person not in recipients]
    notify(recipients, _step_message(step, instrument, days))


@transaction.atomic
def _apply_to(instrument, case, today: date, thresholds: Thresholds) -> list[str]:
    """The steps this instrument's case moved to today ("closed" when it was powered on again)."""
    if instrument.running_now:
        idle_since = None
    else:
        moments = [m for m in (instrument.last_on, instrument.first_bound, instrument.last_accepted) if m]
        idle_since = max(moments) if moments else None
    if idle_since is None or (case and instrument.last_on and instrument.last_on > case.idle_since):
        if case is None:
            return []
        case.closed_at, case.closure = timezone.now(), IdleCase.Closure.POWERED_ON
        case.save(update_fields=["closed_at", "closure"])
        audit.record(actor=None, action="idle.closed", target=instrument, changes={"idle_case": case.pk})
        return ["closed"]
    days = (today - timezone.localdate(idle_since)).days
    target = thresholds.step_for(days)
    if target is None:
        return []
    moved = []
    if case is None:
        case = IdleCase.objects.create(instrument=instrument, idle_since=idle_since, opened_on=today)
        _announce(case, IdleCase.Step.REMINDED, days)
        moved.append(IdleCase.Step.REMINDED)
    case.instrument = instrument
    escalations = STEPS[STEPS.index(case.step) + 1 : STEPS.index(target) + 1]
    for step in escalations:
        case.step = step
        setattr(case, f"{step}_on", today)
        _announce(case, step, days)
        moved.append(step)
    if escalations:
        case.save(update_fields=["step", "internal_on", "departmental_on"])
    return moved


def apply_idle_rules(*, today: date | None = None) -> dict:
    """Open, escalate or close the idle cases for `today`; a second run on the same day changes
    nothing. Returns how many cases moved to each step."""
    today = today or timezone.localdate()
    counts = {"reminded": 0, "internal": 0, "departmental": 0, "closed": 0}
    open_cases = {c.instrument_id: c for c in IdleCase.objects.filter(closed_at__isnull=True)}
    by_region = {}
    with translation.override(settings.LANGUAGE_CODE):
        for instrument in _watched_instruments().iterator(chunk_size=500):
            case = open_cases.get(instrument.pk)
            if case is not None and case.opened_on > today:
                continue
            if instrument.region_id not in by_region:
                by_region[instrument.region_id] = thresholds_for(instrument.region)
            for outcome in _apply_to(instrument, case, today, by_region[instrument.region_id]):
                counts[outcome] += 1
    return counts


def _open_case_for(actor, case_id, *, operator: bool):
    case = IdleCase.objects.select_for_update().select_related("instrument").filter(pk=case_id).first()
    scope = scope_of(actor)
    allowed = scope.is_operator if operator else case is not None and case.instrument.owner_id in scope.managed_unit_ids
    if case is None or not allowed:
        raise PermissionDenied(_("You may not act on this idle case."))
    if not case.is_open:
        raise DomainError(_("This idle case is already closed."))
    return case


@transaction.atomic
def submit_explanation(*, actor, case_id: int, text: str) -> IdleCase:
    """The unit says why its instrument stands idle; the operator then accepts or rejects it."""
    case = _open_case_for(actor, case_id, operator=False)
    text = text.strip()
    if len(text) < 10:
        raise DomainError(_("Please explain in at least 10 characters."), field="explanation")
    case.explanation, case.explanation_status = text, IdleCase.Explanation.SUBMITTED
    case.explained_by, case.explained_at = actor, timezone.now()
    case.save(update_fields=["explanation", "explanation_status", "explained_by", "explained_at"])
    audit.record(
        actor=actor, action="idle.explained", target=case.instrument, changes={"idle_case": case.pk}, reason=text
    )
    return case


@transaction.atomic
def decide_explanation(*, actor, case_id: int, accept: bool, note: str = "") -> IdleCase:
    """Accepting stops the escalation and closes the case; rejecting lets the escalation go on."""
    case = _open_case_for(actor, case_id, operator=True)
    if case.explanation_status != IdleCase.Explanation.SUBMITTED:
        raise DomainError(_("There is no explanation waiting for a decision."))
    note = note.strip()
    if not accept and not note:
        raise DomainError(_("Say why the explanation is rejected."), field="note")
    now = timezone.now()
    case.explanation_status = IdleCase.Explanation.ACCEPTED if accept else IdleCase.Explanation.REJECTED
    case.decision_note, case.decided_by, case.decided_at = note[:300], actor, now
    if accept:
        case.closed_at, case.closure = now, IdleCase.Closure.ACCEPTED
    case.save()
    action = "idle.accepted" if accept else "idle.rejected"
    audit.record(actor=actor, action=action, target=case.instrument, changes={"idle_case": case.pk}, reason=note)
    message = (
        _("The explanation for %(name)s was accepted; the idle case is closed.")
        if accept
        else _("The explanation for %(name)s was rejected: %(note)s")
    ) % {"name": case.instrument.name, "note": note}
    notify(unit_staff(case.instrument), message)
    return case


@transaction.atomic
def notify_offline_sensors(*, now: datetime | None = None) -> int:
    """Tell each unit once per silence about its sensors silent longer than the set time."""
    now = now or timezone.now()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for binding in offline_bindings(now=now).select_related("sensor", "instrument__owner"):
            _notice, created = OfflineNotice.objects.get_or_create(
                sensor=binding.sensor, silent_since=binding.silent_since, defaults={"notified_at": now}
            )
            if not created:
                continue
            audit.record(
                actor=None,
                action="sensor.offline",
                target=binding.sensor,
                changes={"silent_since": binding.silent_since.isoformat(), "instrument": binding.instrument_id},
            )
            when = timezone.localtime(binding.silent_since).strftime("%Y-%m-%d %H:%M")
            notify(
                unit_staff(binding.instrument),
                _("Sensor %(code)s on %(name)s has sent nothing since %(when)s.")
                % {"code": binding.sensor.code, "name": binding.instrument.name, "when": when},
            )
            sent += 1
    return sent
