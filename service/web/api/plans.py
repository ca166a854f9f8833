"""Gaps and recommended plans, for a stored profile or for a profile sent inline.

The inline forms (``POST /gaps``, ``POST /recommendations``) take the same profile JSON as
``POST /profiles`` and the same query parameters as the stored forms; they store nothing.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify

from service.planning import answers, gaps
from service.records import profiles as store_profiles
from service.web.api import access, api, bodies, catalogue_cache, params
from service.web.api.profile_checks import check_inline
from service.web.context import get_settings, get_store

PLAN_PARAMS = ("lang", "limit", "format", "country", "start", "end")


def _stored(profile_id: str) -> dict[str, Any]:
    access.profile_principal(profile_id)
    return store_profiles.read(get_store(), profile_id, catalogue_cache.refs()).profile


def _inline() -> dict[str, Any]:
    return check_inline(bodies.read_json(get_settings()["max_body_bytes"]))


def _gaps(profile: dict[str, Any], lang: str):
    return jsonify(gaps.compute_gaps(profile, catalogue_cache.catalogue(), lang=lang))


def _plan(profile: dict[str, Any], lang: str, limit: int, filters: dict[str, Any]):
    return jsonify(
        answers.recommend(
            profile, catalogue_cache.catalogue(), lang=lang, limit=limit, filters=filters
        )
    )


def _plan_options() -> tuple[str, int, dict[str, Any]]:
    params.allow(*PLAN_PARAMS)
    formats = catalogue_cache.catalogue().formats
    return params.language(), params.limit(), params.plan_filters(formats)


@api.get("/profiles/<profile_id>/gaps")
def profile_gaps(profile_id: str):
    profile = _stored(profile_id)
    params.allow("lang")
    return _gaps(profile, params.language())


@api.post("/gaps")
def inline_gaps():
    params.allow("lang")
    lang = params.language()
    return _gaps(_inline(), lang)


@api.get("/profiles/<profile_id>/recommendations")
def profile_recommendations(profile_id: str):
    profile = _stored(profile_id)
    lang, limit, filters = _plan_options()
    return _plan(profile, lang, limit, filters)


@api.post("/recommendations")
def inline_recommendations():
    lang, limit, filters = _plan_options()
    return _plan(_inline(), lang, limit, filters)
