"""The SPARQL query page as a partner meets it: a real browser against the real server."""

from __future__ import annotations

import pytest
from sparql_support import serving

pytestmark = pytest.mark.browser


@pytest.fixture
def base(request):
    with serving(request, "embedded") as (url, _store, _app):
        yield url


def test_choose_an_example_run_it_and_follow_a_result(page, base):
    page.goto(base + "/sparql?lang=it")
    assert page.locator("html").get_attribute("lang") == "it"
    page.select_option("#example", "competence-descriptors")
    page.locator("form.sparql-examples button").click()
    page.wait_for_url("**example=competence-descriptors**")
    assert "SELECT" in page.locator("textarea").input_value()

    page.locator("form.sparql-editor button").click()
    page.wait_for_selector("section.sparql-results table")
    rows = page.locator("section.sparql-results tbody tr")
    assert rows.count() == 6  # one descriptor per level of the scale
    downloads = page.locator("p.downloads a")
    assert downloads.count() >= 4
    assert all("/sparql?" in downloads.nth(i).get_attribute("href") for i in range(4))

    link = page.locator("section.sparql-results tbody a").first
    assert link.get_attribute("href").startswith("https://w3id.org/reintegra/")


def test_a_syntax_error_is_shown_on_the_page(page, base):
    page.goto(base + "/sparql")
    page.locator("textarea").fill("SELECT * WHERE { ?s ?p }")
    page.locator("form.sparql-editor button").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "SPARQL syntax error: error at 1:25" in alert.inner_text()
    assert page.locator("textarea").input_value() == "SELECT * WHERE { ?s ?p }"


def test_switching_language_keeps_the_query_and_its_results(page, base):
    query = (
        "SELECT ?level WHERE { ?level a <https://w3id.org/reintegra/ontology#ProficiencyLevel> }"
    )
    page.goto(base + "/sparql?lang=en")
    page.locator("textarea").fill(query)
    page.locator("form.sparql-editor button").click()
    page.wait_for_selector("section.sparql-results table")
    count = page.locator("section.sparql-results tbody tr").count()

    page.locator("nav.languages a[hreflang=nl]").click()
    page.wait_for_url("**lang=nl**")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("textarea").input_value() == query
    assert page.locator("section.sparql-results tbody tr").count() == count > 0
