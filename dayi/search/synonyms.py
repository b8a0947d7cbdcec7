"""The synonym dictionary as queries use it: cached per dictionary version, so an edit on one
web process is seen by every other at its next query, with no restart."""

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from .models import DictionaryVersion, Synonym
from .normalize import compact

CACHE_SECONDS = 24 * 3600


def current_version() -> int:
    return DictionaryVersion.objects.values_list("version", flat=True).first() or 0


def dictionary() -> dict[str, list[str]]:
    """{compacted term: [expansion, …]}; 'ICP-MS', 'icp ms' and 'icpms' are one key."""
    key = f"dayi:search:synonyms:{current_version()}"
    found = cache.get(key)
    if found is None:
        found = {}
        for synonym in Synonym.objects.all():
            found.setdefault(compact(synonym.term), []).extend(synonym.expansion_list())
        cache.set(key, found, CACHE_SECONDS)
    return found


def bump_version() -> None:
    with transaction.atomic():
        if not DictionaryVersion.objects.update(version=F("version") + 1):
            DictionaryVersion.objects.create(version=2)
