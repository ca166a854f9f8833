"""The framework as the documentation site needs it, read by SPARQL from the store.

Everything here is built from query results at the time the site is generated; items are kept
by IRI with their texts by field and language, so the templates can show any language.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from service.namespaces import FRAMEWORK_GRAPH, ONTOLOGY_GRAPH, local_id
from service.rq import query_text
from service.store import Store

#: The framework and the vocabulary (for the names of formats and relation types).
DOCS_GRAPHS: tuple[str, ...] = (FRAMEWORK_GRAPH, ONTOLOGY_GRAPH)

RELATION_ORDER = {
    "exactMatch": 0,
    "closeMatch": 1,
    "broadMatch": 2,
    "narrowMatch": 3,
    "relatedMatch": 4,
}

Texts = dict[str, dict[str, str]]  # field -> language -> text


@dataclass
class Item:
    iri: str
    kind: str
    notation: str = ""
    broader: str = ""
    rank: int = 0
    skill_type: str = ""
    reuse_level: str = ""
    place: str = ""
    version: str = ""

    @property
    def id(self) -> str:
        return local_id(self.iri)


@dataclass
class Outcome:
    iri: str
    competence: str
    level: str
    type: str = ""
    descriptor: bool = False

    @property
    def id(self) -> str:
        return local_id(self.iri)


@dataclass
class Mapping:
    item: str
    relation: str
    concept: str
    label: str = ""
    concept_type: str = ""
    skill_type: str = ""
    reuse_level: str = ""


@dataclass
class Requirement:
    role: str
    competence: str
    level: str = ""
    type: str = ""


@dataclass
class Activity:
    iri: str
    kind: str
    format: str = ""
    place: str = ""
    start: str = ""
    end: str = ""
    self_paced: bool = False
    hours: float | None = None
    capacity: int | None = None
    entry: str = ""
    reached: str = ""
    super_event: str = ""
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def id(self) -> str:
        return local_id(self.iri)


@dataclass
class Place:
    iri: str
    city: str = ""
    country: str = ""


def _str(row: dict[str, Any], name: str) -> str:
    return str(row[name]) if name in row else ""


def sort_key(item: Item | Activity) -> tuple[str, str]:
    notation = getattr(item, "notation", "")
    return (notation or "~", item.id)


@dataclass
class FrameworkDocs:
    """The whole framework for one run of the site generator."""

    texts: dict[str, Texts]
    items: dict[str, Item]
    outcomes: dict[str, Outcome]
    mappings: list[Mapping]
    requirements: list[Requirement]
    activities: dict[str, Activity]
    places: dict[str, Place]
    esco_records: list[tuple[str, str, str]] = field(default_factory=list)  # iri, version, licence

    def of_kind(self, kind: str) -> list[Item]:
        found = [i for i in self.items.values() if i.kind == kind]
        if kind == "level":
            return sorted(found, key=lambda i: (i.rank, i.id))
        return sorted(found, key=sort_key)

    def narrower(self, iri: str, kind: str) -> list[Item]:
        return [i for i in self.of_kind(kind) if i.broader == iri]

    def framework(self) -> Item | None:
        found = self.of_kind("framework")
        return found[0] if found else None

    def descriptors(self, competence: str) -> dict[str, Outcome]:
        """The competence's descriptor at each level, by level IRI."""
        return {
            o.level: o
            for o in self.outcomes.values()
            if o.descriptor and o.competence == competence
        }

    def mappings_of(self, item: str) -> list[Mapping]:
        """The item's ESCO mappings, closest relation first."""
        found = [m for m in self.mappings if m.item == item]
        return sorted(found, key=lambda m: (RELATION_ORDER.get(m.relation, 9), m.label))

    def requirements_of(self, role: str) -> list[Requirement]:
        found = [r for r in self.requirements if r.role == role]
        return sorted(found, key=lambda r: sort_key(self.item(r.competence)))

    def requiring(self, competence: str) -> list[Requirement]:
        return sorted(
            (r for r in self.requirements if r.competence == competence),
            key=lambda r: local_id(r.role),
        )

    def addressing(self, competence: str) -> list[Activity]:
        return [a for a in self.activity_list() if competence in a.links["competence"]]

    def activity_list(self) -> list[Activity]:
        """Training weeks first, each followed by its sessions in date order, then the rest."""
        by_start = sorted(self.activities.values(), key=lambda a: (a.start or "~", a.id))
        ordered: list[Activity] = []
        for week in (a for a in by_start if a.kind == "mobility"):
            ordered.append(week)
            ordered.extend(a for a in by_start if a.super_event == week.iri)
        ordered.extend(a for a in by_start if a not in ordered)
        return ordered

    def item(self, iri: str) -> Item:
        return self.items.get(iri) or Item(iri=iri, kind="")


