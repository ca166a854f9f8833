"""The framework as the read API shows it: items from the graph, texts in the asked language.

Each text comes with ``<field>_lang`` when it is not in the requested language (the framework
had no text in that language and another was used), so a client never shows a fallback as if
it were a translation.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from decimal import Decimal
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from service.i18n import pick
from service.namespaces import (
    ESCO_GRAPH,
    FRAMEWORK_GRAPH,
    ONTOLOGY_GRAPH,
    RG,
    SCHEMA,
    SKOS,
    local_id,
)
from service.rq import query_text
from service.store import Store

FRAMEWORK_ONLY = (FRAMEWORK_GRAPH,)
WITH_VOCABULARY = (ONTOLOGY_GRAPH, FRAMEWORK_GRAPH)
WITH_ESCO = (FRAMEWORK_GRAPH, ESCO_GRAPH)

TEXT_FIELDS: dict[URIRef, str] = {
    SKOS.prefLabel: "label",
    SKOS.definition: "definition",
    SKOS.scopeNote: "scope_note",
    RG.knowledgeComponent: "knowledge",
    RG.skillComponent: "skill",
    RG.attitudeComponent: "attitude",
    SKOS.editorialNote: "editorial_note",
}
SUMMARY_FIELDS = ("label", "definition")
ALL_FIELDS = tuple(TEXT_FIELDS.values())

Texts = dict[str, dict[str, str]]  # field name -> language -> text


KINDS = {RG.Mobility: "mobility", RG.TrainingSession: "session"}


def term_id(iri: Node | None) -> str | None:
    """A vocabulary term as the API names it: its local name (``InPerson``, ``Essential``)."""
    return local_id(str(iri)) if iri is not None else None


def folded(text: str) -> str:
    """Lower case without accents, so 'didattica' finds 'Didàttica' and 'IASI' finds 'Iași'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def texts_of_class(store: Store, cls: URIRef, graphs=WITH_VOCABULARY) -> dict[str, Texts]:
    """Every language-tagged text of the items of a class, by item IRI and field name."""
    found: dict[str, Texts] = defaultdict(lambda: defaultdict(dict))
    for row in store.select(query_text("api_texts"), {"class": cls}, default_graphs=graphs):
        field = TEXT_FIELDS.get(row["field"], "other")
        found[str(row["item"])][field].setdefault(row["text"].language, str(row["text"]))
    return found


def localized(texts: Texts, lang: str, fields: tuple[str, ...] = ALL_FIELDS) -> dict[str, str]:
    """The fields in ``lang``, with ``<field>_lang`` wherever another language stood in."""
    out: dict[str, str] = {}
    for name in fields:
        if name not in texts:
            continue
        text, used = pick(texts[name], lang)
        if text is None:
            continue
        out[name] = text
        if used != lang:
            out[name + "_lang"] = used
    return out


def search_text(texts: Texts, *extra: str) -> str:
    """Every text of an item in every language, folded once, one per line, for searching."""
    parts = [t for by_lang in texts.values() for t in by_lang.values()] + list(extra)
    return "\n".join(folded(part) for part in parts)


def matches(haystack: str, needle: str) -> bool:
    """Whether a search text occurs in an item's ``search_text`` (any language)."""
    wanted = folded(needle).strip()
    return bool(wanted) and wanted in haystack


def number(value: Node | None) -> int | float | None:
    if value is None:
        return None
    amount = Decimal(str(value))
    return int(amount) if amount == amount.to_integral() else float(amount)


def competences(store: Store) -> list[dict[str, Any]]:
    """Competences in notation order, with area and strand ids and all their texts."""
    texts = texts_of_class(store, RG.Competence)
    found = []
    for row in store.select(query_text("api_competences"), default_graphs=FRAMEWORK_ONLY):
        iri, notation = str(row["competence"]), str(row.get("notation", ""))
        item_texts = texts.get(iri, {})
        found.append(
            {
                "iri": iri,
                "id": local_id(iri),
                "notation": notation,
                "area": local_id(str(row["area"])),
                "strand": local_id(str(row["strand"])),
                "texts": item_texts,
                "search": search_text(item_texts, local_id(iri), notation),
            }
        )
    return found


def descriptors(store: Store, competence: URIRef, lang: str) -> list[dict[str, Any]]:
    by_level: dict[str, dict[str, Any]] = {}
    statements: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.select(
        query_text("api_descriptors"), {"competence": competence}, default_graphs=FRAMEWORK_ONLY
    ):
        key = str(row["descriptor"])
        statements[key].setdefault(row["statement"].language, str(row["statement"]))
        by_level.setdefault(
            key,
            {
                "level": str(row["notation"]),
                "rank": int(row["rank"]),
                "outcome_type": term_id(row.get("outcomeType")),
            },
        )
    result = []
    for key, item in by_level.items():
        text = localized({"statement": statements[key]}, lang, ("statement",))
        entry = {"id": local_id(key), **item, **text}
        if entry["outcome_type"] is None:
            del entry["outcome_type"]
        result.append(entry)
    return sorted(result, key=lambda d: (d["rank"], d["id"]))


