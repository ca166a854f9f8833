"""The W3C SPARQL 1.1 Protocol test cases (sparql/sparql11/protocol in w3c/rdf-tests), rewritten
for this endpoint's data, over real HTTP, against both store backends.

The W3C cases name graphs under http://kasei.us/; here the same shapes of request use the
public graphs. Known differences, each deliberate and tested below:
- query_dataset_*: graphs must be public ones; any other graph IRI is refused with 400.
- update_dataset_* (using-graph-uri, using-named-graph-uri): not supported, refused with 400;
  write USING or WITH in the update instead. CLEAR ALL is refused: updates name a public graph.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from rdflib import Graph, URIRef
from sparql_support import editor_token, raw_http, serving

from service.namespaces import FRAMEWORK_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH

RG = "https://w3id.org/reintegra/ontology#"
COMP = "https://w3id.org/reintegra/competence/"
PREFIXES = (
    f"PREFIX rg: <{RG}> PREFIX comp: <{COMP}> "
    "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX sh: <http://www.w3.org/ns/shacl#> "
)
BOTH_GRAPHS = PREFIXES + "ASK { rg:Competence a owl:Class . comp:service-mapping a rg:Competence }"
NAMED_BOTH = PREFIXES + (
    "ASK { GRAPH ?g1 { rg:Competence a owl:Class } GRAPH ?g2 { comp:service-mapping a "
    "rg:Competence } }"
)
RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}


@pytest.fixture(scope="module", params=["embedded", "remote"])
def served(request):
    """A live server over each backend, with the test data: (base URL, store)."""
    with serving(request, request.param) as (url, store, _):
        yield url, store


def boolean(body: bytes) -> bool:
    return json.loads(body)["boolean"]


def get(base, query, accept="application/sparql-results+json", **params):
    return raw_http(
        base, "GET", "/sparql", headers={"Accept": accept}, query={"query": query, **params}
    )


def post(base, body: str | bytes, content_type: str | None, path="/sparql", **headers):
    data = body.encode() if isinstance(body, str) else body
    sent = {"Accept": "application/sparql-results+json", **headers}
    if content_type:
        sent["Content-Type"] = content_type
    return raw_http(base, "POST", path, body=data, headers=sent)


def test_query_post_form(served):
    base, _ = served
    status, headers, body = post(
        base,
        urlencode({"query": "ASK {}"}),
        "application/x-www-form-urlencoded",
        path="/sparql?" + urlencode({"default-graph-uri": FRAMEWORK_GRAPH}),
    )
    assert status == 200 and boolean(body) is True


def test_query_get(served):
    status, _, body = get(served[0], "ASK {}", **{"default-graph-uri": FRAMEWORK_GRAPH})
    assert status == 200 and boolean(body) is True


def test_query_post_direct(served):
    status, headers, body = post(served[0], "ASK {}", "application/sparql-query")
    assert status == 200 and boolean(body) is True
    assert headers["Content-Type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_query_dataset_default_graphs(served, method):
    base, _ = served
    graphs = {"default-graph-uri": [ONTOLOGY_GRAPH, FRAMEWORK_GRAPH]}
    if method == "GET":
        status, _, body = get(base, BOTH_GRAPHS, **graphs)
    else:
        status, _, body = post(
            base,
            BOTH_GRAPHS,
            "application/sparql-query",
            path="/sparql?" + urlencode(graphs, doseq=True),
        )
    assert status == 200 and boolean(body) is True
    # With one of the two graphs only, the default graph no longer holds both triples.
    status, _, body = get(base, BOTH_GRAPHS, **{"default-graph-uri": FRAMEWORK_GRAPH})
    assert status == 200 and boolean(body) is False


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_query_dataset_named_graphs(served, method):
    base, _ = served
    graphs = {"named-graph-uri": [ONTOLOGY_GRAPH, FRAMEWORK_GRAPH]}
    if method == "GET":
        status, _, body = get(base, NAMED_BOTH, **graphs)
    else:
        status, _, body = post(
            base,
            NAMED_BOTH,
            "application/sparql-query",
            path="/sparql?" + urlencode(graphs, doseq=True),
        )
    assert status == 200 and boolean(body) is True
    status, _, body = get(base, NAMED_BOTH, **{"named-graph-uri": FRAMEWORK_GRAPH})
    assert boolean(body) is False


def test_query_dataset_full(served):
    query = PREFIXES + (
        "ASK { comp:service-mapping a rg:Competence "
        "GRAPH ?g1 { rg:Competence a owl:Class } GRAPH ?g2 { ?shape a sh:NodeShape } }"
    )
    graphs = {
        "default-graph-uri": FRAMEWORK_GRAPH,
        "named-graph-uri": [ONTOLOGY_GRAPH, SHAPES_GRAPH],
    }
    status, _, body = post(
        served[0],
        query,
        "application/sparql-query",
        path="/sparql?" + urlencode(graphs, doseq=True),
    )
    assert status == 200 and boolean(body) is True


def test_query_multiple_dataset_uses_the_protocol_dataset(served):
    base, _ = served
    graphs = "?" + urlencode({"named-graph-uri": [ONTOLOGY_GRAPH, SHAPES_GRAPH]}, doseq=True)
    query = PREFIXES + (
        f"ASK FROM <{FRAMEWORK_GRAPH}> {{ GRAPH ?g1 {{ rg:Competence a owl:Class }} "
        "GRAPH ?g2 { ?shape a sh:NodeShape } }"
    )
    status, _, body = post(base, query, "application/sparql-query", path="/sparql" + graphs)
    assert status == 200 and boolean(body) is True
    # FROM is overridden: the protocol dataset has an empty default graph.
    query = PREFIXES + f"ASK FROM <{FRAMEWORK_GRAPH}> {{ comp:service-mapping a rg:Competence }}"
    status, _, body = post(base, query, "application/sparql-query", path="/sparql" + graphs)
    assert status == 200 and boolean(body) is False


def test_from_clause_sets_the_dataset_without_protocol_parameters(served):
    query = PREFIXES + f"ASK FROM <{ONTOLOGY_GRAPH}> {{ comp:service-mapping a rg:Competence }}"
    assert boolean(get(served[0], query)[2]) is False
    query = PREFIXES + f"ASK FROM <{FRAMEWORK_GRAPH}> {{ comp:service-mapping a rg:Competence }}"
    assert boolean(get(served[0], query)[2]) is True


def test_query_content_type_select(served):
    status, headers, body = post(
        served[0], "SELECT (1 AS ?value) {}", "application/sparql-query", Accept="*/*"
    )
    assert status == 200
    assert headers["Content-Type"].split(";")[0] in RESULT_TYPES
    assert json.loads(body)["results"]["bindings"][0]["value"]["value"] == "1"


def test_query_content_type_ask(served):
    status, headers, body = post(
        served[0], "ASK {}", "application/sparql-query", Accept="application/sparql-results+xml"
    )
    assert status == 200
    assert headers["Content-Type"] == "application/sparql-results+xml"
    assert b"<boolean>true</boolean>" in body


@pytest.mark.parametrize(
    "query", ["DESCRIBE <http://example.org/>", "CONSTRUCT { <s> <p> 1 } WHERE {}"]
)
def test_query_content_type_graph(served, query):
    status, headers, body = post(served[0], query, "application/sparql-query", Accept="*/*")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body.decode(), format="turtle")
    if query.startswith("CONSTRUCT"):
        # Relative IRIs resolve against the endpoint (the service-defined base IRI).
        ((s, p, o),) = list(graph)
        assert str(s) == served[0] + "/s" and o.toPython() == 1


def test_bad_query_method(served):
    status, _, _ = raw_http(
        served[0],
        "PUT",
        "/sparql",
        body=b"",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        query={"query": "ASK {}"},
    )
    assert status == 405


def test_bad_multiple_queries(served):
    status, _, body = raw_http(
        served[0], "GET", "/sparql", query=[("query", "ASK {}"), ("query", "SELECT * {}")]
    )
    assert status == 400 and json.loads(body)["pointer"] == "/query"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("ASK {}", "text/plain"),  # bad_query_wrong_media_type
        ("query=ASK%20%7B%7D", None),  # bad_query_missing_form_type
        ("ASK {}", None),  # bad_query_missing_direct_type
        ("CLEAR NAMED", "text/plain"),  # bad_update_wrong_media_type
        ("update=CLEAR%20NAMED", None),  # bad_update_missing_form_type
    ],
)
def test_bad_media_types_are_415(served, body, content_type):
    status, _, answer = post(served[0], body, content_type)
    assert status == 415
    assert "application/sparql-query" in json.loads(answer)["message"]


@pytest.mark.parametrize("content_type", ["application/sparql-query", "application/sparql-update"])
def test_bad_non_utf8(served, content_type):
    body = "ASK {}" if content_type.endswith("query") else "CLEAR NAMED"
    status, _, _ = post(served[0], body.encode("utf-16"), content_type + "; charset=UTF-16")
    assert status == 415


def test_undeclared_non_utf8_body_is_400(served):
    status, _, body = post(served[0], "ASK {}".encode("utf-16"), "application/sparql-query")
    assert status == 400 and "UTF-8" in json.loads(body)["message"]


def test_bad_query_syntax_names_the_position(served):
    status, _, body = get(served[0], "SELECT * WHERE { ?s ?p }")
    message = json.loads(body)["message"]
    assert status == 400
    assert "syntax error" in message and "1:" in message


def test_bad_update_get(served):
    status, _, _ = raw_http(served[0], "GET", "/sparql", query={"update": "CLEAR ALL"})
    assert status == 400


def test_bad_multiple_updates(served):
    status, _, _ = post(
        served[0],
        "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        "application/x-www-form-urlencoded",
    )
    assert status == 400


def test_bad_update_syntax(served):
    base, store = served
    token = editor_token(store)
    status, _, body = post(
        base,
        "update=CLEAR%20XYZ",
        "application/x-www-form-urlencoded",
        Authorization=f"Bearer {token}",
    )
    assert status == 400


def test_bad_update_dataset_conflict(served):
    base, store = served
    update = (
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> WITH <http://example/addresses> "
        "DELETE { ?p foaf:givenName 'Bill' } INSERT { ?p foaf:givenName 'William' } "
        "WHERE { ?p foaf:givenName 'Bill' }"
    )
    status, _, body = post(
        base,
        update,
        "application/sparql-update",
        path="/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
        Authorization=f"Bearer {editor_token(store)}",
    )
    assert status == 400 and "using-named-graph-uri" in json.loads(body)["message"]


def test_update_sent_to_the_query_operation_is_refused(served):
    update = f"INSERT DATA {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}"
    status, _, body = post(served[0], update, "application/sparql-query")
    assert status == 400 and "application/sparql-update" in json.loads(body)["message"]
    status, _, _ = get(served[0], update)
    assert status == 400


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_accept_with_q_values_picks_the_result_format(served, accept, expected):
    status, headers, _ = get(served[0], "SELECT ?x WHERE { BIND(1 AS ?x) }", accept=accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == expected
    assert headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("accept", "fmt", "expected"),
    [
        ("text/turtle", None, "text/turtle"),
        ("application/n-triples", None, "application/n-triples"),
        ("application/rdf+xml", None, "application/rdf+xml"),
        ("application/ld+json", None, "application/ld+json"),
        ("text/turtle", "jsonld", "application/ld+json"),
        ("*/*", "nt", "application/n-triples"),
    ],
)
def test_graph_formats_parse_back_to_the_same_triples(served, accept, fmt, expected):
    query = f"CONSTRUCT WHERE {{ <{COMP}service-mapping> ?p ?o }}"
    params = {"format": fmt} if fmt else {}
    status, headers, body = get(served[0], query, accept=accept, **params)
    assert status == 200 and headers["Content-Type"].split(";")[0] == expected
    rdflib_format = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
    }[expected]
    graph = Graph().parse(data=body, format=rdflib_format)
    assert len(graph) > 10
    assert (None, None, None) in graph


def test_format_parameter_beats_accept(served):
    status, headers, _ = get(
        served[0],
        "SELECT ?x WHERE { BIND(1 AS ?x) }",
        accept="application/sparql-results+json",
        format="csv",
    )
    assert headers["Content-Type"].startswith("text/csv")


def test_nothing_acceptable_is_406(served):
    status, _, body = get(served[0], "ASK {}", accept="image/png")
    assert status == 406 and "application/sparql-results+json" in json.loads(body)["message"]


def test_service_description(served):
    status, headers, body = raw_http(served[0], "GET", "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body.decode(), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = {str(o) for o in graph.objects(None, URIRef(sd + "endpoint"))}
    assert endpoints == {served[0] + "/sparql"}
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert FRAMEWORK_GRAPH in names and not any("private" in n for n in names)


def test_cors_allows_any_origin_without_credentials(served):
    status, headers, _ = raw_http(
        served[0],
        "GET",
        "/sparql",
        query={"query": "ASK {}"},
        headers={"Origin": "https://partner.example"},
    )
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in headers
    status, headers, _ = raw_http(
        served[0],
        "OPTIONS",
        "/sparql",
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Authorization" not in headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in headers
