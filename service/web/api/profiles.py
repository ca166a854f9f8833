"""``/api/v1/profiles``: create, read (JSON or Turtle), replace and erase trainer profiles.

A profile is checked (schema, references, shapes) before anything is written, and written in
one update. The owner's token is returned once, on creation; only its hash is kept.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for

from service.errors import NotAcceptable
from service.records import profiles as store_profiles
from service.web.api import PREFIX, access, api, bodies, catalogue_cache, params
from service.web.api.profile_checks import check_for_storing
from service.web.context import get_settings, get_store

TURTLE = "text/turtle"
JSON = "application/json"


def links(profile_id: str) -> dict[str, str]:
    base = f"{PREFIX}/profiles/{profile_id}"
    return {"self": base, "gaps": base + "/gaps", "recommendations": base + "/recommendations"}


def record(stored: store_profiles.StoredProfile) -> dict[str, Any]:
    """Everything held about the person, as JSON."""
    return {
        "id": stored.id,
        "profile": stored.profile,
        "created": stored.created,
        "modified": stored.modified,
        "cohorts": store_profiles.cohorts_of(get_store(), stored.id),
        "token": "kept only as a SHA-256 hash; it cannot be shown again",
        "links": links(stored.id),
    }


@api.post("/profiles")
def create_profile():
    params.allow()
    body = bodies.read_json(get_settings()["max_body_bytes"])
    profile_id = store_profiles.new_profile_id()
    triples = check_for_storing(profile_id, body)
    secret = store_profiles.create(get_store(), triples, profile_id)
    stored = store_profiles.read(get_store(), profile_id, catalogue_cache.refs())
    response = jsonify({**record(stored), "token": secret})
    response.status_code = 201
    response.headers["Location"] = url_for("api.read_profile", profile_id=profile_id)
    return response


@api.get("/profiles")
def list_profiles():
    params.allow()
    access.coordinator()
    found = store_profiles.list_profiles(get_store())
    return jsonify({"profiles": [{**item, "links": links(item["id"])} for item in found]})


@api.get("/profiles/<profile_id>")
def read_profile(profile_id: str):
    params.allow()
    access.profile_principal(profile_id)
    wanted = (
        request.accept_mimetypes.best_match([JSON, TURTLE]) if request.accept_mimetypes else JSON
    )
    if wanted is None:
        raise NotAcceptable(f"a profile can be sent as {JSON} or {TURTLE}")
    stored = store_profiles.read(get_store(), profile_id, catalogue_cache.refs())
    if wanted == TURTLE:
        graph = store_profiles.export_graph(get_store(), stored)
        return Response(graph.serialize(format="turtle"), mimetype=TURTLE)
    return jsonify(record(stored))


@api.put("/profiles/<profile_id>")
def replace_profile(profile_id: str):
    params.allow()
    access.profile_principal(profile_id)
    body = bodies.read_json(get_settings()["max_body_bytes"])
    triples = check_for_storing(profile_id, body)
    store_profiles.replace(get_store(), triples, profile_id)
    return jsonify(record(store_profiles.read(get_store(), profile_id, catalogue_cache.refs())))


@api.delete("/profiles/<profile_id>")
def erase_profile(profile_id: str):
    params.allow()
    access.profile_principal(profile_id)
    store_profiles.erase(get_store(), profile_id)
    return Response(status=204)
