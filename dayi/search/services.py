"""Writes to the synonym dictionary. Only the platform operator edits it; every change is
audited and seen by every web process at its next query (see synonyms.py)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.core.errors import DomainError, PermissionDenied

from .models import Synonym
from .normalize import compact

MAX_EXPANSIONS = 20


def _require_operator(actor):
    if not scope_of(actor).is_operator:
        raise PermissionDenied(_("Only the platform operator edits the synonym dictionary."))


def _clean(term: str, expansions: str) -> tuple[str, str]:
    term = (term or "").strip()
    if not compact(term):
        raise DomainError(
            _("Enter the word people type, with at least one letter, digit or Chinese character."), field="term"
        )
    lines = [e.strip() for e in (expansions or "").replace("|", "\n").splitlines() if e.strip()]
    lines = [e for e in dict.fromkeys(lines) if compact(e)]
    if not lines:
        raise DomainError(_("Enter at least one expansion: what the term stands for."), field="expansions")
    if len(lines) > MAX_EXPANSIONS:
        raise DomainError(_("At most 20 expansions per term."), field="expansions")
    return term, "\n".join(lines)


def save_synonym(*, actor, term: str, expansions: str, note: str = "", synonym: Synonym | None = None) -> Synonym:
    _require_operator(actor)
    term, expansions = _clean(term, expansions)
    before = {"term": synonym.term, "expansions": synonym.expansions} if synonym else {}
    record = synonym or Synonym()
    record.term, record.expansions, record.note = term, expansions, (note or "").strip()
    try:
        with transaction.atomic():
            record.save()
            audit.record(
                actor=actor,
                action="synonym.saved",
                target=record,
                changes=audit.changed_fields(before, {"term": term, "expansions": expansions}),
            )
    except IntegrityError as error:
        message = _("The term %(term)s is already in the dictionary.") % {"term": term}
        raise DomainError(message, field="term") from error
    return record


def delete_synonym(*, actor, synonym: Synonym) -> None:
    _require_operator(actor)
    with transaction.atomic():
        audit.record(actor=actor, action="synonym.deleted", target=synonym, changes={"term": [synonym.term, None]})
        synonym.delete()
