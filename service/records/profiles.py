"""Trainer profiles as RDF: JSON to triples and back, each profile in its own private graph.

A profile lives in ``PROFILE_GRAPH + id`` with everything held about the person, including the
SHA-256 hash of the owner's token (never the token). Every write is one SPARQL update, so a
profile is stored, replaced or erased entirely or not at all. Erasure also removes the
profile's cohort memberships and any other triple in any graph that names the profile.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from service.errors import NotFound, ValidationFailed
from service.namespaces import (
    COHORT,
    COHORT_GRAPH,
    DCTERMS,
    FRAMEWORK_GRAPH,
    PROFILE,
    PROFILE_GRAPH,
    RDF,
    RG,
    SCHEMA,
    SKOS,
    XSD,
    local_id,
)
from service.records.tokens import hash_token, new_secret
from service.rq import query_text
from service.store import Store, ntriples_of, sparql_term

PROFILE_ID = re.compile(r"^[0-9a-f]{32}$")
SOURCES: dict[str, URIRef] = {"self": RG.SelfSource, "assessor": RG.AssessorSource}
SOURCE_NAMES = {iri: name for name, iri in SOURCES.items()}
#: Profile fields by the predicate that holds them, to name the JSON field of an RDF problem.
FIELDS: dict[URIRef, str] = {
    SCHEMA.name: "name",
    RG.hasRole: "roles",
    RG.hasAssessment: "assessments",
    RG.learningLanguage: "languages",
    SCHEMA.addressCountry: "country",
    RG.availability: "availability",
    RG.onlineOnly: "preferences/online_only",
    RG.canTravel: "preferences/can_travel",
    RG.maxHours: "preferences/max_hours",
    RG.assessedCompetence: "competence",
    RG.assessedLevel: "level",
    RG.assessmentSource: "source",
    DCTERMS.date: "date",
    RG.evidence: "evidence",
    SCHEMA.startDate: "start",
    SCHEMA.endDate: "end",
}
_KEPT_ON_REPLACE = (RG.tokenHash, DCTERMS.created)


@dataclass(frozen=True)
class FrameworkRefs:
    """The framework items a profile may name, read from the graph (never written by hand)."""

    graph: Graph
    competences: dict[str, URIRef]
    roles: dict[str, URIRef]
    levels: dict[str, URIRef]
    level_notation: dict[URIRef, str]


def framework_refs(store: Store) -> FrameworkRefs:
    """Competences, roles and levels of the framework graph, with the triples SHACL needs."""
    graph = store.construct(query_text("api_profile_refs"), default_graphs=(FRAMEWORK_GRAPH,))
    by_class: dict[URIRef, dict[str, URIRef]] = {
        RG.Competence: {},
        RG.TargetRole: {},
        RG.ProficiencyLevel: {},
    }
    notation: dict[URIRef, str] = {}
    for item, cls in graph.subject_objects(RDF.type):
        if cls == RG.ProficiencyLevel:
            code = str(graph.value(item, SKOS.notation) or local_id(str(item)))
            notation[item] = code
            by_class[cls].setdefault(code, item)
        elif cls in by_class:
            by_class[cls].setdefault(local_id(str(item)), item)
    return FrameworkRefs(
        graph=graph,
        competences=by_class[RG.Competence],
        roles=by_class[RG.TargetRole],
        levels=by_class[RG.ProficiencyLevel],
        level_notation=notation,
    )


def profile_iri(profile_id: str) -> URIRef:
    return PROFILE[profile_id]


def profile_graph(profile_id: str) -> str:
    return PROFILE_GRAPH + profile_id


def is_profile_id(text: str) -> bool:
    return bool(PROFILE_ID.match(text))


@dataclass
class ProfileTriples:
    """A profile as triples, with the JSON Pointer of every node and value, for error reports."""

    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    pointers: dict[tuple[Node, Node | None, Node | None], str] = field(default_factory=dict)

    def add(self, s: Node, p: Node, o: Node, pointer: str | None = None) -> None:
        self.triples.append((s, p, o))
        if pointer is not None:
            self.pointers[(s, p, o)] = pointer

    def graph(self) -> Graph:
        result = Graph()
        for triple in self.triples:
            result.add(triple)
        return result

    def pointer(self, focus: Node | None, predicate: Node | None, value: Node | None) -> str:
        """The most precise pointer known for a problem at (focus, predicate, value)."""
        for key in ((focus, predicate, value), (focus, predicate, None), (focus, None, None)):
            if key in self.pointers:
                return self.pointers[key]
        return ""


def to_triples(profile_id: str, profile: dict[str, Any], refs: FrameworkRefs) -> ProfileTriples:
    """The triples of a schema-valid profile; an unknown reference names its field."""
    node = profile_iri(profile_id)
    out = ProfileTriples()
    out.pointers[(node, None, None)] = ""
    out.add(node, RDF.type, RG.TrainerProfile)
    if "name" in profile:
        out.add(node, SCHEMA.name, Literal(profile["name"]), "/name")
    out.pointers[(node, RG.hasRole, None)] = "/roles"
    for i, role in enumerate(profile["roles"]):
        out.add(
            node, RG.hasRole, _ref(refs.roles, role, f"/roles/{i}", "target role"), f"/roles/{i}"
        )
    for i, item in enumerate(profile.get("assessments", [])):
        at = f"/assessments/{i}"
        assessment = URIRef(f"{node}/assessment/{i + 1:03d}")
        out.pointers[(assessment, None, None)] = at
        out.add(node, RG.hasAssessment, assessment, at)
        out.add(assessment, RDF.type, RG.CompetenceAssessment, at)
        if item["source"] == "self":
            out.add(assessment, RDF.type, RG.SelfAssessment, at + "/source")
        competence = _ref(refs.competences, item["competence"], at + "/competence", "competence")
        level = _ref(refs.levels, item["level"], at + "/level", "level")
        out.add(assessment, RG.assessedCompetence, competence, at + "/competence")
        out.add(assessment, RG.assessedLevel, level, at + "/level")
        out.add(assessment, RG.assessmentSource, SOURCES[item["source"]], at + "/source")
        out.add(assessment, DCTERMS.date, Literal(item["date"], datatype=XSD.date), at + "/date")
        if "evidence" in item:
            out.add(assessment, RG.evidence, Literal(item["evidence"]), at + "/evidence")
        for predicate, name in FIELDS.items():
            out.pointers.setdefault((assessment, predicate, None), f"{at}/{name}")
    for i, code in enumerate(profile.get("languages", [])):
        out.add(node, RG.learningLanguage, Literal(code, datatype=XSD.language), f"/languages/{i}")
    if "country" in profile:
        out.add(node, SCHEMA.addressCountry, Literal(profile["country"]), "/country")
    for i, period in enumerate(profile.get("availability", [])):
        at = f"/availability/{i}"
        span = URIRef(f"{node}/availability/{i + 1:03d}")
        out.pointers[(span, None, None)] = at
        out.add(node, RG.availability, span, at)
        out.add(span, RDF.type, RG.DateRange, at)
        out.add(span, SCHEMA.startDate, Literal(period["start"], datatype=XSD.date), at + "/start")
        out.add(span, SCHEMA.endDate, Literal(period["end"], datatype=XSD.date), at + "/end")
        out.pointers[(span, SCHEMA.startDate, None)] = at + "/start"
        out.pointers[(span, SCHEMA.endDate, None)] = at + "/end"
    preferences = profile.get("preferences", {})
    for key, predicate in (("online_only", RG.onlineOnly), ("can_travel", RG.canTravel)):
        if key in preferences:
            out.add(node, predicate, Literal(bool(preferences[key])), f"/preferences/{key}")
    if "max_hours" in preferences:
        hours = Literal(Decimal(str(preferences["max_hours"])), datatype=XSD.decimal)
        out.add(node, RG.maxHours, hours, "/preferences/max_hours")
    for predicate, name in FIELDS.items():
        out.pointers.setdefault((node, predicate, None), "/" + name)
    return out


def _ref(known: dict[str, URIRef], key: str, pointer: str, what: str) -> URIRef:
    try:
        return known[key]
    except KeyError:
        raise ValidationFailed(
            f"{pointer}: {key!r} is not a {what} of the framework", pointer=pointer
        ) from None


def from_graph(profile_id: str, graph: Graph, refs: FrameworkRefs) -> dict[str, Any]:
    """The profile JSON held in a profile graph (the inverse of ``to_triples``)."""
    node = profile_iri(profile_id)
    profile: dict[str, Any] = {}
    name = graph.value(node, SCHEMA.name)
    if name is not None:
        profile["name"] = str(name)
    profile["roles"] = sorted(local_id(str(r)) for r in graph.objects(node, RG.hasRole))
    assessments = []
    for assessment in sorted(graph.objects(node, RG.hasAssessment), key=str):
        level = graph.value(assessment, RG.assessedLevel)
        item = {
            "competence": local_id(str(graph.value(assessment, RG.assessedCompetence))),
            "level": refs.level_notation.get(level) or local_id(str(level)),
            "date": str(graph.value(assessment, DCTERMS.date)),
            "source": SOURCE_NAMES.get(graph.value(assessment, RG.assessmentSource), "self"),
        }
        evidence = graph.value(assessment, RG.evidence)
        if evidence is not None:
            item["evidence"] = str(evidence)
        assessments.append(item)
    if assessments:
        profile["assessments"] = assessments
    languages = sorted(str(code) for code in graph.objects(node, RG.learningLanguage))
    if languages:
        profile["languages"] = languages
    country = graph.value(node, SCHEMA.addressCountry)
    if country is not None:
        profile["country"] = str(country)
    periods = [
        {
            "start": str(graph.value(span, SCHEMA.startDate)),
            "end": str(graph.value(span, SCHEMA.endDate)),
        }
        for span in sorted(graph.objects(node, RG.availability), key=str)
    ]
    if periods:
        profile["availability"] = periods
    preferences: dict[str, Any] = {}
    for key, predicate in (("online_only", RG.onlineOnly), ("can_travel", RG.canTravel)):
        value = graph.value(node, predicate)
        if value is not None:
            preferences[key] = bool(value.toPython())
    hours = graph.value(node, RG.maxHours)
    if hours is not None:
        number = Decimal(str(hours))
        preferences["max_hours"] = int(number) if number == number.to_integral() else float(number)
    if preferences:
        profile["preferences"] = preferences
    return profile


@dataclass(frozen=True)
class StoredProfile:
    id: str
    profile: dict[str, Any]
    created: str
    modified: str
    graph: Graph


def _now() -> Literal:
    return Literal(datetime.now(UTC).replace(microsecond=0), datatype=XSD.dateTime)


def create(store: Store, triples: ProfileTriples, profile_id: str) -> str:
    """Store a new profile in one update; returns the owner's secret token (shown once)."""
    secret = "rg_p_" + new_secret()
    node = profile_iri(profile_id)
    now = _now()
    extra = [
        (node, DCTERMS.created, now),
        (node, DCTERMS.modified, now),
        (node, RG.tokenHash, Literal(hash_token(secret))),
    ]
    graph = profile_graph(profile_id)
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples_of(triples.triples + extra)}}} }}")
    return secret


