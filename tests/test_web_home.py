"""The home page in the visitor's language, the health check and the error shapes."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("lang", "label", "word"),
    [
        ("en", "Effective re-integration", "competences"),
        ("it", "Reintegrazione efficace", "competenze"),
        ("ro", "Reintegrare eficientă", "competențe"),
        ("nl", "Effectieve re-integratie", "competenties"),
    ],
)
def test_home_shows_strands_and_counts_in_the_language_asked(client, lang, label, word):
    response = client.get(f"/?lang={lang}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == lang
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert label in page
    assert f"2 {word}" in page  # strand effective holds two competences in the fixture


def test_accept_language_chooses_the_language(client):
    response = client.get("/", headers={"Accept-Language": "ro-RO,ro;q=0.9,en;q=0.5"})
    assert response.headers["Content-Language"] == "ro"
    assert "Reintegrare incluzivă" in response.get_data(as_text=True)


def test_unsupported_accept_language_falls_back_to_english(client):
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert response.headers["Content-Language"] == "en"


def test_home_as_json_holds_what_the_page_shows(client):
    body = client.get("/?lang=it", headers={"Accept": "application/json"}).get_json()
    assert body["lang"] == "it"
    assert {s["id"]: s["competences"] for s in body["strands"]} == {"effective": 2, "inclusive": 1}
    assert body["counts"]["ProficiencyLevel"] == 6 and body["counts"]["Competence"] == 3


def test_unknown_language_is_a_clear_400(client):
    response = client.get("/?lang=fr", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json() == {
        "status": 400,
        "code": "bad_request",
        "message": "unknown language 'fr'; use one of en, it, ro, nl",
        "pointer": "/lang",
    }


def test_errors_are_pages_for_browsers_and_json_for_clients(client):
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "<h1>404</h1>" in page.get_data(as_text=True)
    api = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.get_json()["code"] == "not_found"


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_healthz_reports_a_remote_store_that_is_down():
    from service.app import create_app
    from service.store import RemoteStore

    down = RemoteStore("http://127.0.0.1:9/query", "http://127.0.0.1:9/update", timeout_s=1)
    app = create_app({"data_dir": "", "load_bundled": False}, store=down)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "cannot be reached" in response.get_json()["store"]


def test_the_stylesheet_is_served(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
