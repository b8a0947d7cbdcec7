from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dayi.audit.models import AuditEntry
from dayi.audit.views import PAGE_SIZE
from dayi.catalog.models import Instrument
from dayi.catalog.services import update_instrument
from dayi.lifecycle.services import return_entry, submit_for_entry


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def test_only_the_operator_reads_the_trail(client, unit_admin, make_user):
    assert client.get(reverse("audit:trail")).status_code == 302
    client.force_login(unit_admin)
    assert client.get(reverse("audit:trail")).status_code == 403
    client.force_login(make_user())
    assert client.get(reverse("audit:trail")).status_code == 403


def test_entries_show_who_what_changes_and_reason(operator_client, make_instrument, unit_admin, operator, qingjiangpu):
    instrument = make_instrument(model_number="SU8010")
    update_instrument(actor=unit_admin, instrument=instrument, data={"model_number": "SU9000", "funding": "own"})
    submit_for_entry(actor=unit_admin, instrument=instrument)
    return_entry(actor=operator, instrument=instrument, reason="请补充<图片>")
    response = operator_client.get(reverse("audit:trail"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "unitadmin" in page
    assert "SU8010" in page and "SU9000" in page
    assert "请补充&lt;图片&gt;" in page
    updated = next(e for e in response.context["entries"] if e.action == "instrument.updated")
    rows = {str(row.label): (str(row.old), str(row.new)) for row in updated.rows}
    label = {name: str(Instrument._meta.get_field(name).verbose_name) for name in ("model_number", "funding")}
    assert rows[label["model_number"]] == ("SU8010", "SU9000")
    assert rows[label["funding"]] == (str(Instrument.Funding.LOCAL_FISCAL.label), str(Instrument.Funding.OWN.label))
    created = next(e for e in response.context["entries"] if e.action == "instrument.created")
    region_row = next(row for row in created.rows if row.new == qingjiangpu.name)
    assert region_row.old is None
    assert not [row for row in created.rows if row.old is None and row.new is None]


def test_filters_by_action_actor_type_and_dates(operator_client, make_instrument, unit_admin, operator):
    instrument = make_instrument()
    submit_for_entry(actor=unit_admin, instrument=instrument)
    return_entry(actor=operator, instrument=instrument, reason="缺项")
    url = reverse("audit:trail")

    by_action = operator_client.get(url, {"action": "instrument.returned"}).context["entries"]
    assert [e.action for e in by_action] == ["instrument.returned"]
    by_actor = operator_client.get(url, {"actor": "unitadm"}).context["entries"]
    assert {e.action for e in by_actor} == {"instrument.created", "instrument.submitted"}
    by_type = operator_client.get(url, {"target_type": "catalog.instrument"}).context["entries"]
    assert len(by_type) == 3
    today = timezone.localdate()
    assert len(operator_client.get(url, {"since": today, "until": today}).context["entries"]) == 3
    tomorrow = today + timedelta(days=1)
    assert operator_client.get(url, {"since": tomorrow}).context["entries"] == []
    bad = operator_client.get(url, {"since": "not-a-date"})
    assert bad.status_code == 200 and "since" in bad.context["filters"].form.errors


def test_pagination_keeps_the_filters(operator_client, make_instrument, unit_admin):
    instrument = make_instrument()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=unit_admin,
            actor_label="unitadmin",
            action="instrument.updated",
            target_type="catalog.instrument",
            target_id=str(instrument.pk),
            target_label=instrument.name,
        )
        for _ in range(PAGE_SIZE + 5)
    )
    first = operator_client.get(reverse("audit:trail"), {"action": "instrument.updated"})
    assert len(first.context["entries"]) == PAGE_SIZE
    assert "action=instrument.updated&amp;page=2" in first.content.decode()
    second = operator_client.get(reverse("audit:trail"), {"action": "instrument.updated", "page": 2})
    assert len(second.context["entries"]) == 5
