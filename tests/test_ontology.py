"""The vocabulary: every term defined in four languages, and every term we use defined."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from service.namespaces import DCTERMS, LANGUAGES, OWL, RDF, RDFS, RG, SKOS
from service.store.bundle import framework_files, ontology_files, shape_files

ONTOLOGY_IRI = URIRef("https://w3id.org/reintegra/ontology")
SERVICE = Path(__file__).parent.parent / "service"


@cache
def ontology() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def terms() -> list[URIRef]:
    return sorted(
        s for s in set(ontology().subjects()) if isinstance(s, URIRef) and s.startswith(str(RG))
    )


def test_the_ontology_is_versioned():
    graph = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    assert graph.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert graph.value(ONTOLOGY_IRI, DCTERMS.modified) is not None


@pytest.mark.parametrize("prop", [RDFS.label, SKOS.definition], ids=["label", "definition"])
def test_every_term_has_text_in_every_language(prop):
    missing = []
    for term in terms():
        have = {o.language for o in ontology().objects(term, prop) if isinstance(o, Literal)}
        missing += [f"{term} {code}" for code in LANGUAGES if code not in have]
    assert not missing, missing


def test_labels_are_unique_per_language():
    seen: dict[tuple[str, str], URIRef] = {}
    clashes = []
    for term in terms():
        for label in ontology().objects(term, RDFS.label):
            key = (str(label), label.language)
            if key in seen:
                clashes.append((key, seen[key], term))
            seen[key] = term
    assert not clashes


def used_terms() -> set[URIRef]:
    """Every rg: IRI the framework, the shapes and the service's queries use."""
    used: set[URIRef] = set()
    for path in framework_files() + shape_files():
        graph = Graph().parse(path, format="turtle")
        used |= {t for triple in graph for t in triple if isinstance(t, URIRef)}
    rg = str(RG)
    for path in SERVICE.rglob("*.rq"):
        text = path.read_text()
        for word in text.replace("(", " ").replace(")", " ").split():
            if word.startswith("rg:") and len(word) > 3:
                used.add(URIRef(rg + word[3:].rstrip(".;,}")))
    return {t for t in used if t.startswith(rg)}


def test_every_term_we_use_is_defined():
    defined = set(terms())
    undefined = sorted(str(t) for t in used_terms() - defined)
    assert not undefined, undefined
