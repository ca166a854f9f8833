"""The store interface that both backends implement."""

from __future__ import annotations

import abc
import re
from collections.abc import Iterable, Mapping, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.namespaces import PUBLIC_GRAPHS, RG, SYSTEM_GRAPH

Term = URIRef | Literal | BNode
Row = dict[str, Term]

# Result formats the raw query interface understands, by media type.
SELECT_FORMATS = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_FORMATS = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
)


def sparql_term(term: Node) -> str:
    """A term in SPARQL/N-Triples syntax, for VALUES blocks and INSERT DATA."""
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


def ntriples_of(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    return "".join(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} .\n" for s, p, o in triples)


def values_clause(bindings: Mapping[str, Node]) -> str:
    names = list(bindings)
    head = " ".join("?" + n for n in names)
    row = " ".join(sparql_term(bindings[n]) for n in names)
    return f" VALUES ({head}) {{ ({row}) }} "


_WHERE = re.compile(r"WHERE\s*\{", re.IGNORECASE)


def bind_values(query: str, bindings: Mapping[str, Node] | None) -> str:
    """Bind variables with a VALUES block placed first in the query's WHERE group.

    Terms are serialised by rdflib, never spliced as text, so a bound value cannot change the
    query's structure. Both backends use this, so they give the same answers.
    """
    if not bindings:
        return query
    for name in bindings:
        if not name.isidentifier():
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    position = _main_where(query)
    if position is None:
        raise ValueError("a query with bound values needs an explicit WHERE { … }")
    return query[:position] + values_clause(bindings) + query[position:]


def _main_where(query: str) -> int | None:
    """Index just after the '{' of the outermost WHERE, skipping IRIs, strings and comments."""
    i, depth, n = 0, 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'":
            quote = query[i : i + 3] if query[i : i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and query[i : i + len(quote)] != quote:
                i += 2 if query[i] == "\\" else 1
            i += len(quote)
            continue
        elif c == "<":
            match = re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:])
            if match:
                i += match.end()
                continue
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c in "wW":
            match = _WHERE.match(query, i)
            if match:
                return match.end()
        i += 1
    return None


class Store(abc.ABC):
    """What the rest of the product may ask of a store."""

    #: Default graphs of reads that do not name any: the union of the public graphs.
    public_graphs: tuple[str, ...] = PUBLIC_GRAPHS

    @abc.abstractmethod
    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graphs: Sequence[str] | None = None,
    ) -> list[Row]:
        """Run a SELECT; rows map variable names to rdflib terms (unbound ones are absent).

        ``default_graphs`` None means the union of the public graphs; private data is only
        read by naming its graph.
        """

    @abc.abstractmethod
    def ask(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graphs: Sequence[str] | None = None,
    ) -> bool: ...

    @abc.abstractmethod
    def construct(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graphs: Sequence[str] | None = None,
    ) -> Graph: ...

    @abc.abstractmethod
    def query_raw(
        self,
        query: str,
        media_type: str,
        *,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
    ) -> bytes:
        """Run a query and serialise its result in ``media_type`` (one of the formats above)."""

    @abc.abstractmethod
    def update(self, update: str) -> None:
        """Apply a SPARQL update atomically: all of it or nothing."""

    def update_bound(self, update: str, bindings: Mapping[str, Node]) -> None:
        """Apply a one-operation update with its values in a VALUES block, never spliced.

        The update needs an explicit ``WHERE { … }`` (``INSERT { … } WHERE { }`` for data).
        """
        self.update(bind_values(update, bindings))

    @abc.abstractmethod
    def named_graphs(self) -> list[str]: ...

    @abc.abstractmethod
    def graph(self, graph: str) -> Graph:
        """The triples of one named graph."""

    def close(self) -> None:  # noqa: B027 - backends without resources keep the default
        """Release files or connections."""

    # Operations built on the primitives above; the same for every backend.

    def replace_graph(self, graph: str, triples: str, *, extra_update: str = "") -> None:
        """Replace a graph's content with N-Triples in one atomic update."""
        self.update(
            f"DROP SILENT GRAPH <{graph}> ;\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples}}} }}"
            + (f" ;\n{extra_update}" if extra_update else "")
        )

    def graph_size(self, graph: str) -> int:
        rows = self.select(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            {"g": URIRef(graph)},
            default_graphs=(),
        )
        return int(rows[0]["n"]) if rows else 0

    def source_hash(self, graph: str) -> str | None:
        """The content hash recorded when a graph was last loaded from files."""
        rows = self.select(
            "SELECT ?h WHERE { GRAPH ?sys { ?g ?p ?h } }",
            {"sys": URIRef(SYSTEM_GRAPH), "g": URIRef(graph), "p": RG.sourceHash},
            default_graphs=(),
        )
        return str(rows[0]["h"]) if rows else None

    def load_graph(self, graph: str, triples: str, source_hash: str) -> None:
        """Replace a graph and record the hash of its source, in the same transaction."""
        record = (
            f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ <{graph}> <{RG.sourceHash}> ?old }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> "
            f"{{ <{graph}> <{RG.sourceHash}> {Literal(source_hash).n3()} }} }}"
        )
        self.replace_graph(graph, triples, extra_update=record)
