"""Editors' writes: SPARQL Update and the Graph Store Protocol, validated, atomic, recorded."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from sparql_support import coordinator_token, editor_token, raw_http, serving

from service.namespaces import (
    ESCO_GRAPH,
    FRAMEWORK_GRAPH,
    HISTORY_GRAPH,
    ONTOLOGY_GRAPH,
    SYSTEM_GRAPH,
)

SKOS = "http://www.w3.org/2004/02/skos/core#"
SERVICE_MAPPING = "https://w3id.org/reintegra/competence/service-mapping"
NETWORKS = "https://w3id.org/reintegra/area/networks"
NEW_DEFINITION = "Drawing a map of the services a migrant can use."
VALID = f"""PREFIX skos: <{SKOS}>
DELETE {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{SERVICE_MAPPING}> skos:definition ?old }} }}
INSERT {{ GRAPH <{FRAMEWORK_GRAPH}> {{
  <{SERVICE_MAPPING}> skos:definition "{NEW_DEFINITION}"@en }} }}
WHERE {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{SERVICE_MAPPING}> skos:definition ?old
  FILTER (lang(?old) = "en") }} }}"""
BREAKS_A_SHAPE = (
    f"DELETE DATA {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{SERVICE_MAPPING}> <{SKOS}broader> "
    f"<{NETWORKS}> }} }}"
)


@pytest.fixture(params=["embedded", "remote"])
def served(request):
    with serving(request, request.param) as (url, store, _):
        yield url, store, editor_token(store)


def update(base, text, token=None, content_type="application/sparql-update", **headers):
    sent = {"Content-Type": content_type, **headers}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    body = text if content_type == "application/sparql-update" else urlencode({"update": text})
    return raw_http(base, "POST", "/sparql", body=body.encode(), headers=sent)


def snapshot(store, graph=FRAMEWORK_GRAPH) -> set:
    return set(store.graph(graph))


def definitions(store) -> set[str]:
    rows = store.select(
        "SELECT ?d WHERE { ?c ?p ?d FILTER (lang(?d) = 'en') }",
        {"c": URIRef(SERVICE_MAPPING), "p": URIRef(SKOS + "definition")},
    )
    return {str(r["d"]) for r in rows}


def test_updates_need_an_editor_token(served):
    base, store, _ = served
    before = snapshot(store)
    assert update(base, VALID)[0] == 401
    assert update(base, VALID, token="not-a-token")[0] == 401
    status, _, body = update(base, VALID, token=coordinator_token(store))
    assert status == 403 and "editor" in json.loads(body)["message"]
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "content_type", ["application/sparql-update", "application/x-www-form-urlencoded"]
)
def test_a_valid_update_commits_and_is_recorded(served, content_type):
    base, store, token = served
    status, _, body = update(base, VALID, token, content_type=content_type)
    outcome = json.loads(body)
    assert status == 200 and outcome["status"] == "committed"
    assert outcome["added"] == 1 and outcome["removed"] == 1
    assert definitions(store) == {NEW_DEFINITION}
    # Public queries see the change at once (the workers' snapshot is refreshed).
    status, _, body = raw_http(
        base,
        "GET",
        "/sparql",
        query={
            "query": f"SELECT ?d WHERE {{ <{SERVICE_MAPPING}> <{SKOS}definition> ?d "
            "FILTER (lang(?d) = 'en') }"
        },
    )
    assert [b["d"]["value"] for b in json.loads(body)["results"]["bindings"]] == [NEW_DEFINITION]
    status, _, body = raw_http(
        base,
        "GET",
        "/sparql/history",
        query={"item": SERVICE_MAPPING},
        headers={"Authorization": f"Bearer {token}"},
    )
    (change,) = json.loads(body)["changes"]
    assert status == 200 and change["graph"] == FRAMEWORK_GRAPH
    assert NEW_DEFINITION in change["added"] and "(definition)" in change["removed"]
    added = Graph().parse(data=change["added"], format="nt")
    assert (
        URIRef(SERVICE_MAPPING),
        URIRef(SKOS + "definition"),
        Literal(NEW_DEFINITION, lang="en"),
    ) in added
    assert change["time"].startswith("20") and change["token"]


def test_history_is_for_editors_only(served):
    base, store, _ = served
    status, _, _ = raw_http(base, "GET", "/sparql/history", query={"item": SERVICE_MAPPING})
    assert status == 401


def test_the_change_record_is_private(served):
    base, store, token = served
    assert update(base, VALID, token)[0] == 200
    assert len(snapshot(store, HISTORY_GRAPH)) > 0
    status, _, body = raw_http(
        base,
        "GET",
        "/sparql",
        query={"query": "ASK { ?c a <https://w3id.org/reintegra/ontology#ChangeRecord> }"},
    )
    assert json.loads(body)["boolean"] is False


def test_an_update_that_breaks_a_shape_is_refused_with_the_report(served):
    base, store, token = served
    before = snapshot(store)
    history = snapshot(store, HISTORY_GRAPH)
    status, _, body = update(base, BREAKS_A_SHAPE, token)
    error = json.loads(body)
    assert status == 422 and error["code"] == "validation_failed"
    results = error["details"]["results"]
    assert any(r["focus"] == SERVICE_MAPPING and "competence area" in r["message"] for r in results)
    assert snapshot(store) == before and snapshot(store, HISTORY_GRAPH) == history


def test_the_report_comes_as_turtle_on_request(served):
    base, store, token = served
    status, headers, body = update(base, BREAKS_A_SHAPE, token, Accept="text/turtle")
    assert status == 422 and headers["Content-Type"].startswith("text/turtle")
    report = Graph().parse(data=body, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms).toPython() is False
    assert (None, SH.focusNode, URIRef(SERVICE_MAPPING)) in report


@pytest.mark.parametrize(
    ("text", "status", "words"),
    [
        (
            f"INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}",
            403,
            "private graph",
        ),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, "the default graph"),
        (
            "INSERT { GRAPH ?g { <urn:a> <urn:b> <urn:c> } } WHERE { VALUES ?g { <urn:x> } }",
            403,
            "urn:x",
        ),
        ("CLEAR ALL", 400, "name the public graph"),
        (f"DROP GRAPH <{SYSTEM_GRAPH}>", 403, "private graph"),
        ("SELECT * WHERE { ?s ?p ?o }", 400, "this is a query"),
    ],
)
def test_writes_outside_the_public_graphs_are_refused(served, text, status, words):
    base, store, token = served
    before = {g: snapshot(store, g) for g in (FRAMEWORK_GRAPH, SYSTEM_GRAPH)}
    got, _, body = update(base, text, token)
    assert got == status and words in json.loads(body)["message"]
    assert {g: snapshot(store, g) for g in before} == before


def test_private_graphs_cannot_be_copied_into_a_public_one(served):
    base, store, token = served
    named = (
        f"INSERT {{ GRAPH <{FRAMEWORK_GRAPH}> {{ ?s ?p ?o }} }} "
        f"WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ ?s ?p ?o }} }}"
    )
    status, _, body = update(base, named, token)
    assert status == 403 and "private graph" in json.loads(body)["message"]
    # Through a graph variable the update runs, but on a copy that holds no private graph.
    hidden = (
        f"INSERT {{ GRAPH <{FRAMEWORK_GRAPH}> {{ ?s ?p ?o }} }} "
        "WHERE { GRAPH ?g { ?s ?p ?o FILTER (CONTAINS(STR(?o), 'Secret')) } }"
    )
    before = snapshot(store)
    status, _, body = update(base, hidden, token)
    assert status == 200 and json.loads(body)["status"] == "unchanged"
    assert snapshot(store) == before


def test_blank_nodes_are_committed_by_rewriting_the_graph(served):
    base, store, token = served
    before = len(snapshot(store, ONTOLOGY_GRAPH))
    text = (
        f"INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <urn:x> "
        "<http://www.w3.org/2000/01/rdf-schema#seeAlso> [ "
        '<http://www.w3.org/2000/01/rdf-schema#label> "a blank node" ] } }'
    )
    status, _, body = update(base, text, token)
    assert status == 200 and json.loads(body)["added"] == 2
    graph = snapshot(store, ONTOLOGY_GRAPH)
    assert len(graph) == before + 2
    assert any(str(o) == "a blank node" for _, _, o in graph)


def test_graph_store_get_is_public(served):
    base, _, _ = served
    status, headers, body = raw_http(
        base, "GET", "/sparql/store", query={"graph": ESCO_GRAPH}, headers={"Accept": "text/turtle"}
    )
    graph = Graph().parse(data=body, format="turtle")
    assert status == 200 and len(graph) > 5


def test_graph_store_post_put_delete(served):
    base, store, token = served
    auth = {"Authorization": f"Bearer {token}"}
    target = "/sparql/store?" + urlencode({"graph": ESCO_GRAPH})
    extra = (
        b"<http://data.europa.eu/esco/skill/7d23c508-c007-4221-bb84-0c9a479b8ea6> "
        b'<http://www.w3.org/2004/02/skos/core#altLabel> "intercultural awareness"@en .\n'
    )
    status, _, body = raw_http(
        base, "POST", target, body=extra, headers={"Content-Type": "application/n-triples", **auth}
    )
    assert status == 200 and json.loads(body)["added"] == 1
    size = len(snapshot(store, ESCO_GRAPH))
    turtle = (
        b"<http://data.europa.eu/esco/skill/x> "
        b'<http://www.w3.org/2004/02/skos/core#prefLabel> "x"@en .'
    )
    status, _, body = raw_http(
        base, "PUT", target, body=turtle, headers={"Content-Type": "text/turtle", **auth}
    )
    outcome = json.loads(body)
    assert status == 200 and outcome["added"] == 1 and outcome["removed"] == size
    assert len(snapshot(store, ESCO_GRAPH)) == 1
    status, _, _ = raw_http(base, "DELETE", target, headers=auth)
    assert status == 200 and len(snapshot(store, ESCO_GRAPH)) == 0
    status, _, _ = raw_http(base, "DELETE", target, headers=auth)
    assert status == 404
    status, _, _ = raw_http(
        base, "PUT", target, body=turtle, headers={"Content-Type": "text/turtle", **auth}
    )
    assert status == 201
    status, _, body = raw_http(
        base,
        "GET",
        "/sparql/history",
        headers=auth,
        query={"item": "http://data.europa.eu/esco/skill/x"},
    )
    operations = [c["operation"] for c in json.loads(body)["changes"]]
    assert operations == ["graph store PUT", "graph store DELETE", "graph store PUT"]


@pytest.mark.parametrize(
    ("query", "content_type", "body", "status"),
    [
        ({"graph": FRAMEWORK_GRAPH}, "application/pdf", b"%PDF-1.4", 415),
        ({"graph": SYSTEM_GRAPH}, "text/turtle", b"<urn:a> <urn:b> <urn:c> .", 403),
        ({"default": ""}, "text/turtle", b"<urn:a> <urn:b> <urn:c> .", 400),
        ({"graph": ESCO_GRAPH}, "text/turtle", b"<urn:a> <urn:b> .", 400),
    ],
)
def test_graph_store_refusals(served, query, content_type, body, status):
    base, store, token = served
    before = snapshot(store, ESCO_GRAPH)
    got, _, answer = raw_http(
        base,
        "PUT",
        "/sparql/store?" + urlencode(query),
        body=body,
        headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"},
    )
    assert got == status and json.loads(answer)["message"]
    assert snapshot(store, ESCO_GRAPH) == before


def test_graph_store_writes_need_a_token(served):
    base, _, _ = served
    status, _, _ = raw_http(base, "DELETE", "/sparql/store?" + urlencode({"graph": ESCO_GRAPH}))
    assert status == 401


def test_a_committed_edit_is_seen_by_the_api_at_once(served):
    """The REST API's cached framework rebuilds when the change history moves on."""
    import json

    base, store, token = served
    status, _, body = raw_http(base, "GET", "/api/v1/competences/service-mapping?lang=en")
    assert status == 200 and json.loads(body)["label"] == "Service mapping"
    relabel = (
        f"DELETE {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{SERVICE_MAPPING}> <{SKOS}prefLabel> ?old }} }} "
        f"INSERT {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{SERVICE_MAPPING}> <{SKOS}prefLabel> "
        f'"Mapping local services"@en }} }} '
        f"WHERE {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{SERVICE_MAPPING}> <{SKOS}prefLabel> ?old "
        f'FILTER (lang(?old) = "en") }} }}'
    )
    assert update(base, relabel, token)[0] in (200, 204)
    status, _, body = raw_http(base, "GET", "/api/v1/competences/service-mapping?lang=en")
    assert json.loads(body)["label"] == "Mapping local services"
