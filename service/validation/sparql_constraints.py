"""SHACL-SPARQL constraints evaluated in bulk on pyoxigraph.

pySHACL runs a SPARQL constraint once per focus node through rdflib, which took seconds on the
framework. The meaning is the same when ``$this`` becomes a variable joined with the shape's
targets, so each constraint here runs once over the whole graph. Core constraints stay with
pySHACL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.term import Node

from service.namespaces import SH
from service.store.base import _main_where
from service.store.embedded import to_rdflib
from service.validation.model import VIOLATION, WARNING, Violation, term_text

_TEMPLATE = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True)
class SparqlConstraint:
    shape: str
    targets: tuple[str, ...]
    query: str
    message: str
    severity: str


def split_shapes(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """The shapes without their SPARQL constraints, and those constraints ready to run."""
    core = Graph()
    for triple in shapes:
        core.add(triple)
    constraints = []
    for shape, node in list(shapes.subject_objects(SH.sparql)):
        core.remove((shape, SH.sparql, node))
        targets = tuple(str(t) for t in shapes.objects(shape, SH.targetClass))
        select = str(shapes.value(node, SH.select))
        severity = shapes.value(shape, SH.severity)
        constraints.append(
            SparqlConstraint(
                shape=str(shape),
                targets=targets,
                query=prologue(shapes, node) + targeted(select, targets),
                message=str(shapes.value(node, SH.message) or "the item breaks a shape"),
                severity=WARNING if severity == SH.Warning else VIOLATION,
            )
        )
    constraints.sort(key=lambda c: c.shape)
    return core, constraints


def fill(row: dict, match: re.Match) -> str:
    """A message slot: plain text for literals, a short name for IRIs."""

    term = row.get(match.group(1))
    if term is None:
        return match.group(0)
    return str(term) if isinstance(term, Literal) else term_text(term)


def prologue(shapes: Graph, node: Node) -> str:
    lines = []
    for owner in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(owner, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines) + "\n"


def targeted(select: str, targets: tuple[str, ...]) -> str:
    """Turn ``$this`` into a variable bound to every instance of the target classes."""
    query = select.replace("$this", "?this")
    where = _main_where(query)
    if where is None:
        raise ValueError("a SPARQL constraint needs an explicit WHERE { … }")
    classes = " ".join(f"<{t}>" for t in targets)
    pattern = (
        f" VALUES ?shapeTarget {{ {classes} }} "
        "?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?shapeTarget . "
    )
    return query[:where] + pattern + query[where:]


def run_constraints(store: ox.Store, constraints: list[SparqlConstraint]) -> list[Violation]:
    """Run each constraint once; every solution is one result, as in SHACL-SPARQL."""

    found: list[Violation] = []
    for constraint in constraints:
        solutions = store.query(constraint.query)
        names = [v.value for v in solutions.variables]
        seen = set()
        for solution in solutions:
            row = {n: to_rdflib(solution[n]) for n in names if solution[n] is not None}
            key = (row.get("this"), row.get("value"))
            if key in seen:
                continue
            seen.add(key)
            message = _TEMPLATE.sub(lambda m, row=row: fill(row, m), constraint.message)
            found.append(
                Violation(
                    message=message,
                    severity=constraint.severity,
                    focus=str(row["this"]) if "this" in row else None,
                    value=term_text(row["value"]) if "value" in row else None,
                    shape=constraint.shape,
                )
            )
    return found
