"""Keeps the index in step with the catalogue, which knows nothing of search: every save,
delete, theme change or usage figure reindexes the instrument once the transaction commits
(a rolled-back change never reaches the index)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from dayi.accounts.models import Organisation
from dayi.catalog.models import Instrument, Theme, YearlyUsage

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


def theme_saved(sender, instance, created, raw=False, **kwargs):
    directory.forget()
    if not created and not raw:
        _reindex_later(instance.instruments.values_list("pk", flat=True))


def theme_deleting(sender, instance, **kwargs):
    directory.forget()
    _reindex_later(instance.instruments.values_list("pk", flat=True))


def unit_saved(sender, instance, created, raw=False, **kwargs):
    directory.forget()
    if not created and not raw:
        _reindex_later(instance.instruments.values_list("pk", flat=True))


def unit_deleted(sender, **kwargs):
    directory.forget()


def dictionary_changed(sender, **kwargs):
    bump_version()


def connect():
    post_save.connect(instrument_saved, sender=Instrument, dispatch_uid="search.instrument_saved")
    post_delete.connect(instrument_deleted, sender=Instrument, dispatch_uid="search.instrument_deleted")
    m2m_changed.connect(themes_changed, sender=Instrument.themes.through, dispatch_uid="search.themes")
    post_save.connect(usage_changed, sender=YearlyUsage, dispatch_uid="search.usage_saved")
    post_delete.connect(usage_changed, sender=YearlyUsage, dispatch_uid="search.usage_deleted")
    post_save.connect(theme_saved, sender=Theme, dispatch_uid="search.theme_saved")
    pre_delete.connect(theme_deleting, sender=Theme, dispatch_uid="search.theme_deleting")
    post_save.connect(unit_saved, sender=Organisation, dispatch_uid="search.unit_saved")
    post_delete.connect(unit_deleted, sender=Organisation, dispatch_uid="search.unit_deleted")
    post_save.connect(dictionary_changed, sender=Synonym, dispatch_uid="search.synonym_saved")
    post_delete.connect(dictionary_changed, sender=Synonym, dispatch_uid="search.synonym_deleted")
