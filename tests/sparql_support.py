"""Shared pieces of the SPARQL endpoint tests: stores with private data, a live server, tokens.

Every store holds the real ontology and shapes, the fixture framework, a small ESCO extract
with occupation–skill relations (``tests/data/sparql/``) and private graphs with secrets that
no public query may reveal.
"""

from __future__ import annotations

import contextlib
import http.client
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from werkzeug.serving import make_server

from conftest import fixture_sources
from service.app import create_app
from service.namespaces import ESCO_GRAPH, HISTORY_GRAPH, PROFILE_GRAPH
from service.records.tokens import create_token
from service.store import EmbeddedStore, RemoteStore, Store
from service.store.bundle import Source, load_sources

DATA = Path(__file__).parent / "data" / "sparql"
PRIVATE_PROFILE = PROFILE_GRAPH + "p1"
SECRET = "Secret Ana from the private profile"
PRIVATE_NOTE = "private note about a public competence"
PRIVATE_TRIPLES = f"""
<https://w3id.org/reintegra/profile/p1> a <https://w3id.org/reintegra/ontology#TrainerProfile> ;
  <https://schema.org/name> "{SECRET}" .
<https://w3id.org/reintegra/competence/service-mapping>
  <https://w3id.org/reintegra/ontology#editorialSecret> "{PRIVATE_NOTE}" .
"""


def load_test_data(store: Store) -> None:
    """The fixture framework, the ESCO extract and the private secrets."""
    load_sources(store, [*fixture_sources(), Source(ESCO_GRAPH, (DATA / "esco.ttl",))])
    store.update(
        f"INSERT DATA {{ GRAPH <{PRIVATE_PROFILE}> {{ {PRIVATE_TRIPLES} }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{HISTORY_GRAPH}> {{ {PRIVATE_TRIPLES} }} }}"
    )


def make_app(store: Store, **settings):
    config = {
        "data_dir": "",
        "load_bundled": False,
        "sparql_timeout_ms": 10_000,
        "sparql_workers": 2,
        **settings,
    }
    return create_app(config, store=store)


def close_app(app) -> None:
    app.extensions["reintegra.sparql"].close()


@contextlib.contextmanager
def live_server(app) -> Iterator[str]:
    """The app on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def editor_token(store: Store) -> str:
    return create_token(store, "editor", "Test partner")[1]


def coordinator_token(store: Store) -> str:
    return create_token(store, "coordinator", "Test partner")[1]


def raw_http(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    query: dict | list | None = None,
):
    """One request exactly as given (no Content-Type added): (status, headers, body)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    target = path + ("?" + urlencode(query, doseq=True) if query else "")
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def backend_store(request, backend: str) -> Store:
    """An empty store of the backend; the remote one is the session's Oxigraph server, cleared."""
    if backend == "embedded":
        return EmbeddedStore()
    base = request.getfixturevalue("oxigraph_server")
    store = RemoteStore(base + "/query", base + "/update", base + "/store")
    store.update("DROP ALL")
    return store


@contextlib.contextmanager
def serving(request, backend: str, **settings) -> Iterator[tuple[str, Store, object]]:
    """A live server with the test data over a backend: (base URL, store, app)."""
    store = backend_store(request, backend)
    load_test_data(store)
    app = make_app(store, **settings)
    try:
        with live_server(app) as url:
            yield url, store, app
    finally:
        close_app(app)
