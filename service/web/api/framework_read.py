"""Read routes for the framework: competences, roles and training activities, in a language.

Filters are checked against the graph (an unknown strand or level is a 400 naming the
parameter), so an empty list always means "nothing matches", never "you mistyped".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify
from rdflib import URIRef

from service.errors import BadRequest, NotFound
from service.web.api import api, catalogue_cache, params
from service.web.api.framework_data import (
    SUMMARY_FIELDS,
    activities,
    competences,
    delivery_formats,
    descriptors,
    level_table,
    localized,
    mappings,
    matches,
    requirements,
    roles,
)
from service.web.context import get_store


# The framework's items as the read API shows them, read once per framework version.
def _competences() -> list[dict[str, Any]]:
    return catalogue_cache.cached("api.competences", lambda store, _: competences(store))


def _roles() -> list[dict[str, Any]]:
    return catalogue_cache.cached("api.roles", lambda store, _: roles(store))


def _requirements() -> list[dict[str, Any]]:
    return catalogue_cache.cached("api.requirements", lambda store, _: requirements(store))


def _activities() -> list[dict[str, Any]]:
    return catalogue_cache.cached(
        "api.activities", lambda store, refs: activities(store, level_table(refs.graph))
    )


def _formats() -> dict[str, str]:
    return catalogue_cache.cached("api.formats", lambda store, _: delivery_formats(store))


def _known(name: str, value: str | None, known: set[str], what: str) -> None:
    if value is not None and value not in known:
        raise BadRequest(
            f"{name}={value!r} is not {what} of the framework; known: {', '.join(sorted(known))}",
            pointer=f"/{name}",
        )


def _competence_summary(item: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "id": item["id"],
        "notation": item["notation"],
        **localized(item["texts"], lang, SUMMARY_FIELDS),
        "area": item["area"],
        "strand": item["strand"],
        "links": {"self": f"/api/v1/competences/{item['id']}"},
    }


@api.get("/competences")
def list_competences():
    params.allow("lang", "strand", "area", "q")
    lang = params.language()
    strand, area, query = params.text("strand"), params.text("area"), params.text("q")
    items = _competences()
    _known("strand", strand, {c["strand"] for c in items}, "a strand")
    _known("area", area, {c["area"] for c in items}, "an area")
    found = [
        _competence_summary(c, lang)
        for c in items
        if (strand is None or c["strand"] == strand)
        and (area is None or c["area"] == area)
        and (query is None or matches(c["search"], query))
    ]
    return jsonify({"lang": lang, "count": len(found), "competences": found})


def _by_id(items: list[dict[str, Any]], item_id: str, what: str) -> dict[str, Any]:
    for item in items:
        if item["id"] == item_id:
            return item
    raise NotFound(f"there is no {what} {item_id!r} in the framework", pointer="/id")


@api.get("/competences/<competence_id>")
def read_competence(competence_id: str):
    params.allow("lang")
    lang = params.language()
    store = get_store()
    item = _by_id(_competences(), competence_id, "competence")
    iri = catalogue_cache.refs().competences[competence_id]
    role_texts = {r["id"]: r["texts"] for r in _roles()}
    return jsonify(
        {
            "lang": lang,
            **_competence_summary(item, lang),
            **localized(item["texts"], lang),
            "descriptors": descriptors(store, iri, lang),
            "mappings": mappings(store, iri, lang),
            "required_by": [
                {
                    **_without(r, "competence"),
                    **localized(role_texts.get(r["role"], {}), lang, ("label",)),
                }
                for r in _requirements()
                if r["competence"] == competence_id
            ],
            "activities": [
                {"id": a["id"], **localized(a["texts"], lang, ("label",))}
                for a in _activities()
                if competence_id in a["competences"]
            ],
        }
    )


def _without(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in keys}


@api.get("/roles")
def list_roles():
    params.allow("lang")
    lang = params.language()
    counts: dict[str, int] = {}
    for requirement in _requirements():
        counts[requirement["role"]] = counts.get(requirement["role"], 0) + 1
    found = [
        {
            "id": role["id"],
            **localized(role["texts"], lang, SUMMARY_FIELDS),
            "requirements": counts.get(role["id"], 0),
            "links": {"self": f"/api/v1/roles/{role['id']}"},
        }
        for role in _roles()
    ]
    return jsonify({"lang": lang, "count": len(found), "roles": found})


@api.get("/roles/<role_id>")
def read_role(role_id: str):
    params.allow("lang")
    lang = params.language()
    role = _by_id(_roles(), role_id, "target role")
    texts = {c["id"]: c for c in _competences()}
    needed = [
        {
            **_without(r, "role"),
            "notation": texts[r["competence"]]["notation"] if r["competence"] in texts else "",
            **localized(
                texts[r["competence"]]["texts"] if r["competence"] in texts else {},
                lang,
                ("label",),
            ),
        }
        for r in _requirements()
        if r["role"] == role_id
    ]
    needed.sort(key=lambda r: (-(r["weight"] or 0), r["notation"], r["competence"]))
    return jsonify(
        {
            "lang": lang,
            "id": role_id,
            **localized(role["texts"], lang),
            "mappings": mappings(get_store(), URIRef(role["iri"]), lang),
            "requirements": needed,
        }
    )


def _fits_dates(activity: dict[str, Any], start: date | None, end: date | None) -> bool:
    """Self-paced activities fit any range; others must run entirely inside it."""
    if start is None and end is None or activity["self_paced"]:
        return True
    if activity["start"] is None or activity["end"] is None:
        return False
    return (start is None or date.fromisoformat(activity["start"][:10]) >= start) and (
        end is None or date.fromisoformat(activity["end"][:10]) <= end
    )


def _fits_level(activity: dict[str, Any], rank: int | None) -> bool:
    """A person at ``rank`` can enter the activity and it takes them beyond that level."""
    if rank is None:
        return True
    entry, reached = activity["entry_rank"], activity["reached_rank"]
    return entry is not None and reached is not None and entry <= rank < reached


@api.get("/activities")
def list_activities():
    params.allow("lang", "country", "format", "language", "start", "end", "competence", "level")
    lang = params.language()
    refs = catalogue_cache.refs()
    formats = set(params.choices("format", _formats()))
    countries = set(params.countries())
    languages = set(params.languages())
    start, end = params.date_range()
    wanted = set(params.values("competence"))
    for competence in wanted:
        _known("competence", competence, set(refs.competences), "a competence")
    level = params.text("level")
    levels = level_table(refs.graph)
    ranks = {notation: rank for notation, rank in levels.values()}
    _known("level", level, set(ranks), "a level")
    found = [
        _activity_view(a, lang)
        for a in _activities()
        if (not formats or a["format"] in formats)
        and (not countries or a["country"] in countries)
        and (not languages or languages & set(a["languages"]))
        and (not wanted or wanted & set(a["competences"]))
        and _fits_dates(a, start, end)
        and _fits_level(a, ranks.get(level) if level else None)
    ]
    return jsonify({"lang": lang, "count": len(found), "activities": found})


def _activity_view(activity: dict[str, Any], lang: str) -> dict[str, Any]:
    view = {
        k: v
        for k, v in activity.items()
        if k not in ("texts", "entry_rank", "reached_rank") and v is not None
    }
    return {
        "id": activity["id"],
        **localized(activity["texts"], lang, ("label", "definition", "editorial_note")),
        **view,
    }
