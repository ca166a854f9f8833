"""Embedded backend: a pyoxigraph store on disk (or in memory for tests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.errors import BadRequest, ConfigError
from service.store.base import GRAPH_FORMATS, SELECT_FORMATS, Row, Store, bind_values

_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
assert set(_RESULT_FORMATS) == set(SELECT_FORMATS) and set(_RDF_FORMATS) == set(GRAPH_FORMATS)


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


class EmbeddedStore(Store):
    """pyoxigraph keeps every committed update on disk; an interrupted one leaves no trace."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        try:
            if self.path is not None:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
            else:
                self._store = ox.Store()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if "lock" in reason.lower():
                hint = "another reintegra process is using it; stop that one or pick another"
            else:
                hint = "check that the directory exists and that you may write to it"
            raise ConfigError(f"cannot open the store in {self.path}: {reason} ({hint})") from None

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for code that must stream large results."""
        return self._store

    def _dataset(self, default_graphs: Sequence[str] | None) -> dict:
        graphs = self.public_graphs if default_graphs is None else default_graphs
        return {"default_graph": [ox.NamedNode(g) for g in graphs]}

    def _run(self, query: str, bindings: Mapping[str, Node] | None, default_graphs):
        try:
            return self._store.query(bind_values(query, bindings), **self._dataset(default_graphs))
        except SyntaxError as exc:
            raise BadRequest(f"SPARQL syntax error: {exc}") from None

    def select(self, query, bindings=None, *, default_graphs=None) -> list[Row]:
        solutions = self._run(query, bindings, default_graphs)
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)
            rows.append(row)
        return rows

    def ask(self, query, bindings=None, *, default_graphs=None) -> bool:
        return bool(self._run(query, bindings, default_graphs))

    def construct(self, query, bindings=None, *, default_graphs=None) -> Graph:
        graph = Graph()
        for triple in self._run(query, bindings, default_graphs):
            graph.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )
        return graph

    def query_raw(self, query, media_type, *, default_graphs, named_graphs) -> bytes:
        try:
            result = self._store.query(
                query,
                default_graph=[ox.NamedNode(g) for g in default_graphs],
                named_graphs=[ox.NamedNode(g) for g in named_graphs],
            )
        except SyntaxError as exc:
            raise BadRequest(f"SPARQL syntax error: {exc}") from None
        if isinstance(result, ox.QueryTriples):
            return result.serialize(format=_RDF_FORMATS[media_type])
        return result.serialize(format=_RESULT_FORMATS[media_type])

    def update(self, update: str) -> None:
        try:
            self._store.update(update)
        except SyntaxError as exc:
            raise BadRequest(f"SPARQL update syntax error: {exc}") from None

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph(self, graph: str) -> Graph:
        result = Graph()
        for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            result.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return result

    def close(self) -> None:
        if self.path is not None:
            self._store.flush()
        del self._store
