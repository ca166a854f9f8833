"""The SPARQL 1.1 Service Description of the endpoint, built from what it really offers."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from service.namespaces import PUBLIC_GRAPHS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def service_description(endpoint: str, allowlist: Iterable[str], limits: dict) -> Graph:
    """What a client may rely on: languages, formats, the public dataset and the limits."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("dcterms", DCTERMS)
    service = BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((service, DCTERMS.title, Literal("Reintegra competence framework", lang="en")))
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "Public, read-only queries over the ontology, shapes, framework and ESCO reference "
                f"data. Limits: {limits['timeout_ms']} ms per query, {limits['rows']} rows and "
                f"{limits['bytes']} bytes per answer (a cut answer carries the Reintegra-Truncated "
                "header), nesting depth "
                f"{limits['depth']}. Updates need an editor token.",
                lang="en",
            ),
        )
    )
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    for name in ("Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        graph.add((service, SD.inputFormat, FORMATS[name]))
    if list(allowlist):
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add(
        (default, DCTERMS.description, Literal("The union of the public named graphs.", lang="en"))
    )
    for iri in PUBLIC_GRAPHS:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(iri)))
    return graph


def serialize(graph: Graph, media_type: str) -> bytes:
    return graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")
