"""One import of a spreadsheet of instruments, and how far it has got."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        VALIDATING = "validating", _("checking the file")
        APPLYING = "applying", _("saving the instruments")
        DONE = "done", _("imported")
        REFUSED = "refused", _("refused")

    FINISHED = (Status.DONE, Status.REFUSED)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("imported by")
    )
    unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=pgettext_lazy("import job", "unit"),
        help_text=_("Rows with an empty unit cell belong to this unit."),
    )
    file = models.FileField(pgettext_lazy("import job", "file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=200)
    # Messages are written in the language of the person who uploaded the file.
    language = models.CharField(max_length=16, default=settings.LANGUAGE_CODE)
    status = models.CharField(
        pgettext_lazy("import job", "status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(pgettext_lazy("import job", "rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(pgettext_lazy("import job", "errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(pgettext_lazy("import job", "created"), default=0)
    updated_count = models.PositiveIntegerField(pgettext_lazy("import job", "updated"), default=0)
    unchanged_count = models.PositiveIntegerField(pgettext_lazy("import job", "unchanged"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return self.file_name

    @property
    def is_finished(self):
        return self.status in self.FINISHED
