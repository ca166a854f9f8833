"""Reading the framework out of the store. Queries live in ``rq/`` as files; values are bound.

The graph is the only copy of the framework: nothing here holds competences, levels or
activities of its own.
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal

from service.namespaces import RG, local_id
from service.rq import query_text
from service.store import Store


def strands(store: Store, lang: str) -> list[dict[str, Any]]:
    rows = store.select(query_text("strand_counts"), {"lang": Literal(lang)})
    return [
        {
            "id": local_id(str(r["strand"])),
            "iri": str(r["strand"]),
            "notation": str(r.get("notation", "")),
            "label": str(r["label"]),
            "definition": str(r.get("definition", "")),
            "areas": int(r["areas"]),
            "competences": int(r["competences"]),
        }
        for r in rows
    ]


def counts(store: Store) -> dict[str, int]:
    """How many items of each main class the framework holds, by class local name."""
    found = {
        local_id(str(r["class"])): int(r["count"])
        for r in store.select(query_text("framework_counts"))
    }
    names = [
        "Strand",
        "CompetenceArea",
        "Competence",
        "ProficiencyLevel",
        "LevelDescriptor",
        "TargetRole",
        "TrainingActivity",
        "Partner",
    ]
    return {name: found.get(name, 0) for name in names}


__all__ = ["RG", "counts", "local_id", "query_text", "strands"]
