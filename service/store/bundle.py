"""The bundled content (ontology, shapes, framework) and its idempotent loading into a store.

Each concern lives in one named graph. At start every graph's source files are hashed; a graph
whose files are unchanged is left alone (edits made through the service are kept), a changed
one is replaced in one atomic update together with its new hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from service.errors import InputFileError
from service.namespaces import FRAMEWORK_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from service.store import Store


def bundled_root() -> Path:
    """The folder that holds ``ontology/`` and ``framework/``: the checkout, or the wheel."""
    package = Path(__file__).resolve().parents[1]  # service/
    installed = package / "bundled"
    if (installed / "ontology").is_dir():
        return installed
    return package.parent


def ontology_files(root: Path | None = None) -> list[Path]:
    root = root or bundled_root()
    return sorted((root / "ontology").glob("*.ttl"))


def shape_files(root: Path | None = None) -> list[Path]:
    root = root or bundled_root()
    return sorted((root / "ontology" / "shapes").glob("*.ttl"))


def framework_files(root: Path | None = None) -> list[Path]:
    root = root or bundled_root()
    return sorted((root / "framework").glob("*.ttl"))


@dataclass(frozen=True)
class Source:
    graph: str
    files: tuple[Path, ...]


def bundled_sources(root: Path | None = None) -> list[Source]:
    return [
        Source(ONTOLOGY_GRAPH, tuple(ontology_files(root))),
        Source(SHAPES_GRAPH, tuple(shape_files(root))),
        Source(FRAMEWORK_GRAPH, tuple(framework_files(root))),
    ]


def files_hash(files: tuple[Path, ...] | list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        digest.update(read_bytes(path) + b"\0")
    return digest.hexdigest()


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a Turtle file") from None
    except PermissionError:
        raise InputFileError(f"{path}: not allowed to read this file") from None


def parse_turtle(path: Path) -> list[ox.Triple]:
    """Parse one Turtle file; a syntax error names the file, line and column."""
    data = read_bytes(path)
    try:
        return [
            q.triple
            for q in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        ]
    except SyntaxError as exc:
        raise InputFileError(f"{path}:{exc.lineno}:{exc.offset}: {_reason(exc)}") from None


def _reason(exc: SyntaxError) -> str:
    text = str(exc.msg)
    return text.split(": ", 1)[1] if text.startswith("Parser error") and ": " in text else text


def to_ntriples(triples: list[ox.Triple]) -> str:
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


def load_bundled(store: Store, root: Path | None = None, *, force: bool = False) -> dict[str, str]:
    """Load every bundled graph whose files changed; returns what happened to each graph."""
    return load_sources(store, bundled_sources(root), force=force)


def load_sources(store: Store, sources: list[Source], *, force: bool = False) -> dict[str, str]:
    """Load each source's files into its graph unless their hash is already recorded."""
    outcome: dict[str, str] = {}
    for source in sources:
        digest = files_hash(source.files)
        if not force and store.source_hash(source.graph) == digest:
            outcome[source.graph] = "unchanged"
            continue
        triples: list[ox.Triple] = []
        for path in source.files:
            triples.extend(parse_turtle(path))
        store.load_graph(source.graph, to_ntriples(triples), digest)
        outcome[source.graph] = f"loaded {len(triples)} triples"
    return outcome