def new_profile_id() -> str:
    return uuid.uuid4().hex


def replace(store: Store, triples: ProfileTriples, profile_id: str) -> None:
    """Replace a profile's content in one update, keeping its token hash and creation date.

    The insert only happens while the profile still holds its token hash, so a replace that
    races an erasure cannot bring the profile back.
    """
    graph = profile_graph(profile_id)
    node = sparql_term(profile_iri(profile_id))
    kept = ", ".join(sparql_term(p) for p in _KEPT_ON_REPLACE)
    body = ntriples_of(triples.triples + [(profile_iri(profile_id), DCTERMS.modified, _now())])
    store.update(
        f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}\n"
        f"WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o . FILTER (?p NOT IN ({kept})) }} }} ;\n"
        f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }}\n"
        f"WHERE {{ GRAPH <{graph}> {{ {node} {sparql_term(RG.tokenHash)} ?hash }} }}"
    )


def erase(store: Store, profile_id: str) -> None:
    """Erase a profile in one update: its graph (with its token hash), and every triple in any
    other graph that names it, such as its cohort memberships."""
    node = sparql_term(profile_iri(profile_id))
    store.update(
        f"DROP SILENT GRAPH <{profile_graph(profile_id)}> ;\n"
        f"DELETE WHERE {{ GRAPH ?g {{ ?s ?p {node} }} }} ;\n"
        f"DELETE WHERE {{ GRAPH ?g {{ {node} ?p ?o }} }}"
    )


