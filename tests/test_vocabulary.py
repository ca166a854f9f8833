"""Names of the ontology's terms, read from its labels: the one source of those words."""

from __future__ import annotations

import pytest

from service.catalogue.vocabulary import read_vocabulary
from service.namespaces import ONTOLOGY_GRAPH, RG
from service.store import EmbeddedStore


def test_terms_are_named_by_the_ontology_in_each_language(store):
    vocabulary = read_vocabulary(store)
    assert [vocabulary.label("Strand", lang) for lang in ("en", "it", "ro", "nl")] == [
        "Strand",
        "Asse",
        "Axă",
        "Pijler",
    ]
    assert vocabulary.title("requiredLevel", "ro") == "Nivel cerut"
    assert vocabulary.label("Online", "nl") == "online"


def test_a_missing_language_falls_back_to_english_and_an_unknown_term_is_an_error(store):
    vocabulary = read_vocabulary(store)
    assert vocabulary.label("Strand", "de") == "Strand"
    with pytest.raises(KeyError, match="rg:NoSuchTerm"):
        vocabulary.label("NoSuchTerm", "en")


def test_skos_pref_label_wins_and_only_the_ontology_namespace_is_read():
    store = EmbeddedStore()
    strand = f"<{RG}Strand>"
    other = "<https://example.org/other#Strand>"
    store.update(
        f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{
          {strand} rdfs:label "Strand"@en, "Pijler"@nl ; skos:prefLabel "Streng"@nl .
          {other} rdfs:label "Elsewhere"@en .
        }} }}"""
    )
    vocabulary = read_vocabulary(store)
    assert vocabulary.label("Strand", "nl") == "Streng"
    assert vocabulary.label("Strand", "en") == "Strand"
    assert set(vocabulary.labels) == {"Strand"}
