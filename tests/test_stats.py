"""``reintegra stats``: counts by SPARQL over the framework graph."""

from __future__ import annotations

import json

from click.testing import CliRunner
from rdflib import RDF, Graph

from conftest import FIXTURE_FRAMEWORK
from service.catalogue.stats import framework_stats, render_text
from service.cli.commands import main
from service.namespaces import FRAMEWORK_GRAPH, LANGUAGES, RG
from service.store.bundle import framework_files


def test_items_of_the_fixture_framework_are_counted(store):
    items = framework_stats(store)["items"]
    assert items["strands"] == 2
    assert items["areas"] == 2
    assert items["competences"] == 3
    assert items["levels"] == 6
    assert items["descriptors"] == 18  # 3 competences x 6 levels
    assert items["outcomes"] == 1  # descriptors are not counted as activity outcomes
    assert items["roles"] == 1
    assert items["requirements"] == 3
    assert items["partners"] == 1
    assert items["activities"] == 4  # the training week and its session count as activities
    assert items["training_weeks"] == 1
    assert items["sessions"] == 1
    assert items["esco_skills"] == 2
    assert items["esco_occupations"] == 1


def test_descriptors_per_language_follow_the_graph(store):
    before = framework_stats(store)["languages"]["descriptors"]
    assert before == dict.fromkeys(LANGUAGES, 18)
    store.update(
        f"""PREFIX rg: <https://w3id.org/reintegra/ontology#>
        DELETE WHERE {{ GRAPH <{FRAMEWORK_GRAPH}> {{
          <https://w3id.org/reintegra/descriptor/service-mapping-B1> rg:statement ?s .
        }} }}"""
    )
    store.update(
        f"""PREFIX rg: <https://w3id.org/reintegra/ontology#>
        INSERT DATA {{ GRAPH <{FRAMEWORK_GRAPH}> {{
          <https://w3id.org/reintegra/descriptor/service-mapping-B1> rg:statement "x"@en .
        }} }}"""
    )
    after = framework_stats(store)["languages"]["descriptors"]
    assert after == {"en": 18, "it": 17, "ro": 17, "nl": 17}


def test_esco_mappings_are_counted_by_relation(store):
    mappings = framework_stats(store)["esco_mappings"]
    assert mappings["competences"] == {
        "exactMatch": 0,
        "closeMatch": 1,
        "broadMatch": 1,
        "narrowMatch": 0,
        "relatedMatch": 1,
    }
    assert mappings["roles"]["closeMatch"] == 1
    assert sum(mappings["roles"].values()) == 1


def test_activities_by_format_and_country(store):
    activities = framework_stats(store)["activities"]
    assert activities["by_format"] == {"Coaching": 1, "InPerson": 2, "Online": 1}
    # The week and its session take place in Bologna; the module and coaching have no place.
    assert activities["by_country"] == {"IT": 2, "none": 2}
    assert {"format": "InPerson", "country": "IT", "count": 2} in activities[
        "by_format_and_country"
    ]


def test_text_report_shows_every_table(store):
    text = render_text(framework_stats(store))
    for heading in (
        "Items",
        "Texts by language",
        "ESCO mappings by SKOS relation",
        "Activities by format",
        "Activities by country",
        "Activities by format and country",
    ):
        assert heading in text
    assert any(line.split() == ["descriptors", "18", "18", "18", "18"] for line in text.split("\n"))


def test_command_reads_a_framework_folder_and_prints_json():
    result = CliRunner().invoke(
        main, ["stats", "--framework-dir", str(FIXTURE_FRAMEWORK), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["items"]["competences"] == 3
    assert figures["languages"]["descriptors"]["nl"] == 18


def test_command_on_the_bundled_framework_agrees_with_the_files():
    result = CliRunner().invoke(main, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    graph = Graph()
    for path in framework_files():
        graph.parse(path, format="turtle")
    assert figures["items"]["competences"] == len(set(graph.subjects(RDF.type, RG.Competence)))
    assert figures["items"]["descriptors"] == len(set(graph.subjects(RDF.type, RG.LevelDescriptor)))
