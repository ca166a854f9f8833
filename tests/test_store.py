"""The store interface, on both backends: reads, atomic writes, idempotent loading."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from service.errors import BadRequest, StoreUnavailable
from service.store import RemoteStore
from service.store.bundle import Source, load_sources

G = "https://w3id.org/reintegra/graph/framework"
EX = "http://127.0.0.1/ex/"


def test_replace_graph_and_select(any_store):
    any_store.replace_graph(G, f'<{EX}a> <{EX}p> "x"@en .\n<{EX}b> <{EX}p> 3 .\n')
    rows = any_store.select("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s", {"p": URIRef(EX + "p")})
    assert [(str(r["s"]), r["o"]) for r in rows] == [
        (EX + "a", Literal("x", lang="en")),
        (EX + "b", Literal(3)),
    ]
    any_store.replace_graph(G, f'<{EX}c> <{EX}p> "y" .\n')
    assert [str(r["s"]) for r in any_store.select("SELECT ?s WHERE { ?s ?p ?o }")] == [EX + "c"]


def test_bound_values_cannot_change_the_query(any_store):
    any_store.replace_graph(G, f'<{EX}a> <{EX}p> "x" .\n')
    hostile = Literal('x" } ; DROP ALL ; INSERT DATA { <a> <b> "c')
    assert any_store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": hostile}) == []
    assert any_store.ask("ASK WHERE { ?s ?p ?o }")


def test_failed_update_changes_nothing(any_store):
    any_store.replace_graph(G, f'<{EX}a> <{EX}p> "x" .\n')
    with pytest.raises(BadRequest):
        any_store.update(f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}b> <{EX}p> 1 }} }} ; NOT SPARQL")
    assert len(any_store.graph(G)) == 1


def test_default_reads_see_public_graphs_only(any_store):
    private = "https://w3id.org/reintegra/graph/private/profile/p1"
    any_store.update(f"INSERT DATA {{ GRAPH <{private}> {{ <{EX}secret> <{EX}p> 1 }} }}")
    any_store.replace_graph(G, f"<{EX}a> <{EX}p> 1 .\n")
    subjects = {str(r["s"]) for r in any_store.select("SELECT ?s WHERE { ?s ?p ?o }")}
    assert subjects == {EX + "a"}
    assert private in any_store.named_graphs()


def test_loading_is_idempotent_and_replaces_changed_files(any_store, tmp_path):
    path = tmp_path / "a.ttl"
    path.write_text(f"<{EX}a> <{EX}p> 1 .\n")
    sources = [Source(G, (path,))]
    assert load_sources(any_store, sources)[G].startswith("loaded 1")
    assert load_sources(any_store, sources)[G] == "unchanged"
    path.write_text(f"<{EX}a> <{EX}p> 2 .\n<{EX}b> <{EX}p> 2 .\n")
    assert load_sources(any_store, sources)[G].startswith("loaded 2")
    assert len(any_store.graph(G)) == 2


def test_syntax_error_in_a_file_names_file_line_and_column(any_store, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(f'<{EX}a> <{EX}p> 1 .\n<{EX}b> <{EX}p> "open .\n')
    with pytest.raises(Exception) as info:
        load_sources(any_store, [Source(G, (path,))])
    assert f"{path}:2:" in str(info.value)
    assert any_store.graph(G).__len__() == 0


def test_remote_store_that_is_down_gives_one_clear_error():
    store = RemoteStore("http://127.0.0.1:9/query", "http://127.0.0.1:9/update", timeout_s=2)
    with pytest.raises(StoreUnavailable) as info:
        store.select("SELECT * WHERE { ?s ?p ?o }")
    assert "127.0.0.1:9" in info.value.message and "cannot be reached" in info.value.message


def test_cli_with_a_remote_store_that_is_down_says_so_without_a_traceback():
    from click.testing import CliRunner

    from service.cli.commands import main

    result = CliRunner().invoke(
        main, ["load", "--store", "remote", "--remote-query-url", "http://127.0.0.1:9/query"]
    )
    assert result.exit_code == 2
    assert "error: the remote store at http://127.0.0.1:9/query cannot be reached" in result.output
    assert "Traceback" not in result.output


def test_cli_load_is_idempotent(tmp_path):
    from click.testing import CliRunner

    from service.cli.commands import main

    data = str(tmp_path / "store")
    first = CliRunner().invoke(main, ["load", "--data-dir", data])
    assert first.exit_code == 0, first.output
    assert "graph/framework: loaded" in first.output
    again = CliRunner().invoke(main, ["load", "--data-dir", data])
    assert again.output.count("unchanged") == 3, again.output


def test_remote_graph_read_through_the_graph_store_protocol(remote_store):
    remote_store.replace_graph(G, f'<{EX}a> <{EX}p> "x"@en .\n')
    assert remote_store.store_url
    assert {(str(s), str(o)) for s, _, o in remote_store.graph(G)} == {(EX + "a", "x")}
    assert len(remote_store.graph(G + "-missing")) == 0


def test_remote_queries_with_update_words_in_comments(remote_store):
    """A comment such as "graphs were loaded" must not send a query to the update endpoint."""
    query = (
        "# Two lines of comment, and the second says the graphs\n# were loaded, before prefixes\n"
        "PREFIX rg: <https://w3id.org/reintegra/ontology#>\nPREFIX s: <https://schema.org/>\n"
        "SELECT ?x WHERE { BIND (1 AS ?x) }"
    )
    assert [int(r["x"]) for r in remote_store.select(query, default_graphs=())] == [1]
