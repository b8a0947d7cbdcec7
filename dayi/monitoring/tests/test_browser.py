"""The live page in headless Chromium at desktop and phone width: it refreshes by itself."""

import json

import pytest
from django.test import Client
from django.utils import timezone

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
