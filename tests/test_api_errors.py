"""Bad input gets a 4xx JSON body that names the field (JSON Pointer) and the problem, and
nothing is stored."""

from __future__ import annotations

import copy

import pytest

from api_client import CheckedClient, all_quads, sample_profile
from service.app import create_app
from service.records.tokens import create_token


@pytest.fixture
def api(client):
    return CheckedClient(client)


def changed(path: list, value=None, *, delete: bool = False) -> dict:
    """The sample profile with one field set (or deleted)."""
    profile = copy.deepcopy(sample_profile())
    target = profile
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return profile


BAD_PROFILES = [
    # (what, profile, status, pointer)
    ("unknown role", changed(["roles"], ["astronaut"]), 422, "/roles/0"),
    ("no role", changed(["roles"], []), 422, "/roles"),
    ("roles missing", changed(["roles"], delete=True), 422, "/roles"),
    (
        "unknown competence",
        changed(["assessments", 0, "competence"], "juggling"),
        422,
        "/assessments/0/competence",
    ),
    (
        "level outside the scale",
        changed(["assessments", 1, "level"], "D7"),
        422,
        "/assessments/1/level",
    ),
    (
        "level in lower case",
        changed(["assessments", 0, "level"], "b1"),
        422,
        "/assessments/0/level",
    ),
    (
        "impossible date",
        changed(["assessments", 0, "date"], "2026-02-30"),
        422,
        "/assessments/0/date",
    ),
    (
        "date in another format",
        changed(["assessments", 0, "date"], "01/11/2026"),
        422,
        "/assessments/0/date",
    ),
    ("unknown source", changed(["assessments", 0, "source"], "peer"), 422, "/assessments/0/source"),
    (
        "two self-assessments of one competence",
        changed(
            ["assessments", 1],
            {
                "competence": "adult-language-pedagogy",
                "level": "B2",
                "date": "2026-11-02",
                "source": "self",
            },
        ),
        422,
        "/assessments/1",
    ),
    (
        "period ends before it starts",
        changed(["availability"], [{"start": "2027-06-01", "end": "2027-01-31"}]),
        422,
        "/availability/0/end",
    ),
    (
        "period without end",
        changed(["availability"], [{"start": "2027-06-01"}]),
        422,
        "/availability/0/end",
    ),
    ("negative hours", changed(["preferences", "max_hours"], -5), 422, "/preferences/max_hours"),
    (
        "hours as text",
        changed(["preferences", "max_hours"], "sixty"),
        422,
        "/preferences/max_hours",
    ),
    ("country name instead of code", changed(["country"], "Italy"), 422, "/country"),
    ("unknown country code", changed(["country"], "XX"), 422, "/country"),
    ("language list as text", changed(["languages"], "it"), 422, "/languages"),
    ("unknown field", changed(["nickname"], "Ana"), 422, "/nickname"),
    (
        "unknown assessment field",
        changed(["assessments", 0, "score"], 3),
        422,
        "/assessments/0/score",
    ),
    ("name too long", changed(["name"], "A" * 201), 422, "/name"),
]


@pytest.mark.parametrize(
    "what,profile,status,pointer", BAD_PROFILES, ids=[case[0] for case in BAD_PROFILES]
)
def test_bad_profile_is_refused_with_a_pointer_and_nothing_stored(
    api, store, what, profile, status, pointer
):
    before = all_quads(store)
    response = api.post("/api/v1/profiles", json=profile, valid_request=False)
    assert response.status_code == status, response.json
    body = response.json
    assert body["status"] == status
    assert body["pointer"] == pointer, body
    assert body["message"]
    assert all_quads(store) == before
    # The stateless endpoints refuse the same profile the same way.
    for url in ("/api/v1/gaps", "/api/v1/recommendations"):
        again = api.post(url, json=profile, valid_request=False)
        assert (again.status_code, again.json["pointer"]) == (status, pointer)
    assert all_quads(store) == before


def test_schema_errors_list_every_problem(api):
    profile = changed(["country"], "Italy")
    profile["nickname"] = "Ana"
    body = api.post("/api/v1/profiles", json=profile, valid_request=False).json
    assert {d["pointer"] for d in body["details"]} == {"/country", "/nickname"}


def test_a_bad_replacement_leaves_the_stored_profile_as_it_was(api, store):
    created = api.post("/api/v1/profiles", json=sample_profile()).json
    before = all_quads(store)
    bad = changed(["assessments", 0, "level"], "Z1")
    response = api.put(
        f"/api/v1/profiles/{created['id']}", json=bad, token=created["token"], valid_request=False
    )
    assert (response.status_code, response.json["pointer"]) == (422, "/assessments/0/level")
    assert all_quads(store) == before


