"""REST API reads on a remote store: one freshness check per request against one per view.

Starts a real Oxigraph server on 127.0.0.1, loads the bundled framework into it, and times
framework reads through the app (Flask's test client, so only the store's round trips and our
own work are measured). The same requests run side by side with the catalogue version read
once per request (what the service does) and re-read by every cached view (how it was), and
the script prints the median per request, the store queries per request and the ratio.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from rdflib import URIRef

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.app import create_app  # noqa: E402
from service.namespaces import FRAMEWORK_GRAPH, HISTORY_GRAPH, ONTOLOGY_GRAPH  # noqa: E402
from service.store import RemoteStore  # noqa: E402
from service.store.bundle import load_bundled  # noqa: E402
from service.web.api import catalogue_cache  # noqa: E402
from service.web.context import get_store  # noqa: E402

RUNS = 60
URLS = (
    "/api/v1/competences/{competence}",
    "/api/v1/roles/{role}",
    "/api/v1/activities?country=IT",
    "/api/v1/competences?q=language",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else "oxigraph"


# How the version was read before: two source hashes and the newest change, three queries.
OLD_LAST_CHANGE = """
PREFIX rg: <https://w3id.org/reintegra/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?time WHERE { GRAPH ?history { ?change a rg:ChangeRecord ; prov:endedAtTime ?time } }
ORDER BY DESC(?time) LIMIT 1
"""


def per_view_version(app):
    """The old rule: every cached view asked the store for the version again, in 3 queries."""
    store = get_store(app)
    parts = [store.source_hash(g) or "-" for g in (ONTOLOGY_GRAPH, FRAMEWORK_GRAPH)]
    rows = store.select(OLD_LAST_CHANGE, {"history": URIRef(HISTORY_GRAPH)}, default_graphs=())
    parts.append(str(rows[0]["time"]) if rows else "-")
    return ":".join(parts), app.extensions.get(catalogue_cache._COUNTER, 0)


class Counting(RemoteStore):
    queries = 0

    def select(self, *args, **kwargs):
        Counting.queries += 1
        return super().select(*args, **kwargs)


def measure(client, urls: list[str]) -> tuple[float, float]:
    times, queries = [], []
    for _ in range(RUNS):
        for url in urls:
            Counting.queries = 0
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            queries.append(Counting.queries)
            assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, statistics.mean(queries)


def main() -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as location:
        server = subprocess.Popen(
            [oxigraph(), "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            store = Counting(base + "/query", base + "/update", base + "/store")
            load_bundled(store)
            app = create_app({"load_bundled": False}, store=store)
            client = app.test_client()
            answer = client.get("/api/v1/roles")
            assert answer.status_code == 200, answer.json
            roles = answer.json["roles"]
            competences = client.get("/api/v1/competences").json["competences"]
            urls = [u.format(role=roles[0]["id"], competence=competences[0]["id"]) for u in URLS]
            for url in urls:  # warm every cached view
                client.get(url)
            now = measure(client, urls)
            kept = catalogue_cache._version
            catalogue_cache._version = per_view_version
            try:
                before = measure(client, urls)
            finally:
                catalogue_cache._version = kept
            print(f"remote store (Oxigraph server), {len(urls)} read routes x {RUNS} runs")
            print(f"  version once per request:  {now[0]:6.2f} ms median, {now[1]:.1f} queries")
            print(
                f"  version once per view:    {before[0]:6.2f} ms median, {before[1]:.1f} queries"
            )
            print(f"  speed-up per request: {before[0] / now[0]:.1f}x")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
