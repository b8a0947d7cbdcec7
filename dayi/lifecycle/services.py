"""Network entry (入网): a unit submits a record, the platform operator approves or returns it.

Only approved, non-confidential records are public. Every transition is audited.
"""

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.catalog.models import Instrument, InstrumentPhoto
from dayi.core.errors import DomainError, PermissionDenied

Status = Instrument.EntryStatus


def _locked(instrument) -> Instrument:
    return Instrument.objects.select_for_update().get(pk=instrument.pk)


def submit_for_entry(*, actor, instrument: Instrument) -> Instrument:
    if not scope_of(actor).can_administer_unit(instrument.owner_id):
        audit.record(actor=actor, action="instrument.submit_refused", target=instrument)
        raise PermissionDenied(_("You may only submit the instruments of your own unit."))
    with transaction.atomic():
        record = _locked(instrument)
        if record.entry_status not in (Status.DRAFT, Status.RETURNED):
            raise DomainError(
                _("Only a draft or a returned record can be submitted; this one is %(status)s.")
                % {"status": record.get_entry_status_display()}
            )
        record.entry_status = Status.SUBMITTED
        record.submitted_at = timezone.now()
        record.save(update_fields=["entry_status", "submitted_at", "updated_at"])
        audit.record(actor=actor, action="instrument.submitted", target=record)
    return record


def _review(*, actor, instrument, to_status, reason=""):
    if not scope_of(actor).is_operator:
        raise PermissionDenied(_("Only the platform operator reviews network entry."))
    with transaction.atomic():
        record = _locked(instrument)
        if record.entry_status != Status.SUBMITTED:
            raise DomainError(
                _("Only a submitted record can be reviewed; this one is %(status)s.")
                % {"status": record.get_entry_status_display()}
            )
        record.entry_status = to_status
        record.entry_return_reason = reason
        fields = ["entry_status", "entry_return_reason", "updated_at"]
        if to_status == Status.APPROVED:
            record.approved_at = timezone.now()
            fields.append("approved_at")
        record.save(update_fields=fields)
        audit.record(actor=actor, action=f"instrument.{to_status}", target=record, reason=reason)
    return record


def approve_entry(*, actor, instrument: Instrument) -> Instrument:
    return _review(actor=actor, instrument=instrument, to_status=Status.APPROVED)


def return_entry(*, actor, instrument: Instrument, reason: str) -> Instrument:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the record is returned, so that the unit can fix it."), field="reason")
    return _review(actor=actor, instrument=instrument, to_status=Status.RETURNED, reason=reason)


def require_editor(*, actor, instrument: Instrument) -> None:
    """Refuse, and record the refusal, when the person may not manage the record's unit.

    Pages call it before they read a submitted form, so that a refused person sees neither
    the record nor their own input echoed back with it.
    """
    if not scope_of(actor).can_administer_unit(instrument.owner_id):
        audit.record(actor=actor, action="instrument.edit_refused", target=instrument)
        raise PermissionDenied(_("You may only manage the instruments of your own unit."))


# Formats every browser shows; anything else (TIFF, BMP, SVG with scripts) is refused.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def _check_image(upload) -> None:
    if upload.size > settings.DAYI_PHOTO_MAX_BYTES:
        raise DomainError(
            _("The photo is larger than %(limit)s.") % {"limit": filesizeformat(settings.DAYI_PHOTO_MAX_BYTES)},
            field="image",
        )
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise DomainError(_("The file is not an image that can be read."), field="image") from error
    finally:
        upload.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise DomainError(_("Upload a JPEG, PNG, WebP or GIF image."), field="image")


def add_photo(*, actor, instrument: Instrument, image, caption: str = "") -> InstrumentPhoto:
    """Attach a photo after checking it really is an image within the size limit."""
    require_editor(actor=actor, instrument=instrument)
    _check_image(image)
    with transaction.atomic():
        record = _locked(instrument)
        last = record.photos.order_by("-order").values_list("order", flat=True).first()
        photo = InstrumentPhoto.objects.create(
            instrument=record, image=image, caption=caption.strip(), order=(last or 0) + 1
        )
        audit.record(
            actor=actor, action="instrument.photo_added", target=record, changes={"photo": [None, photo.image.name]}
        )
    return photo


def remove_photo(*, actor, photo: InstrumentPhoto) -> None:
    instrument = photo.instrument
    require_editor(actor=actor, instrument=instrument)
    name = photo.image.name
    with transaction.atomic():
        record = _locked(instrument)
        photo.delete()
        audit.record(actor=actor, action="instrument.photo_removed", target=record, changes={"photo": [name, None]})
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: photo.image.storage.delete(name))
