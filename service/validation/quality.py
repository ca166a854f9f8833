"""qSKOS-style quality checks that shapes do not express well: orphans, cycles, overlapping
labels and incomplete language coverage, over every SKOS concept in the data."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from service.namespaces import LANGUAGES, RDF, RDFS, RG, SKOS
from service.validation.model import VIOLATION, WARNING, Violation, curie
from service.validation.shacl import label_of

# Classes whose instances are SKOS concepts (the framework's own subclasses included).
CONCEPT_CLASSES = (SKOS.Concept, RG.Strand, RG.CompetenceArea, RG.Competence, RG.ProficiencyLevel)
# Text properties that, once given in one language, should be given in all of them.
TEXT_PROPERTIES = (
    SKOS.prefLabel,
    SKOS.definition,
    SKOS.scopeNote,
    RG.statement,
    RG.knowledgeComponent,
    RG.skillComponent,
    RG.attitudeComponent,
)


def concepts(data: Graph) -> set[Node]:
    found: set[Node] = set()
    for cls in CONCEPT_CLASSES:
        found.update(data.subjects(RDF.type, cls))
    return {c for c in found if isinstance(c, URIRef)}


def orphans(data: Graph, items: set[Node]) -> list[Violation]:
    related = set(data.subjects(SKOS.broader, None)) | set(data.objects(None, SKOS.broader))
    related |= set(data.subjects(SKOS.narrower, None)) | set(data.objects(None, SKOS.narrower))
    related |= set(data.subjects(SKOS.topConceptOf, None))
    related |= set(data.objects(None, SKOS.hasTopConcept))
    return [
        Violation(
            message="Orphan concept: it has no broader or narrower concept and is not a top "
            "concept, so nobody browsing the framework can reach it.",
            severity=WARNING,
            check="quality",
            focus=str(item),
            label=label_of(data, item),
        )
        for item in sorted(items - related)
    ]


def cycles(data: Graph, items: set[Node]) -> list[Violation]:
    """Concepts that are their own ancestor; only those the shapes do not already cover."""
    shaped = (
        set(data.subjects(RDF.type, RG.Strand))
        | set(data.subjects(RDF.type, RG.CompetenceArea))
        | set(data.subjects(RDF.type, RG.Competence))
    )
    found = []
    for item in sorted(items - shaped):
        seen: set[Node] = set()
        frontier = list(data.objects(item, SKOS.broader))
        while frontier:
            node = frontier.pop()
            if node == item:
                found.append(
                    Violation(
                        message="Cycle in the hierarchy: following skos:broader leads back here.",
                        severity=VIOLATION,
                        check="quality",
                        focus=str(item),
                        label=label_of(data, item),
                        path="skos:broader",
                    )
                )
                break
            if node not in seen:
                seen.add(node)
                frontier.extend(data.objects(node, SKOS.broader))
    return found


def overlapping_labels(data: Graph, items: set[Node]) -> list[Violation]:
    """A preferred label of one concept used as a label of a concept of another kind."""
    owners: dict[tuple[str, str], set[Node]] = defaultdict(set)
    for item in items:
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in data.objects(item, prop):
                if isinstance(label, Literal):
                    owners[(str(label).strip().casefold(), label.language or "")].add(item)
    found = []
    for (text, lang), nodes in sorted(owners.items()):
        if len(nodes) < 2:
            continue
        kinds = {frozenset(data.objects(n, RDF.type)) for n in nodes}
        if len(kinds) == 1:
            continue  # same kind: the shapes report it as a violation already
        for node in sorted(nodes):
            others = ", ".join(curie(o) for o in sorted(nodes - {node}))
            found.append(
                Violation(
                    message=f'Overlapping label: "{text}"@{lang} also names {others}.',
                    severity=WARNING,
                    check="quality",
                    focus=str(node),
                    label=label_of(data, node),
                    path="skos:prefLabel",
                )
            )
    return found


def language_coverage(data: Graph) -> list[Violation]:
    """Texts given in some of the framework's languages but not in all of them."""
    found = []
    for prop in TEXT_PROPERTIES:
        languages: dict[Node, set[str]] = defaultdict(set)
        for subject, value in data.subject_objects(prop):
            if isinstance(value, Literal) and isinstance(subject, URIRef):
                languages[subject].add(value.language or "")
        for subject, present in sorted(languages.items()):
            missing = [code for code in LANGUAGES if code not in present]
            if missing and prop not in (SKOS.prefLabel, SKOS.definition, RG.statement):
                found.append(
                    Violation(
                        message=f"Incomplete language coverage: {curie(prop)} is missing in "
                        f"{', '.join(missing)}.",
                        severity=WARNING,
                        check="quality",
                        focus=str(subject),
                        label=label_of(data, subject),
                        path=curie(prop),
                    )
                )
    return found


def quality_checks(data: Graph) -> list[Violation]:
    items = concepts(data)
    return (
        orphans(data, items)
        + cycles(data, items)
        + overlapping_labels(data, items)
        + (language_coverage(data))
    )


__all__ = ["RDFS", "quality_checks"]
