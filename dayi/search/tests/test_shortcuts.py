"""The shortcuts taken for speed give the same answers as the long way: remembered facet
counts (per visible scope, until the index changes), pages ranked on name matches first, and
broad queries' pages left unscored."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dayi.search import backends
from dayi.search.query import parse
from dayi.search.selectors import NAMES_THEN_OPEN_AND_USED, OPEN_AND_USED, RELEVANCE, search, visible_documents

from .catalogue import INSTRUMENTS


@pytest.mark.django_db
def test_remembered_counts_follow_the_scope_and_the_index(publish, unit_admin):
    publish(INSTRUMENTS[:10])
    visitor = AnonymousUser()
    assert search("", visitor).total == 10
    publish(INSTRUMENTS[10:12], is_confidential=True)
    # The unit's admin sees its confidential records, counted for the admin's scope alone.
    assert search("", unit_admin).total == 12
    assert sum(f["count"] for f in search("", unit_admin).facets["category"]) == 12
    assert search("", visitor).total == 10
    assert sum(f["count"] for f in search("", visitor).facets["category"]) == 10
    publish(INSTRUMENTS[12:13])
    assert search("", visitor).total == 11
    assert search("", unit_admin).total == 13


def _every_page(query, count) -> list[int]:
    """The ids a visitor is shown, page after page of PAGE_SIZE 3."""
    found = []
    for page in range(1, -(-count // 3) + 1):
        found += [i.pk for i in search(query, AnonymousUser(), page=page).page.object_list]
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["电镜", "光谱", "色谱", "仪器", "分析", "质谱", "yzxs"])
def test_pages_ranked_on_name_matches_first_are_the_full_ranking(publish, monkeypatch, query):
    publish(INSTRUMENTS)
    monkeypatch.setattr("dayi.search.selectors.PAGE_SIZE", 3)
    parsed = parse(query)
    full = backends.match(visible_documents(AnonymousUser()), parsed)
    expected = list(full.order_by(*RELEVANCE, *OPEN_AND_USED).values_list("pk", flat=True))
    found = _every_page(query, len(expected))
    assert found == expected


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["电镜", "光谱", "分析", "显微镜", "光谱仪", "色谱仪"])
def test_broad_queries_list_name_matches_first_then_open_and_used(publish, monkeypatch, query):
    publish(INSTRUMENTS)
    monkeypatch.setattr("dayi.search.selectors.PAGE_SIZE", 3)
    monkeypatch.setattr("dayi.search.selectors.SCORE_LIMIT", 1)
    parsed = parse(query)
    visible = visible_documents(AnonymousUser())
    expected = list(backends.match(visible, parsed).order_by(*NAMES_THEN_OPEN_AND_USED).values_list("pk", flat=True))
    named = set(backends.match(visible, parsed, names_only=True).values_list("pk", flat=True))
    assert 1 < len(named) < len(expected)
    found = _every_page(query, len(expected))
    assert found == expected
    assert set(found[: len(named)]) == named