def exists(store: Store, profile_id: str) -> bool:
    return store.ask(
        query_text("api_profile_exists"),
        {"graph": URIRef(profile_graph(profile_id)), "profile": profile_iri(profile_id)},
        default_graphs=(),
    )


def owner_token_matches(store: Store, profile_id: str, secret: str) -> bool:
    """Whether ``secret`` is the owner's token of this profile (compared by hash)."""
    return store.ask(
        query_text("api_profile_owner"),
        {
            "graph": URIRef(profile_graph(profile_id)),
            "profile": profile_iri(profile_id),
            "hash": Literal(hash_token(secret)),
        },
        default_graphs=(),
    )


def read(store: Store, profile_id: str, refs: FrameworkRefs) -> StoredProfile:
    """A stored profile, or NotFound."""
    graph = store.graph(profile_graph(profile_id)) if is_profile_id(profile_id) else Graph()
    node = profile_iri(profile_id)
    if (node, RDF.type, RG.TrainerProfile) not in graph:
        raise NotFound(f"there is no profile {profile_id!r}; it may have been erased")
    return StoredProfile(
        id=profile_id,
        profile=from_graph(profile_id, graph, refs),
        created=str(graph.value(node, DCTERMS.created)),
        modified=str(graph.value(node, DCTERMS.modified) or graph.value(node, DCTERMS.created)),
        graph=graph,
    )


