"""A test client for the JSON API that checks every exchange against the OpenAPI document.

Each request the tests send (unless it is deliberately malformed) and every response the
service gives are validated with openapi-core against the document the service serves, so the
document is tested against the implementation on every call the tests make.
"""

from __future__ import annotations

import json as jsonlib
import threading
from contextlib import contextmanager
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from waitress.server import create_server
from werkzeug.datastructures import MultiDict

from service.web.api.openapi import document


def _text(data: bytes, **_: Any) -> str:
    return data.decode("utf-8")


@cache
def checker() -> OpenAPI:
    """The served document, read by openapi-core (which also checks it); built once."""
    # Turtle is text: the document describes it as a string.
    config = Config(extra_media_type_deserializers={"text/turtle": _text})
    return OpenAPI.from_dict(document(), config=config)


class CheckedClient:
    def __init__(self, client):
        self.client = client
        self.openapi = checker()
        self.checked = 0

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
        token: str | None = None,
        valid_request: bool = True,
    ):
        """Send a request; ``valid_request=False`` for requests that break the contract on
        purpose (only the response is then checked)."""
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if json is not None:
            data = jsonlib.dumps(json)
            content_type = content_type or "application/json"
        if isinstance(data, str):
            data = data.encode("utf-8")
        response = self.client.open(
            url, method=method, data=data, headers=headers, content_type=content_type
        )
        parts = urlsplit(url)
        mock = MockRequest(
            "http://localhost",
            method,
            parts.path,
            args=MultiDict(parse_qsl(parts.query, keep_blank_values=True)),
            headers=headers,
            data=data,
            content_type=content_type or "application/json",
        )
        if valid_request:
            self.openapi.validate_request(mock)
        self.openapi.validate_response(
            mock,
            MockResponse(
                response.data,
                status_code=response.status_code,
                headers=dict(response.headers),
                content_type=response.mimetype or "application/json",
            ),
        )
        self.checked += 1
        return response

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs):
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs):
        return self.request("DELETE", url, **kwargs)


def sample_profile(**changes: Any) -> dict[str, Any]:
    """A valid profile over the fixture framework (tests/data/framework)."""
    profile = {
        "name": "Ana",
        "roles": ["language-trainer"],
        "assessments": [
            {
                "competence": "adult-language-pedagogy",
                "level": "B1",
                "date": "2026-11-01",
                "source": "self",
                "evidence": "https://example.org/portfolio",
            },
            {
                "competence": "service-mapping",
                "level": "A1",
                "date": "2026-10-01",
                "source": "assessor",
            },
        ],
        "languages": ["en", "it"],
        "country": "IT",
        "availability": [{"start": "2027-01-01", "end": "2027-12-31"}],
        "preferences": {"online_only": False, "can_travel": True, "max_hours": 60},
    }
    profile.update(changes)
    return profile


def all_quads(store) -> set:
    """Every quad of an embedded store, default graph included: to prove nothing was written."""
    return set(store.oxigraph)


@contextmanager
def served(app, threads: int = 2):
    """Serve ``app`` with waitress on 127.0.0.1 (a free port) until the block ends; yields the
    base URL. The server is stopped from its own loop thread, so nothing is closed under it."""
    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        server.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=10)
