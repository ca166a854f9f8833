"""Seeded random frameworks and profiles for the planner tests and benchmark.

A framework is written as Turtle in the real vocabulary and loaded into a store, so the tests
exercise the same SPARQL loading path as the product. Levels come from the fixture framework.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from service.catalogue import Catalogue, load_catalogue
from service.namespaces import FRAMEWORK_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from service.store import EmbeddedStore
from service.store.bundle import Source, load_sources, ontology_files, shape_files

LEVELS_TTL = Path(__file__).resolve().parent / "data" / "framework" / "levels.ttl"
NOTATIONS = ("A1", "A2", "B1", "B2", "C1", "C2")
LANGS = ("en", "it", "ro", "nl")
COUNTRIES = ("IT", "RO", "NL")
FORMATS = ("Online", "InPerson", "Blended", "Coaching")

PREFIXES = """\
@prefix rg: <https://w3id.org/reintegra/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix strand: <https://w3id.org/reintegra/strand/> .
@prefix area: <https://w3id.org/reintegra/area/> .
@prefix comp: <https://w3id.org/reintegra/competence/> .
@prefix level: <https://w3id.org/reintegra/level/> .
@prefix role: <https://w3id.org/reintegra/role/> .
@prefix req: <https://w3id.org/reintegra/requirement/> .
@prefix act: <https://w3id.org/reintegra/activity/> .
@prefix partner: <https://w3id.org/reintegra/partner/> .
@prefix place: <https://w3id.org/reintegra/place/> .
"""


def _labels(rng: random.Random, text: str) -> str:
    """English always; other languages mostly, so fallbacks get exercised."""
    langs = ["en"] + [lang for lang in LANGS[1:] if rng.random() < 0.8]
    return ", ".join(f'"{text} ({lang})"@{lang}' for lang in langs)


def framework_turtle(
    seed: int, *, competences: int = 6, roles: int = 2, activities: int = 8, weeks: int = 1
) -> str:
    """A random but well-formed framework: strands, areas, competences, roles, activities."""
    rng = random.Random(seed)
    out = [PREFIXES]
    out.append(f"strand:s1 a rg:Strand ; skos:prefLabel {_labels(rng, 'Strand one')} .")
    out.append(f"strand:s2 a rg:Strand ; skos:prefLabel {_labels(rng, 'Strand two')} .")
    for a in range(3):
        out.append(
            f"area:a{a} a rg:CompetenceArea ; skos:broader strand:s{1 + a % 2} ; "
            f"skos:prefLabel {_labels(rng, f'Area {a}')} ."
        )
    comps = [f"c{i}" for i in range(competences)]
    for i, c in enumerate(comps):
        out.append(
            f"comp:{c} a rg:Competence ; skos:broader area:a{i % 3} ; "
            f'skos:notation "C-{i:02d}" ; skos:prefLabel {_labels(rng, f"Skill {i}")} .'
        )
    for r in range(roles):
        out.append(f"role:r{r} a rg:TargetRole ; skos:prefLabel {_labels(rng, f'Role {r}')} .")
        for c in rng.sample(comps, rng.randint(2, min(len(comps), 6))):
            relation = rng.choice(["Essential", "Optional"])
            out.append(
                f"req:r{r}--{c} a rg:RoleRequirement ; rg:requirementOf role:r{r} ; "
                f"rg:requiredCompetence comp:{c} ; "
                f"rg:requiredLevel level:{NOTATIONS[rng.randint(1, 5)]} ; "
                f"rg:relationType rg:{relation} ."
            )
    for country in COUNTRIES:
        out.append(
            f"partner:p{country} a rg:Partner ; schema:location place:{country} ; "
            f'skos:prefLabel "Partner {country}"@en .'
        )
        out.append(
            f'place:{country} a schema:Place ; schema:addressCountry "{country}" ; '
            f'schema:addressLocality "City {country}" .'
        )
    ids = []
    for i in range(activities):
        ids.append(f"x{i:02d}")
        out.append(_activity(rng, f"x{i:02d}", "rg:TrainingActivity", comps, ids[:-1]))
    for w in range(weeks):
        week = f"w{w}"
        sessions = [f"{week}s{k}" for k in range(rng.randint(1, 3))]
        start = date(2027, 3, 1) + timedelta(days=rng.randint(0, 250))
        out.append(
            _activity(
                rng,
                week,
                "rg:Mobility",
                comps,
                ids,
                start=start,
                days=4,
                extra=" ; ".join(f"schema:subEvent act:{s}" for s in sessions),
            )
        )
        for k, s in enumerate(sessions):
            out.append(
                _activity(
                    rng,
                    s,
                    "rg:TrainingSession",
                    comps,
                    [],
                    start=start + timedelta(days=k),
                    days=0,
                    extra=f"schema:superEvent act:{week}",
                )
            )
        ids.append(week)
    return "\n".join(out) + "\n"


def _activity(rng, ident, cls, comps, earlier, *, start=None, days=None, extra="") -> str:
    fmt = "InPerson" if cls != "rg:TrainingActivity" else rng.choice(FORMATS)
    country = rng.choice(COUNTRIES)
    entry = rng.randint(0, 3)
    reached = rng.randint(entry + 1, 6)
    facts = [
        f"act:{ident} a {cls}",
        f"rg:deliveryFormat rg:{fmt}",
        f"skos:prefLabel {_labels(rng, f'Activity {ident}')}",
        f"schema:organizer partner:p{country}",
        "schema:inLanguage " + ", ".join(f'"{x}"' for x in rng.sample(LANGS, rng.randint(1, 4))),
        f"rg:durationHours {rng.choice([2, 4, 6, 8, 12, 16, 20, 30])}.0",
        f"rg:levelReached level:{NOTATIONS[reached - 1]}",
        "rg:addressesCompetence "
        + ", ".join(f"comp:{c}" for c in rng.sample(comps, rng.randint(1, min(3, len(comps))))),
    ]
    if entry:
        facts.append(f"rg:entryLevel level:{NOTATIONS[entry - 1]}")
    if fmt in ("InPerson", "Blended") or rng.random() < 0.3:
        facts.append(f"schema:location place:{country}")
    if rng.random() < 0.9:
        facts.append(f"schema:maximumAttendeeCapacity {rng.choice([0, 5, 20, 100, 100, 100])}")
    if start is None and rng.random() < 0.4:
        facts.append("rg:selfPaced true")
    else:
        start = start or date(2027, 1, 1) + timedelta(days=rng.randint(0, 330))
        days = rng.randint(0, 40) if days is None else days
        facts.append(f'schema:startDate "{start.isoformat()}"^^xsd:date')
        facts.append(f'schema:endDate "{(start + timedelta(days=days)).isoformat()}"^^xsd:date')
    if earlier and rng.random() < 0.3:
        facts.append(f"rg:prerequisite act:{rng.choice(earlier)}")
    if extra:
        facts.append(extra)
    return " ;\n    ".join(facts) + " ."


def random_profile(rng: random.Random, catalogue: Catalogue, *, strict: float = 1.0) -> dict:
    """A valid profile for a catalogue: roles, assessments from both sources, preferences.

    ``strict`` scales how often a profile restricts format, travel and dates."""
    roles = rng.sample(sorted(catalogue.roles), rng.randint(1, min(2, len(catalogue.roles))))
    assessments = []
    for c in sorted(catalogue.competences):
        for source in ("self", "assessor"):
            if rng.random() < (0.7 if source == "self" else 0.2):
                assessments.append(
                    {
                        "competence": c,
                        "source": source,
                        "level": rng.choice(NOTATIONS[:5]),
                        "date": "2026-11-01",
                    }
                )
    profile = {
        "name": f"Trainer {rng.randint(1, 9999)}",
        "roles": roles,
        "assessments": assessments,
        "languages": rng.sample(LANGS, rng.randint(1 if strict >= 1 else 2, 3)),
        "country": rng.choice(COUNTRIES),
        "preferences": {
            "online_only": rng.random() < 0.2 * strict,
            "can_travel": rng.random() >= 0.4 * strict,
            "max_hours": rng.choice([None, 10, 20, 40, 80]),
        },
    }
    if rng.random() < 0.5 * strict:
        start = date(2027, 1, 1) + timedelta(days=rng.randint(0, 120))
        profile["availability"] = [
            {
                "start": start.isoformat(),
                "end": (start + timedelta(days=rng.randint(30, 300))).isoformat(),
            }
        ]
    return profile


def ontology_store() -> EmbeddedStore:
    """An in-memory store with the real ontology and shapes, ready for a framework graph."""
    store = EmbeddedStore()
    load_sources(
        store,
        [
            Source(ONTOLOGY_GRAPH, tuple(ontology_files())),
            Source(SHAPES_GRAPH, tuple(shape_files())),
        ],
    )
    return store


def load_framework(store: EmbeddedStore, turtle: str, tmp_dir: Path) -> Catalogue:
    """Replace the framework graph with the fixture levels and ``turtle``; build a catalogue."""
    path = tmp_dir / "framework.ttl"
    path.write_text(turtle, encoding="utf-8")
    load_sources(store, [Source(FRAMEWORK_GRAPH, (LEVELS_TTL, path))], force=True)
    return load_catalogue(store)
