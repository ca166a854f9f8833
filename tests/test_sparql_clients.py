"""Real clients against a real server: SPARQLWrapper in four formats and rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from sparql_support import serving
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from service.namespaces import FRAMEWORK_GRAPH

RG = "https://w3id.org/reintegra/ontology#"
LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]
LEVEL_QUERY = f"""
PREFIX rg: <{RG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?level ?notation WHERE {{ ?level a rg:ProficiencyLevel ; skos:notation ?notation ;
  rg:rank ?rank }} ORDER BY ?rank
"""


@pytest.fixture(scope="module", params=["embedded", "remote"])
def endpoint(request):
    with serving(request, request.param) as (url, _, _):
        yield url + "/sparql"


def wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_json(endpoint):
    result = wrapper(endpoint, LEVEL_QUERY, JSON).queryAndConvert()
    assert [b["notation"]["value"] for b in result["results"]["bindings"]] == LEVELS


def test_sparqlwrapper_xml(endpoint):
    document = wrapper(endpoint, LEVEL_QUERY, XML).queryAndConvert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == LEVELS


def test_sparqlwrapper_csv(endpoint):
    data = wrapper(endpoint, LEVEL_QUERY, CSV).queryAndConvert()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [row["notation"] for row in rows] == LEVELS
    assert rows[0]["level"] == "https://w3id.org/reintegra/level/A1"


def test_sparqlwrapper_turtle_construct(endpoint):
    query = f"CONSTRUCT {{ ?level <{RG}rank> ?rank }} WHERE {{ ?level <{RG}rank> ?rank }}"
    data = wrapper(endpoint, query, TURTLE).queryAndConvert()
    graph = Graph().parse(data=data, format="turtle")
    ranks = sorted(int(o) for o in graph.objects(None, URIRef(RG + "rank")))
    assert ranks == [1, 2, 3, 4, 5, 6]


def test_sparqlwrapper_ask_and_post(endpoint):
    client = wrapper(endpoint, f"ASK {{ ?s a <{RG}Competence> }}", JSON)
    client.setMethod("POST")
    assert client.queryAndConvert()["boolean"] is True


def test_sparqlwrapper_gets_a_syntax_error_as_an_exception(endpoint):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed):
        wrapper(endpoint, "SELECT * WHERE { ?s ?p }", JSON).queryAndConvert()


def test_rdflib_sparqlstore(endpoint):
    store = SPARQLStore(endpoint)
    graph = Graph(store=store)
    rows = list(graph.query(LEVEL_QUERY))
    assert [str(row.notation) for row in rows] == LEVELS
    assert (URIRef("https://w3id.org/reintegra/level/A1"), URIRef(RG + "rank"), Literal(1)) in graph
    store.close()


def test_rdflib_sparqlstore_named_graph(endpoint):
    store = SPARQLStore(endpoint)
    graph = Graph(store=store, identifier=URIRef(FRAMEWORK_GRAPH))
    found = list(graph.triples((None, URIRef(RG + "rank"), Literal(6))))
    assert [str(s) for s, _, _ in found] == ["https://w3id.org/reintegra/level/C2"]
    store.close()
