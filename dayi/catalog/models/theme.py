from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """A curated collection of instruments for one industry (专题) [000 §一]."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    industry = models.CharField(_("industry"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("year launched"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name
