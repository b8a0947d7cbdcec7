"""The search index (one normalized document per instrument, plus the vocabulary of its
tokens) and the synonym dictionary the platform operator edits."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """An instrument as search sees it: its tokens, and the few catalogue fields search filters,
    counts and sorts by.

    Narrow on purpose: matching, counting the facets and ordering read this table alone, never
    the wide catalogue table (at 100,000 instruments joining the catalogue for every match
    cost most of a search). The tokens live in `vector` (all three weighted fields),
    `name_vector` (names, models, makers and pinyin) and `classes_vector` (the class and its
    ancestors, the category) on PostgreSQL, and in the FTS5 table `search_fts` on SQLite.
    The copied fields follow the instrument through the signals in signals.py; who may see a
    record is still the catalogue's rule, applied to these copies by
    selectors.visible_documents.
    """

    instrument = models.OneToOneField(
        "catalog.Instrument", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    vector = SearchVectorField(null=True, help_text="A: names … B: classes, themes, unit; C: description.")
    name_vector = SearchVectorField(null=True, help_text="The A field alone: small, for suggestions and ranking.")
    classes_vector = SearchVectorField(null=True, help_text="The class names of the B field: small, for ranking.")
    is_public = models.BooleanField(default=False, help_text="Approved and not confidential.")
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    region_path = models.CharField(max_length=128, default="")
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    usage_status = models.CharField(max_length=16, default="")
    is_pilot_scale = models.BooleanField(default=False)
    offers_machine_time = models.BooleanField(default=False)
    offers_sample_testing = models.BooleanField(default=False)
    offers_joint_rd = models.BooleanField(default=False)
    offers_leasing = models.BooleanField(default=False)
    original_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    theme_key = models.TextField(
        default="",
        blank=True,
        help_text="The theme ids, ascending, joined by commas: counted on PostgreSQL without the theme link table.",
    )
    approved_at = models.DateTimeField(null=True)
    is_open = models.BooleanField(default=False, help_text="Bookable machine time or sample testing.")
    usage_hours = models.DecimalField(max_digits=9, decimal_places=1, default=0)
    sample_bucket = models.PositiveSmallIntegerField(
        default=0,
        db_index=True,
        help_text="0–255 by a hash of the id: which facet samples hold the document (see sampling.py).",
    )
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"search document {self.instrument_id}"


class SearchTerm(models.Model):
    """Every distinct token in the index. Lets a query drop words no record contains, complete
    a prefix and correct a misspelt Latin word before it reaches the full-text index."""

    term = models.CharField(max_length=64, unique=True)

    def __str__(self):
        return self.term


class Synonym(models.Model):
    """A word people type and what it stands for: 原吸 → 原子吸收光谱仪 | AAS."""

    term = models.CharField(_("term"), max_length=64, unique=True)
    expansions = models.TextField(
        _("expansions"), help_text=_("What the term stands for, one per line (names, English names, acronyms).")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self):
        return self.term

    def expansion_list(self) -> list[str]:
        return [line.strip() for line in self.expansions.replace("|", "\n").splitlines() if line.strip()]


class DictionaryVersion(models.Model):
    """One row: bumped on every dictionary change, so every web process sees the change at its
    next query without a restart (the cached dictionary is keyed by this number)."""

    version = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"dictionary version {self.version}"
