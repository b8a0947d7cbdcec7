"""The index follows every kind of change, once the change commits."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, transaction

from dayi.catalog.models import Category, Theme, YearlyUsage
from dayi.catalog.services import update_instrument
from dayi.lifecycle.services import approve_entry, submit_for_entry
from dayi.search.indexing import rebuild
from dayi.search.models import SearchDocument
from dayi.search.selectors import search


def found(query, user=None):
    return [i.pk for i in search(query, user or AnonymousUser()).page.object_list]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs `change` as its own committed transaction would, inside the test's transaction:
    what fixtures did before is committed first, then the change and its callbacks."""

    def run(change, *args, **kwargs):
        connection = transaction.get_connection()
        earlier, connection.run_on_commit[:] = list(connection.run_on_commit), []
        for _savepoints, callback, _robust in earlier:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.mark.django_db
def test_create_approve_edit_hide_delete(committed, make_instrument, unit_admin, operator):
    instrument = committed(make_instrument, name="原子吸收光谱仪", model_number="PinAAcle 900T")
    assert SearchDocument.objects.filter(pk=instrument.pk).exists()
    assert found("原吸") == []  # a draft is not public
    assert found("原吸", unit_admin) == [instrument.pk]  # but its unit sees it

    committed(submit_for_entry, actor=unit_admin, instrument=instrument)
    committed(approve_entry, actor=operator, instrument=instrument)
    assert found("原吸") == [instrument.pk]

    committed(update_instrument, actor=unit_admin, instrument=instrument, data={"name": "电子顺磁共振波谱仪"})
    assert found("原吸") == []
    assert found("顺磁") == [instrument.pk]

    committed(update_instrument, actor=unit_admin, instrument=instrument, data={"is_confidential": True})
    assert found("顺磁") == []
    assert found("顺磁", operator) == [instrument.pk]

    committed(instrument.delete)
    assert not SearchDocument.objects.filter(pk=instrument.pk).exists()
    assert found("顺磁", operator) == []


@pytest.mark.django_db
def test_themes_units_and_usage(committed, approved_instrument):
    theme = Theme.objects.create(slug="battery", name="新能源电池")
    committed(approved_instrument.themes.add, theme)
    assert found("新能源电池") == [approved_instrument.pk]
    theme.name = "集成电路"
    committed(theme.save)
    assert found("集成电路") == [approved_instrument.pk]
    committed(theme.instruments.clear)
    assert found("集成电路") == []

    owner = approved_instrument.owner
    owner.name = "淮安分析测试中心"
    committed(owner.save)
    assert found("分析测试中心") == [approved_instrument.pk]

    committed(YearlyUsage.objects.create, instrument=approved_instrument, year=2025, service_hours=1200)
    assert SearchDocument.objects.get(pk=approved_instrument.pk).usage_hours == 1200


def facet_labels(name, user=None):
    return {item["label"] for item in search("", user or AnonymousUser()).facets[name]}


@pytest.mark.django_db
def test_renamed_records_show_their_new_names_at_once(committed, approved_instrument):
    """Facet counts are remembered until the index changes; their labels never are."""
    committed(lambda: None)
    category, region = approved_instrument.category, approved_instrument.region
    assert category.name in facet_labels("category") and region.name in facet_labels("region")
    category.name = "精密测量仪器"
    committed(category.save)
    region.name = "清江浦新区"
    committed(region.save)
    assert "精密测量仪器" in facet_labels("category") and "清江浦新区" in facet_labels("region")
    # The category's name is in its instruments' documents: they were indexed again.
    assert found("精密测量仪器") == [approved_instrument.pk]


@pytest.mark.django_db
def test_saving_a_record_without_renaming_it_does_not_reindex(committed, approved_instrument):
    committed(lambda: None)
    before = SearchDocument.objects.get(pk=approved_instrument.pk).indexed_at
    owner = approved_instrument.owner
    owner.contact_phone = "0517-80000000"
    committed(owner.save)
    category = Category.objects.get(pk=approved_instrument.category_id)
    category.order += 1
    committed(category.save)
    assert SearchDocument.objects.get(pk=approved_instrument.pk).indexed_at == before
    instrument_class = approved_instrument.instrument_class
    instrument_class.name = "扫描电子显微镜（场发射）"
    committed(instrument_class.save)
    assert SearchDocument.objects.get(pk=approved_instrument.pk).indexed_at > before


@pytest.mark.django_db
def test_a_rolled_back_change_never_reaches_the_index(approved_instrument, unit_admin):
    with pytest.raises(RuntimeError), transaction.atomic():
        update_instrument(actor=unit_admin, instrument=approved_instrument, data={"name": "超速离心机"})
        raise RuntimeError
    assert found("超速离心机") == []


@pytest.mark.django_db
def test_rebuild_command_reports_progress(approved_instrument, capsys):
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "1/1 instruments indexed (100%)" in out
    assert found("扫描电镜") == [approved_instrument.pk]


@pytest.mark.django_db
def test_one_transaction_is_indexed_once_in_batches(django_capture_on_commit_callbacks, make_instrument):
    from dayi.search.signals import _Pending

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = make_instrument(name="超速离心机")
        second = make_instrument(name="核磁共振波谱仪")
        first.delete()
    assert sum(isinstance(getattr(c, "__self__", None), _Pending) for c in callbacks) == 1
    assert list(SearchDocument.objects.values_list("pk", flat=True)) == [second.pk]


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_a_transaction_builds_the_indexes_anew(approved_instrument):
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert rebuild() == 1
    if connection.vendor == "postgresql":
        assert any(sql.startswith("VACUUM ANALYZE") for sql in statements)
        assert "REINDEX TABLE CONCURRENTLY search_searchdocument" in statements
    assert found("扫描电镜") == [approved_instrument.pk]
