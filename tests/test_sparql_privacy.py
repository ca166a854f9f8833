"""Private graphs are invisible to public queries, whichever way a query tries to reach them."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal
from sparql_support import PRIVATE_NOTE, PRIVATE_PROFILE, SECRET, raw_http, serving

from service.namespaces import HISTORY_GRAPH, PUBLIC_GRAPHS, SYSTEM_GRAPH

PROFILE = "https://w3id.org/reintegra/profile/p1"
SERVICE_MAPPING = "https://w3id.org/reintegra/competence/service-mapping"
PRIVATE_GRAPHS = [PRIVATE_PROFILE, HISTORY_GRAPH, SYSTEM_GRAPH]


@pytest.fixture(scope="module", params=["embedded", "remote"])
def served(request):
    with serving(request, request.param) as (url, store, _):
        yield url, store


@pytest.fixture
def base(served):
    return served[0]


def query(base, text, accept="application/sparql-results+json", **params):
    return raw_http(
        base, "GET", "/sparql", headers={"Accept": accept}, query={"query": text, **params}
    )


def rows(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def leaks(body: bytes) -> bool:
    text = body.decode("utf-8", "replace")
    return SECRET in text or PRIVATE_NOTE in text


def test_the_secrets_are_really_in_the_store(served):
    """Guards against a vacuous pass: the private graphs hold data, just not for the public."""
    base, store = served
    found = store.select(
        "SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal(SECRET)}, default_graphs=(PRIVATE_PROFILE,)
    )
    assert [str(r["s"]) for r in found] == [PROFILE]
    status, _, body = query(base, f'SELECT * WHERE {{ ?s ?p "{SECRET}" }}')
    assert status == 200 and rows(body) == []


def test_default_graph_holds_only_public_data(base):
    status, _, body = query(base, "SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }")
    assert status == 200 and not leaks(body)
    assert len(rows(body)) > 100


def test_graph_variable_sees_only_public_graphs(base):
    status, _, body = query(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    graphs = {row["g"]["value"] for row in rows(body)}
    assert status == 200 and graphs and graphs <= set(PUBLIC_GRAPHS)
    status, _, body = query(base, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not leaks(body)


@pytest.mark.parametrize("graph", PRIVATE_GRAPHS)
def test_naming_a_private_graph_in_graph_finds_nothing(base, graph):
    status, _, body = query(base, f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert status == 200 and rows(body) == []


@pytest.mark.parametrize("graph", [*PRIVATE_GRAPHS, "http://example.org/unknown-graph"])
@pytest.mark.parametrize(
    "how",
    ["FROM", "FROM NAMED", "default-graph-uri", "named-graph-uri"],
)
def test_private_or_unknown_graphs_in_the_dataset_are_refused_alike(base, graph, how):
    if how.startswith("FROM"):
        status, _, body = query(base, f"SELECT * {how} <{graph}> WHERE {{ ?s ?p ?o }}")
    else:
        status, _, body = query(base, "SELECT * WHERE { ?s ?p ?o }", **{how: graph})
    error = json.loads(body)
    assert status == 400
    # The same answer for a private graph that exists and one that does not: no oracle.
    assert error["message"].startswith(f"<{graph}> is not a public graph")


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX g: <https://w3id.org/reintegra/graph/private/> SELECT * FROM g:system "
        "WHERE { ?s ?p ?o }",
        "BASE <https://w3id.org/reintegra/graph/> SELECT * FROM <private/system> "
        "WHERE { ?s ?p ?o }",
        "SELECT * FROM <https://w3id.org/reintegra/graph/private\\u002Fsystem> WHERE { ?s ?p ?o }",
    ],
)
def test_disguised_private_graph_names_are_resolved_and_refused(base, text):
    status, _, body = query(base, text)
    assert status == 400 and "private/system> is not a public graph" in json.loads(body)["message"]


def test_describe_of_a_private_subject_is_empty(base):
    status, _, body = query(base, f"DESCRIBE <{PROFILE}>", accept="application/n-triples")
    assert status == 200 and len(Graph().parse(data=body, format="nt")) == 0


def test_describe_of_a_public_subject_omits_its_private_triples(base):
    status, _, body = query(base, f"DESCRIBE <{SERVICE_MAPPING}>", accept="application/n-triples")
    graph = Graph().parse(data=body, format="nt")
    assert status == 200 and len(graph) > 5 and not leaks(body)


def test_construct_over_everything_leaks_nothing(base):
    status, _, body = query(base, "CONSTRUCT WHERE { ?s ?p ?o }", accept="text/turtle")
    assert status == 200 and not leaks(body)


def test_graph_store_get_of_a_private_graph_is_404(base):
    status, _, body = raw_http(base, "GET", "/sparql/store", query={"graph": SYSTEM_GRAPH})
    assert status == 404
    status, _, body = raw_http(
        base,
        "GET",
        "/sparql/store",
        query={"default": ""},
        headers={"Accept": "application/n-triples"},
    )
    assert status == 200 and not leaks(body)


def test_query_page_shows_no_private_data(base):
    status, _, body = query(base, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", accept="text/html")
    assert status == 200 and b"<table>" in body and not leaks(body)
