"""Query parameters of the API: language, limit, plan filters and week length, checked once.

A parameter's problems are reported with the pointer ``/<name>``; parameters an endpoint does
not know are refused, so a typo never silently widens a search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import pycountry
from flask import request

from service.errors import BadRequest
from service.i18n import negotiate_language
from service.planning.search import MAX_LIMIT
from service.web.context import get_settings

COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def allow(*names: str) -> None:
    """Refuse query parameters this endpoint does not read."""
    for name in request.args:
        if name not in names:
            known = ", ".join(names) if names else "none"
            raise BadRequest(
                f"unknown query parameter {name!r}; this endpoint reads: {known}",
                pointer=f"/{name}",
            )


def language() -> str:
    """``lang`` if given (must be a published language), else Accept-Language, else default."""
    return negotiate_language(
        request.args.get("lang"), request.accept_languages, get_settings()["default_language"]
    )


def values(name: str) -> list[str]:
    """A list parameter, repeated (``?format=a&format=b``) or comma-separated."""
    found: list[str] = []
    for raw in request.args.getlist(name):
        found.extend(part.strip() for part in raw.split(",") if part.strip())
    return found


def text(name: str) -> str | None:
    value = request.args.get(name)
    return value.strip() if value and value.strip() else None


def day(name: str) -> date | None:
    raw = text(name)
    if raw is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(
            f"{name}={raw!r} is not a date; write YYYY-MM-DD", pointer=f"/{name}"
        ) from None


def date_range() -> tuple[date | None, date | None]:
    start, end = day("start"), day("end")
    if start and end and start > end:
        raise BadRequest(
            f"end={end.isoformat()} is before start={start.isoformat()}; swap them",
            pointer="/end",
        )
    return start, end


def number(name: str, default: float, *, low: float, high: float, whole: bool = False) -> Any:
    raw = text(name)
    if raw is None:
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise BadRequest(f"{name}={raw!r} is not {kind}", pointer=f"/{name}") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low:g} and {high:g}", pointer=f"/{name}")
    return value


def limit(default: int = 5) -> int:
    return number("limit", default, low=1, high=MAX_LIMIT, whole=True)


def countries(name: str = "country") -> list[str]:
    found = values(name)
    for code in found:
        if not COUNTRY.match(code) or pycountry.countries.get(alpha_2=code) is None:
            raise BadRequest(
                f"{name}={code!r} is not a two-letter ISO 3166 country code such as IT",
                pointer=f"/{name}",
            )
    return found


def languages(name: str = "language") -> list[str]:
    found = values(name)
    for code in found:
        if not LANGUAGE_TAG.match(code):
            raise BadRequest(
                f"{name}={code!r} is not a language tag such as it", pointer=f"/{name}"
            )
    return found


def choices(name: str, known: Iterable[str]) -> list[str]:
    """A list parameter whose values must be among ``known`` (any case); canonical spelling."""
    canonical = {k.lower(): k for k in known}
    found = []
    for value in values(name):
        if value.lower() not in canonical:
            listed = ", ".join(sorted(canonical.values()))
            raise BadRequest(
                f"{name}={value!r} is not known; use one of {listed}", pointer=f"/{name}"
            )
        found.append(canonical[value.lower()])
    return found


def plan_filters(formats: Iterable[str]) -> dict[str, Any]:
    """The planner's filters from ``format``, ``country``, ``start`` and ``end``."""
    filters: dict[str, Any] = {}
    chosen = choices("format", formats)
    if chosen:
        filters["format"] = chosen
    found = countries()
    if found:
        filters["country"] = found
    start, end = date_range()
    if start:
        filters["start"] = start
    if end:
        filters["end"] = end
    return filters
