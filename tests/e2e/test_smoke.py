import pytest

from tests.browser import no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_in_chinese_then_english(page, live_server):
    page.goto(live_server.url + "/")
    assert "大型科研仪器开放共享服务平台" in page.content()
    assert no_horizontal_scroll(page)
    if page.locator(".navbar-toggler").is_visible():
        page.click(".navbar-toggler")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert "Large research instrument open-sharing service platform" in page.content()
