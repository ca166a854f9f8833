"""The hard rules a training plan keeps: what a unit is, and what rules one out for a trainer.

* A **unit** of a plan is a standalone activity or a whole training week (``rg:Mobility``).
  Sessions of a week are never recommended alone: a trainer signs up for the week, which brings
  the week's own outcome and those of its sessions, for the week's hours only (the sessions'
  hours are part of them, never added). Cohort planning (``cohorts.py``) picks sessions.
* **Hard constraints** on a unit (:func:`static_reasons`): a language of delivery the trainer
  can learn in; dates inside one availability period and not before ``today`` (self-paced
  always fits; undated ones fit only a trainer with no stated availability and no date
  filter); capacity above zero when stated; ``online_only`` allows only ``rg:Online`` and
  ``rg:Coaching``; any other format away from the trainer's country needs ``can_travel``; the
  filters; no more hours than ``max_hours``. A session counts inside its week only when it is
  given in a language the trainer follows and has room (:func:`part_fits`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from service.catalogue import Activity, Catalogue
from service.errors import BadRequest, ValidationFailed
from service.planning.profile import Profile, known_country

ONLINE_FORMATS = frozenset({"Online", "Coaching"})  # rg:Online and rg:Coaching
EPS = 1e-9

#: Reason codes that rule a unit out whatever the rest of the plan holds.
STATIC_REASONS = frozenset(
    {
        "language",
        "no_dates",
        "past",
        "availability",
        "filter_dates",
        "capacity",
        "online_only",
        "travel",
        "filter_format",
        "filter_country",
        "hours_unknown",
        "hours",
    }
)


@dataclass(frozen=True, slots=True, eq=False)
class Unit:
    activity: Activity  # the standalone activity or the week
    parts: tuple[Activity, ...]  # itself, then the week's sessions, by id
    ordered: tuple[Activity, ...]  # the order parts apply in: entry level, level reached, id
    competences: frozenset[str]  # addressed by any part
    linked: frozenset[str]  # its parts' ids and their prerequisites' ids


@dataclass(frozen=True, slots=True)
class Filters:
    formats: frozenset[str] | None = None
    countries: frozenset[str] | None = None
    start: date | None = None
    end: date | None = None


_UNITS: WeakKeyDictionary[Catalogue, tuple[Unit, ...]] = WeakKeyDictionary()


def units(catalogue: Catalogue) -> tuple[Unit, ...]:
    """The recommendable units of a catalogue by id, built once per catalogue."""
    found = _UNITS.get(catalogue)
    if found is None:
        acts = catalogue.activities
        made = []
        for a in sorted(acts.values(), key=lambda x: x.id):
            if a.kind == "session" and a.super_event in acts:
                continue
            parts = (a, *(acts[s] for s in a.sub_events if s in acts))
            ordered = tuple(sorted(parts, key=lambda p: (p.entry, p.reached, p is not a, p.id)))
            competences = frozenset(c for p in parts for c in p.competences)
            linked = frozenset({p.id for p in parts} | {x for p in parts for x in p.prerequisites})
            made.append(Unit(a, parts, ordered, competences, linked))
        found = _UNITS[catalogue] = tuple(made)
    return found


_ADDRESSING: WeakKeyDictionary[Catalogue, dict[str, tuple]] = WeakKeyDictionary()


def addressing(catalogue: Catalogue) -> dict[str, tuple[tuple[Unit, tuple[Activity, ...]], ...]]:
    """Per competence, the units (by id) with the parts of each that address it."""
    found = _ADDRESSING.get(catalogue)
    if found is None:
        lists: dict[str, list] = {}
        for unit in units(catalogue):
            for c in sorted(unit.competences):
                parts = tuple(p for p in unit.parts if c in p.competences)
                lists.setdefault(c, []).append((unit, parts))
        found = _ADDRESSING[catalogue] = {c: tuple(us) for c, us in lists.items()}
    return found


def parse_filters(filters: dict | None, catalogue: Catalogue) -> Filters:
    """Filters ``{format: [...], country: [...], start, end}``; errors name the field."""
    if not filters:
        return Filters()
    if not isinstance(filters, dict):
        raise BadRequest("filters must be an object", pointer="/filters")
    formats = countries = None
    if filters.get("format"):
        known = {f.lower(): f for f in catalogue.formats}
        formats = set()
        for i, value in enumerate(_values(filters["format"], "/filters/format")):
            if value.lower() not in known:
                raise ValidationFailed(
                    f"unknown format {value!r}; use one of {', '.join(sorted(known.values()))}",
                    pointer=f"/filters/format/{i}",
                )
            formats.add(known[value.lower()])
    if filters.get("country"):
        countries = set()
        for i, value in enumerate(_values(filters["country"], "/filters/country")):
            if not known_country(value):
                raise ValidationFailed(
                    f"unknown country {value!r}", pointer=f"/filters/country/{i}"
                )
            countries.add(value.upper())
    start, end = _filter_date(filters, "start"), _filter_date(filters, "end")
    if start and end and end < start:
        raise ValidationFailed(
            f"the end ({end}) is before the start ({start})", pointer="/filters/end"
        )
    return Filters(
        frozenset(formats) if formats else None,
        frozenset(countries) if countries else None,
        start,
        end,
    )


def _values(value: Any, pointer: str) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise BadRequest("expected a list of names", pointer=pointer)
    return values


def _filter_date(filters: dict, key: str) -> date | None:
    value = filters.get(key)
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(
            f"{value!r} is not a date like 2027-01-31", pointer=f"/filters/{key}"
        ) from None


def in_person(activity: Activity) -> bool:
    """Anything but online and coaching asks the trainer to be there."""
    return activity.format not in ONLINE_FORMATS


def dated(activity: Activity) -> tuple[date, date] | None:
    if activity.self_paced or (activity.start is None and activity.end is None):
        return None
    return (activity.start or activity.end, activity.end or activity.start)


def before(first: Activity, then: Activity) -> bool:
    """Whether ``first`` can be completed before ``then`` starts (self-paced: any time)."""
    a, b = dated(first), dated(then)
    return a is None or b is None or a[1] < b[0]


def overlap(a: Activity, b: Activity) -> bool:
    x, y = dated(a), dated(b)
    return x is not None and y is not None and x[0] <= y[1] and y[0] <= x[1]


@lru_cache(maxsize=4096)
def primary_languages(languages: frozenset[str]) -> frozenset[str]:
    return frozenset(lang.split("-")[0] for lang in languages)


def speaks(languages: frozenset[str], p: Profile) -> bool:
    """A language of delivery the trainer can learn in ('pt-BR' and 'pt' match)."""
    return not primary_languages(languages).isdisjoint(p.languages)


def static_reasons(activity: Activity, p: Profile, f: Filters, today: date) -> list[str]:
    """Why a unit can never be in this trainer's plan, as reason codes (empty: it may be)."""
    reasons = []
    if not speaks(activity.languages, p):
        reasons.append("language")
    period = dated(activity)
    if period is None and not activity.self_paced:
        if p.availability or f.start or f.end:
            reasons.append("no_dates")
    elif period is not None:
        if period[0] < today:
            reasons.append("past")
        if p.availability and not any(s <= period[0] and period[1] <= e for s, e in p.availability):
            reasons.append("availability")
        if (f.start and period[0] < f.start) or (f.end and period[1] > f.end):
            reasons.append("filter_dates")
    if activity.capacity is not None and activity.capacity <= 0:
        reasons.append("capacity")
    away = in_person(activity)
    if p.online_only and away:
        reasons.append("online_only")
    if away and not p.can_travel and (p.country is None or activity.country != p.country):
        reasons.append("travel")
    if f.formats is not None and activity.format not in f.formats:
        reasons.append("filter_format")
    if f.countries is not None and activity.country not in f.countries:
        reasons.append("filter_country")
    if p.max_hours is not None:
        if activity.hours is None:
            reasons.append("hours_unknown")
        elif activity.hours > p.max_hours + EPS:
            reasons.append("hours")
    return reasons


def part_fits(part: Activity, p: Profile) -> bool:
    """A session of a week counts only when given in a language the trainer follows, with room."""
    return speaks(part.languages, p) and not (part.capacity is not None and part.capacity <= 0)