def cohorts_of(store: Store, profile_id: str) -> list[dict[str, str]]:
    rows = store.select(
        query_text("api_profile_cohorts"),
        {"graph": URIRef(COHORT_GRAPH), "profile": profile_iri(profile_id)},
        default_graphs=(),
    )
    return [{"id": local_id(str(r["cohort"])), "name": str(r["name"])} for r in rows]


def export_graph(store: Store, stored: StoredProfile) -> Graph:
    """Everything held about the person as RDF: the profile graph without the token hash, and
    the cohort memberships that name the profile."""
    node = profile_iri(stored.id)
    result = Graph()
    for prefix in ("rg", "schema", "dcterms", "xsd"):
        result.bind(prefix, {"rg": RG, "schema": SCHEMA, "dcterms": DCTERMS, "xsd": XSD}[prefix])
    for triple in stored.graph:
        if triple[1] != RG.tokenHash:
            result.add(triple)
    for cohort in cohorts_of(store, stored.id):
        result.add((COHORT[cohort["id"]], RG.member, node))
    return result


def list_profiles(store: Store) -> list[dict[str, Any]]:
    """Every stored profile's id, name and dates (for coordinators)."""
    rows = store.select(
        query_text("api_profile_list"), {"prefix": Literal(PROFILE_GRAPH)}, default_graphs=()
    )
    found = []
    for row in rows:
        profile_id = str(row["graph"])[len(PROFILE_GRAPH) :]
        item: dict[str, Any] = {"id": profile_id, "created": str(row["created"])}
        if "name" in row:
            item["name"] = str(row["name"])
        found.append(item)
    return found


def load_profiles(
    store: Store, profile_ids: list[str], refs: FrameworkRefs
) -> dict[str, dict[str, Any]]:
    """Several stored profiles by id; ids with no profile are left out."""
    found = {}
    for profile_id in profile_ids:
        try:
            found[profile_id] = read(store, profile_id, refs).profile
        except NotFound:
            continue
    return found
