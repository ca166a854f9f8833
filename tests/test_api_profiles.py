"""Profiles over the API: stored privately as RDF, opened only by their own or a coordinator's
token, exported whole, and erased without a trace."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from api_client import CheckedClient, all_quads, sample_profile
from conftest import fixture_sources
from service.app import create_app
from service.namespaces import COHORT_GRAPH, PROFILE, PROFILE_GRAPH, PUBLIC_GRAPHS, RDF, RG
from service.records.tokens import create_token, hash_token
from service.store.bundle import load_sources


@pytest.fixture
def api(client):
    return CheckedClient(client)


@pytest.fixture
def coordinator(store):
    return create_token(store, "coordinator", "host-italy")[1]


def create(api, profile=None):
    response = api.post("/api/v1/profiles", json=profile or sample_profile())
    assert response.status_code == 201, response.json
    return response.json["id"], response.json["token"]


def test_create_answers_id_token_and_location_and_reads_back(api):
    response = api.post("/api/v1/profiles", json=sample_profile())
    assert response.status_code == 201
    body = response.json
    assert response.headers["Location"] == f"/api/v1/profiles/{body['id']}"
    assert body["token"].startswith("rg_p_") and len(body["token"]) > 40
    assert body["profile"] == sample_profile()

    again = api.get(f"/api/v1/profiles/{body['id']}", token=body["token"])
    assert again.status_code == 200
    assert again.json["profile"] == sample_profile()
    assert again.json["created"] == body["created"]
    assert again.json["cohorts"] == []
    assert body["token"] not in again.get_data(as_text=True)


def test_profile_lives_in_its_own_private_graph_with_only_the_token_hash(api, store):
    profile_id, token = create(api)
    graph_iri = PROFILE_GRAPH + profile_id
    assert graph_iri in store.named_graphs()
    assert graph_iri not in PUBLIC_GRAPHS
    graph = store.graph(graph_iri)
    node = PROFILE[profile_id]
    assert (node, RDF.type, RG.TrainerProfile) in graph
    assert (node, RG.tokenHash, Literal(hash_token(token))) in graph
    assert not any(token in str(term) for quad in all_quads(store) for term in quad)
    # A query over the public graphs (the default) cannot see the profile.
    rows = store.select("SELECT ?p WHERE { ?p a ?cls }", {"cls": RG.TrainerProfile})
    assert rows == []


def test_turtle_export_holds_everything_but_the_token_hash(api):
    profile_id, token = create(api)
    response = api.get(
        f"/api/v1/profiles/{profile_id}", token=token, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    node = PROFILE[profile_id]
    assert (node, RDF.type, RG.TrainerProfile) in graph
    assert len(list(graph.objects(node, RG.hasAssessment))) == 2
    assert (node, RG.hasRole, URIRef("https://w3id.org/reintegra/role/language-trainer")) in graph
    assert not list(graph.triples((None, RG.tokenHash, None)))


def test_unacceptable_media_type_is_406(api):
    profile_id, token = create(api)
    response = api.get(
        f"/api/v1/profiles/{profile_id}", token=token, headers={"Accept": "application/xml"}
    )
    assert response.status_code == 406
    assert response.json["code"] == "not_acceptable"


def test_put_replaces_the_whole_profile_and_keeps_token_and_creation(api, store):
    profile_id, token = create(api)
    created = api.get(f"/api/v1/profiles/{profile_id}", token=token).json["created"]
    changed = sample_profile(
        assessments=[
            {
                "competence": "adult-language-pedagogy",
                "level": "B2",
                "date": "2026-11-20",
                "source": "assessor",
            }
        ],
        availability=[],
    )
    del changed["name"]
    response = api.put(f"/api/v1/profiles/{profile_id}", json=changed, token=token)
    assert response.status_code == 200
    expected = {k: v for k, v in changed.items() if k != "availability"}
    assert response.json["profile"] == expected
    assert response.json["created"] == created
    graph = store.graph(PROFILE_GRAPH + profile_id)
    assert not list(graph.triples((None, RG.evidence, None)))
    assert len(list(graph.triples((None, RG.hasAssessment, None)))) == 1
    assert api.get(f"/api/v1/profiles/{profile_id}", token=token).status_code == 200


def test_a_token_never_opens_another_profile(api, store):
    first_id, first_token = create(api)
    second_id, second_token = create(api, sample_profile(name="Bogdan"))
    before = all_quads(store)
    base = f"/api/v1/profiles/{second_id}"
    assert api.get(base, token=first_token).status_code == 403
    assert api.get(base + "/gaps", token=first_token).status_code == 403
    assert api.get(base + "/recommendations", token=first_token).status_code == 403
    assert api.put(base, json=sample_profile(name="Mallory"), token=first_token).status_code == 403
    assert api.delete(base, token=first_token).status_code == 403
    assert all_quads(store) == before
    assert api.get(base, token=second_token).json["profile"]["name"] == "Bogdan"
    assert api.get(f"/api/v1/profiles/{first_id}", token=second_token).status_code == 403


def test_who_may_open_a_profile(api, store, coordinator):
    profile_id, _ = create(api)
    editor = create_token(store, "editor", "host-italy")[1]
    url = f"/api/v1/profiles/{profile_id}"
    assert api.get(url, valid_request=False).status_code == 401
    assert (
        api.get(url, headers={"Authorization": "Token abc"}, valid_request=False).status_code == 401
    )
    assert api.get(url, token="rg_p_not-a-real-token").status_code == 403
    assert api.get(url, token=editor).status_code == 403
    assert api.get(url, token=coordinator).status_code == 200
    changed = sample_profile(name="Ana Maria")
    assert api.put(url, json=changed, token=coordinator).json["profile"]["name"] == "Ana Maria"
    assert api.get("/api/v1/profiles/" + "0" * 32, token=coordinator).status_code == 404
    assert api.get("/api/v1/profiles/not-an-id", token=coordinator).status_code == 404


def test_only_coordinators_list_profiles(api, coordinator):
    profile_id, token = create(api)
    assert api.get("/api/v1/profiles", valid_request=False).status_code == 401
    assert api.get("/api/v1/profiles", token=token).status_code == 401
    listed = api.get("/api/v1/profiles", token=coordinator).json["profiles"]
    assert [(p["id"], p["name"]) for p in listed] == [(profile_id, "Ana")]


def mentions(store, profile_id: str, token: str) -> list:
    """Every quad anywhere in the store that names the profile, a node inside it, or the
    hash of its token."""
    node = str(PROFILE[profile_id])
    secret_hash = hash_token(token)
    found = []
    for quad in all_quads(store):
        texts = [getattr(t, "value", "") for t in (quad.subject, quad.predicate, quad.object)]
        graph = getattr(quad.graph_name, "value", "")
        if graph == PROFILE_GRAPH + profile_id or any(
            t == node or t.startswith(node + "/") or t == secret_hash for t in texts
        ):
            found.append(quad)
    return found


def test_erasure_leaves_no_triple_about_the_person(api, store, coordinator):
    gone_id, gone_token = create(api)
    kept_id, kept_token = create(api, sample_profile(name="Bogdan"))
    cohort = api.post(
        "/api/v1/cohorts",
        json={"name": "Bologna 2027", "members": [gone_id, kept_id]},
        token=coordinator,
    )
    assert cohort.status_code == 201
    in_cohort = api.get(f"/api/v1/profiles/{gone_id}", token=gone_token).json["cohorts"]
    assert in_cohort == [{"id": cohort.json["id"], "name": "Bologna 2027"}]
    assert mentions(store, gone_id, gone_token)

    assert api.delete(f"/api/v1/profiles/{gone_id}", token=gone_token).status_code == 204

    assert mentions(store, gone_id, gone_token) == []
    assert PROFILE_GRAPH + gone_id not in store.named_graphs()
    assert api.get(f"/api/v1/profiles/{gone_id}", token=coordinator).status_code == 404
    assert api.get(f"/api/v1/profiles/{gone_id}", token=gone_token).status_code == 404
    members = api.get(f"/api/v1/cohorts/{cohort.json['id']}", token=coordinator).json["members"]
    assert members == [kept_id]
    assert api.get(f"/api/v1/profiles/{kept_id}", token=kept_token).status_code == 200
    assert COHORT_GRAPH in store.named_graphs()


def test_coordinator_may_erase_a_profile(api, store, coordinator):
    profile_id, token = create(api)
    assert api.delete(f"/api/v1/profiles/{profile_id}", token=coordinator).status_code == 204
    assert mentions(store, profile_id, token) == []


def test_profiles_work_the_same_on_a_remote_sparql_server(remote_store):
    load_sources(remote_store, fixture_sources())
    app = create_app({"data_dir": "", "load_bundled": False}, store=remote_store)
    api = CheckedClient(app.test_client())
    profile_id, token = create(api)
    url = f"/api/v1/profiles/{profile_id}"
    assert api.get(url, token=token).json["profile"] == sample_profile()
    changed = sample_profile(name="Ana B.")
    assert api.put(url, json=changed, token=token).json["profile"]["name"] == "Ana B."
    assert api.get(url, token="rg_p_wrong").status_code == 403
    assert api.delete(url, token=token).status_code == 204
    node = PROFILE[profile_id]
    left = remote_store.select(
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } FILTER (?s = ?node || ?o = ?node) }",
        {"node": node},
        default_graphs=(),
    )
    assert left == []
    assert PROFILE_GRAPH + profile_id not in remote_store.named_graphs()
