"""Trainer profiles checked against the catalogue, in the form gaps and plans read.

A profile is the JSON a trainer sends (see the README): roles, assessments (one per competence
and source, never averaged: an assessor's level wins over a self-assessment), languages,
country, availability and preferences. Shape problems raise BadRequest, meaning problems
ValidationFailed, each with the JSON Pointer of the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import langcodes
import pycountry

from service.errors import BadRequest, ValidationFailed

if TYPE_CHECKING:
    from service.catalogue import Catalogue

SOURCES = ("self", "assessor")


@dataclass(frozen=True, slots=True)
class Profile:
    """A checked profile in the form gaps and plans read."""

    name: str | None
    roles: tuple[str, ...]
    levels: Mapping[str, tuple[int, str]]  # competence -> (rank, source); assessor wins
    assessed: Mapping[str, int]  # every competence's level used, for prerequisite checks
    languages: frozenset[str]  # primary language subtags, lower case
    country: str | None
    availability: tuple[tuple[date, date], ...]
    online_only: bool
    can_travel: bool
    max_hours: float | None


def check_profile(profile: dict, catalogue: Catalogue) -> None:
    """Raise BadRequest (wrong types) or ValidationFailed (wrong meaning) naming the field."""
    parse_profile(profile, catalogue)


def parse_profile(profile: Any, catalogue: Catalogue) -> Profile:
    """Check a profile and return it in the planner's form; errors carry a JSON Pointer."""
    if not isinstance(profile, dict):
        raise BadRequest("a profile must be a JSON object", pointer="")
    name = profile.get("name")
    if name is not None and not isinstance(name, str):
        raise BadRequest("name must be a string", pointer="/name")

    roles = _list(profile, "roles", required=True)
    if not roles:
        raise ValidationFailed("name at least one target role", pointer="/roles")
    for i, role in enumerate(roles):
        _string(role, f"/roles/{i}")
        if role not in catalogue.roles:
            raise ValidationFailed(
                f"unknown role {role!r}; known roles: {', '.join(sorted(catalogue.roles))}",
                pointer=f"/roles/{i}",
            )

    by_source: dict[str, dict[str, int]] = {s: {} for s in SOURCES}
    first_at: dict[tuple[str, str], int] = {}
    competences, by_notation = catalogue.competences, catalogue.by_notation
    for i, item in enumerate(_list(profile, "assessments")):
        if not isinstance(item, dict):
            raise BadRequest("an assessment must be a JSON object", pointer=f"/assessments/{i}")
        competence, notation = item.get("competence"), item.get("level")
        source = item.get("source", "self")
        if not (isinstance(competence, str) and competence in competences):
            where = f"/assessments/{i}/competence"
            _string(competence, where)
            raise ValidationFailed(f"unknown competence {competence!r}", pointer=where)
        if not (isinstance(notation, str) and notation in by_notation):
            where = f"/assessments/{i}/level"
            _string(notation, where)
            scale = ", ".join(v.notation for v in catalogue.levels)
            raise ValidationFailed(
                f"level {notation!r} is not on the scale ({scale})", pointer=where
            )
        if source not in SOURCES:
            raise ValidationFailed(
                f"source {source!r} is not one of {', '.join(SOURCES)}",
                pointer=f"/assessments/{i}/source",
            )
        if item.get("date") is not None:
            _date(item["date"], f"/assessments/{i}/date")
        if item.get("evidence") is not None and not isinstance(item["evidence"], str):
            raise BadRequest(
                "evidence must be text or a link", pointer=f"/assessments/{i}/evidence"
            )
        if (competence, source) in first_at:
            raise ValidationFailed(
                f"a second {source} assessment of {competence!r} (the first is "
                f"/assessments/{first_at[competence, source]}); keep one per competence and source",
                pointer=f"/assessments/{i}",
            )
        first_at[competence, source] = i
        by_source[source][competence] = by_notation[notation].rank
    levels = {c: (rank, "self") for c, rank in by_source["self"].items()}
    levels.update({c: (rank, "assessor") for c, rank in by_source["assessor"].items()})

    languages = set()
    for i, tag in enumerate(_list(profile, "languages", required=True)):
        _string(tag, f"/languages/{i}")
        if not known_language(tag):
            raise ValidationFailed(f"unknown language code {tag!r}", pointer=f"/languages/{i}")
        languages.add(primary_language(tag))
    if not languages:
        raise ValidationFailed("name at least one language you can learn in", pointer="/languages")

    country = profile.get("country")
    if country is not None:
        _string(country, "/country")
        if not known_country(country):
            raise ValidationFailed(
                f"unknown country {country!r}; use an ISO 3166-1 alpha-2 code such as IT",
                pointer="/country",
            )
        country = country.upper()

    availability = []
    for i, period in enumerate(_list(profile, "availability")):
        where = f"/availability/{i}"
        if not isinstance(period, dict):
            raise BadRequest("a period must be an object with start and end", pointer=where)
        start = _date(period.get("start"), where + "/start")
        end = _date(period.get("end"), where + "/end")
        if end < start:
            raise ValidationFailed(
                f"the period ends ({end}) before it starts ({start})", pointer=where + "/end"
            )
        availability.append((start, end))

    prefs = profile.get("preferences") or {}
    if not isinstance(prefs, dict):
        raise BadRequest("preferences must be a JSON object", pointer="/preferences")
    online_only = _bool(prefs, "online_only", False)
    can_travel = _bool(prefs, "can_travel", True)
    max_hours = prefs.get("max_hours")
    if max_hours is not None:
        if isinstance(max_hours, bool) or not isinstance(max_hours, int | float):
            raise BadRequest("max_hours must be a number", pointer="/preferences/max_hours")
        if max_hours < 0:
            raise ValidationFailed(
                "max_hours must not be negative", pointer="/preferences/max_hours"
            )
        max_hours = float(max_hours)

    return Profile(
        name=name,
        roles=tuple(dict.fromkeys(roles)),
        levels=levels,
        assessed={c: rank for c, (rank, _) in levels.items()},
        languages=frozenset(languages),
        country=country,
        availability=merged_periods(availability),
        online_only=online_only,
        can_travel=can_travel,
        max_hours=max_hours,
    )


