"""Keeps the index in step with the catalogue, which knows nothing of search: every save,
delete, theme change or usage figure reindexes the instrument once the transaction commits
(a rolled-back change never reaches the index), and so does renaming what lends its names to
the documents (a theme, a unit, a category, a class)."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from dayi.accounts.models import Organisation, Region
from dayi.catalog.models import Category, Instrument, InstrumentClass, Theme, YearlyUsage

from . import directory, indexing
from .models import Synonym
from .synonyms import bump_version


class _Pending:
    """The instruments one transaction touched; indexed together, once, when it commits, so
    that an import of thousands of rows costs batches and not one index write per save."""

    def __init__(self):
        self.ids = set()
        self.flushed = False

    def flush(self):
        self.flushed = True
        ids = sorted(self.ids)
        for start in range(0, len(ids), indexing.BATCH):
            indexing.index_instruments(ids[start : start + indexing.BATCH])


def _reindex_later(ids):
    """Reindex (or drop from the index, if they are gone) these instruments after commit."""
    ids = set(ids)
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        indexing.index_instruments(ids)
        return
    pending = getattr(connection, "_dayi_search_pending", None)
    # A rolled-back transaction takes its callbacks with it: start a new batch then.
    if pending is None or pending.flushed or not any(entry[1] == pending.flush for entry in connection.run_on_commit):
        pending = _Pending()
        connection._dayi_search_pending = pending
        transaction.on_commit(pending.flush)
    pending.ids |= ids


def instrument_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex_later([instance.pk])


def instrument_deleted(sender, instance, **kwargs):
    _reindex_later([instance.pk])


def themes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            _reindex_later([instance.pk])
    elif action in ("post_add", "post_remove"):
        _reindex_later(pk_set or [])
    elif action == "pre_clear":
        # After the clear the theme no longer knows its instruments.
        _reindex_later(instance.instruments.values_list("pk", flat=True))


def usage_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex_later([instance.instrument_id])


# The names each kind of record lends to its instruments' documents: only a change of these
# reindexes them (saving a unit's new phone number used to reindex all its instruments).
INDEXED_NAMES = {
    Theme: ("name", "name_en"),
    Organisation: ("name", "short_name"),
    Category: ("name", "name_en"),
    InstrumentClass: ("name",),
}


def _instruments_of(instance):
    if isinstance(instance, Category):
        return Instrument.objects.filter(category=instance)
    if isinstance(instance, InstrumentClass):
        return Instrument.objects.filter(
            Q(instrument_class=instance)
            | Q(instrument_class__parent=instance)
            | Q(instrument_class__parent__parent=instance)
        )
    return instance.instruments.all()


def names_saving(sender, instance, raw=False, **kwargs):
    """Remember the indexed names as they were, to tell after the save whether they changed."""
    fields = INDEXED_NAMES[sender]
    before = sender.objects.filter(pk=instance.pk).values_list(*fields).first() if instance.pk else None
    instance._search_names_before = before


def names_saved(sender, instance, created, raw=False, **kwargs):
    directory.forget()
    before = getattr(instance, "_search_names_before", None)
    now = tuple(getattr(instance, name) for name in INDEXED_NAMES[sender])
    if not created and not raw and before is not None and tuple(before) != now:
        _reindex_later(_instruments_of(instance).values_list("pk", flat=True))


def theme_deleting(sender, instance, **kwargs):
    directory.forget()
    _reindex_later(instance.instruments.values_list("pk", flat=True))


def labels_changed(sender, **kwargs):
    """A region's or a unit's name labels facet counts only: the labels are read afresh."""
    directory.forget()


def dictionary_changed(sender, **kwargs):
    bump_version()


def connect():
    post_save.connect(instrument_saved, sender=Instrument, dispatch_uid="search.instrument_saved")
    post_delete.connect(instrument_deleted, sender=Instrument, dispatch_uid="search.instrument_deleted")
    m2m_changed.connect(themes_changed, sender=Instrument.themes.through, dispatch_uid="search.themes")
    post_save.connect(usage_changed, sender=YearlyUsage, dispatch_uid="search.usage_saved")
    post_delete.connect(usage_changed, sender=YearlyUsage, dispatch_uid="search.usage_deleted")
    for model in INDEXED_NAMES:
        pre_save.connect(names_saving, sender=model, dispatch_uid=f"search.names_saving.{model.__name__}")
        post_save.connect(names_saved, sender=model, dispatch_uid=f"search.names_saved.{model.__name__}")
    pre_delete.connect(theme_deleting, sender=Theme, dispatch_uid="search.theme_deleting")
    post_delete.connect(labels_changed, sender=Organisation, dispatch_uid="search.unit_deleted")
    post_delete.connect(labels_changed, sender=Category, dispatch_uid="search.category_deleted")
    post_save.connect(labels_changed, sender=Region, dispatch_uid="search.region_saved")
    post_delete.connect(labels_changed, sender=Region, dispatch_uid="search.region_deleted")
    post_save.connect(dictionary_changed, sender=Synonym, dispatch_uid="search.synonym_saved")
    post_delete.connect(dictionary_changed, sender=Synonym, dispatch_uid="search.synonym_deleted")
