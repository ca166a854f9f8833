"""Which sheets and columns the spreadsheet has, and how each column maps to the graph.

One sheet per kind of item; one row per item; one column per property, and per language for
texts (``label_en`` … ``label_nl``). A cell is exactly the set of triples of its item, property
(and language); editing a cell changes exactly those triples. The same specification drives
the export (graph → cells) and the import (cells → triples), so a round trip is lossless.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from service.errors import ValidationFailed
from service.namespaces import DESCRIPTOR, LANGUAGES, REQUIREMENT, RG, SCHEMA, local_id
from service.store.bundle import ontology_files, parse_turtle, read_bytes
from service.store.embedded import to_rdflib

# How an empty cell of a text column is judged.
REQUIRED = "required"  # every language must be filled
ALL_OR_NONE = "all-or-none"  # optional, but once given in one language, given in all
FREE = "free"  # editorial notes: any language may be left empty


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # key, text, literal, ref, derived
    predicate: URIRef | None = None
    lang: str | None = None
    field: str = ""
    need: str = FREE
    target: str = ""  # ref: the kind of item a value names
    datatype: URIRef | None = None
    required: bool = False
    derive: Callable[[Graph, Node], str] | None = None


@dataclass(frozen=True)
class Sheet:
    name: str
    noun: str  # what one row is, for messages
    classes: tuple[URIRef, ...]
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)
    exclude: tuple[URIRef, ...] = ()
    # For sheets where rows may add items: namespace, id pattern and the key column whose
    # item's file receives the new item.
    create: tuple[str, str, str] | None = None

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)


def texts(field: str, predicate: URIRef, need: str) -> tuple[Column, ...]:
    return tuple(
        Column(f"{field}_{lang}", "text", predicate, lang=lang, field=field, need=need)
        for lang in LANGUAGES
    )


def kebab(name: str) -> str:
    """``ResponsibilityAutonomy`` → ``responsibility-autonomy``: ids as designers type them."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _strand_of_area(graph: Graph, item: Node) -> str:
    area = graph.value(item, SKOS.broader)
    strand = graph.value(area, SKOS.broader) if area is not None else None
    return local_id(str(strand)) if strand is not None else ""


def _activity_kind(graph: Graph, item: Node) -> str:
    types = set(graph.objects(item, RDF.type))
    for cls in (RG.Mobility, RG.TrainingSession, RG.TrainingActivity):
        if cls in types:
            return kebab(local_id(str(cls)))
    return ""


def _activity_of_outcome(graph: Graph, item: Node) -> str:
    return " ".join(sorted(local_id(str(a)) for a in graph.subjects(RG.addressesOutcome, item)))