@pytest.mark.parametrize(
    "data,fragment",
    [
        ('{"roles": ["language-trainer"', "line 1"),
        ("{'roles': []}", "not valid JSON"),
        ("", "empty"),
        ('{"roles": NaN}', "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "nests too deeply"),
        (b"\xff\xfe{}", "UTF-8"),
    ],
)
def test_malformed_json_is_a_400_naming_the_body(api, store, data, fragment):
    before = all_quads(store)
    response = api.post(
        "/api/v1/profiles", data=data, content_type="application/json", valid_request=False
    )
    assert response.status_code == 400
    assert response.json["pointer"] == ""
    assert fragment in response.json["message"]
    assert all_quads(store) == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(api, store, content_type):
    before = all_quads(store)
    response = api.post(
        "/api/v1/profiles", data='{"roles": []}', content_type=content_type, valid_request=False
    )
    assert response.status_code == 415
    assert response.json["code"] == "unsupported_media_type"
    assert "application/json" in response.json["message"]
    assert all_quads(store) == before


def test_oversized_body_is_413_json_and_nothing_stored(store):
    app = create_app({"data_dir": "", "load_bundled": False, "max_body_bytes": 2000}, store=store)
    api = CheckedClient(app.test_client())
    before = all_quads(store)
    big = sample_profile(name="A" * 150, assessments=[sample_profile()["assessments"][0]] * 40)
    response = api.post("/api/v1/profiles", json=big, valid_request=False)
    assert response.status_code == 413
    assert response.json["code"] == "payload_too_large"
    assert "2000 bytes" in response.json["message"]
    assert all_quads(store) == before
    small = api.post("/api/v1/profiles", json=sample_profile())
    assert small.status_code == 201


@pytest.mark.parametrize(
    "url,pointer",
    [
        ("/api/v1/competences?lang=xx", "/lang"),
        ("/api/v1/competences?strand=nowhere", "/strand"),
        ("/api/v1/competences?colour=red", "/colour"),
        ("/api/v1/activities?start=2027-13-01", "/start"),
        ("/api/v1/activities?start=2027-06-01&end=2027-01-01", "/end"),
        ("/api/v1/activities?format=Teleport", "/format"),
        ("/api/v1/activities?level=Z9", "/level"),
        ("/api/v1/activities?competence=juggling", "/competence"),
        ("/api/v1/activities?country=Italy", "/country"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_parameter(api, url, pointer):
    response = api.get(url, valid_request=False)
    assert response.status_code == 400
    assert response.json["pointer"] == pointer


@pytest.mark.parametrize(
    "query,pointer",
    [
        ("limit=0", "/limit"),
        ("limit=many", "/limit"),
        ("limit=21", "/limit"),
        ("format=Teleport", "/format"),
        ("country=XX", "/country"),
        ("start=2027-06-01&end=2027-01-01", "/end"),
        ("lang=klingon", "/lang"),
        ("sort=asc", "/sort"),
    ],
)
def test_bad_plan_parameters_are_400_and_store_nothing(api, store, query, pointer):
    before = all_quads(store)
    response = api.post(
        f"/api/v1/recommendations?{query}", json=sample_profile(), valid_request=False
    )
    assert response.status_code == 400, response.json
    assert response.json["pointer"] == pointer
    assert all_quads(store) == before


def test_unknown_items_and_routes_are_404_json(api, client):
    for url in ("/api/v1/competences/juggling", "/api/v1/roles/astronaut"):
        response = api.get(url)
        assert response.status_code == 404
        assert response.json["pointer"] == "/id"
    response = client.get("/api/v1/nothing")
    assert (response.status_code, response.json["status"]) == (404, 404)


def test_wrong_method_is_405_json(client):
    response = client.patch("/api/v1/profiles")
    assert response.status_code == 405
    assert response.json["status"] == 405


def test_cohort_with_an_unknown_member_is_refused_and_nothing_stored(api, store):
    coordinator = create_token(store, "coordinator", "host-italy")[1]
    member = api.post("/api/v1/profiles", json=sample_profile()).json["id"]
    before = all_quads(store)
    response = api.post(
        "/api/v1/cohorts", json={"name": "Week", "members": [member, "f" * 32]}, token=coordinator
    )
    assert (response.status_code, response.json["pointer"]) == (422, "/members/1")
    response = api.post(
        "/api/v1/cohorts", json={"name": "", "members": []}, token=coordinator, valid_request=False
    )
    assert (response.status_code, response.json["pointer"]) == (422, "/name")
    assert all_quads(store) == before
