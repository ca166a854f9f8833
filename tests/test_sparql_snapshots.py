"""What the query workers read: the public graphs of the latest public change, and nothing else.

Workers copy the public graphs of a snapshot into memory. Saving a profile must not make them
copy again; an editor's commit must, and the next public query must see it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from sparql_support import close_app, editor_token, load_test_data, make_app

from api_client import CheckedClient, sample_profile
from conftest import free_port, wait_for
from service.namespaces import FRAMEWORK_GRAPH, HISTORY_GRAPH, PUBLIC_GRAPHS, SYSTEM_GRAPH
from service.records.tokens import create_token
from service.sparql.snapshots import OWNER_FILE, ROOT_PREFIX, may_change_public
from service.store import EmbeddedStore

PROFILE_GRAPH_IRI = "https://w3id.org/reintegra/graph/private/profile/p1"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ITEM = "https://w3id.org/reintegra/competence/service-mapping"
NEW_LABEL = "Mapping the services a migrant can use"
RELABEL = f"""PREFIX skos: <{SKOS}>
DELETE {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{ITEM}> skos:prefLabel ?old }} }}
INSERT {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <{ITEM}> skos:prefLabel "{NEW_LABEL}"@en }} }}
WHERE {{ GRAPH <{FRAMEWORK_GRAPH}> {{
  <{ITEM}> skos:prefLabel ?old FILTER (lang(?old) = "en") }} }}"""
LABEL_QUERY = f'SELECT ?l WHERE {{ <{ITEM}> <{SKOS}prefLabel> ?l FILTER (lang(?l) = "en") }}'


@pytest.mark.parametrize(
    "text",
    [
        f"INSERT DATA {{ GRAPH <{PROFILE_GRAPH_IRI}> {{ <a:s> <a:p> <a:o> }} }}",
        f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ <a:t> ?p ?o }} }}",
        f"DROP SILENT GRAPH <{PROFILE_GRAPH_IRI}> ; INSERT DATA {{ GRAPH <{HISTORY_GRAPH}> "
        '{ <a:s> <a:p> "a note that mentions GRAPH and the base of things" } }',
    ],
)
def test_updates_of_private_graphs_alone_leave_the_public_copy(text):
    assert may_change_public(text) is False


@pytest.mark.parametrize(
    "text",
    [
        f"INSERT DATA {{ GRAPH <{FRAMEWORK_GRAPH}> {{ <a:s> <a:p> <a:o> }} }}",
        # a private graph named, but a public one too
        f"INSERT DATA {{ GRAPH <{HISTORY_GRAPH}> {{ <a:s> <a:p> <a:o> }} }} ; "
        f"DELETE DATA {{ GRAPH <{PUBLIC_GRAPHS[0]}> {{ <a:s> <a:p> <a:o> }} }}",
        # graphs chosen by a variable: erasure of a profile everywhere
        f"DROP SILENT GRAPH <{PROFILE_GRAPH_IRI}> ; DELETE WHERE {{ GRAPH ?g {{ <a:s> ?p ?o }} }}",
        f"CLEAR SILENT ALL ; INSERT DATA {{ GRAPH <{PROFILE_GRAPH_IRI}> {{ <a:s> <a:p> 1 }} }}",
        # a prefix could spell a public graph without its full IRI
        "PREFIX g: <https://w3id.org/reintegra/graph/> INSERT DATA { GRAPH g:framework "
        f"{{ <a:s> <a:p> 1 }} }} ; DROP GRAPH <{PROFILE_GRAPH_IRI}>",
        f"BASE <https://w3id.org/reintegra/graph/> DROP GRAPH <{PROFILE_GRAPH_IRI}>",
        # no graph at all: the default graph
        "INSERT DATA { <a:s> <a:p> <a:o> }",
    ],
)
def test_anything_else_counts_as_a_public_change(text):
    assert may_change_public(text) is True


@pytest.fixture(params=["memory", "disk"])
def served(request, tmp_path):
    """The app over an in-memory store and over an on-disk one (whose snapshots are backups
    holding the private graphs too), both with private data in them."""
    store = EmbeddedStore(tmp_path / "store" if request.param == "disk" else None)
    load_test_data(store)
    app = make_app(store)
    yield app, app.test_client(), store
    close_app(app)
    store.close()


def label(client) -> list[str]:
    response = client.post(
        "/sparql",
        data={"query": LABEL_QUERY},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.data
    return [b["l"]["value"] for b in json.loads(response.data)["results"]["bindings"]]


def test_profiles_keep_the_workers_copy_and_an_edit_refreshes_it(served):
    app, client, store = served
    runtime = app.extensions["reintegra.sparql"]
    before = label(client)
    assert before and NEW_LABEL not in before
    generation = runtime.generation.value

    api = CheckedClient(client)
    created = api.post("/api/v1/profiles", json=sample_profile())
    assert created.status_code == 201, created.json
    replaced = api.put(
        f"/api/v1/profiles/{created.json['id']}",
        json=sample_profile(),
        token=created.json["token"],
    )
    assert replaced.status_code == 200, replaced.json
    create_token(store, "coordinator", "host-italy")
    assert runtime.generation.value == generation
    assert label(client) == before

    response = client.post(
        "/sparql",
        data=RELABEL,
        content_type="application/sparql-update",
        headers={"Authorization": f"Bearer {editor_token(store)}"},
    )
    assert response.status_code == 200, response.data
    assert runtime.generation.value > generation
    assert label(client) == [NEW_LABEL]


def test_workers_hold_only_the_public_graphs(served):
    app, client, _ = served
    api = CheckedClient(client)
    assert api.post("/api/v1/profiles", json=sample_profile()).status_code == 201
    runtime = app.extensions["reintegra.sparql"]
    # The usual public dataset runs as the copy's union default graph with all its named
    # graphs: that is only right if the copy holds nothing but the public graphs.
    with runtime.source() as source:
        reply = runtime.pool.run(
            {
                "op": "query",
                "query": "SELECT DISTINCT ?g WHERE { { GRAPH ?g { ?s ?p ?o } } UNION "
                "{ ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?g } }",
                "media_type": "text/tab-separated-values",
                "default_graphs": list(PUBLIC_GRAPHS),
                "named_graphs": list(PUBLIC_GRAPHS),
                "base_iri": None,
                "max_rows": 10_000,
                "max_bytes": 1 << 24,
                "source": source,
            },
            30,
        )
    found = {line.strip("<>") for line in reply["body"].decode().split("\n")[1:] if line}
    assert set(PUBLIC_GRAPHS) & found, found
    assert not any("/private/" in iri for iri in found)
    assert "https://w3id.org/reintegra/ontology#TrainerProfile" not in found


def test_snapshot_folders_of_dead_processes_are_removed_at_start(tmp_path):
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    abandoned = tmp_path / (ROOT_PREFIX + "killed")
    (abandoned / "snapshot-1").mkdir(parents=True)
    (abandoned / OWNER_FILE).write_text(gone.stdout.strip())
    alive = tmp_path / (ROOT_PREFIX + "alive")
    alive.mkdir()
    (alive / OWNER_FILE).write_text(str(os.getpid()))
    unknown = tmp_path / (ROOT_PREFIX + "unknown")
    unknown.mkdir()

    store = EmbeddedStore(tmp_path / "store")
    load_test_data(store)
    app = make_app(store)
    try:
        assert not abandoned.exists()
        assert alive.exists() and unknown.exists()
        own = app.extensions["reintegra.sparql"].snapshots.root
        assert own.parent == tmp_path and (own / OWNER_FILE).read_text() == str(os.getpid())
    finally:
        close_app(app)
        store.close()
    assert not own.exists()


def test_serve_stops_cleanly_on_sigterm(tmp_path):
    """A service manager's stop: workers gone, snapshots removed, store closed, exit 0."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service",
            "serve",
            "--data-dir",
            str(tmp_path / "data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", seconds=60)
        query = urlencode({"query": "ASK { ?s ?p ?o }"})
        with urlopen(f"http://127.0.0.1:{port}/sparql?{query}", timeout=30) as answer:
            assert json.loads(answer.read())["boolean"] is True
        workers = [
            int(pid)
            for pid in os.listdir("/proc")
            if pid.isdigit() and _parent(int(pid)) == process.pid
        ]
        assert len(workers) >= 2
        assert list(tmp_path.glob(ROOT_PREFIX + "*"))
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Reintegra stopped" in err
    assert not list(tmp_path.glob(ROOT_PREFIX + "*"))
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])