ID = Column("id", "key")
LABELS = texts("label", SKOS.prefLabel, REQUIRED)
DEFINITIONS = texts("definition", SKOS.definition, REQUIRED)
SCOPE_NOTES = texts("scope_note", SKOS.scopeNote, ALL_OR_NONE)
NOTES = texts("editorial_note", SKOS.editorialNote, FREE)
NOTATION = Column("notation", "literal", SKOS.notation)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "framework",
        "scheme",
        (RG.Framework, RG.ProficiencyScale),
        (ID, *LABELS, *DEFINITIONS, *NOTES),
    ),
    Sheet(
        "strands",
        "strand",
        (RG.Strand,),
        (ID, NOTATION, *LABELS, *DEFINITIONS, *SCOPE_NOTES, *NOTES),
    ),
    Sheet(
        "areas",
        "area",
        (RG.CompetenceArea,),
        (
            ID,
            Column("strand", "ref", SKOS.broader, target="strand", required=True),
            NOTATION,
            *LABELS,
            *DEFINITIONS,
            *SCOPE_NOTES,
            *NOTES,
        ),
    ),
    Sheet(
        "competences",
        "competence",
        (RG.Competence,),
        (
            ID,
            Column("strand", "derived", derive=_strand_of_area),
            Column("area", "ref", SKOS.broader, target="area", required=True),
            NOTATION,
            *LABELS,
            *DEFINITIONS,
            *SCOPE_NOTES,
            *texts("knowledge", RG.knowledgeComponent, ALL_OR_NONE),
            *texts("skill", RG.skillComponent, ALL_OR_NONE),
            *texts("attitude", RG.attitudeComponent, ALL_OR_NONE),
            *NOTES,
        ),
    ),
    Sheet(
        "levels",
        "level",
        (RG.ProficiencyLevel,),
        (
            ID,
            Column("notation", "literal", SKOS.notation, required=True),
            Column("rank", "literal", RG.rank, datatype=XSD.integer, required=True),
            *LABELS,
            *DEFINITIONS,
            *NOTES,
        ),
    ),
    Sheet(
        "descriptors",
        "descriptor",
        (RG.LevelDescriptor,),
        (
            Column("competence", "ref", RG.forCompetence, target="competence", required=True),
            Column("level", "ref", RG.atLevel, target="level", required=True),
            Column("outcome_type", "ref", RG.outcomeType, target="outcome_type"),
            *texts("statement", RG.statement, REQUIRED),
        ),
        key=("competence", "level"),
        create=(str(DESCRIPTOR), "{competence}-{level}", "competence"),
    ),
    Sheet("roles", "role", (RG.TargetRole,), (ID, *LABELS, *DEFINITIONS, *SCOPE_NOTES, *NOTES)),
    Sheet(
        "requirements",
        "requirement",
        (RG.RoleRequirement,),
        (
            Column("role", "ref", RG.requirementOf, target="role", required=True),
            Column("competence", "ref", RG.requiredCompetence, target="competence", required=True),
            Column("level", "ref", RG.requiredLevel, target="level", required=True),
            Column("relation", "ref", RG.relationType, target="relation", required=True),
        ),
        key=("role", "competence"),
        create=(str(REQUIREMENT), "{role}--{competence}", "role"),
    ),
    Sheet(
        "partners",
        "partner",
        (RG.Partner,),
        (ID, *LABELS, *texts("definition", SKOS.definition, ALL_OR_NONE), *NOTES),
    ),
    Sheet(
        "activities",
        "activity",
        (RG.TrainingActivity,),
        (
            ID,
            Column("kind", "derived", derive=_activity_kind),
            Column("entry_level", "ref", RG.entryLevel, target="level", required=True),
            Column("level_reached", "ref", RG.levelReached, target="level", required=True),
            Column("start_date", "literal", SCHEMA.startDate, datatype=XSD.date),
            Column("end_date", "literal", SCHEMA.endDate, datatype=XSD.date),
            Column("hours", "literal", RG.durationHours, datatype=XSD.decimal, required=True),
            Column(
                "capacity",
                "literal",
                SCHEMA.maximumAttendeeCapacity,
                datatype=XSD.integer,
                required=True,
            ),
            *LABELS,
            *DEFINITIONS,
            *NOTES,
        ),
    ),
    Sheet(
        "outcomes",
        "learning outcome",
        (RG.LearningOutcome,),
        (
            ID,
            Column("activity", "derived", derive=_activity_of_outcome),
            Column("competence", "ref", RG.forCompetence, target="competence", required=True),
            Column("level", "ref", RG.atLevel, target="level", required=True),
            Column("outcome_type", "ref", RG.outcomeType, target="outcome_type"),
            *texts("statement", RG.statement, REQUIRED),
        ),
        exclude=(RG.LevelDescriptor,),
    ),
)

#: What a reference column may name: framework items by class, vocabulary terms by class.
TARGETS: dict[str, tuple[URIRef, bool]] = {
    "strand": (RG.Strand, False),
    "area": (RG.CompetenceArea, False),
    "competence": (RG.Competence, False),
    "level": (RG.ProficiencyLevel, False),
    "role": (RG.TargetRole, False),
    "relation": (RG.RelationType, True),
    "outcome_type": (RG.OutcomeType, True),
}

