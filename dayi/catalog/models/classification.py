"""Classifications: the national 6-digit class table, the city's major categories, disciplines."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentClass(models.Model):
    """A node of the national three-level table (大类 xx0000, 中类 xxxx00, 小类 xxxxxx).

    Loaded whole from data/instrument_classes.tsv by a data migration; never typed in.
    """

    code = models.CharField(_("class code"), max_length=6, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    name = models.CharField(_("name"), max_length=64)
    is_assignable = models.BooleanField(
        _("assignable to an instrument"),
        default=False,
        help_text=_("A leaf of the table, or an 'other' (99) code."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument class")
        verbose_name_plural = _("instrument classes")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def prefix(self):
        """The code digits that every descendant shares: '01' for 010000, '0104' for 010400."""
        return self.code[: 2 * self.level]


class Category(models.Model):
    """One of the city's major classes (光谱, 色谱, 电镜 …), as the public catalogue groups them.

    Which national class codes fall into a category is data (`class_prefixes`), so an
    instrument's category follows from its class code and nobody types it twice.
    """

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=32)
    name_en = models.CharField(_("English name"), max_length=64)
    class_prefixes = models.CharField(
        _("class code prefixes"),
        max_length=200,
        help_text=_("Comma-separated code prefixes, the longest match wins, e.g. 0104,0105."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def prefixes(self):
        return [p.strip() for p in self.class_prefixes.split(",") if p.strip()]


class Discipline(models.Model):
    """A first-level discipline of GB/T 13745 (学科分类与代码)."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        ordering = ["code"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self):
        return f"{self.code} {self.name}"
