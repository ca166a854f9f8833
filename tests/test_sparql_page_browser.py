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


@pytest.fixture
def other_origin():
    """An unrelated page on another port: the origin of a partner's own web tool."""
    import http.server
    import threading

    class Blank(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            body = b"<!doctype html><title>partner tool</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Blank)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=10)


# What YASGUI sends by default: a form POST (or a GET) with these Accept headers.
YASGUI_SELECT = "application/sparql-results+json,*/*;q=0.9"
YASGUI_GRAPH = "text/turtle,*/*;q=0.9"
CROSS_ORIGIN = """async ([url, method, query, accept]) => {
  const form = new URLSearchParams({query});
  const response = method === "POST"
    ? await fetch(url, {method, body: form, headers: {Accept: accept}})
    : await fetch(url + "?" + form, {headers: {Accept: accept}});
  return {status: response.status, type: response.headers.get("Content-Type"),
          rows: response.headers.get("Reintegra-Rows"), body: await response.text()};
}"""


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_browser_tool_on_another_origin_can_query(page, base, other_origin, method):
    page.goto(other_origin)
    select = page.evaluate(
        CROSS_ORIGIN,
        [
            base + "/sparql",
            method,
            "SELECT ?l WHERE { ?l a <https://w3id.org/reintegra/ontology#ProficiencyLevel> }",
            YASGUI_SELECT,
        ],
    )
    assert select["status"] == 200
    assert select["type"].startswith("application/sparql-results+json")
    assert select["rows"] == "6"  # an exposed header the browser lets the script read
    assert '"bindings"' in select["body"]
    graph = page.evaluate(
        CROSS_ORIGIN,
        [
            base + "/sparql",
            method,
            "DESCRIBE <https://w3id.org/reintegra/level/B1>",
            YASGUI_GRAPH,
        ],
    )
    assert graph["status"] == 200 and graph["type"].startswith("text/turtle")
    assert 'skos:notation "B1"' in graph["body"]  # the level described, in Turtle
