"""Gaps and recommended plans over HTTP, for stored profiles and stateless for inline ones."""

from __future__ import annotations

import pytest

from api_client import CheckedClient, all_quads, sample_profile
from service.namespaces import COMPETENCE, LEVEL, RG, SKOS


@pytest.fixture
def api(client):
    return CheckedClient(client)


@pytest.fixture
def stored(api):
    body = api.post("/api/v1/profiles", json=sample_profile()).json
    return body["id"], body["token"]


def test_stored_and_inline_gaps_agree(api, stored):
    profile_id, token = stored
    kept = api.get(f"/api/v1/profiles/{profile_id}/gaps?lang=it", token=token)
    inline = api.post("/api/v1/gaps?lang=it", json=sample_profile())
    assert kept.status_code == inline.status_code == 200
    assert kept.json == inline.json
    rows = {row["competence"]: row for row in kept.json["competences"]}
    assert rows["service-mapping"]["current_level"] == "A1"
    assert rows["service-mapping"]["source"] == "assessor"
    assert rows["adult-language-pedagogy"]["source"] == "self"
    assert (
        rows["adult-language-pedagogy"]["required_level"],
        rows["adult-language-pedagogy"]["gap"],
    ) == ("B2", 1)
    assert rows["referral-pathways"]["current_level"] is None
    assert rows["adult-language-pedagogy"]["label"] == "Didattica delle lingue per adulti"


def test_stored_and_inline_recommendations_agree(api, stored):
    profile_id, token = stored
    query = "lang=it&limit=3"
    kept = api.get(f"/api/v1/profiles/{profile_id}/recommendations?{query}", token=token)
    inline = api.post(f"/api/v1/recommendations?{query}", json=sample_profile())
    assert kept.status_code == inline.status_code == 200
    assert kept.json == inline.json
    plan = kept.json["plan"]
    assert 1 <= len(plan) <= 3
    assert all(step["closes"] for step in plan)
    assert all(step["justification"] for step in plan)


def test_the_plan_speaks_the_requested_language(api):
    english = api.post("/api/v1/recommendations?lang=en", json=sample_profile()).json
    italian = api.post(
        "/api/v1/recommendations",
        headers={"Accept-Language": "it-IT,it;q=0.9"},
        json=sample_profile(),
    ).json
    assert (english["lang"], italian["lang"]) == ("en", "it")
    assert [s["activity"] for s in english["plan"]] == [s["activity"] for s in italian["plan"]]
    first_en, first_it = english["plan"][0], italian["plan"][0]
    assert first_en["label"] == "Mapping local services"
    assert first_it["label"] == "Mappare i servizi locali"
    assert first_it["label"] in first_it["justification"]
    assert first_en["justification"] != first_it["justification"]


def test_default_limit_is_five_and_limit_is_honoured(api):
    body = api.post("/api/v1/recommendations", json=sample_profile()).json
    assert body["limit"] == 5
    one = api.post("/api/v1/recommendations?limit=1", json=sample_profile()).json
    assert len(one["plan"]) == 1


def test_filters_reach_the_planner(api):
    online = api.post("/api/v1/recommendations?format=online", json=sample_profile()).json
    assert online["plan"] and {s["format"] for s in online["plan"]} == {"Online"}
    assert online["filters"]["format"] == ["Online"]
    elsewhere = api.post("/api/v1/recommendations?country=RO", json=sample_profile()).json
    assert elsewhere["plan"] == []
    assert elsewhere["unclosed"]
    june = api.post(
        "/api/v1/recommendations?start=2027-06-01&end=2027-12-31", json=sample_profile()
    ).json
    dated = [s for s in june["plan"] if s["start"]]
    assert all(s["start"] >= "2027-06-01" and s["end"] <= "2027-12-31" for s in dated)
    assert "week-italy" not in {s["activity"] for s in june["plan"]}


def test_stateless_endpoints_store_nothing(api, store):
    before = all_quads(store)
    graphs = store.named_graphs()
    assert api.post("/api/v1/gaps", json=sample_profile()).status_code == 200
    assert api.post("/api/v1/recommendations?lang=ro", json=sample_profile()).status_code == 200
    assert all_quads(store) == before
    assert store.named_graphs() == graphs


def test_stored_plans_need_the_profile_token(api, stored):
    profile_id, _ = stored
    url = f"/api/v1/profiles/{profile_id}/recommendations"
    assert api.get(url, valid_request=False).status_code == 401
    other = api.post("/api/v1/profiles", json=sample_profile(name="Bogdan")).json["token"]
    assert api.get(url, token=other).status_code == 403


def test_the_catalogue_is_kept_until_the_framework_changes(app, api, store):
    """One catalogue serves every request; a committed framework edit that calls
    ``framework_changed`` (as the update endpoint must) is seen by the next request."""
    from service.namespaces import FRAMEWORK_GRAPH, REQUIREMENT, ROLE
    from service.web.api import catalogue_cache

    with app.app_context():
        first = catalogue_cache.catalogue()
        assert catalogue_cache.catalogue() is first
    profile = sample_profile(roles=["mediator"])
    assert api.post("/api/v1/gaps", json=profile, valid_request=False).status_code == 422
    role, requirement = ROLE["mediator"], REQUIREMENT["mediator--service-mapping"]
    store.update(
        f"INSERT DATA {{ GRAPH <{FRAMEWORK_GRAPH}> {{ "
        f"<{role}> a <{RG.TargetRole}> ; <{SKOS.prefLabel}> 'Mediator'@en . "
        f"<{requirement}> a <{RG.RoleRequirement}> ; <{RG.requirementOf}> <{role}> ; "
        f"<{RG.requiredCompetence}> <{COMPETENCE['service-mapping']}> ; "
        f"<{RG.requiredLevel}> <{LEVEL.B2}> ; <{RG.relationType}> <{RG.Essential}> . }} }}"
    )
    # Until the change is announced, the catalogue in memory is used (no query per request).
    assert api.post("/api/v1/gaps", json=profile, valid_request=False).status_code == 422
    with app.app_context():
        catalogue_cache.framework_changed()
        assert catalogue_cache.catalogue() is not first
    gaps = api.post("/api/v1/gaps", json=profile)
    assert gaps.status_code == 200
    assert [(r["competence"], r["required_level"]) for r in gaps.json["competences"]] == [
        ("service-mapping", "B2")
    ]
