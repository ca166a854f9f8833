"""The names of the framework's own terms (strand, competence, level, role …) in each language.

Pages and the documentation site name these terms with the ontology's labels, so that a word
such as "strand" reads the same everywhere and translators change it in one place: the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from rdflib import URIRef

from service.i18n import pick
from service.namespaces import ONTOLOGY_GRAPH, RG
from service.rq import query_text
from service.store import Store


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Labels of ontology terms by local name (``Strand``, ``requiredLevel``) and language."""

    labels: Mapping[str, Mapping[str, str]]

    def label(self, name: str, lang: str) -> str:
        """The term's label in ``lang``, else in English; a term without labels is an error."""
        text, _ = pick(self.labels.get(name, {}), lang)
        if text is None:
            raise KeyError(f"the ontology has no label for rg:{name}")
        return text

    def title(self, name: str, lang: str) -> str:
        """The label with a capital first letter, for headings and table columns."""
        text = self.label(name, lang)
        return text[:1].upper() + text[1:]


def read_vocabulary(store: Store) -> Vocabulary:
    """Read every label of the ontology's terms in one query (skos:prefLabel wins)."""
    found: dict[str, dict[str, tuple[bool, str]]] = defaultdict(dict)
    rows = store.select(
        query_text("vocabulary_labels"),
        {"namespace": URIRef(str(RG))},
        default_graphs=(ONTOLOGY_GRAPH,),
    )
    for row in rows:
        name = str(row["term"])[len(str(RG)) :]
        literal = row["label"]
        lang = (getattr(literal, "language", None) or "").lower()
        preferred = bool(row["preferred"].toPython())
        held = found[name].get(lang)
        if held is None or (preferred and not held[0]):
            found[name][lang] = (preferred, str(literal))
    labels = {
        name: MappingProxyType({lang: text for lang, (_, text) in texts.items()})
        for name, texts in found.items()
    }
    return Vocabulary(MappingProxyType(labels))
