"""SPARQL endpoint speed: our /sparql against two Oxigraph servers and rdflib-endpoint.

All four hold the same data: the bundled ontology, shapes and framework plus the full ESCO
extract from ``../shared/esco`` converted to RDF here (or a synthetic graph of the same size
when the extract is absent). The extract has no occupation–skill relations, so each occupation
gets 10 essential and 8 optional skills drawn with a fixed seed. The others are loaded from a
dump of our public graphs, so their union default graph is the dataset our endpoint answers
from.

Every server runs in its own process; this script is only the HTTP client:

* ours: ``python -m service serve`` on a store built here, started as a user starts it, with
  ``REINTEGRA_MAX_RESULT_ROWS=100000`` so that no answer is cut short;
* oxi-disk: Oxigraph as it is usually deployed, ``oxigraph load --location`` of the dump into
  a RocksDB directory, then ``oxigraph serve --location … --union-default-graph`` on it;
* oxi-mem: ``oxigraph serve --union-default-graph`` with no location and the dump POSTed to
  ``/store``: the same engine holding the data the way our query workers hold it (an in-memory
  copy queried with the union default graph). This is the engine-for-engine comparison: the
  difference is what our endpoint layer (Flask, waitress, the guard, the worker processes)
  adds. The ``oxigraph`` command comes with the ``test`` extra;
* rdflib-endpoint (``python -m rdflib_endpoint serve``: FastAPI and uvicorn over an rdflib
  ``Dataset(default_union=True)``, with a cache of parsed queries) on the same dump. It comes
  with the ``bench`` extra (``pip install -e '.[test,bench]'``); without it the rdflib columns
  are skipped.

Ours and both Oxigraph servers are first warmed up: two concurrent clients send every query
twice (this also starts our query workers, two by default). Then each query is sent once to
every server, untimed (for rdflib-endpoint, this fills its cache of parsed queries), and the
rows of the answers (SELECT bindings, distinct triples of a DESCRIBE) are counted: a server
that returns less may be faster for the wrong reason, so differences are listed under the
table. The timed runs go round-robin across the servers (ours, oxi-disk, oxi-mem, rdflib,
ours, …) so that changes in machine load hit all of them alike; rdflib drops out after
``--rdflib-runs``.

Prints the median latency of the six example queries and five ESCO-scale queries on each
server, the ratios ours/oxi-disk, ours/oxi-mem, rdflib/ours and rdflib/oxi-mem (the last is
the most that any endpoint built on the Oxigraph engine could reach against rdflib: one that
added no time at all) with their geometric means, then throughput with 8 concurrent clients,
each on its own connection.
Targets: within 1.5x of each Oxigraph server, at least 20x faster than rdflib.

    python benchmarks/bench_sparql.py [--runs 15] [--rdflib-runs 3] [--seconds 8]
                                      [--rdflib-seconds 20]
"""

from __future__ import annotations

import argparse
import csv
import gc
import http.client
import importlib.util
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.namespaces import ESCO_GRAPH, PUBLIC_GRAPHS  # noqa: E402
from service.sparql.examples import examples  # noqa: E402
from service.store import EmbeddedStore  # noqa: E402
from service.store.bundle import load_bundled  # noqa: E402

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

HOST = "127.0.0.1"
GRAPH_MEDIA = "application/n-triples"
SELECT_MEDIA = "application/sparql-results+json"
# uvicorn closes a connection idle for 5 s; a client connection idle longer than this is
# reopened (and pinged, untimed) before the next timed request.
IDLE_S = 3.0
DISCONNECTED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def graph_query(query: str) -> bool:
    """Whether the query answers with triples (DESCRIBE, CONSTRUCT) rather than bindings."""
    body = re.sub(r"(?m)^\s*#.*$", "", query)
    form = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
    return bool(form) and form.group(1).upper() in ("CONSTRUCT", "DESCRIBE")


