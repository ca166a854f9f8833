"""``/api/v1/cohorts``: coordinators group stored profiles and see the group's gaps."""

from __future__ import annotations

import re

from flask import Response, jsonify, url_for

from service.errors import NotFound, ReintegraError, ValidationFailed
from service.planning import cohorts
from service.records import cohorts as cohort_store
from service.records import profiles as store_profiles
from service.web.api import PREFIX, access, api, bodies, catalogue_cache, params
from service.web.context import get_settings, get_store

COHORT_ID = re.compile(r"^[0-9a-f]{32}$")


def _links(cohort_id: str) -> dict[str, str]:
    base = f"{PREFIX}/cohorts/{cohort_id}"
    return {"self": base, "gaps": base + "/gaps"}


def _cohort(cohort_id: str) -> dict:
    if not COHORT_ID.match(cohort_id):
        raise NotFound(f"there is no cohort {cohort_id!r}", pointer="/id")
    return cohort_store.read(get_store(), cohort_id)


@api.post("/cohorts")
def create_cohort():
    params.allow()
    principal = access.coordinator()
    body = bodies.read_json(get_settings()["max_body_bytes"])
    bodies.check("cohort", body)
    store = get_store()
    for i, member in enumerate(body["members"]):
        if not store_profiles.exists(store, member):
            raise ValidationFailed(
                f"/members/{i}: there is no profile {member!r}", pointer=f"/members/{i}"
            )
    cohort_id = cohort_store.create(store, body["name"], body["members"], principal.partner)
    response = jsonify({**cohort_store.read(store, cohort_id), "links": _links(cohort_id)})
    response.status_code = 201
    response.headers["Location"] = url_for("api.read_cohort", cohort_id=cohort_id)
    return response


@api.get("/cohorts")
def list_cohorts():
    params.allow()
    access.coordinator()
    found = cohort_store.all_cohorts(get_store())
    return jsonify({"cohorts": [{**c, "links": _links(c["id"])} for c in found]})


@api.get("/cohorts/<cohort_id>")
def read_cohort(cohort_id: str):
    params.allow()
    access.coordinator()
    cohort = _cohort(cohort_id)
    return jsonify({**cohort, "links": _links(cohort_id)})


@api.delete("/cohorts/<cohort_id>")
def delete_cohort(cohort_id: str):
    params.allow()
    access.coordinator()
    _cohort(cohort_id)
    cohort_store.delete(get_store(), cohort_id)
    return Response(status=204)


@api.get("/cohorts/<cohort_id>/gaps")
def cohort_gaps(cohort_id: str):
    params.allow("lang", "week_hours")
    access.coordinator()
    lang = params.language()
    week_hours = params.number("week_hours", 30, low=1, high=200)
    cohort = _cohort(cohort_id)
    found = store_profiles.load_profiles(get_store(), cohort["members"], catalogue_cache.refs())
    members = [m for m in cohort["members"] if m in found]
    try:
        result = cohorts.cohort_gaps(
            [found[m] for m in members],
            catalogue_cache.catalogue(),
            week_hours=week_hours,
            lang=lang,
        )
    except ReintegraError as exc:
        raise _about_member(exc, members) from None
    return jsonify({"cohort": {"id": cohort_id, "name": cohort["name"]}, **result})


def _about_member(exc: ReintegraError, members: list[str]) -> ReintegraError:
    """A member's stored profile no longer fits the framework: name the profile, not an index."""
    match = re.match(r"^/profiles/(\d+)(.*)$", exc.pointer or "")
    if not match or int(match.group(1)) >= len(members):
        return exc
    profile_id = members[int(match.group(1))]
    return type(exc)(
        f"the stored profile {profile_id} of this cohort no longer fits the framework "
        f"({exc.message}); its owner or a coordinator should update it",
        pointer=f"/members/{match.group(1)}{match.group(2)}",
    )
