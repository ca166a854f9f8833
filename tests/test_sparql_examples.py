"""The example queries: described in every language, runnable as they are, and right."""

from __future__ import annotations

import json

import pytest
from sparql_support import close_app, make_app, serving

from service.namespaces import FRAMEWORK_GRAPH, LANGUAGES
from service.sparql.examples import examples
from service.store import EmbeddedStore
from service.store.bundle import bundled_sources, load_sources

COMP = "https://w3id.org/reintegra/competence/"
SKILL = "http://data.europa.eu/esco/skill/"
EXAMPLE_IDS = [e.id for e in examples()]


@pytest.fixture(scope="module", params=["embedded", "remote"])
def client_of(request):
    with serving(request, request.param) as (url, store, app):
        yield app.test_client(), store


def run(client, name: str) -> list[dict]:
    (example,) = [e for e in examples() if e.id == name]
    response = client.post(
        "/sparql",
        data=example.text,
        content_type="application/sparql-query",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return [
        {k: v["value"] for k, v in row.items()}
        for row in json.loads(response.data)["results"]["bindings"]
    ]


def test_there_are_six_examples():
    assert len(EXAMPLE_IDS) == 6


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_every_example_has_a_title_and_description_in_every_language(name):
    (example,) = [e for e in examples() if e.id == name]
    assert set(example.titles) == set(LANGUAGES) == set(example.descriptions)
    assert len(set(example.titles.values())) == len(LANGUAGES)


def test_examples_are_listed_in_the_asked_language(client_of):
    client, _ = client_of
    listed = client.get("/sparql/examples?lang=ro").get_json()
    assert listed["lang"] == "ro" and len(listed["examples"]) == 6
    titles = {e["id"]: e["title"] for e in listed["examples"]}
    assert titles["roles-needing-competence"] == "Roluri pentru care o competență este esențială"


def test_strand_competences_with_esco_matches(client_of):
    rows = run(client_of[0], "strand-competences-esco")
    assert {r["competence"] for r in rows} == {COMP + "service-mapping", COMP + "referral-pathways"}
    matches = {(r["competence"].rsplit("/", 1)[1], r["match"].rsplit("#", 1)[1]) for r in rows}
    assert matches == {("service-mapping", "relatedMatch"), ("referral-pathways", "broadMatch")}
    assert {r["escoLabel"] for r in rows} == {
        "support migrants to integrate in the receiving country"
    }


def test_competences_missing_a_label(client_of):
    client, store = client_of
    assert run(client, "competences-missing-label") == []
    store.update(
        f"DELETE DATA {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{COMP}referral-pathways> "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Doorverwijstrajecten"@nl } }'
    )
    try:
        rows = run(client, "competences-missing-label")
        assert rows == [
            {
                "competence": COMP + "referral-pathways",
                "notation": "EFF-A-02",
                "englishLabel": "Referral pathways",
            }
        ]
    finally:
        store.update(
            f"INSERT DATA {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{COMP}referral-pathways> "
            '<http://www.w3.org/2004/02/skos/core#prefLabel> "Doorverwijstrajecten"@nl } }'
        )


def test_activities_in_a_country_at_a_level(client_of):
    rows = run(client_of[0], "activities-in-country")
    assert rows == [
        {
            "activity": "https://w3id.org/reintegra/activity/week-italy",
            "label": "Training week in Italy",
            "competence": COMP + "adult-language-pedagogy",
            "city": "Bologna",
            "start": "2027-05-10",
            "end": "2027-05-14",
            "entry": "B1",
            "reached": "B2",
        }
    ]


def test_roles_needing_a_competence_as_essential(client_of):
    rows = run(client_of[0], "roles-needing-competence")
    assert rows == [
        {
            "role": "https://w3id.org/reintegra/role/language-trainer",
            "roleLabel": "Language trainer",
            "requiredLevel": "https://w3id.org/reintegra/level/B2",
            "levelNotation": "B2",
        }
    ]


def test_esco_occupation_coverage(client_of):
    rows = run(client_of[0], "esco-occupation-coverage")
    found = {
        (r["relation"], r["skill"].removeprefix(SKILL)[:8], r.get("competence", "gap"))
        for r in rows
    }
    assert found == {
        ("essential", "a9ead737", COMP + "adult-language-pedagogy"),
        ("essential", "e3ef4981", "gap"),
        ("optional", "f524f72e", COMP + "service-mapping"),
        ("optional", "f524f72e", COMP + "referral-pathways"),
    }


def test_descriptors_at_every_level_in_one_language(client_of):
    rows = run(client_of[0], "competence-descriptors")
    assert [r["notation"] for r in rows] == ["A1", "A2", "B1", "B2", "C1", "C2"]
    assert rows[0]["statement"] == "Sono in grado di nominare: didattica delle lingue per adulti."
    assert rows[0]["levelLabel"] == "A1 Novizio"


def test_examples_run_on_the_bundled_framework():
    store = EmbeddedStore()
    load_sources(store, bundled_sources())
    app = make_app(store)
    try:
        client = app.test_client()
        counts = {name: len(run(client, name)) for name in EXAMPLE_IDS}
    finally:
        close_app(app)
        store.close()
    assert counts["strand-competences-esco"] > 0
    assert counts["competence-descriptors"] == 6
    assert counts["roles-needing-competence"] > 0
    assert counts["activities-in-country"] > 0


def test_the_query_page_offers_the_examples_and_renders_results(client_of):
    client, _ = client_of
    page = client.get(
        "/sparql?example=competence-descriptors&lang=it", headers={"Accept": "text/html"}
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Descrittori di una competenza" in text
    assert "comp:adult-language-pedagogy" in text  # the example's text is in the editor
    (example,) = [e for e in examples() if e.id == "competence-descriptors"]
    page = client.get(
        "/sparql",
        query_string={"query": example.text, "lang": "en"},
        headers={"Accept": "text/html"},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<table>" in text and "6 rows" in text
    assert 'href="https://w3id.org/reintegra/level/A1"' in text
    assert "format=csv" in text and "format=json" in text
    assert "cdn" not in text.lower()


def test_the_query_page_shows_errors_in_place(client_of):
    client, _ = client_of
    page = client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE { ?s ?p }"},
        headers={"Accept": "text/html"},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "syntax error" in text and "SELECT * WHERE { ?s ?p }" in text