class Server:
    """One endpoint under test: its process, where it answers and which parameters it needs."""

    def __init__(
        self,
        name: str,
        process: subprocess.Popen,
        log: Path,
        port: int,
        path: str,
        probe: str,
        params: list[tuple[str, str]] | None = None,
    ):
        self.name, self.process, self.log, self.port = name, process, log, port
        self.path, self.probe, self.params = path, probe, params or []

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=900)

    def ping(self, connection: http.client.HTTPConnection) -> int:
        connection.request("GET", self.probe)
        response = connection.getresponse()
        response.read()
        return response.status

    def request(self, connection: http.client.HTTPConnection, query: str) -> tuple[str, bytes]:
        """POST the query as a form; the media type of the answer and its body."""
        body = urllib.parse.urlencode([("query", query), *self.params])
        accept = GRAPH_MEDIA if graph_query(query) else SELECT_MEDIA
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
        media = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return media, data

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, seconds: float) -> None:
        """Wait until the probe answers 200; fail early, with its log, if the process ends."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with code {self.process.returncode}:\n{self.log_tail()}"
                )
            connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
            try:
                if self.ping(connection) == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer within {seconds:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


class Client:
    """A keep-alive connection to one server, reopened when it may have been closed."""

    def __init__(self, server: Server):
        self.server = server
        self.connection = server.connect()
        self.last = time.monotonic()

    def fresh(self) -> None:
        """Before a timed request: reopen a connection idle too long and ping it, untimed."""
        if time.monotonic() - self.last > IDLE_S:
            self.reopen()
            self.server.ping(self.connection)

    def reopen(self) -> None:
        self.connection.close()
        self.connection = self.server.connect()

    def request(self, query: str) -> tuple[str, bytes]:
        try:
            answer = self.server.request(self.connection, query)
        except DISCONNECTED:
            self.reopen()
            answer = self.server.request(self.connection, query)
        self.last = time.monotonic()
        return answer

    def close(self) -> None:
        self.connection.close()


def start(
    name: str,
    command: list[str],
    port: int,
    paths: tuple[str, str],
    workdir: Path,
    servers: list[Server],
    ready_s: float = 120,
    env: dict[str, str] | None = None,
) -> Server:
    """Start one server process (its output in ``<name>.log``) and wait until it answers.

    ``paths`` is where it answers queries and the path of a cheap request that says it is up.
    """
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(name, process, log, port, *paths)
    servers.append(server)
    server.wait_ready(ready_s)
    return server


def start_ours(data_dir: Path, workdir: Path, servers: list[Server]) -> Server:
    """Our service as a user starts it: ``python -m service serve``."""
    port = free_port()
    env = {**os.environ, "REINTEGRA_MAX_RESULT_ROWS": "100000"}
    command = [sys.executable, "-m", "service", "serve", "--data-dir", str(data_dir)]
    command += ["--host", HOST, "--port", str(port)]
    return start("ours", command, port, ("/sparql", "/healthz"), workdir, servers, env=env)


def oxigraph_command() -> str:
    command = Path(sys.executable).parent / "oxigraph"
    return str(command) if command.exists() else shutil.which("oxigraph") or "oxigraph"


OXIGRAPH_PATHS = ("/query", "/query?query=ASK%7B%7D")


def start_oxigraph_disk(dump: Path, workdir: Path, servers: list[Server]) -> Server:
    """Oxigraph as usually deployed: the dump loaded into RocksDB on disk, then served.

    ``oxigraph load --location`` writes the store; ``oxigraph serve --location`` opens it with
    the union of its graphs as default graph (the dump holds exactly the public graphs).
    """
    location = workdir / "oxigraph-db"
    load_log = workdir / "oxigraph-load.log"
    with load_log.open("wb") as out:
        loaded = subprocess.run(
            [oxigraph_command(), "load", "--location", str(location), "--file", str(dump)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=900,
        )
    if loaded.returncode != 0:
        tail = load_log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        raise RuntimeError(
            f"oxigraph load exited with code {loaded.returncode}:\n" + "\n".join(tail)
        )
    port = free_port()
    command = [oxigraph_command(), "serve", "--location", str(location)]
    command += ["--bind", f"{HOST}:{port}", "--union-default-graph"]
    return start("oxi-disk", command, port, OXIGRAPH_PATHS, workdir, servers)


def start_oxigraph_memory(dump: Path, workdir: Path, servers: list[Server]) -> Server:
    """Oxigraph with the dump in memory and the union of its graphs as default graph.

    The dump holds exactly the public graphs, so this is the dataset our endpoint answers from,
    held the way our query workers hold it (an in-memory copy, queried with the union default
    graph): the same engine on the same data, without our endpoint layer.
    """
    port = free_port()
    command = [oxigraph_command(), "serve", "--bind", f"{HOST}:{port}", "--union-default-graph"]
    server = start("oxi-mem", command, port, OXIGRAPH_PATHS, workdir, servers)
    connection = http.client.HTTPConnection(HOST, port, timeout=600)
    try:
        headers = {"Content-Type": "application/n-quads"}
        connection.request("POST", "/store", body=dump.read_bytes(), headers=headers)
        response = connection.getresponse()
        answer = response.read()
    finally:
        connection.close()
    if response.status not in (200, 201, 204):
        raise RuntimeError(f"oxi-mem did not load the dump: HTTP {response.status}: {answer!r}")
    return server


def rdflib_endpoint_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("rdflib_endpoint", "uvicorn"))


def rdflib_endpoint_command() -> list[str]:
    """``python -m rdflib_endpoint`` when it runs, else the ``rdflib-endpoint`` script."""
    if importlib.util.find_spec("rdflib_endpoint.__main__") is not None:
        return [sys.executable, "-m", "rdflib_endpoint"]
    script = Path(sys.executable).parent / "rdflib-endpoint"
    if script.exists():
        return [str(script)]
    return [shutil.which("rdflib-endpoint") or "rdflib-endpoint"]


def start_rdflib(dump: Path, workdir: Path, servers: list[Server]) -> Server:
    """rdflib-endpoint through its own command line: the dump in a union-default Dataset."""
    port = free_port()
    command = [*rdflib_endpoint_command(), "serve", str(dump), "--host", HOST, "--port", str(port)]
    return start("rdflib", command, port, ("/", "/?query=ASK%7B%7D"), workdir, servers, 900)


# --- measuring -------------------------------------------------------------------------------

RDF_PARSE_FORMATS = {
    GRAPH_MEDIA: "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/sparql-results+xml": "xml",  # rdflib-endpoint's label for a DESCRIBE answer
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
}


def answer_rows(query: str, media: str, body: bytes) -> tuple[int, frozenset[str]]:
    """Rows of an answer and the set of distinct rows, to compare servers.

    A SELECT has as many rows as bindings, duplicates included (they are part of the answer).
    A DESCRIBE or CONSTRUCT answers an RDF graph, a set: its rows are its distinct triples,
    whatever the format (an N-Triples answer may repeat a line).
    """
    if graph_query(query):
        if media in RDF_PARSE_FORMATS:
            graph = Graph().parse(data=body, format=RDF_PARSE_FORMATS[media])
            return len(graph), frozenset(" ".join(t.n3() for t in triple) for triple in graph)
    elif media in (SELECT_MEDIA, "application/json"):
        bindings = json.loads(body)["results"]["bindings"]
        return len(bindings), frozenset(json.dumps(b, sort_keys=True) for b in bindings)
    raise RuntimeError(f"cannot count the rows of an answer in {media or 'no media type'}")


def warm_up(server: Server, queries: list[str], clients: int = 2, rounds: int = 2) -> None:
    """Every query ``rounds`` times from ``clients`` concurrent clients (ours has 2 workers)."""

    def client(_: int) -> None:
        connection = server.connect()
        for _ in range(rounds):
            for query in queries:
                server.request(connection, query)
        connection.close()

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))


def interleaved_medians(
    clients: dict[str, Client], runs: dict[str, int], query: str
) -> dict[str, float]:
    """Median ms per server, the runs going round-robin: ours, oxi-disk, oxi-mem, rdflib, …"""
    times: dict[str, list[float]] = {name: [] for name in clients}
    for run in range(max(runs[name] for name in clients)):
        for name, client in clients.items():
            if run >= runs[name]:
                continue
            client.fresh()
            started = time.perf_counter()
            client.request(query)
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def throughput(server: Server, queries: list[str], seconds: float, clients: int = 8) -> str:
    """Requests per second with ``clients`` concurrent connections sending a random mix.

    Requests under way at the deadline are waited for and counted, over the time they took.
    """
    stop_at = time.monotonic() + seconds
    counts = [0] * clients
    errors: list[str] = []

    def client(index: int) -> None:
        connection = Client(server)
        rng = random.Random(index)
        while time.monotonic() < stop_at:
            try:
                connection.request(rng.choice(queries))
                counts[index] += 1
            except (RuntimeError, OSError) as exc:
                errors.append(str(exc)[:200])
                connection.reopen()
        connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.monotonic() - started
    line = f"{server.name} {sum(counts) / elapsed:.1f} req/s ({sum(counts)} in {elapsed:.1f} s)"
    if errors:
        line += f", {len(errors)} errors, first: {errors[0]}"
    return line


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None:
        return None
    return numerator / denominator


def cell(value: float | None, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def geometric(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.geometric_mean(known) if known else None


def build_store(data_dir: Path, dump: Path) -> str:
    """Our store with the bundle and ESCO, and the dump of its public graphs; closes it."""
    store = EmbeddedStore(data_dir)
    load_bundled(store)
    quads, source = esco_quads(random.Random(42))
    store.oxigraph.bulk_extend(quads)
    store.oxigraph.flush()
    del quads
    _dump_public(store, dump)
    store.close()  # flushes and drops the pyoxigraph store: its RocksDB lock goes with it
    del store
    gc.collect()
    return source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query and server")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="timed runs on rdflib")
    parser.add_argument("--seconds", type=float, default=8, help="throughput duration")
    parser.add_argument(
        "--rdflib-seconds", type=float, default=20, help="throughput duration on rdflib"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    servers: list[Server] = []
    clients: dict[str, Client] = {}
    try:
        dump = workdir / "data.nq"
        source = build_store(workdir / "ours", dump)
        total = sum(1 for _ in dump.open(encoding="utf-8"))
        print(f"data: {total:,} quads (bundled framework + {source})", flush=True)

        queries = {f"example: {e.id}": e.text for e in examples()} | ESCO_QUERIES
        ours = start_ours(workdir / "ours", workdir, servers)
        oxi_disk = start_oxigraph_disk(dump, workdir, servers)
        oxi_mem = start_oxigraph_memory(dump, workdir, servers)
        for server in (ours, oxi_disk, oxi_mem):
            warm_up(server, list(queries.values()))
        rdflib_server = None
        if rdflib_endpoint_available():
            print("starting rdflib-endpoint (it loads the dump first)…", flush=True)
            started = time.monotonic()
            rdflib_server = start_rdflib(dump, workdir, servers)
            print(f"rdflib-endpoint answers after {time.monotonic() - started:.0f} s", flush=True)
        else:
            print(
                "rdflib-endpoint is not installed (pip install -e '.[bench]'): "
                "the rdflib columns are not measured",
                flush=True,
            )
        measured = [s for s in (ours, oxi_disk, oxi_mem, rdflib_server) if s is not None]
        runs = {"ours": args.runs, "oxi-disk": args.runs, "oxi-mem": args.runs}
        runs["rdflib"] = args.rdflib_runs
        clients.update((s.name, Client(s)) for s in measured)

        print("ratios: disk = oxi-disk, mem = oxi-mem, rdf = rdflib")
        header = (
            f"{'query':<34} {'rows':>7} {'ours ms':>8} {'oxi-disk ms':>11} {'oxi-mem ms':>10} "
            f"{'rdflib ms':>9} {'ours/disk':>9} {'ours/mem':>8} {'rdf/ours':>8} {'rdf/mem':>7}"
        )
        print(header)
        print("-" * len(header))
        notes: list[str] = []
        media_notes: set[str] = set()
        r_disk: list[float | None] = []
        r_mem: list[float | None] = []
        r_rdf_ours: list[float | None] = []
        r_rdf_mem: list[float | None] = []
        for name, query in queries.items():
            # One untimed request per server: the rows to compare (and rdflib's parse cache).
            rows: dict[str, int] = {}
            distinct: dict[str, frozenset[str]] = {}
            for server_name, client in clients.items():
                media, body = client.request(query)
                rows[server_name], distinct[server_name] = answer_rows(query, media, body)
                asked = GRAPH_MEDIA if graph_query(query) else SELECT_MEDIA
                if media != asked:
                    media_notes.add(
                        f"{server_name} answers {name} in {media}, not {asked} as asked"
                    )
            differ = [n for n in rows if n != "ours" and rows[n] != rows["ours"]]
            for other in differ:
                ours_set, other_set = distinct["ours"], distinct[other]
                if other_set == ours_set:
                    why = f"the same {len(ours_set)} distinct rows, so only duplicates differ"
                else:
                    why = f"{len(other_set)} distinct rows vs {len(ours_set)}: the answers differ"
                notes.append(f"{name}: {other} {rows[other]} rows vs ours {rows['ours']} ({why})")
            ms = interleaved_medians(clients, runs, query)
            ours_ms, disk_ms, mem_ms = ms["ours"], ms["oxi-disk"], ms["oxi-mem"]
            rdf_ms = ms.get("rdflib")
            r_disk.append(ratio(ours_ms, disk_ms))
            r_mem.append(ratio(ours_ms, mem_ms))
            r_rdf_ours.append(ratio(rdf_ms, ours_ms))
            r_rdf_mem.append(ratio(rdf_ms, mem_ms))
            marked = f"{rows['ours']}{'*' if differ else ''}"
            print(
                f"{name:<34} {marked:>7} {ours_ms:>8.2f} {disk_ms:>11.2f} {mem_ms:>10.2f} "
                f"{cell(rdf_ms, 9, 1)} {r_disk[-1]:>9.2f} {r_mem[-1]:>8.2f} "
                f"{cell(r_rdf_ours[-1], 8, 1)} {cell(r_rdf_mem[-1], 7, 1)}",
                flush=True,
            )
        print("-" * len(header))
        if notes:
            print("* the servers disagree on the number of rows:")
            for note in notes:
                print(f"  {note}")
        else:
            print("every server returned the same number of rows for every query")
        for note in sorted(media_notes):
            print(f"note: {note}")

        geo_disk, geo_mem = geometric(r_disk), geometric(r_mem)
        geo_rdf_ours, geo_rdf_mem = geometric(r_rdf_ours), geometric(r_rdf_mem)
        print(
            f"geometric mean ours/oxi-disk: {geo_disk:.2f} "
            f"(target <= 1.5: {'met' if geo_disk <= 1.5 else 'NOT met'}); "
            f"worst query {max(r_disk):.2f}\n  (Oxigraph as usually deployed, on disk)"
        )
        print(
            f"geometric mean ours/oxi-mem: {geo_mem:.2f} "
            f"(target <= 1.5: {'met' if geo_mem <= 1.5 else 'NOT met'}); "
            f"worst query {max(r_mem):.2f}\n"
            "  (same engine, data in memory: what our HTTP layer and workers add)"
        )
        if geo_rdf_ours is None or geo_rdf_mem is None:
            print("geometric mean rdflib/ours: not measured (rdflib-endpoint is not installed)")
        else:
            print(
                f"geometric mean rdflib/ours: {geo_rdf_ours:.1f} "
                f"(target >= 20: {'met' if geo_rdf_ours >= 20 else 'NOT met'}); "
                f"worst query {min(r for r in r_rdf_ours if r is not None):.1f}"
            )
            print(
                f"geometric mean rdflib/oxi-mem: {geo_rdf_mem:.1f}\n"
                "  (the most any endpoint on the Oxigraph engine could reach: "
                "one that added no time at all)"
            )

        for client in clients.values():
            client.close()
        clients.clear()
        mix = list(queries.values())
        print(f"throughput, 8 concurrent clients, query mix of {len(mix)}:", flush=True)
        for server in measured:
            seconds = args.rdflib_seconds if server is rdflib_server else args.seconds
            print(f"  {throughput(server, mix, seconds)}", flush=True)
    finally:
        for client in clients.values():
            client.close()
        for server in reversed(servers):
            server.stop()
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
