"""The live page in headless Chromium at desktop and phone width: it refreshes by itself; an
idle unit explains and the operator accepts."""

import json
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from dayi.monitoring import idle
from dayi.monitoring.ingest import Envelope, ingest
from tests.browser import no_horizontal_scroll

from .conftest import message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_live_page_follows_a_sensor_without_reload_and_opens_its_day(page, live_server, unit_admin, sensor):
    client = Client()
    client.force_login(unit_admin)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/monitoring/")
    assert page.locator("[data-count=offline]").first.inner_text() == "1"
    assert no_horizontal_scroll(page)

    now = timezone.now().replace(microsecond=0)
    ingest([Envelope(payload=json.dumps(message(ts=now, seq=1)), source="simulator")])
    page.wait_for_function("document.querySelector('[data-count=in_use]').textContent.trim() === '1'", timeout=12_000)
    assert page.locator("[data-count=offline]").first.inner_text() == "0"
    assert "使用中" in page.locator("#live-table tbody").inner_text()

    page.locator("#live-table tbody a").first.click()
    page.wait_for_selector("#power-chart canvas")
    assert no_horizontal_scroll(page)


def _log_in(page, live_server, person):
    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_an_idle_units_explanation_is_accepted(page, live_server, unit_admin, operator, sensor, approved_instrument):
    idle.apply_idle_rules(today=date(2026, 3, 2))
    _log_in(page, live_server, unit_admin)
    page.goto(live_server.url + "/monitoring/")
    page.get_by_role("link", name="闲置仪器与离线传感器").click()
    assert "已提醒" in page.locator("#idle-cases").inner_text()
    assert no_horizontal_scroll(page)
    page.locator("#idle-cases tbody a").first.click()
    page.fill("#explain-form textarea", "设备等待维修配件，预计下月到货。")
    page.locator("#explain-form button").click()
    page.wait_for_selector("text=您的说明已提交给平台运营方。")
    assert no_horizontal_scroll(page)

    page.context.clear_cookies()
    _log_in(page, live_server, operator)
    page.goto(live_server.url + "/monitoring/idle/?view=review")
    page.locator("#idle-cases tbody a").first.click()
    page.locator("#decision-form input[value=accept]").check()
    page.locator("#decision-form button").click()
    page.wait_for_selector("text=处理意见已记录。")
    assert "说明已接受" in page.content()


def test_the_units_hours_coverage_and_sensor_pages_fit_a_phone(page, live_server, unit_admin, sensor):
    from datetime import datetime

    from .conftest import SHANGHAI, add_session

    binding = sensor.bindings.get()
    add_session(
        sensor,
        binding.instrument,
        "in_use",
        datetime(2026, 3, 2, 9, tzinfo=SHANGHAI),
        datetime(2026, 3, 2, 15, tzinfo=SHANGHAI),
    )
    _log_in(page, live_server, unit_admin)
    page.goto(live_server.url + f"/monitoring/instruments/{binding.instrument_id}/hours/?year=2026")
    page.wait_for_selector("#hours-chart canvas")
    assert no_horizontal_scroll(page)
    page.fill("#correction-form input[name=day]", "2026-03-02")
    page.fill("#correction-form input[name=in_use_hours]", "7.5")
    page.fill("#correction-form input[name=reason]", "夹钳松动，漏记一个半小时")
    page.locator("#correction-form button").click()
    page.wait_for_selector("#corrections")
    assert "夹钳松动" in page.locator("#corrections").inner_text()
    assert no_horizontal_scroll(page)

    page.goto(live_server.url + "/monitoring/overview/")
    assert "CLAMP-001" in page.locator("#offline-sensors").inner_text()
    assert no_horizontal_scroll(page)
    page.goto(live_server.url + f"/monitoring/sensors/{sensor.pk}/")
    assert "CLAMP-001" in page.locator("h1").inner_text()
    assert no_horizontal_scroll(page)
    page.goto(live_server.url + "/monitoring/sensors/new/")
    assert no_horizontal_scroll(page)
