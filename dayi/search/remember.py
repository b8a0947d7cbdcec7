"""Facet counts remembered until the index changes. A broad query counts the facets of 5,000
matches, the slowest part of its search, and people repeat the broad queries (the empty one
first of all): the same scope, query, filters and language get the same counts back.

Safe by construction: the key holds the visible scope (selectors.scope_key), so one person's
counts never reach someone who may see less, and the index version, which every write to the
index changes, so no count outlives the records it counted."""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

VERSION_KEY = "dayi:search:index-version"
SECONDS = 600


def _new_version() -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)


def index_changed() -> None:
    """At once and again after the commit, lest another process filled the cache from the
    index as it was before the commit."""
    _new_version()
    transaction.on_commit(_new_version)


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def remembered(parts: tuple, compute):
    """compute(), or what it gave for the same `parts` since the index last changed."""
    digest = hashlib.sha256(repr((parts, translation.get_language())).encode()).hexdigest()
    key = f"dayi:search:facets:{_version()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, SECONDS)
    return found
