"""Facet counts of broad queries from a fixed sample of the catalogue (sampling.py)."""

from collections import Counter
from importlib import import_module

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from dayi.search import backends, sampling
from dayi.search.facets import Filters
from dayi.search.models import SearchDocument
from dayi.search.query import parse
from dayi.search.selectors import search, visible_documents

from .catalogue import INSTRUMENTS

sample_indexes = import_module("dayi.search.migrations.0010_sample_indexes")


def test_buckets_spread_consecutive_ids_evenly():
    counts = Counter(sampling.bucket(pk) for pk in range(1, 25601))
    assert len(counts) == sampling.BUCKETS
    assert max(counts.values()) - min(counts.values()) <= 4
    # One unit's import after another: any run of ids is spread too.
    assert len({sampling.bucket(pk) for pk in range(70001, 70257)}) > 200


def test_samples_nest():
    bounds = [sampling.below(level) for level in sampling.LEVELS]
    assert bounds == [64, 16, 4, 1]
    # Migration 0010 indexes each sample by the same bounds.
    assert sample_indexes.BOUNDS == dict(zip(sampling.LEVELS, bounds, strict=True))


@pytest.mark.parametrize(
    ("probed", "level"),
    [(0, 1), (50, 1), (51, 4), (125, 4), (126, 16), (500, 16), (501, 64), (2000, 64), (2001, 256), (5001, 256)],
)
def test_the_probe_chooses_the_largest_sample_that_stays_small(probed, level):
    assert sampling.level_for(probed, 5000) == level


def test_estimates_keep_two_significant_figures():
    assert [sampling.estimate(n, level) for n, level in [(852, 4), (17, 64), (1076, 64), (3, 1), (0, 64)]] == [
        3400,
        1100,
        69000,
        3,
        0,
    ]


@pytest.mark.django_db
def test_the_migration_computes_the_same_bucket(publish):
    ids = [1, 2, 255, 70001, 99999, 2**31 - 1]
    with connection.cursor() as cursor:
        for pk in ids:
            cursor.execute("SELECT ((%s * 2654435761) %% 4294967296) / 16777216", [pk])
            assert cursor.fetchone()[0] == sampling.bucket(pk)
    instrument = publish(INSTRUMENTS[:1])[0]
    assert SearchDocument.objects.get(pk=instrument.pk).sample_bucket == sampling.bucket(instrument.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("level", sampling.LEVELS)
def test_a_sampled_match_is_the_match_within_the_bucket_range(publish, level):
    """A sample is the matches whose bucket is below its bound, whichever index reads them."""
    publish(INSTRUMENTS)
    visible = visible_documents(AnonymousUser())
    for query in ("分析", "光谱仪", "SEM"):
        parsed = parse(query)
        with backends.through_the_index():
            every = set(backends.match(visible, parsed, ranked=False).values_list("pk", flat=True))
            sampled = set(backends.match(visible, parsed, ranked=False, sample=level).values_list("pk", flat=True))
        assert sampled == {pk for pk in every if sampling.bucket(pk) < sampling.below(level)}


@pytest.fixture
def spread(publish):
    """40 instruments, one in four of them in every sample and the rest in none."""
    instruments = publish(INSTRUMENTS[:40])
    for number, instrument in enumerate(instruments):
        SearchDocument.objects.filter(pk=instrument.pk).update(sample_bucket=0 if number % 4 == 0 else 200)
    return instruments


@pytest.mark.django_db
def test_a_broad_query_is_counted_in_a_sample_and_shown_as_an_estimate(client, spread, monkeypatch):
    monkeypatch.setattr("dayi.search.selectors.COUNT_LIMIT", 10)
    # The probe finds 10 (an estimate of 640 for a limit of 10): counted in the 1/256 sample.
    in_sample = [i for number, i in enumerate(spread) if number % 4 == 0]
    data = client.get(reverse("search-api")).json()
    assert (data["count"], data["count_is_estimate"], data["count_is_lower_bound"]) == (2600, True, False)
    assert {"category", "region", "unit", "mode", "value", "status", "theme", "pilot"} <= set(
        data["facets"]["estimated"]
    )
    by_category = Counter(i.category_id for i in in_sample)
    assert {int(f["value"]): f["count"] for f in data["facets"]["category"]} == {
        pk: sampling.estimate(n, 256) for pk, n in by_category.items()
    }
    assert data["pages"] == 1
    page = client.get(reverse("search:search")).content.decode()
    assert "约 2600 台仪器" in page
    assert "(≈" in page


@pytest.mark.django_db
def test_a_chosen_facet_keeps_the_estimate_of_the_broad_count_it_is_counted_without(spread, monkeypatch):
    # 640 estimated by the probe: more than 0.64 × 500, so the whole catalogue is sampled; one
    # class holds at most a few of the sampled instruments, and is counted exactly.
    monkeypatch.setattr("dayi.search.selectors.COUNT_LIMIT", 500)
    category = spread[0].category_id
    result = search("", AnonymousUser(), Filters(category=category))
    assert not result.total_is_estimate
    assert result.total == sum(1 for i in spread if i.category_id == category)
    assert result.facets["estimated"] == ["category"]


@pytest.mark.django_db
def test_a_small_query_is_counted_exactly(spread):
    result = search("", AnonymousUser())
    assert (result.total, result.total_is_estimate, result.facets["estimated"]) == (40, False, [])


@pytest.mark.django_db
def test_a_sampled_match_reads_the_index_of_its_sample(publish):
    if connection.vendor != "postgresql":
        pytest.skip("the samples' own indexes are PostgreSQL's (migration 0010)")
    publish(INSTRUMENTS)
    # Over a few hundred documents the planner may rather read the bucket column's own btree
    # (at 100,000 it never did): without it (dropped until the test's rollback), what is left
    # to read the sample with is a sample's GIN index, which needs its predicate proved.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchdocument' "
            "AND indexdef LIKE '%btree (sample_bucket)%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
    queryset = backends.match(visible_documents(AnonymousUser()), parse("光谱仪"), ranked=False, sample=64)
    with backends.through_the_index():
        plan = queryset.explain()
    assert "search_document_vector_s" in plan, plan
