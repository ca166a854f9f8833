"""The limits that keep the endpoint up: time, rows, bytes, request size, nesting, federation."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time

import pytest
from rdflib import Graph
from sparql_support import (
    close_app,
    editor_token,
    live_server,
    load_test_data,
    make_app,
    raw_http,
    serving,
)

from conftest import free_port, oxigraph_command, wait_for
from service.store import RemoteStore

# Four unrelated patterns over ~2,000 triples: about 10^13 solutions to count, hours of work.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "SELECT ?level WHERE { ?level a <https://w3id.org/reintegra/ontology#ProficiencyLevel> }"


def ask(base, text, **headers):
    return raw_http(
        base,
        "GET",
        "/sparql",
        query={"query": text},
        headers={"Accept": "application/sparql-results+json", **headers},
    )


@pytest.fixture
def own_oxigraph(tmp_path):
    """An Oxigraph server of this test's own, so an abandoned slow query burns nobody else's CPU."""
    port = free_port()
    process = subprocess.Popen(
        [
            oxigraph_command(),
            "serve",
            "--location",
            str(tmp_path / "db"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query?query=ASK%7B%7D")
        yield base
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.mark.parametrize("backend", ["embedded", "remote"])
def test_slow_query_is_cut_while_others_are_answered(request, backend):
    if backend == "embedded":
        from service.store import EmbeddedStore

        store = EmbeddedStore()
    else:
        base = request.getfixturevalue("own_oxigraph")
        store = RemoteStore(base + "/query", base + "/update", base + "/store")
    load_test_data(store)
    app = make_app(store, sparql_timeout_ms=1500, sparql_workers=2)
    app.extensions["reintegra.sparql"].pool.warm_up()
    slow: dict = {}
    try:
        with live_server(app) as url:

            def run_slow():
                slow["started"] = time.monotonic()
                slow["answer"] = ask(url, ENDLESS)
                slow["seconds"] = time.monotonic() - slow["started"]

            thread = threading.Thread(target=run_slow)
            thread.start()
            time.sleep(0.2)  # the slow query is now running in one worker
            timings = []
            while thread.is_alive():
                started = time.monotonic()
                status, _, body = ask(url, QUICK)
                timings.append((started, time.monotonic() - started))
                assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 6
            thread.join()
            # Answers given while the slow query ran, before the limit stopped it.
            cut = slow["started"] + 1.5
            latencies = [took for started, took in timings if started + took < cut]
            status, headers, body = slow["answer"]
            error = json.loads(body)  # a complete error body, not a cut-off 200
            assert status == 503 and error["code"] == "query_timeout"
            assert "time limit of 1.5 s" in error["message"]
            assert 1.5 <= slow["seconds"] < 5
            assert len(latencies) >= 5 and max(latencies) < 0.1
            # The killed worker is replaced: the pool still answers afterwards.
            assert ask(url, QUICK)[0] == 200
    finally:
        close_app(app)


@pytest.fixture(scope="module", params=["embedded", "remote"])
def capped(request):
    """A server with tiny caps, over each backend."""
    with serving(
        request, request.param, max_result_rows=5, max_body_bytes=4000, max_response_bytes=6000
    ) as served:
        yield served


def test_row_cap_truncates_and_says_so(capped):
    base = capped[0]
    status, headers, body = ask(base, "SELECT * WHERE { ?s ?p ?o }")
    data = json.loads(body)
    assert status == 200 and len(data["results"]["bindings"]) == 5
    assert headers["Reintegra-Truncated"] == "rows" and headers["Reintegra-Limit"] == "5"
    assert data["truncated"] == {"reason": "rows", "limit": 5}
    status, headers, body = raw_http(
        base,
        "GET",
        "/sparql",
        headers={"Accept": "text/csv"},
        query={"query": "SELECT * WHERE { ?s ?p ?o }"},
    )
    assert len(body.decode().strip().splitlines()) == 6 and headers["Reintegra-Truncated"] == "rows"
    status, headers, body = raw_http(
        base,
        "GET",
        "/sparql",
        headers={"Accept": "text/turtle"},
        query={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
    )
    assert len(Graph().parse(data=body, format="turtle")) == 5


def test_small_answers_are_not_marked(capped):
    status, headers, body = ask(capped[0], QUICK + " LIMIT 5")
    assert status == 200 and "Reintegra-Truncated" not in headers
    assert "truncated" not in json.loads(body)


def test_byte_cap_cuts_whole_rows(request):
    with serving(request, "embedded", max_response_bytes=1500) as (base, _, _):
        text = "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2004/02/skos/core#definition> ?o }"
        status, headers, body = ask(base, text)
        data = json.loads(body)  # still valid JSON: whole rows were dropped, none was cut
        assert status == 200 and len(body) <= 1500
        assert headers["Reintegra-Truncated"] == "bytes" and 0 < len(data["results"]["bindings"])


def test_oversized_bodies_are_413(capped):
    base = capped[0]
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    status, _, body = raw_http(
        base,
        "POST",
        "/sparql",
        body=big.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 413
    status, _, _ = raw_http(
        base,
        "POST",
        "/sparql",
        body=("query=" + big).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 413
    status, _, _ = ask(base, big)
    assert status == 413


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, "deeper than 64"),
        ("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "deeper than 64"),
        ("SELECT * WHERE { ?s <p> " + "( " * 5000 + ")" * 5000 + " }", "deeper than 64"),
        ("SELECT * WHERE {" + " OPTIONAL { ?s ?p ?o }" * 3000 + " }", "more than 10000 tokens"),
        ("SELECT * WHERE {" + " ?s <p> ?o ." * 3000 + " }", "more than 10000 tokens"),
    ],
)
@pytest.mark.parametrize("backend", ["embedded", "remote"])
def test_hostile_queries_get_400_and_the_service_stays_up(request, backend, text, reason):
    with serving(request, backend, max_body_bytes=200_000) as (base, _, _):
        status, _, body = raw_http(
            base,
            "POST",
            "/sparql",
            body=text.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
        assert status == 400 and reason in json.loads(body)["message"]
        assert ask(base, "ASK {}")[0] == 200


def test_a_query_that_crashes_a_worker_leaves_the_service_up(request):
    """Past the guard (limits raised for this test), a crash costs one worker, not the server."""
    with serving(
        request, "embedded", max_query_depth=10**6, max_query_tokens=10**7, max_body_bytes=1_000_000
    ) as (base, _, _):
        text = "SELECT * WHERE " + "{" * 200_000 + "}" * 200_000
        status, _, body = raw_http(
            base,
            "POST",
            "/sparql",
            body=text.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
        assert status == 503 and "stopped the worker" in json.loads(body)["message"]
        status, _, body = ask(base, QUICK)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 6


class Listener:
    """A TCP port on 127.0.0.1 that records whether anything connected to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    found = Listener()
    yield found
    found.close()


@pytest.mark.parametrize("backend", ["embedded", "remote"])
def test_service_and_load_are_refused_before_any_connection(request, backend, listener):
    with serving(request, backend) as (base, store, _):
        status, _, body = ask(base, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        assert status == 400 and "not allowed" in json.loads(body)["message"]
        token = editor_token(store)
        for source in (listener.url, "file:///etc/passwd"):
            update = f"LOAD <{source}> INTO GRAPH <https://w3id.org/reintegra/graph/framework>"
            status, _, body = raw_http(
                base,
                "POST",
                "/sparql",
                body=update.encode(),
                headers={
                    "Content-Type": "application/sparql-update",
                    "Authorization": f"Bearer {token}",
                },
            )
            assert status == 400 and "not allowed" in json.loads(body)["message"]
        time.sleep(0.5)
        assert listener.connections == 0


def test_an_allowlisted_service_is_reached(request, listener):
    """The positive control: with the endpoint allowlisted, SERVICE does connect."""
    with serving(request, "embedded", service_allowlist=listener.url, sparql_timeout_ms=3000) as (
        base,
        _,
        _,
    ):
        status, _, _ = ask(base, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        time.sleep(0.3)
        assert listener.connections >= 1
        assert status >= 400  # the listener hangs up without answering
