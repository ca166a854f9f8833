"""Cohorts: coordinators group stored profiles and see the group's gaps for a training week."""

from __future__ import annotations

import pytest
from rdflib import Graph

from api_client import CheckedClient, sample_profile
from service.namespaces import COHORT, COHORT_GRAPH, PROFILE, PUBLIC_GRAPHS, RG
from service.records.tokens import create_token


@pytest.fixture
def api(client):
    return CheckedClient(client)


@pytest.fixture
def coordinator(store):
    return create_token(store, "coordinator", "host-italy")[1]


@pytest.fixture
def members(api):
    made = []
    for name, level in (("Ana", "B1"), ("Bogdan", "A2"), ("Chiara", "B2")):
        profile = sample_profile(name=name)
        profile["assessments"][0]["level"] = level
        body = api.post("/api/v1/profiles", json=profile).json
        made.append((body["id"], body["token"]))
    return made


def test_coordinator_creates_lists_and_reads_a_cohort(api, store, coordinator, members):
    ids = [m[0] for m in members]
    response = api.post(
        "/api/v1/cohorts", json={"name": "Bologna week", "members": ids}, token=coordinator
    )
    assert response.status_code == 201
    cohort = response.json
    assert response.headers["Location"] == f"/api/v1/cohorts/{cohort['id']}"
    assert (cohort["name"], cohort["partner"]) == ("Bologna week", "host-italy")
    assert sorted(cohort["members"]) == sorted(ids)
    listed = api.get("/api/v1/cohorts", token=coordinator).json["cohorts"]
    assert [c["id"] for c in listed] == [cohort["id"]]
    assert (
        api.get(f"/api/v1/cohorts/{cohort['id']}", token=coordinator).json["name"] == "Bologna week"
    )
    # Stored privately, in the cohort graph.
    assert COHORT_GRAPH not in PUBLIC_GRAPHS
    graph = store.graph(COHORT_GRAPH)
    assert len(list(graph.objects(COHORT[cohort["id"]], RG.member))) == 3


def test_a_member_sees_the_cohort_in_what_is_held_about_them(api, coordinator, members):
    (first_id, first_token), *_ = members
    cohort = api.post(
        "/api/v1/cohorts", json={"name": "Group A", "members": [first_id]}, token=coordinator
    ).json
    record = api.get(f"/api/v1/profiles/{first_id}", token=first_token).json
    assert record["cohorts"] == [{"id": cohort["id"], "name": "Group A"}]
    turtle = api.get(
        f"/api/v1/profiles/{first_id}", token=first_token, headers={"Accept": "text/turtle"}
    ).get_data(as_text=True)
    graph = Graph().parse(data=turtle, format="turtle")
    assert (COHORT[cohort["id"]], RG.member, PROFILE[first_id]) in graph


def test_only_coordinators_manage_cohorts(api, store, members):
    editor = create_token(store, "editor", "host-italy")[1]
    owner_token = members[0][1]
    body = {"name": "Group", "members": [members[0][0]]}
    assert api.post("/api/v1/cohorts", json=body, valid_request=False).status_code == 401
    assert api.post("/api/v1/cohorts", json=body, token=owner_token).status_code == 401
    assert api.post("/api/v1/cohorts", json=body, token=editor).status_code == 403
    assert api.get("/api/v1/cohorts", token=editor).status_code == 403
    assert COHORT_GRAPH not in store.named_graphs()


def test_deleting_a_cohort_keeps_its_members(api, coordinator, members):
    cohort = api.post(
        "/api/v1/cohorts", json={"name": "Group", "members": [members[0][0]]}, token=coordinator
    ).json
    assert api.delete(f"/api/v1/cohorts/{cohort['id']}", token=coordinator).status_code == 204
    assert api.get(f"/api/v1/cohorts/{cohort['id']}", token=coordinator).status_code == 404
    assert api.get(f"/api/v1/profiles/{members[0][0]}", token=members[0][1]).status_code == 200
    assert api.get("/api/v1/cohorts/nonsense", token=coordinator).status_code == 404


def test_cohort_gaps_for_a_training_week(api, coordinator, members):
    ids = [m[0] for m in members]
    cohort = api.post(
        "/api/v1/cohorts", json={"name": "Week", "members": ids}, token=coordinator
    ).json
    url = f"/api/v1/cohorts/{cohort['id']}/gaps?week_hours=30&lang=it"
    response = api.get(url, token=coordinator)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["cohort"] == {"id": cohort["id"], "name": "Week"}
    assert (body["lang"], body["members"]) == ("it", 3)
    pedagogy = next(c for c in body["competences"] if c["competence"] == "adult-language-pedagogy")
    # B2 is required: Ana (B1) lacks one step, Bogdan (A2) two, Chiara (B2) none.
    assert pedagogy["label"] == "Didattica delle lingue per adulti"
    assert pedagogy["members_with_gap"] == 2
    assert pedagogy["gap_distribution"] == {"0": 1, "1": 1, "2": 1}
    assert pedagogy["mean_gap"] == 1.0
    assert body["week"]["hours"] == 30
    assert api.get(url, token=members[0][1]).status_code == 401
    bad = api.get(
        f"/api/v1/cohorts/{cohort['id']}/gaps?week_hours=0", token=coordinator, valid_request=False
    )
    assert (bad.status_code, bad.json["pointer"]) == (400, "/week_hours")
