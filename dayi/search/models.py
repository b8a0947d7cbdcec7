"""The search index (one normalized document per instrument, plus the vocabulary of its
tokens) and the synonym dictionary the platform operator edits."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """An instrument as search sees it: normalized, segmented tokens in three weighted fields.

    The token fields are the source of truth; `vector` (PostgreSQL) and the FTS5 table
    `search_fts` (SQLite) are built from them. Which records a person may see is decided
    at query time by the catalogue, never stored here.
    """

    instrument = models.OneToOneField(
        "catalog.Instrument", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    names = models.TextField(help_text="A: names, model, maker, acronyms, pinyin.")
    classes = models.TextField(help_text="B: class names and codes with their ancestors, category, themes, unit.")
    description = models.TextField(help_text="C: specifications, functions, services, outcomes.")
    is_open = models.BooleanField(default=False, help_text="Bookable machine time or sample testing.")
    usage_hours = models.DecimalField(max_digits=9, decimal_places=1, default=0)
    vector = SearchVectorField(null=True)
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
