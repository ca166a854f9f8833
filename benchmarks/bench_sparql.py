"""SPARQL endpoint speed: our /sparql against an Oxigraph server and an rdflib endpoint.

All three hold the same data: the bundled ontology, shapes and framework plus the full ESCO
extract from ``../shared/esco`` converted to RDF here (or a synthetic graph of the same size
when the extract is absent). The extract has no occupation–skill relations, so each occupation
gets 10 essential and 8 optional skills drawn with a fixed seed.

Prints, side by side in one run, the median latency of the six example queries and five
ESCO-scale queries on each server with the ratios, then throughput with 8 concurrent clients.
Targets: within 1.5x of the Oxigraph server, at least 20x faster than rdflib.

    python benchmarks/bench_sparql.py [--runs 15] [--rdflib-runs 3] [--seconds 8]
"""

from __future__ import annotations

import argparse
import csv
import http.client
import logging
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.app import create_app  # noqa: E402
from service.bundle import load_bundled  # noqa: E402
from service.namespaces import ESCO_GRAPH, PUBLIC_GRAPHS  # noqa: E402
from service.sparql.examples import examples  # noqa: E402
from service.store import EmbeddedStore  # noqa: E402

ESCO_DIR = ROOT.parent / "shared" / "esco"
ESCO = "http://data.europa.eu/esco/model#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ISCO = "http://data.europa.eu/esco/isco/C"
LANGUAGE_TEACHER = "http://data.europa.eu/esco/occupation/9711dcfc-d9a8-4fba-9c5e-8428d8bcb53e"
PREFIXES = (
    f"PREFIX esco: <{ESCO}> PREFIX skos: <{SKOS}> "
    "PREFIX rg: <https://w3id.org/reintegra/ontology#>\n"
)
ESCO_QUERIES = {
    "label search": PREFIXES
    + """SELECT ?concept ?label WHERE {
  ?concept skos:prefLabel|skos:altLabel ?label .
  FILTER (CONTAINS(LCASE(STR(?label)), "migrant")) }""",
    "skill->occupation join": PREFIXES
    + """SELECT ?competence ?occupation ?label WHERE {
  ?competence a rg:Competence ; skos:closeMatch|skos:relatedMatch|skos:broadMatch ?skill .
  ?occupation esco:relatedEssentialSkill ?skill ; skos:prefLabel ?label . }""",
    "broader* hierarchy": PREFIXES
    + f"""SELECT ?occupation ?label WHERE {{
  ?occupation skos:broader* <{ISCO}2> ; a esco:Occupation ; skos:prefLabel ?label . }}""",
    "COUNT GROUP BY": PREFIXES
    + """SELECT ?occupation (COUNT(?skill) AS ?skills) WHERE {
  ?occupation esco:relatedEssentialSkill|esco:relatedOptionalSkill ?skill }
GROUP BY ?occupation ORDER BY DESC(?skills) ?occupation LIMIT 20""",
    "DESCRIBE": f"DESCRIBE <{LANGUAGE_TEACHER}>",
}


