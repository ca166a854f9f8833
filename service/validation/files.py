"""``reintegra validate``: check Turtle files for syntax, shapes and quality, by file and line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from service.errors import InputFileError
from service.store.bundle import bundled_root, framework_files, ontology_files, read_bytes
from service.validation.model import Report, Violation
from service.validation.quality import quality_checks
from service.validation.shacl import bundled_ontology, validate_graph
from service.validation.sources import SourceIndex


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders stand for the Turtle files in them."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.ttl")))
        elif path.exists():
            files.append(path)
        else:
            raise InputFileError(f"{path}: no such file or folder; check the path")
    return files


def default_files() -> list[Path]:
    return ontology_files() + framework_files()


def display(path: Path) -> str:
    """Paths relative to the working folder when they are below it, as designers typed them."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_file(path: Path, text: bytes, into: Graph) -> Violation | None:
    """Add a file's triples to the graph, or say where its syntax is wrong."""
    try:
        triples = list(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        message = str(exc.msg)
        if message.startswith("Parser error") and ": " in message:
            message = message.split(": ", 1)[1]
        return Violation(
            message=f"Turtle syntax error: {message}",
            check="syntax",
            file=display(path),
            line=exc.lineno,
            column=exc.offset,
        )
    if triples:
        into.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    return None


def validate_files(paths: Iterable[Path] | None = None) -> Report:
    """Validate the given files (default: the bundled ontology and framework) as one graph."""
    files = expand(paths) if paths else default_files()
    if not files:
        raise InputFileError("no Turtle files to validate; give files or folders with .ttl files")
    index = SourceIndex()
    data = Graph()
    syntax: list[Violation] = []
    for path in files:
        text = read_bytes(path)
        index.add_file(Path(display(path)), text.decode("utf-8", "replace"))
        problem = parse_file(path, text, data)
        if problem:
            syntax.append(problem)
    report = Report(files=[display(p) for p in files])
    if syntax:
        # Shapes over a graph with missing files would report noise; fix syntax first.
        report.violations = syntax
        return report
    has_vocabulary = any(
        p.resolve().parent == (bundled_root() / "ontology").resolve() for p in files
    )
    checked = data if has_vocabulary else data + bundled_ontology()
    shacl = validate_graph(checked)
    report.violations = shacl.violations + quality_checks(data)
    report.triples = len(data)
    for violation in report.violations:
        where = index.locate(violation.focus)
        if where:
            violation.file, violation.line = where.file, where.line
    report.violations.sort(key=lambda v: (v.file or "~", v.line or 0, v.message))
    return report
