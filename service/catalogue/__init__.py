"""The framework as an immutable in-memory catalogue, read once from the graph, and profile checks.

Gaps, plans and cohort views run thousands of times per second over the same framework; they
read this snapshot instead of the store. It is built by SPARQL from the public ontology and
framework graphs only (ESCO and private graphs are never read), so nothing here is a
hand-written copy of the framework. A catalogue carries the ``version`` it was built from:
compare it with :func:`catalogue_version` to know when to rebuild.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from rdflib import Literal, URIRef

from service.i18n import pick
from service.namespaces import (
    FRAMEWORK_GRAPH,
    HISTORY_GRAPH,
    ONTOLOGY_GRAPH,
    SYSTEM_GRAPH,
    local_id,
)
from service.rq import query_text
from service.store import Store

#: The only graphs the catalogue reads: loading ESCO or profiles never slows it down.
CATALOGUE_GRAPHS: tuple[str, ...] = (ONTOLOGY_GRAPH, FRAMEWORK_GRAPH)

Labels = Mapping[str, str]
_NO_LABELS: Labels = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    notation: str
    rank: int
    labels: Labels


@dataclass(frozen=True, slots=True)
class Concept:
    """A strand or a competence area."""

    id: str
    kind: str
    notation: str | None
    labels: Labels
    strand: str | None = None


@dataclass(frozen=True, slots=True)
class Competence:
    id: str
    notation: str | None
    labels: Labels
    area: str | None
    strand: str | None


@dataclass(frozen=True, slots=True)
class RelationType:
    id: str
    weight: float
    labels: Labels


@dataclass(frozen=True, slots=True)
class Requirement:
    competence: str
    level: int
    relation: str
    weight: float


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    labels: Labels
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    kind: str  # "activity", "mobility" (a training week) or "session" (part of a week)
    format: str | None
    organizer: str | None
    country: str | None
    city: str | None
    languages: frozenset[str]
    start: date | None
    end: date | None
    self_paced: bool
    hours: float | None
    capacity: int | None
    entry: int  # rank; 0 when the activity states no entry level
    reached: int  # rank; 0 when the activity states no level reached
    competences: tuple[str, ...]
    prerequisites: tuple[str, ...]
    super_event: str | None
    sub_events: tuple[str, ...]
    labels: Labels


@dataclass(frozen=True, eq=False)
class Catalogue:
    """One snapshot of the framework; compared by identity, so it can key caches."""

    version: str
    levels: tuple[Level, ...]
    strands: Mapping[str, Concept]
    areas: Mapping[str, Concept]
    competences: Mapping[str, Competence]
    relation_types: Mapping[str, RelationType]
    roles: Mapping[str, Role]
    activities: Mapping[str, Activity]
    formats: Mapping[str, Labels]
    by_notation: Mapping[str, Level] = field(init=False)
    by_rank: Mapping[int, Level] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "by_notation", MappingProxyType({v.notation: v for v in self.levels})
        )
        object.__setattr__(self, "by_rank", MappingProxyType({v.rank: v for v in self.levels}))

    def notation(self, rank: int) -> str | None:
        """The notation of a rank; None for rank 0 (no level held)."""
        level = self.by_rank.get(rank)
        return level.notation if level else None


def catalogue_version(store: Store) -> str:
    """A cheap fingerprint of what a catalogue is built from, shared by every process.

    The bundle loader records a new ``rg:sourceHash`` with each load, and the SPARQL update
    endpoint records a change record with each committed edit, so either changes the version.
    One query, since on a remote store every request pays for it.
    """
    rows = store.select(
        query_text("catalogue_version"),
        {
            "system": URIRef(SYSTEM_GRAPH),
            "history": URIRef(HISTORY_GRAPH),
            "ontology": URIRef(ONTOLOGY_GRAPH),
            "framework": URIRef(FRAMEWORK_GRAPH),
        },
        default_graphs=(),
    )
    row = rows[0] if rows else {}
    names = ("ontologyHash", "frameworkHash", "lastChange")
    return ":".join(str(row[name]) if name in row else "-" for name in names)


def load_catalogue(store: Store) -> Catalogue:
    """Read the whole framework once; every later gap and plan reads only this snapshot."""
    version = catalogue_version(store)

    def rows(name: str) -> list[dict]:
        return store.select(query_text(name), default_graphs=CATALOGUE_GRAPHS)

    labels = _labels(rows("catalogue_labels"))

    def labels_of(iri: Any) -> Labels:
        return labels.get(str(iri), _NO_LABELS)

    levels, rank_of = [], {}
    for row in rows("catalogue_levels"):
        iri = str(row["level"])
        notation = str(row.get("notation") or local_id(iri))
        levels.append(Level(local_id(iri), notation, int(row["rank"]), labels_of(iri)))
        rank_of[iri] = int(row["rank"])
    levels.sort(key=lambda v: (v.rank, v.notation))

    concept_rows: dict[str, dict[str, Any]] = {}
    for row in rows("catalogue_concepts"):
        item = concept_rows.setdefault(
            str(row["item"]), {"kind": str(row["kind"]), "notation": None, "broader": set()}
        )
        if "notation" in row:
            item["notation"] = min(filter(None, (item["notation"], str(row["notation"]))))
        if "broader" in row:
            item["broader"].add(str(row["broader"]))
    kinds = {iri: c["kind"] for iri, c in concept_rows.items()}

    def broader_of(iri: str, kind: str) -> str | None:
        found = sorted(b for b in concept_rows[iri]["broader"] if kinds.get(b) == kind)
        return found[0] if found else None

    strands, areas, competences = {}, {}, {}
    for iri, c in sorted(concept_rows.items()):
        if c["kind"] == "strand":
            strands[local_id(iri)] = Concept(local_id(iri), "strand", c["notation"], labels_of(iri))
    for iri, c in sorted(concept_rows.items()):
        if c["kind"] == "area":
            strand = broader_of(iri, "strand")
            areas[local_id(iri)] = Concept(
                local_id(iri),
                "area",
                c["notation"],
                labels_of(iri),
                local_id(strand) if strand else None,
            )
    for iri, c in sorted(concept_rows.items()):
        if c["kind"] == "competence":
            area = broader_of(iri, "area")
            area_id = local_id(area) if area else None
            competences[local_id(iri)] = Competence(
                local_id(iri),
                c["notation"],
                labels_of(iri),
                area_id,
                areas[area_id].strand if area_id in areas else None,
            )

    relation_types = {}
    for row in rows("catalogue_relation_types"):
        iri = str(row["type"])
        weight = float(row["weight"]) if "weight" in row else 1.0
        relation_types[local_id(iri)] = RelationType(local_id(iri), weight, labels_of(iri))

    # A requirement of a competence the framework does not define cannot be assessed or
    # trained for; it is left out here (SHACL validation reports it to the editors).
    requirements: dict[str, dict[str, Requirement]] = defaultdict(dict)
    for row in sorted(rows("catalogue_requirements"), key=lambda r: str(r["requirement"])):
        relation = local_id(str(row["type"])) if "type" in row else None
        kind = relation_types.get(relation) if relation else None
        competence = local_id(str(row["competence"]))
        if competence not in competences:
            continue
        requirement = Requirement(
            competence,
            rank_of.get(str(row["level"]), 0),
            relation or "unspecified",
            kind.weight if kind else 1.0,
        )
        held = requirements[local_id(str(row["role"]))].get(competence)
        if held is None or (requirement.level, requirement.weight) > (held.level, held.weight):
            requirements[local_id(str(row["role"]))][competence] = requirement
    roles = {}
    for row in sorted(rows("catalogue_roles"), key=lambda r: str(r["role"])):
        role_id = local_id(str(row["role"]))
        reqs = tuple(sorted(requirements.get(role_id, {}).values(), key=lambda r: r.competence))
        roles[role_id] = Role(role_id, labels_of(row["role"]), reqs)

    formats = {
        local_id(str(r["format"])): labels_of(r["format"]) for r in rows("catalogue_formats")
    }
    activities = _activities(
        rows("catalogue_activities"), rows("catalogue_activity_links"), rank_of, labels_of
    )
    return Catalogue(
        version=version,
        levels=tuple(levels),
        strands=MappingProxyType(strands),
        areas=MappingProxyType(areas),
        competences=MappingProxyType(competences),
        relation_types=MappingProxyType(relation_types),
        roles=MappingProxyType(roles),
        activities=MappingProxyType(activities),
        formats=MappingProxyType(formats),
    )


def _labels(rows: list[dict]) -> dict[str, Labels]:
    preferred: dict[str, dict[str, str]] = defaultdict(dict)
    fallback: dict[str, dict[str, str]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: (str(r["item"]), str(r["label"]))):
        label = row["label"]
        lang = (label.language or "").lower() if isinstance(label, Literal) else ""
        target = preferred if row["preferred"].toPython() is True else fallback
        target[str(row["item"])].setdefault(lang, str(label))
    items = set(preferred) | set(fallback)
    return {i: MappingProxyType({**fallback.get(i, {}), **preferred.get(i, {})}) for i in items}


def _first(values: set) -> Any:
    return min(values, key=str) if values else None


def _as_date(term: Any) -> date | None:
    if term is None:
        return None
    value = term.toPython() if isinstance(term, Literal) else term
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _activities(scalar_rows, link_rows, rank_of, labels_of) -> dict[str, Activity]:
    facts: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in scalar_rows:
        entry = facts[str(row["activity"])]
        for name, value in row.items():
            if name != "activity":
                entry[name].add(value)
    for row in link_rows:
        facts[str(row["activity"])]["link:" + str(row["link"])].add(row["value"])
    activities = {}
    for iri in sorted(facts):
        f = facts[iri]
        hours = _first(f["hours"])
        capacity = _first(f["capacity"])
        languages = {str(v).strip().lower() for v in f["link:language"]}
        supers = {str(v) for v in f["superEvent"] | f["link:superEvent"]}
        kind = _first(f["kind"])
        activities[local_id(iri)] = Activity(
            id=local_id(iri),
            kind=str(kind) if kind is not None else "activity",
            format=local_id(str(_first(f["format"]))) if f["format"] else None,
            organizer=local_id(str(_first(f["organizer"]))) if f["organizer"] else None,
            country=str(_first(f["country"])).upper() if f["country"] else None,
            city=str(_first(f["city"])) if f["city"] else None,
            languages=frozenset(languages),
            start=_as_date(_first(f["start"])),
            end=_as_date(_first(f["end"])),
            self_paced=any(v.toPython() is True for v in f["selfPaced"]),
            hours=float(hours) if hours is not None else None,
            capacity=int(capacity) if capacity is not None else None,
            entry=max((rank_of.get(str(v), 0) for v in f["entry"]), default=0),
            reached=max((rank_of.get(str(v), 0) for v in f["reached"]), default=0),
            competences=tuple(sorted(local_id(str(v)) for v in f["link:competence"])),
            prerequisites=tuple(sorted(local_id(str(v)) for v in f["link:prerequisite"])),
            super_event=local_id(min(supers)) if supers else None,
            sub_events=tuple(sorted(local_id(str(v)) for v in f["link:subEvent"])),
            labels=labels_of(iri),
        )
    # A session names its week with schema:superEvent or the week names it with schema:subEvent.
    for week in list(activities.values()):
        for sub in week.sub_events:
            session = activities.get(sub)
            if session is not None and session.super_event is None:
                activities[sub] = _replace(session, super_event=week.id)
    for session in list(activities.values()):
        week = activities.get(session.super_event or "")
        if week is not None and session.id not in week.sub_events:
            activities[week.id] = _replace(
                week, sub_events=tuple(sorted((*week.sub_events, session.id)))
            )
    return activities


def _replace(activity: Activity, **changes: Any) -> Activity:
    from dataclasses import replace

    return replace(activity, **changes)


def labelled(labels: Labels, lang: str, key: str = "label") -> dict[str, str | None]:
    """``{key: text}`` in ``lang``, plus ``{key}_lang`` when another language had to be used."""
    text = labels.get(lang)
    if text is not None:
        return {key: text}
    text, used = pick(labels, lang)
    out: dict[str, str | None] = {key: text}
    if used is not None and used != lang:
        out[key + "_lang"] = used
    return out


__all__ = [
    "Activity",
    "Catalogue",
    "Competence",
    "Concept",
    "Level",
    "RelationType",
    "Requirement",
    "Role",
    "catalogue_version",
    "labelled",
    "load_catalogue",
]
