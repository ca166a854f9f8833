"""Every ESCO concept the framework refers to is a real one, with the label ESCO gives it.

Reads the ESCO reference extract beside the repository; skipped only when it is absent.
"""

from __future__ import annotations

import csv
from functools import cache

import pytest
from rdflib import Graph, Literal, URIRef

from conftest import ESCO_DIR, needs_esco
from service.namespaces import ESCO_OCCUPATION, ESCO_SKILL, SKOS
from service.store.bundle import framework_files

pytestmark = [needs_esco, pytest.mark.shared]


@cache
def esco_concepts() -> dict[str, dict[str, str]]:
    concepts: dict[str, dict[str, str]] = {}
    for name in ("skills.csv", "occupations.csv"):
        with open(ESCO_DIR / name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                concepts[row["conceptUri"]] = row
    return concepts


@cache
def framework() -> Graph:
    graph = Graph()
    for path in framework_files():
        graph.parse(path, format="turtle")
    return graph


def referenced() -> list[str]:
    found = {
        str(term)
        for triple in framework()
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith((ESCO_SKILL, ESCO_OCCUPATION))
    }
    return sorted(found)


def label_agrees(row: dict[str, str], label: str) -> bool:
    """ESCO's preferred label; where the extract has none, the opening words of its text."""
    if row.get("preferredLabel"):
        return row["preferredLabel"] == label
    text = row.get("text", "")
    return text.startswith(label + " ") or text == label


def test_the_framework_refers_to_esco():
    uris = referenced()
    assert len([u for u in uris if u.startswith(ESCO_SKILL)]) >= 32
    assert any(u.startswith(ESCO_OCCUPATION) for u in uris)


def test_every_esco_uri_is_real_and_its_label_agrees():
    concepts = esco_concepts()
    problems = []
    for uri in referenced():
        row = concepts.get(uri)
        if row is None:
            problems.append(f"{uri}: not an ESCO concept")
            continue
        labels = [
            str(label)
            for label in framework().objects(URIRef(uri), SKOS.prefLabel)
            if isinstance(label, Literal) and label.language == "en"
        ]
        if len(labels) != 1:
            problems.append(f"{uri}: described with {len(labels)} English labels, needs one")
        elif not label_agrees(row, labels[0]):
            problems.append(f"{uri}: recorded label {labels[0]!r} is not ESCO's")
    assert not problems, "\n".join(problems)