#: The sheet that explains the others; the import skips it.
ABOUT = "about"
ABOUT_TEXT = (
    "This workbook holds the Reintegra framework's texts for editing: one sheet per kind of "
    "item, one row per item, one column per property and language (label_en, label_it, …).",
    "Edit cells, then run `reintegra import FILE --dry-run` to see the change, and "
    "`reintegra import FILE` to write it into the Turtle files under framework/.",
    "Do not rename, add or remove sheets or columns. Rows can only be added in the "
    "descriptors and requirements sheets; other new items, and deletions, are made in Turtle.",
    "Labels, definitions and statements are needed in all four languages; scope notes and "
    "knowledge, skill and attitude components in all four or in none; editorial notes freely.",
    "References use ids: an area's strand, a competence's area, levels A1 … C2, relations "
    "essential/optional, outcome types knowledge/skill/responsibility-autonomy.",
    "Columns strand (in competences), kind (in activities) and activity (in outcomes) show "
    "facts that are edited elsewhere; the import only checks them.",
    "Dates are YYYY-MM-DD, hours a decimal number such as 12.0, capacity and rank whole numbers.",
)


@dataclass
class Content:
    """The framework folder's files, each as a graph, their union, and the vocabulary."""

    folder: Path
    files: list[Path]
    texts: dict[Path, str]
    graphs: dict[Path, Graph]
    graph: Graph
    vocabulary: Graph

    def instances(self, cls: URIRef, vocabulary: bool = False) -> set[Node]:
        """Instances of a class or of its subclasses (subclasses as the vocabulary defines)."""
        classes = set(self.vocabulary.transitive_subjects(RDFS.subClassOf, cls))
        source = self.vocabulary if vocabulary else self.graph
        return {s for c in classes for s in source.subjects(RDF.type, c) if isinstance(s, URIRef)}

    def items(self, sheet: Sheet) -> set[Node]:
        found: set[Node] = set()
        for cls in sheet.classes:
            found |= self.instances(cls)
        for cls in sheet.exclude:
            found -= self.instances(cls)
        return found

    def references(self, target: str) -> dict[str, Node]:
        """The ids a reference column may hold, to the items they name."""
        cls, in_vocabulary = TARGETS[target]
        found = self.instances(cls, vocabulary=in_vocabulary)
        if in_vocabulary:
            return {kebab(local_id(str(i))): i for i in found}
        return {local_id(str(i)): i for i in found}

    def file_of(self, subject: Node) -> Path | None:
        """The file that types the subject (where its block lives)."""
        for path in self.files:
            if (subject, RDF.type, None) in self.graphs[path]:
                return path
        for path in self.files:
            if (subject, None, None) in self.graphs[path]:
                return path
        return None


def load_content(folder: Path) -> Content:
    """Read every Turtle file of a framework folder; a syntax error names file and line."""
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ValidationFailed(f"{folder}: no Turtle files; give the framework folder")
    texts: dict[Path, str] = {}
    graphs: dict[Path, Graph] = {}
    union = Graph()
    for path in files:
        texts[path] = read_bytes(path).decode("utf-8")
        graph = Graph()
        for triple in parse_turtle(path):
            graph.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )
        graphs[path] = graph
        union += graph
    vocabulary = Graph()
    for path in ontology_files():
        vocabulary.parse(path, format="turtle")
    return Content(folder, files, texts, graphs, union, vocabulary)


def natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def order_key(content: Content, item: Node) -> tuple[Any, ...]:
    """Levels by rank, other items by notation then id."""
    rank = content.graph.value(item, RG.rank)
    notation = content.graph.value(item, SKOS.notation)
    return (
        int(rank) if isinstance(rank, Literal) and str(rank).lstrip("-").isdigit() else 0,
        natural(str(notation)) if notation is not None else ["~"],
        natural(local_id(str(item))),
    )
