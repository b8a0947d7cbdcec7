"""Test reports and invoices: files that only the ordering user, their organisation's admins and
the running unit may read, stored outside the public media folder and served by a view that
checks who asks."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from .orders import Order


class PrivateStorage(FileSystemStorage):
    """Files under settings.DAYI_PRIVATE_ROOT, with no URL at all: the download view reads them."""

    @property
    def base_location(self):
        return settings.DAYI_PRIVATE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage():
    """A callable, so that migrations name it instead of freezing a path."""
    return PrivateStorage()


def document_path(document, filename):
    return f"orders/{document.order_id}/{document.kind}-{document.token}.pdf"


class OrderDocument(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("test report")
        INVOICE = "invoice", _("invoice")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="documents", verbose_name=_("order"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=document_path, max_length=200)
    token = models.CharField(max_length=32, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        verbose_name = _("order document")
        verbose_name_plural = _("order documents")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name}"
