"""The three checks a profile passes before anything is stored: shape, references, meaning.

1. JSON Schema (``schemas/profile.json``): fields, types, formats.
2. ``planning.profile.check_profile``: every id names an item of the framework, dates in order.
3. SHACL (``ontology/shapes/profile.ttl``) over the profile's triples with the framework's
   competences, levels and roles, so that references can be followed.

Every problem is reported with the JSON Pointer of the field it is about.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rdflib import Graph, URIRef

from service.errors import ValidationFailed
from service.namespaces import PREFIXES
from service.planning.profile import check_profile
from service.records.profiles import FrameworkRefs, ProfileTriples, to_triples
from service.store.bundle import bundled_root, read_bytes
from service.validation import validate_graph
from service.validation.model import term_text
from service.web.api import bodies, catalogue_cache


@cache
def profile_shapes() -> Graph:
    """The profile shapes, parsed once from the bundled Turtle file."""
    path = bundled_root() / "ontology" / "shapes" / "profile.ttl"
    return Graph().parse(data=read_bytes(path), format="turtle")


def check_inline(profile: Any) -> dict[str, Any]:
    """Checks 1 and 2, for endpoints that use a profile without storing it."""
    bodies.check("profile", profile)
    check_profile(profile, catalogue_cache.catalogue())
    return profile


def check_for_storing(profile_id: str, profile: Any) -> ProfileTriples:
    """All three checks; returns the triples to store."""
    check_inline(profile)
    refs = catalogue_cache.refs()
    triples = to_triples(profile_id, profile, refs)
    check_shapes(triples, refs)
    return triples


def check_shapes(triples: ProfileTriples, refs: FrameworkRefs) -> None:
    report = validate_graph(triples.graph() + refs.graph, profile_shapes())
    problems = [_problem(v, triples) for v in report.errors]
    if problems:
        problems.sort(key=lambda p: p["pointer"])
        first = problems[0]
        raise ValidationFailed(
            f"{first['pointer'] or 'the profile'}: {first['message']}",
            pointer=first["pointer"],
            details=problems,
        )


def _problem(violation: Any, triples: ProfileTriples) -> dict[str, str]:
    focus = URIRef(violation.focus) if violation.focus else None
    predicate = _expand(violation.path) if violation.path else None
    if predicate is None and violation.value is not None:
        predicate = _predicate_with_value(triples, focus, violation.value)
    value = _object_with_text(triples, focus, predicate, violation.value)
    return {"pointer": triples.pointer(focus, predicate, value), "message": violation.message}


def _expand(curie: str) -> URIRef | None:
    prefix, _, name = curie.partition(":")
    if prefix in PREFIXES and not curie.startswith("<"):
        return URIRef(PREFIXES[prefix] + name)
    if curie.startswith("<") and curie.endswith(">"):
        return URIRef(curie[1:-1])
    return None


def _predicate_with_value(triples: ProfileTriples, focus, value_text: str) -> URIRef | None:
    for s, p, o in triples.triples:
        if s == focus and term_text(o) == value_text:
            return p
    return None


def _object_with_text(triples: ProfileTriples, focus, predicate, value_text: str | None):
    if value_text is None:
        return None
    for s, p, o in triples.triples:
        if s == focus and p == predicate and term_text(o) == value_text:
            return o
    return None
