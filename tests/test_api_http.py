"""The API over real HTTP (waitress on 127.0.0.1), as a trainer using curl would meet it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from api_client import sample_profile, served
from service.app import create_app


@pytest.fixture
def base_url(store):
    app = create_app({"data_dir": "", "load_bundled": False, "max_body_bytes": 4096}, store=store)
    with served(app) as url:
        yield url + "/api/v1"


def call(method: str, url: str, body=None, *, token=None, headers=None, raw=None):
    headers = dict(headers or {})
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_from_profile_to_plan_in_italian_and_erased(base_url):
    status, headers, body = call("POST", base_url + "/profiles", sample_profile())
    assert status == 201
    created = json.loads(body)
    assert headers["Location"].endswith(f"/api/v1/profiles/{created['id']}")
    token = created["token"]
    profile_url = f"{base_url}/profiles/{created['id']}"

    status, _, body = call("GET", profile_url + "/gaps?lang=it", token=token)
    assert status == 200 and json.loads(body)["lang"] == "it"
    status, _, body = call("GET", profile_url + "/recommendations?lang=it&limit=3", token=token)
    plan = json.loads(body)
    assert status == 200
    assert plan["plan"][0]["label"] == "Mappare i servizi locali"
    assert plan["plan"][0]["justification"]

    status, headers, body = call("GET", profile_url, token=token, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert b"rg:TrainerProfile" in body

    assert call("DELETE", profile_url, token=token)[0] == 204
    assert call("GET", profile_url, token=token)[0] == 404


def test_oversized_bodies_are_refused_with_and_without_a_length(base_url):
    big = json.dumps(
        sample_profile(name="A" * 200, assessments=[sample_profile()["assessments"][0]] * 60)
    ).encode()
    assert len(big) > 4096
    status, headers, body = call(
        "POST", base_url + "/profiles", raw=big, headers={"Content-Type": "application/json"}
    )
    assert status == 413
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["code"] == "payload_too_large"

    def chunks():
        for start in range(0, len(big), 1000):
            yield big[start : start + 1000]

    status, _, body = call(
        "POST",
        base_url + "/gaps",
        raw=chunks(),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
    )
    assert status == 413
    assert json.loads(body)["status"] == 413


def test_malformed_json_over_http(base_url):
    status, _, body = call(
        "POST", base_url + "/gaps", raw=b'{"roles": [', headers={"Content-Type": "application/json"}
    )
    assert status == 400
    error = json.loads(body)
    assert error["pointer"] == "" and "line 1" in error["message"]