@lru_cache(maxsize=1024)
def known_language(tag: str) -> bool:
    """A valid BCP 47 tag (IANA registry, through langcodes)."""
    return langcodes.tag_is_valid(tag)


@lru_cache(maxsize=1024)
def known_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code (through pycountry)."""
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def primary_language(tag: str) -> str:
    """The language subtag of a BCP 47 tag: 'pt-BR' can follow training in 'pt' and back."""
    return tag.strip().split("-")[0].split("_")[0].lower()


def _list(data: dict, key: str, *, required: bool = False) -> list:
    value = data.get(key)
    if value is None:
        if required:
            raise BadRequest(f"{key} is missing", pointer=f"/{key}")
        return []
    if not isinstance(value, list):
        raise BadRequest(f"{key} must be a list", pointer=f"/{key}")
    return value


def _string(value: Any, pointer: str) -> str:
    if not isinstance(value, str) or not value:
        raise BadRequest(
            f"{pointer.rsplit('/', 1)[-1]} must be a non-empty string", pointer=pointer
        )
    return value


def _bool(prefs: dict, key: str, default: bool) -> bool:
    value = prefs.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise BadRequest(f"{key} must be true or false", pointer=f"/preferences/{key}")
    return value


def _date(value: Any, pointer: str) -> date:
    if not isinstance(value, str):
        raise BadRequest("a date must be a string like 2027-01-31", pointer=pointer)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            f"{value!r} is not a date like 2027-01-31", pointer=pointer
        ) from None


def merged_periods(periods: list[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    """Periods that overlap or touch (one ends the day before the next starts) as one.

    A trainer free from 1 January to 25 May and from 26 May on is free on every day between,
    so an activity running across the two periods fits their availability.
    """
    merged: list[tuple[date, date]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)