# --- data ------------------------------------------------------------------------------------


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _label(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def esco_quads(rng: random.Random) -> tuple[list[ox.Quad], str]:
    """ESCO as RDF: from the extract when it is there, else synthetic with the same counts."""
    graph = _n(ESCO_GRAPH)
    quads: list[ox.Quad] = []

    def add(s: str, p: str, o) -> None:
        quads.append(ox.Quad(_n(s), _n(p), o if not isinstance(o, str) else _n(o), graph))

    if (ESCO_DIR / "skills.csv").exists():
        skills_rows = list(csv.DictReader((ESCO_DIR / "skills.csv").open(encoding="utf-8")))
        occupation_rows = list(
            csv.DictReader((ESCO_DIR / "occupations.csv").open(encoding="utf-8"))
        )
        source = f"ESCO extract in {ESCO_DIR}"
    else:
        skills_rows = [
            {
                "conceptUri": f"http://data.europa.eu/esco/skill/synthetic-{i}",
                "preferredLabel": f"synthetic skill {i} migrant"
                if i % 97 == 0
                else f"synthetic skill {i}",
                "altLabels": "",
                "skillType": "",
                "reuseLevel": "",
                "description": "",
                "text": "",
            }
            for i in range(13_939)
        ]
        occupation_rows = [
            {
                "conceptUri": f"http://data.europa.eu/esco/occupation/synthetic-{i}",
                "iscoGroup": f"{2000 + i % 900}",
                "code": f"{2000 + i % 900}.{i}",
                "preferredLabel": f"synthetic occupation {i}",
                "altLabels": "",
                "description": "",
            }
            for i in range(3_007)
        ]
        occupation_rows.append(
            {
                "conceptUri": LANGUAGE_TEACHER,
                "iscoGroup": "2353",
                "code": "2353.1",
                "preferredLabel": "language school teacher",
                "altLabels": "",
                "description": "",
            }
        )
        source = "synthetic ESCO-sized graph (the extract is absent)"
    skills = []
    for row in skills_rows:
        uri = row["conceptUri"]
        skills.append(uri)
        add(uri, RDF_TYPE, ESCO + "Skill")
        label = row["preferredLabel"] or " ".join(row["text"].split()[:6])
        add(uri, SKOS + "prefLabel", _label(label))
        for alt in filter(None, (a.strip() for a in row["altLabels"].split("\n"))):
            add(uri, SKOS + "altLabel", _label(alt))
        if row["skillType"]:
            kind = "knowledge" if row["skillType"] == "knowledge" else "skill"
            add(uri, ESCO + "skillType", f"http://data.europa.eu/esco/skill-type/{kind}")
        if row["reuseLevel"]:
            add(
                uri,
                ESCO + "skillReuseLevel",
                f"http://data.europa.eu/esco/skill-reuse-level/{row['reuseLevel']}",
            )
        if row["description"]:
            add(uri, DCT + "description", _label(row["description"]))
    by_code = {row["code"]: row["conceptUri"] for row in occupation_rows}
    groups: set[str] = set()
    for row in occupation_rows:
        uri, code = row["conceptUri"], row["code"]
        add(uri, RDF_TYPE, ESCO + "Occupation")
        add(uri, SKOS + "prefLabel", _label(row["preferredLabel"]))
        add(uri, SKOS + "notation", ox.Literal(code))
        for alt in filter(None, (a.strip() for a in row["altLabels"].split("\n"))):
            add(uri, SKOS + "altLabel", _label(alt))
        if row["description"]:
            add(uri, DCT + "description", _label(row["description"]))
        parent = code.rsplit(".", 1)[0] if "." in code else ""
        add(uri, SKOS + "broader", by_code.get(parent) or ISCO + row["iscoGroup"])
        groups.add(row["iscoGroup"])
        for skill in rng.sample(skills, 18):
            relation = "relatedEssentialSkill" if len(quads) % 18 < 10 else "relatedOptionalSkill"
            add(uri, ESCO + relation, skill)
    for group in sorted(groups):
        for length in range(len(group), 0, -1):
            code = group[:length]
            add(ISCO + code, RDF_TYPE, ESCO + "ISCOGroup")
            if length > 1:
                add(ISCO + code, SKOS + "broader", ISCO + code[:-1])
    # The framework maps to real ESCO skills; relate them to occupations so joins find rows.
    for skill in (
        "a9ead737-a7cd-4046-adea-1ff7326db09f",
        "f524f72e-d3d0-4691-9c57-d19756d8b847",
        "7d23c508-c007-4221-bb84-0c9a479b8ea6",
        "e3ef4981-2cba-4b34-b273-728c3a33d04f",
    ):
        for row in rng.sample(occupation_rows, 40):
            add(
                row["conceptUri"],
                ESCO + "relatedEssentialSkill",
                "http://data.europa.eu/esco/skill/" + skill,
            )
    return quads, source


# --- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(host: str, port: int, path: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on {host}:{port}")


class Server:
    """One endpoint under test: how to reach it and which extra parameters it needs."""

    def __init__(self, name: str, port: int, path: str, params: list[tuple[str, str]]):
        self.name, self.port, self.path, self.params = name, port, path, params

    def request(self, connection: http.client.HTTPConnection, query: str) -> bytes:
        body = urllib.parse.urlencode([("query", query), *self.params])
        accept = (
            "application/n-triples"
            if query.lstrip().upper().startswith(("DESCRIBE", "CONSTRUCT"))
            else "application/sparql-results+json"
        )
        connection.request(
            "POST",
            self.path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        response = connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{self.name}: HTTP {response.status}: {data[:300]!r}")
        return data

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)


def start_ours(store: EmbeddedStore) -> tuple[Server, Callable[[], None]]:
    from waitress.server import create_server

    app = create_app(
        {"data_dir": str(store.path), "load_bundled": False, "max_result_rows": 100_000},
        store=store,
    )
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for("127.0.0.1", port, "/healthz")
    app.extensions["reintegra.sparql"].pool.warm_up()

    def stop() -> None:
        server.close()
        app.extensions["reintegra.sparql"].close()

    return Server("ours", port, "/sparql", []), stop


def start_oxigraph(dump: Path, workdir: Path) -> tuple[Server, Callable[[], None]]:
    command = str(Path(sys.executable).parent / "oxigraph")
    if not Path(command).exists():
        command = shutil.which("oxigraph") or "oxigraph"
    location = workdir / "oxigraph-server"
    subprocess.run(
        [command, "load", "--location", str(location), "--file", str(dump)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [command, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for("127.0.0.1", port, "/query?query=ASK%7B%7D")
    params = [("default-graph-uri", g) for g in PUBLIC_GRAPHS]
    params += [("named-graph-uri", g) for g in PUBLIC_GRAPHS]

    def stop() -> None:
        process.terminate()
        process.wait(timeout=30)

    return Server("oxigraph", port, "/query", params), stop


def start_rdflib(dump: Path) -> tuple[Server, Callable[[], None]]:
    """A plain rdflib endpoint: a Dataset with a union default graph behind a WSGI handler."""
    from rdflib import Dataset
    from waitress.server import create_server

    dataset = Dataset(default_union=True)
    dataset.parse(dump, format="nquads")

    def app(environ, start_response):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = urllib.parse.parse_qs(environ["wsgi.input"].read(size).decode())
        result = dataset.query(form["query"][0])
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            body, media = (
                result.graph.serialize(format="nt", encoding="utf-8"),
                "application/n-triples",
            )
        else:
            body, media = result.serialize(format="json"), "application/sparql-results+json"
        start_response("200 OK", [("Content-Type", media)])
        return [body]

    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return Server("rdflib", port, "/sparql", []), server.close


# --- measuring -------------------------------------------------------------------------------


def median_ms(server: Server, query: str, runs: int) -> tuple[float, int]:
    connection = server.connect()
    server.request(connection, query)  # warm-up, and the size of the answer
    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(server.request(connection, query))
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    return statistics.median(times), size


def throughput(server: Server, queries: list[str], seconds: float, clients: int = 8) -> float:
    stop_at = time.monotonic() + seconds
    counts = [0] * clients

    def client(index: int) -> None:
        connection = server.connect()
        rng = random.Random(index)
        while time.monotonic() < stop_at:
            server.request(connection, rng.choice(queries))
            counts[index] += 1
        connection.close()

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return sum(counts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query and server")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="timed runs on rdflib")
    parser.add_argument("--seconds", type=float, default=8, help="throughput duration")
    args = parser.parse_args()
    logging.getLogger("waitress").setLevel(logging.ERROR)  # "task queue depth" under load

    workdir = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    stops: list[Callable[[], None]] = []
    try:
        store = EmbeddedStore(workdir / "ours")
        load_bundled(store)
        quads, source = esco_quads(random.Random(42))
        store.oxigraph.bulk_extend(quads)
        store.oxigraph.flush()
        dump = workdir / "data.nq"
        _dump_public(store, dump)
        total = sum(1 for _ in dump.open(encoding="utf-8"))
        print(f"data: {total:,} quads (bundled framework + {source})")

        ours, stop = start_ours(store)
        stops.append(stop)
        oxigraph, stop = start_oxigraph(dump, workdir)
        stops.append(stop)
        print("loading the rdflib endpoint…", flush=True)
        rdflib_server, stop = start_rdflib(dump)
        stops.append(stop)

        queries = {f"example: {e.id}": e.text for e in examples()} | ESCO_QUERIES
        header = (
            f"{'query':<44} {'rows/bytes':>10} {'ours ms':>9} {'oxigraph':>9} "
            f"{'rdflib':>9} {'ours/oxi':>9} {'rdflib/ours':>11}"
        )
        print(header)
        print("-" * len(header))
        ratios_oxi, ratios_rdf = [], []
        for name, query in queries.items():
            ours_ms, size = median_ms(ours, query, args.runs)
            oxi_ms, _ = median_ms(oxigraph, query, args.runs)
            rdf_ms, _ = median_ms(rdflib_server, query, args.rdflib_runs)
            ratios_oxi.append(ours_ms / oxi_ms)
            ratios_rdf.append(rdf_ms / ours_ms)
            print(
                f"{name:<44} {size:>10} {ours_ms:>9.2f} {oxi_ms:>9.2f} {rdf_ms:>9.1f} "
                f"{ours_ms / oxi_ms:>9.2f} {rdf_ms / ours_ms:>11.1f}",
                flush=True,
            )
        geo_oxi = statistics.geometric_mean(ratios_oxi)
        geo_rdf = statistics.geometric_mean(ratios_rdf)
        print("-" * len(header))
        print(
            f"geometric mean: ours/oxigraph {geo_oxi:.2f} (target <= 1.5: "
            f"{'met' if geo_oxi <= 1.5 else 'NOT met'}); rdflib/ours {geo_rdf:.1f} "
            f"(target >= 20: {'met' if geo_rdf >= 20 else 'NOT met'})"
        )
        print(
            f"worst query: ours/oxigraph {max(ratios_oxi):.2f}; "
            f"rdflib/ours at least {min(ratios_rdf):.1f}"
        )

        mix = list(queries.values())
        for server in (ours, oxigraph):
            rate = throughput(server, mix, args.seconds)
            print(f"throughput, 8 concurrent clients, query mix: {server.name} {rate:.1f} req/s")
    finally:
        for stop in reversed(stops):
            stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _dump_public(store: EmbeddedStore, path: Path) -> None:
    quads: Iterator[ox.Quad] = (
        q
        for g in PUBLIC_GRAPHS
        for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(g))
    )
    ox.serialize(quads, str(path), format=ox.RdfFormat.N_QUADS)


if __name__ == "__main__":
    main()
