"""A visitor types a colloquial short form, picks a suggestion, narrows by a facet and opens
the instrument (headless Chromium; the browser fixture comes from tests/browser.py)."""

import pytest
from django.urls import reverse

from dayi.accounts.models import Region
from tests.browser import no_horizontal_scroll

from .catalogue import INSTRUMENTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_short_form_suggestion_facet_instrument(page, live_server, publish, make_unit):
    publish(INSTRUMENTS[19:21])  # 原子吸收光谱仪 and 原子吸收分光光度计
    other_region = Region.objects.get(code="320803")
    (far_away,) = publish(INSTRUMENTS[19:20], owner=make_unit("淮安区检测中心", region=other_region))
    far_away.region = other_region
    far_away.save()

    page.goto(live_server.url + reverse("search:search"))
    page.fill("#search-q", "原吸")
    suggestion = page.locator(".search-suggestion", has_text="原子吸收光谱仪")
    suggestion.wait_for()
    suggestion.click()
    page.wait_for_load_state()
    assert page.locator("#search-hits li", has_text="原子吸收光谱仪").count() == 2
    assert no_horizontal_scroll(page)

    toggle = page.locator("#search-facets-toggle")
    if toggle.is_visible():  # on a phone the facets fold away behind one button
        toggle.click()
    page.select_option("#facet-region", str(other_region.pk))
    page.wait_for_function("document.querySelectorAll('#search-hits li').length === 1")
    assert "淮安区检测中心" in page.locator("#search-hits").inner_text()

    page.locator("#search-hits a").first.click()
    page.wait_for_url(f"**{reverse('catalog:detail', args=[far_away.pk])}")
    assert "原子吸收光谱仪" in page.content()
