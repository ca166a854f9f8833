"""The home page as a visitor meets it: a real browser against the real HTTP server."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_page_in_the_browser_language_and_switching(page, live_server):
    page.set_extra_http_headers({"Accept-Language": "nl-NL,nl;q=0.9"})
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("#strand-effective h3").inner_text() == "Effectieve re-integratie"
    assert "2 competenties" in page.locator("#strand-effective .counts").inner_text()

    page.get_by_role("link", name="Română").click()
    page.wait_for_url("**/?lang=ro")
    assert page.locator("html").get_attribute("lang") == "ro"
    assert page.locator("#strand-inclusive h3").inner_text() == "Reintegrare incluzivă"
    colour = page.locator("header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(18, 60, 105)"


def test_an_unknown_page_is_a_readable_error_page(page, live_server):
    response = page.goto(live_server + "/no-such-page")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "404"
