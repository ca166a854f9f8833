"""One recommendation over HTTP with the full bundled framework (target: median under 20 ms).

Starts ``python -m service serve`` (waitress) on 127.0.0.1 over an in-memory store that loads
the bundled ontology, shapes and framework, stores one profile, then times recommendation
requests end to end, a new connection per request as a curl call makes: the stored form
``GET /profiles/{id}/recommendations`` and the stateless ``POST /recommendations``.
"""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 20
RUNS = 300


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sample_profile(port: int) -> dict:
    """A profile over the real framework: the first role, its competences assessed low."""
    status, body = request(port, "GET", "/api/v1/roles")
    role = json.loads(body)["roles"][0]["id"]
    status, body = request(port, "GET", f"/api/v1/roles/{role}")
    needed = json.loads(body)["requirements"]
    assessments = [
        {"competence": r["competence"], "level": "A1", "date": "2026-11-01", "source": "self"}
        for r in needed[: max(1, len(needed) // 2)]
    ]
    return {
        "roles": [role],
        "assessments": assessments,
        "languages": ["en", "it"],
        "country": "IT",
        "preferences": {"can_travel": True},
    }


def timed(port: int, method: str, path: str, body: bytes | None, headers: dict) -> list[float]:
    for _ in range(WARM_UP):
        request(port, method, path, body, headers)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        status, answer = request(port, method, path, body, headers)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{method} {path} answered {status}: {answer[:300]!r}")
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{name}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
        f"min {ordered[0]:.1f} ms over {len(times)} requests (target: median < 20 ms)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode})")
        try:
            if request(port, "GET", "/api/v1/roles")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer within a minute")


def main() -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "service",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        "",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(port, process)
        competences = json.loads(request(port, "GET", "/api/v1/competences")[1])["count"]
        activities = json.loads(request(port, "GET", "/api/v1/activities")[1])["count"]
        print(f"framework: {competences} competences, {activities} activities")
        profile = sample_profile(port)
        body = json.dumps(profile).encode()
        json_headers = {"Content-Type": "application/json"}
        status, answer = request(port, "POST", "/api/v1/profiles", body, json_headers)
        if status != 201:
            raise SystemExit(f"storing the profile failed ({status}): {answer[:300]!r}")
        created = json.loads(answer)
        plan = json.loads(
            request(port, "POST", "/api/v1/recommendations?lang=it", body, json_headers)[1]
        )
        print(f"plan: {len(plan['plan'])} activities, coverage {plan['coverage']['ratio']:.2f}")
        stored = timed(
            port,
            "GET",
            f"/api/v1/profiles/{created['id']}/recommendations?lang=it",
            None,
            {"Authorization": f"Bearer {created['token']}"},
        )
        report("GET /profiles/{id}/recommendations", stored)
        inline = timed(port, "POST", "/api/v1/recommendations?lang=it", body, json_headers)
        report("POST /recommendations (stateless)", inline)
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