def read_framework(store: Store) -> FrameworkDocs:
    """Read every part of the framework the site shows, one query per kind of fact."""
    texts: dict[str, Texts] = defaultdict(lambda: defaultdict(dict))
    for row in store.select(query_text("docs_texts"), default_graphs=DOCS_GRAPHS):
        literal = row["text"]
        lang = (getattr(literal, "language", None) or "").lower()
        texts[str(row["item"])][str(row["field"])].setdefault(lang, str(literal))

    items: dict[str, Item] = {}
    for row in store.select(query_text("docs_items"), default_graphs=DOCS_GRAPHS):
        iri = str(row["item"])
        if iri in items:
            continue
        items[iri] = Item(
            iri=iri,
            kind=str(row["kind"]),
            notation=_str(row, "notation"),
            broader=_str(row, "broader"),
            rank=int(row["rank"]) if "rank" in row else 0,
            skill_type=_str(row, "skillType"),
            reuse_level=_str(row, "reuseLevel"),
            place=_str(row, "place"),
            version=_str(row, "version"),
        )

    outcomes: dict[str, Outcome] = {}
    for row in store.select(query_text("docs_outcomes"), default_graphs=DOCS_GRAPHS):
        iri = str(row["outcome"])
        outcome = Outcome(
            iri=iri,
            competence=str(row["competence"]),
            level=str(row["level"]),
            type=_str(row, "type"),
            descriptor=bool(row["descriptor"].toPython()),
        )
        outcomes.setdefault(iri, outcome)

    # ESCO labels may live in the ESCO graph too, so mappings read every public graph.
    mappings = [
        Mapping(
            item=str(row["item"]),
            relation=local_id(str(row["relation"])),
            concept=str(row["concept"]),
            label=_str(row, "label"),
            concept_type=local_id(_str(row, "conceptType")) if "conceptType" in row else "",
            skill_type=_str(row, "skillType"),
            reuse_level=_str(row, "reuseLevel"),
        )
        for row in store.select(query_text("docs_mappings"))
    ]
    mappings = list({(m.item, m.relation, m.concept): m for m in mappings}.values())

    requirements = [
        Requirement(
            role=str(row["role"]),
            competence=str(row["competence"]),
            level=_str(row, "level"),
            type=_str(row, "type"),
        )
        for row in store.select(query_text("docs_requirements"), default_graphs=DOCS_GRAPHS)
    ]

    activities: dict[str, Activity] = {}
    for row in store.select(query_text("docs_activities"), default_graphs=DOCS_GRAPHS):
        iri = str(row["activity"])
        if iri in activities:
            continue
        activities[iri] = Activity(
            iri=iri,
            kind=str(row["kind"]),
            format=_str(row, "format"),
            place=_str(row, "place"),
            start=_str(row, "start"),
            end=_str(row, "end"),
            self_paced=bool(row["selfPaced"].toPython()) if "selfPaced" in row else False,
            hours=float(row["hours"]) if "hours" in row else None,
            capacity=int(row["capacity"]) if "capacity" in row else None,
            entry=_str(row, "entry"),
            reached=_str(row, "reached"),
            super_event=_str(row, "superEvent"),
        )
    for row in store.select(query_text("docs_activity_links"), default_graphs=DOCS_GRAPHS):
        activity = activities.get(str(row["activity"]))
        if activity is not None:
            values = activity.links[str(row["link"])]
            if str(row["value"]) not in values:
                values.append(str(row["value"]))
    for activity in activities.values():
        activity.links["language"].sort()

    places = {
        str(row["place"]): Place(
            iri=str(row["place"]), city=_str(row, "city"), country=_str(row, "country")
        )
        for row in store.select(query_text("docs_places"), default_graphs=DOCS_GRAPHS)
    }
    esco_records = sorted(
        {
            (str(row["record"]), _str(row, "version"), _str(row, "license"))
            for row in store.select(query_text("docs_esco_source"), default_graphs=DOCS_GRAPHS)
        }
    )
    return FrameworkDocs(
        texts=texts,
        items=items,
        outcomes=outcomes,
        mappings=mappings,
        requirements=requirements,
        activities=activities,
        places=places,
        esco_records=esco_records,
    )
