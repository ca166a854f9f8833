"""Remote backend: any SPARQL 1.1 server (Oxigraph server, Fuseki, GraphDB, Virtuoso).

Reads go through the SPARQL 1.1 Query protocol with ``default-graph-uri`` and
``named-graph-uri`` naming the dataset; writes are single SPARQL 1.1 Update requests, which
SPARQL servers apply atomically.
"""

from __future__ import annotations

import ast
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import INSERT, JSON, POST, POSTDIRECTLY, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from service.errors import BadRequest, StoreUnavailable
from service.store.base import Row, Store, bind_values


def _term(binding: dict) -> Node:
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    if "xml:lang" in binding:
        return Literal(binding["value"], lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(binding["value"], datatype=URIRef(datatype))
    return Literal(binding["value"])


class RemoteStore(Store):
    def __init__(
        self,
        query_url: str,
        update_url: str,
        store_url: str | None = None,
        timeout_s: int = 30,
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.timeout_s = timeout_s

    def _client(self, query: str, default_graphs: Sequence[str], named_graphs=()) -> SPARQLWrapper:
        client = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url)
        client.setTimeout(self.timeout_s)
        client.setOnlyConneg(True)
        client.setMethod(POST)
        client.setQuery(query)
        if client.isSparqlUpdateRequest():
            # SPARQLWrapper guesses the form from the text and can take a word in a comment
            # ("loaded") for an update keyword; this client only ever sends queries.
            client.queryType = SELECT
        for g in default_graphs:
            client.addParameter("default-graph-uri", g)
        for g in named_graphs:
            client.addParameter("named-graph-uri", g)
        return client

    def _send(self, client: SPARQLWrapper, accept: str | None = None) -> bytes:
        if accept:
            client.addCustomHttpHeader("Accept", accept)
        try:
            response = client.query().response
            return response.read()
        except QueryBadFormed as exc:
            raise BadRequest(f"SPARQL syntax error: {_server_message(exc)}") from None
        except urllib.error.HTTPError as exc:
            raise StoreUnavailable(
                f"the remote store at {client.endpoint} answered HTTP {exc.code}: {exc.reason}"
            ) from None
        except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreUnavailable(
                f"the remote store at {client.endpoint} cannot be reached ({reason}); "
                "check that it is running and that the URL is right"
            ) from None
        except SPARQLWrapperException as exc:
            raise StoreUnavailable(
                f"the remote store at {client.endpoint} failed: {_server_message(exc)}"
            ) from None

    def _query(self, query, bindings, default_graphs, accept) -> bytes:
        query = bind_values(query, bindings)
        graphs = self.public_graphs if default_graphs is None else default_graphs
        # No graphs named: the server's own default graph, which this product never writes to,
        # and every named graph for GRAPH patterns, as with the embedded store.
        return self._send(self._client(query, list(graphs)), accept)

    def select(self, query, bindings=None, *, default_graphs=None) -> list[Row]:
        body = json.loads(
            self._query(query, bindings, default_graphs, "application/sparql-results+json")
        )
        return [
            {name: _term(value) for name, value in row.items()}
            for row in body["results"]["bindings"]
        ]

    def ask(self, query, bindings=None, *, default_graphs=None) -> bool:
        body = json.loads(
            self._query(query, bindings, default_graphs, "application/sparql-results+json")
        )
        return bool(body["boolean"])

    def construct(self, query, bindings=None, *, default_graphs=None) -> Graph:
        data = self._query(query, bindings, default_graphs, "application/n-triples")
        return Graph().parse(data=data, format="nt")

    def query_raw(self, query, media_type, *, default_graphs, named_graphs) -> bytes:
        client = self._client(
            query,
            list(default_graphs) or ["urn:reintegra:empty"],
            list(named_graphs) or ["urn:reintegra:empty"],
        )
        return self._send(client, media_type)

    def update(self, update: str) -> None:
        client = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url)
        client.setTimeout(self.timeout_s)
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
        client.setQuery(update)
        if not client.isSparqlUpdateRequest():
            client.queryType = INSERT  # the guess read a comment; this is always an update
        client.setReturnFormat(JSON)
        self._send(client)

    def named_graphs(self) -> list[str]:
        client = self._client("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", [])
        body = json.loads(self._send(client, "application/sparql-results+json"))
        return sorted(row["g"]["value"] for row in body["results"]["bindings"])

    def graph(self, graph: str) -> Graph:
        """Through the Graph Store Protocol when its URL is known, else a CONSTRUCT."""
        if self.store_url:
            url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
            request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    return Graph().parse(data=response.read(), format="nt")
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    return Graph()
                raise StoreUnavailable(
                    f"the remote store at {self.store_url} answered HTTP {exc.code}: {exc.reason}"
                ) from None
            except (urllib.error.URLError, OSError) as exc:
                raise StoreUnavailable(
                    f"the remote store at {self.store_url} cannot be reached "
                    f"({getattr(exc, 'reason', exc)}); check that it is running"
                ) from None
        return self.construct(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            {"g": URIRef(graph)},
            default_graphs=(),
        )


def _server_message(exc: Exception) -> str:
    text = str(exc)
    marker = "Response:\n"
    if marker in text:
        text = text.split(marker, 1)[1].strip()
        if text[:2] in ("b'", 'b"'):
            text = ast.literal_eval(text).decode("utf-8", "replace")
    return text.strip()
