"""Test reports and invoices: uploaded by the running unit as real PDFs within the size limit,
read only by the ordering user, an admin of the user's organisation and the running unit."""

import secrets

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.core.errors import DomainError

from .models import Order, OrderDocument
from .permissions import require_staff, runs_instrument
from .services import announce, lock_order, transition

Status = Order.Status
DOCUMENT_STATES = (Status.COMPLETED, Status.REPORT_ISSUED, Status.SETTLED, Status.REVIEWED)


def check_pdf(uploaded) -> None:
    """By content, not by name: the file must open as a PDF with at least one page."""
    limit = settings.DAYI_DOCUMENT_MAX_BYTES
    if uploaded.size > limit:
        raise DomainError(
            _("The file is %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            field="file",
        )
    uploaded.seek(0)
    if uploaded.read(5) != b"%PDF-":
        raise DomainError(_("The file is not a PDF."), field="file")
    uploaded.seek(0)
    try:
        pages = len(PdfReader(uploaded).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise DomainError(_("The file is damaged and cannot be opened as a PDF."), field="file") from error
    if pages < 1:
        raise DomainError(_("The PDF has no pages."), field="file")
    uploaded.seek(0)


def upload_document(*, actor, order: Order, kind: str, uploaded) -> OrderDocument:
    require_staff(actor, order.instrument)
    if kind not in OrderDocument.Kind.values:
        raise DomainError(_("Choose a test report or an invoice."), field="kind")
    check_pdf(uploaded)
    with transaction.atomic():
        order = lock_order(order)
        if order.status not in DOCUMENT_STATES:
            raise DomainError(
                _("Reports and invoices are uploaded once the order is completed; this one is %(current)s.")
                % {"current": order.get_status_display()},
                field="file",
            )
        document = OrderDocument(
            order=order,
            kind=kind,
            token=secrets.token_hex(16),
            original_name=uploaded.name[-200:],
            size=uploaded.size,
            uploaded_by=actor,
        )
        document.file.save(document_name(kind), uploaded, save=False)
        try:
            _record(actor, order, document)
        except BaseException:
            document.file.delete(save=False)
            raise
    return document


def _record(actor, order: Order, document: OrderDocument) -> None:
    """The rows of an upload; the caller removes the stored file if they fail."""
    document.save()
    audit.record(
        actor=actor,
        action=f"order.{document.kind}_uploaded",
        target=order,
        changes={"file": document.original_name, "size": document.size},
    )
    if document.kind == OrderDocument.Kind.REPORT and order.status == Status.COMPLETED:
        transition(order, Status.REPORT_ISSUED, actor=actor)
    announce(order, _("has a new %(kind)s to download") % {"kind": document.get_kind_display()})


def document_name(kind: str) -> str:
    return f"{kind}.pdf"


def can_read(user, order: Order) -> bool:
    if not user.is_authenticated:
        return False
    if order.user_id == user.pk or runs_instrument(user, order.instrument):
        return True
    return order.organisation_id is not None and order.organisation_id in scope_of(user).administered_unit_ids
