"""What a validation finds, in a form the command line, the API and the tests all share."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from service.namespaces import PREFIXES, RDF, RG, SH

VIOLATION = "violation"
WARNING = "warning"


def expand(name: str) -> str | None:
    """The IRI behind a shape name as reports show it (``rgsh:Activity`` or ``<iri>``)."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, _, local = name.partition(":")
    namespace = PREFIXES.get(prefix)
    return namespace + local if namespace else None


@dataclass
class Violation:
    message: str
    severity: str = VIOLATION
    check: str = "shacl"  # shacl, quality or syntax
    focus: str | None = None
    label: str | None = None
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def where(self) -> str:
        if self.file is None:
            return "(no file)"
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    triples: int = 0

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == VIOLATION]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == WARNING]

    @property
    def conforms(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "violations": len(self.errors),
            "warnings": len(self.warnings),
            "files": self.files,
            "triples": self.triples,
            "results": [
                {k: v for k, v in asdict(item).items() if v is not None} for item in self.violations
            ],
        }

    def to_turtle(self) -> str:
        """The report as a SHACL validation report graph."""
        graph = Graph()
        graph.bind("sh", SH)
        graph.bind("rg", RG)
        report = BNode()
        graph.add((report, SH.conforms, Literal(self.conforms)))
        graph.add((report, RDF.type, SH.ValidationReport))
        for item in self.violations:
            result = BNode()
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            severity = SH.Violation if item.severity == VIOLATION else SH.Warning
            graph.add((result, SH.resultSeverity, severity))
            graph.add((result, SH.resultMessage, Literal(item.message, lang="en")))
            if item.focus:
                graph.add((result, SH.focusNode, URIRef(item.focus)))
            if item.value is not None:
                graph.add((result, SH.value, Literal(item.value)))
            shape = expand(item.shape) if item.shape else None
            if shape:
                graph.add((result, SH.sourceShape, URIRef(shape)))
        return graph.serialize(format="turtle")


def curie(iri: Node) -> str:
    text = str(iri)
    best = ""
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and len(namespace) > len(best):
            best = namespace
            name = f"{prefix}:{text[len(namespace) :]}"
    return name if best else f"<{text}>"


def term_text(term: Node) -> str:
    if isinstance(term, URIRef):
        return curie(term)
    if isinstance(term, Literal):
        return term.n3()
    return "_:" + str(term)
