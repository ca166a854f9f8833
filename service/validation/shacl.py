"""SHACL validation with pySHACL, turned into ``Violation`` records a designer can read."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from service.namespaces import RDFS, SH, SKOS
from service.store.bundle import ontology_files, shape_files
from service.store.embedded import to_oxigraph
from service.validation.model import VIOLATION, WARNING, Report, Violation, curie, term_text
from service.validation.sparql_constraints import SparqlConstraint, run_constraints, split_shapes


@lru_cache(maxsize=1)
def bundled_shapes() -> Graph:
    graph = Graph()
    for path in shape_files():
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def bundled_ontology() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def _bundled_split() -> tuple[Graph, list[SparqlConstraint]]:
    return split_shapes(bundled_shapes())


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Check a data graph against the shapes (default: the bundled ones) with the vocabulary.

    Core constraints run in pySHACL; SPARQL constraints run in bulk on pyoxigraph.
    """
    core, constraints = _bundled_split() if shapes is None else split_shapes(shapes)
    ontology = bundled_ontology()
    _, results, _ = pyshacl_validate(
        data,
        shacl_graph=core,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
    )
    violations = read_results(results, data, core)
    if constraints:
        store = ox.Store()
        store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in data)
        store.extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
            for s, p, o in ontology.triples((None, RDFS.subClassOf, None))
        )
        sparql = run_constraints(store, constraints)
        for violation in sparql:
            violation.shape = curie(URIRef(violation.shape)) if violation.shape else None
            if violation.focus:
                violation.label = label_of(data, URIRef(violation.focus))
        violations.extend(sparql)
    violations.sort(key=lambda v: (v.focus or "", v.path or "", v.message))
    return Report(violations=violations, triples=len(data))


def read_results(results: Graph, data: Graph, shapes: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = results.value(result, SH.resultSeverity)
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        path = results.value(result, SH.resultPath)
        found.append(
            Violation(
                message=str(message) if message is not None else "the item breaks a shape",
                severity=VIOLATION if severity == SH.Violation else WARNING,
                focus=str(focus) if focus is not None else None,
                label=label_of(data, focus) if focus is not None else None,
                path=path_text(results, path) if path is not None else None,
                value=term_text(value) if value is not None else None,
                shape=shape_name(shapes, shape),
            )
        )
    found.sort(key=lambda v: (v.focus or "", v.path or "", v.message))
    return found


def label_of(data: Graph, node: Node) -> str | None:
    """The English label of an item, else any label: what a designer recognises it by."""
    labels = list(data.objects(node, SKOS.prefLabel)) + list(data.objects(node, RDFS.label))
    for label in labels:
        if isinstance(label, Literal) and label.language == "en":
            return str(label)
    return str(labels[0]) if labels else None


def path_text(graph: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return curie(path)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(curie(p) for p in Collection(graph, alternatives))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + curie(inverse)
    return "(complex path)"


def shape_name(shapes: Graph, shape: Node | None) -> str | None:
    """A named shape's CURIE; for a nested property shape, the named shape that holds it."""
    if shape is None:
        return None
    if isinstance(shape, BNode):
        owner = shapes.value(None, SH.property, shape) or shapes.value(None, SH.sparql, shape)
        return curie(owner) if isinstance(owner, URIRef) else None
    return curie(shape)
