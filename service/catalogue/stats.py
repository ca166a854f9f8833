"""``reintegra stats``: what the framework holds, counted by SPARQL over its graph.

Designers read these figures to see whether the content is complete (a descriptor at every
level, every text in every language, every competence aligned to ESCO); the numbers come from
the graph each time, never from a list kept in Python.
"""

from __future__ import annotations

from typing import Any

from service.namespaces import FRAMEWORK_GRAPH, LANGUAGES, ONTOLOGY_GRAPH, local_id
from service.rq import query_text
from service.store import Store

#: The framework and the vocabulary (for subclasses); ESCO and private graphs are not counted.
STATS_GRAPHS: tuple[str, ...] = (FRAMEWORK_GRAPH, ONTOLOGY_GRAPH)

# Output names of the counted classes, in the order they are shown.
ITEM_NAMES: dict[str, str] = {
    "Strand": "strands",
    "CompetenceArea": "areas",
    "Competence": "competences",
    "ProficiencyLevel": "levels",
    "LevelDescriptor": "descriptors",
    "LearningOutcome": "outcomes",
    "TargetRole": "roles",
    "RoleRequirement": "requirements",
    "Partner": "partners",
    "TrainingActivity": "activities",
    "Mobility": "training_weeks",
    "TrainingSession": "sessions",
    "Skill": "esco_skills",
    "Occupation": "esco_occupations",
}
#: Kinds whose translation coverage is shown (label, or statement for descriptors and outcomes).
TEXT_KINDS = (
    "strands",
    "areas",
    "competences",
    "levels",
    "descriptors",
    "outcomes",
    "roles",
    "activities",
)
RELATIONS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
NO_FORMAT = "none"
NO_COUNTRY = "none"


def framework_stats(store: Store) -> dict[str, Any]:
    """Counts of items, translations, ESCO mappings and activities, as plain JSON data."""
    found = {
        local_id(str(r["class"])): int(r["count"])
        for r in store.select(query_text("stats_items"), default_graphs=STATS_GRAPHS)
    }
    items = {name: found.get(cls, 0) for cls, name in ITEM_NAMES.items()}
    # rg:LevelDescriptor is a subclass of rg:LearningOutcome: outcomes here are the activities'.
    items["outcomes"] -= items["descriptors"]

    languages = {name: dict.fromkeys(LANGUAGES, 0) for name in TEXT_KINDS}
    for row in store.select(query_text("stats_languages"), default_graphs=STATS_GRAPHS):
        name = ITEM_NAMES[local_id(str(row["class"]))]
        languages[name][str(row["lang"])] = int(row["count"])

    mappings: dict[str, dict[str, int]] = {
        "competences": dict.fromkeys(RELATIONS, 0),
        "roles": dict.fromkeys(RELATIONS, 0),
    }
    for row in store.select(query_text("stats_esco"), default_graphs=STATS_GRAPHS):
        owner = "competences" if local_id(str(row["class"])) == "Competence" else "roles"
        mappings[owner][local_id(str(row["relation"]))] = int(row["count"])

    by_format: dict[str, int] = {}
    by_country: dict[str, int] = {}
    cross: list[dict[str, Any]] = []
    for row in store.select(query_text("stats_activities"), default_graphs=STATS_GRAPHS):
        fmt = local_id(str(row["format"])) if "format" in row else NO_FORMAT
        country = str(row.get("country", "")) or NO_COUNTRY
        count = int(row["count"])
        by_format[fmt] = by_format.get(fmt, 0) + count
        by_country[country] = by_country.get(country, 0) + count
        cross.append({"format": fmt, "country": country, "count": count})
    cross.sort(key=lambda c: (c["format"], c["country"]))

    return {
        "items": items,
        "languages": languages,
        "esco_mappings": mappings,
        "activities": {
            "by_format": dict(sorted(by_format.items())),
            "by_country": dict(sorted(by_country.items())),
            "by_format_and_country": cross,
        },
    }


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        first = row[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  " + "  ".join([first, *rest]).rstrip())
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def render_text(stats: dict[str, Any]) -> str:
    """The figures as aligned tables for a terminal."""
    lines = ["Items"]
    lines += _table(
        ["kind", "count"], [[k.replace("_", " "), v] for k, v in stats["items"].items()]
    )
    lines += ["", "Texts by language (items with their label or statement in each language)"]
    lines += _table(
        ["kind", *LANGUAGES],
        [
            [kind, *(by_lang.get(code, 0) for code in LANGUAGES)]
            for kind, by_lang in stats["languages"].items()
        ],
    )
    lines += ["", "ESCO mappings by SKOS relation"]
    lines += _table(
        ["relation", "competences", "roles"],
        [
            [rel, stats["esco_mappings"]["competences"][rel], stats["esco_mappings"]["roles"][rel]]
            for rel in RELATIONS
        ],
    )
    activities = stats["activities"]
    lines += ["", "Activities by format"]
    lines += _table(["format", "count"], [[k, v] for k, v in activities["by_format"].items()])
    lines += ["", "Activities by country (where they take place; none = online or no place)"]
    lines += _table(["country", "count"], [[k, v] for k, v in activities["by_country"].items()])
    countries = list(activities["by_country"])
    matrix = {(c["format"], c["country"]): c["count"] for c in activities["by_format_and_country"]}
    lines += ["", "Activities by format and country"]
    lines += _table(
        ["format", *countries],
        [[fmt, *(matrix.get((fmt, c), 0) for c in countries)] for fmt in activities["by_format"]],
    )
    return "\n".join(lines)