def mappings(store: Store, item: URIRef, lang: str) -> list[dict[str, Any]]:
    """SKOS mappings of an item with the target's label in ``lang`` (ESCO labels included)."""
    grouped: dict[tuple[str, str], dict[str, str]] = {}
    for row in store.select(query_text("api_mappings"), {"item": item}, default_graphs=WITH_ESCO):
        key = ("skos:" + local_id(str(row["relation"])), str(row["target"]))
        labels = grouped.setdefault(key, {})
        if "label" in row:
            labels.setdefault(row["label"].language or "", str(row["label"]))
    return [
        {"relation": relation, "target": target, **localized({"label": labels}, lang, ("label",))}
        for (relation, target), labels in sorted(grouped.items())
    ]


def requirements(store: Store) -> list[dict[str, Any]]:
    return [
        {
            "role": local_id(str(row["role"])),
            "competence": local_id(str(row["competence"])),
            "level": str(row["notation"]),
            "rank": int(row["rank"]),
            "relation": term_id(row["relation"]),
            "weight": number(row.get("weight")),
        }
        for row in store.select(query_text("api_requirements"), default_graphs=WITH_VOCABULARY)
    ]


def roles(store: Store) -> list[dict[str, Any]]:
    texts = texts_of_class(store, RG.TargetRole)
    return [
        {"iri": iri, "id": local_id(iri), "texts": item_texts}
        for iri, item_texts in sorted(texts.items(), key=lambda kv: local_id(kv[0]))
    ]


def delivery_formats(store: Store) -> dict[str, str]:
    """Delivery formats by API id (``InPerson``) -> IRI, as the vocabulary defines them."""
    rows = store.select(query_text("api_formats"), default_graphs=(ONTOLOGY_GRAPH,))
    return {term_id(row["format"]): str(row["format"]) for row in rows}


_LINKS = {
    SCHEMA.inLanguage: "languages",
    RG.addressesCompetence: "competences",
    RG.prerequisite: "prerequisites",
    SCHEMA.subEvent: "sessions",
    RG.addressesOutcome: "outcomes",
}


def activities(store: Store, levels: dict[URIRef, tuple[str, int]]) -> list[dict[str, Any]]:
    """Every training activity with its facts; ``levels`` maps level IRIs to (notation, rank)."""
    items: dict[str, dict[str, Any]] = {}
    for row in store.select(query_text("api_activities"), default_graphs=WITH_VOCABULARY):
        iri = str(row["activity"])
        kind = KINDS.get(row["type"], "activity")
        if iri in items:
            if kind != "activity":
                items[iri]["kind"] = kind
            continue
        entry = levels.get(row.get("entry"))
        reached = levels.get(row.get("reached"))
        items[iri] = {
            "id": local_id(iri),
            "kind": kind,
            "format": term_id(row.get("format")),
            "organizer": _id(row.get("organizer")),
            "place": _id(row.get("location")),
            "country": _text(row.get("placeCountry") or row.get("organizerCountry")),
            "start": _text(row.get("start")),
            "end": _text(row.get("end")),
            "self_paced": bool(row["selfPaced"].toPython()) if "selfPaced" in row else False,
            "hours": number(row.get("hours")),
            "capacity": number(row.get("capacity")),
            "entry_level": entry[0] if entry else None,
            "entry_rank": entry[1] if entry else None,
            "level_reached": reached[0] if reached else None,
            "reached_rank": reached[1] if reached else None,
            "part_of": _id(row.get("superEvent")),
            **{name: [] for name in _LINKS.values()},
        }
    for row in store.select(query_text("api_activity_links"), default_graphs=WITH_VOCABULARY):
        item = items.get(str(row["activity"]))
        if item is not None:
            target = row["target"]
            value = str(target) if row["link"] == SCHEMA.inLanguage else local_id(str(target))
            item[_LINKS[row["link"]]].append(value)
    texts = texts_of_class(store, RG.TrainingActivity)
    for iri, item in items.items():
        item["texts"] = texts.get(iri, {})
    return sorted(items.values(), key=lambda a: a["id"])


def _id(value: Node | None) -> str | None:
    return local_id(str(value)) if value is not None else None


def _text(value: Node | None) -> str | None:
    return str(value) if value is not None else None


def level_table(refs_graph) -> dict[URIRef, tuple[str, int]]:
    """Level IRI -> (notation, rank), from the references the profile code already holds."""
    table = {}
    for level in refs_graph.subjects(RG.rank, None):
        notation = refs_graph.value(level, SKOS.notation)
        table[level] = (
            str(notation or local_id(str(level))),
            int(refs_graph.value(level, RG.rank)),
        )
    return table
