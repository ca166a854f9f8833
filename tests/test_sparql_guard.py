"""The guard reads queries before any engine does: nesting, size, federation, dataset."""

from __future__ import annotations

import pytest

from service.errors import BadRequest
from service.sparql.guard import Limits, check_targets, inspect

LIMITS = Limits(max_depth=64, max_tokens=10_000)
EVIL = "http://evil.example/sparql"


def refused(text: str, allow: tuple[str, ...] = ()) -> str:
    with pytest.raises(BadRequest) as caught:
        check_targets(inspect(text, LIMITS), allow)
    return caught.value.message


def accepted(text: str, allow: tuple[str, ...] = ()):
    inspection = inspect(text, LIMITS)
    check_targets(inspection, allow)
    return inspection


@pytest.mark.parametrize(
    ("text", "operation", "form"),
    [
        ("PREFIX ex: <http://ex/> SELECT * WHERE { ?s ex:p ?o }", "query", "SELECT"),
        ("BASE <http://ex/> ask {}", "query", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "query", "CONSTRUCT"),
        ("DESCRIBE <http://ex/a>", "query", "DESCRIBE"),
        ("INSERT DATA { <http://a> <http://b> 1 }", "update", "INSERT"),
        ("PREFIX ex: <http://ex/> DELETE WHERE { ?s ex:p ?o }", "update", "DELETE"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update", "WITH"),
    ],
)
def test_operation_and_form(text, operation, form):
    inspection = accepted(text)
    assert (inspection.operation, inspection.form) == (operation, form)


def test_depth_limit_is_exact_and_names_the_position():
    assert accepted("SELECT * WHERE " + "{" * 64 + "}" * 64).depth == 64
    message = refused("SELECT * WHERE\n " + "{" * 65 + "}" * 65)
    assert "deeper than 64" in message and "(at 2:66)" in message


@pytest.mark.parametrize(
    "deep",
    [
        "SELECT * WHERE { FILTER(" + "(" * 70 + "1" + ")" * 70 + ") }",
        "SELECT * WHERE { ?s <http://p> " + "[ <http://p> " * 70 + "1" + " ]" * 70 + " }",
        "SELECT * WHERE { ?s <http://p> " + "( " * 70 + "1" + " )" * 70 + " }",
        "SELECT * WHERE { BIND("
        + "<<( " * 70
        + "<http://a> <http://b> <http://c>"
        + " )>>" * 70
        + " AS ?t) }",
    ],
)
def test_every_kind_of_bracket_counts(deep):
    assert "deeper than 64" in refused(deep)


def test_5000_nested_groups_are_refused_without_recursion():
    text = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    assert "deeper than 64" in refused(text)


def test_token_limit():
    text = "SELECT * WHERE {" + " ?s <http://p> ?o ." * 2600 + " }"
    assert "more than 10000 tokens" in refused(text)


def test_unbalanced_brackets_are_refused_early():
    assert "never closed" in refused("SELECT * WHERE { ?s ?p ?o")
    assert "unbalanced '}'" in refused("SELECT * WHERE { ?s ?p ?o }}")


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{EVIL}> {{ ?s ?p ?o }} }}",
        "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
        "BASE <http://evil.example/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://evil.example\\u002Fsparql> { ?s ?p ?o } }",
        # A backslash escape in a prefixed name must not start a comment that hides SERVICE.
        f"SELECT * WHERE {{ ?s e:a\\# SERVICE <{EVIL}> {{ }} }}",
        # Inside a triple term '<p#>' is an IRI, not a comparison followed by a comment.
        f"SELECT * WHERE {{ BIND(<<( ?s <p#> ?o )>> AS ?t) SERVICE <{EVIL}> {{ ?a ?b ?c }} }}",
    ],
)
def test_service_outside_the_allowlist_is_refused(text):
    assert "is not allowed" in refused(text)


def test_service_with_a_variable_endpoint_is_refused():
    assert "fixed endpoint" in refused("SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }")


def test_allowlisted_service_passes():
    inspection = accepted(f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}", (EVIL,))
    assert inspection.services == [EVIL]


@pytest.mark.parametrize(
    "text",
    [
        f'SELECT * WHERE {{ ?s ?p "SERVICE <{EVIL}> {{}}" }}',
        f"SELECT * WHERE {{ ?s ?p ?o }} # SERVICE <{EVIL}> {{}}",
        f"SELECT * WHERE {{ ?s ?p '''multi\nSERVICE <{EVIL}> {{}}''' }}",
        "SELECT * WHERE { ?s <http://ex/service> ?o }",
    ],
)
def test_service_in_strings_comments_and_iris_is_harmless(text):
    assert accepted(text).services == []


def test_a_unicode_escape_that_ends_a_string_for_other_engines_is_checked_both_ways():
    # pyoxigraph keeps \u0022 inside the string; a spec-following engine decodes it first and
    # then reads a SERVICE clause. The guard reads both ways and refuses.
    text = f'SELECT * WHERE {{ ?s ?p "x\\u0022 . }} SERVICE <{EVIL}> {{ ?a ?b ?c }} #" }}'
    with pytest.raises(BadRequest):
        check_targets(inspect(text, LIMITS), ())


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b#x>\n) }",
        "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)&&(?c>?d) }",
    ],
)
def test_ambiguous_comparisons_are_refused(text):
    assert "ambiguous '<'" in refused(text)


def test_comment_after_a_comparison_cannot_hide_closing_brackets():
    # For the engine '#x> )))))' is a comment; the guard reads it the same way, so each line
    # really opens five levels and the total is refused.
    line = "(((((?a < ?b #x> )))))\n"
    text = "SELECT * WHERE { ?a ?b ?c FILTER(" + line * 20 + "1) }"
    assert "deeper than 64" in refused(text)


def test_comparisons_with_spaces_and_iris_with_balanced_brackets_are_fine():
    accepted("SELECT * WHERE { ?a ?b ?c FILTER(?a < ?b && ?c > 3 && ?a <= 2) }")
    accepted("SELECT * WHERE { ?s <http://dbpedia.org/resource/Foo_(bar)> ?o }")
    assert "unbalanced brackets" in refused("SELECT * WHERE { ?s <http://x/a)> ?o }")


def test_load_targets():
    assert "LOAD <file:///etc/passwd> is not allowed" in refused(
        "LOAD <file:///etc/passwd> INTO GRAPH <http://g>"
    )
    assert "is not allowed" in refused(f"LOAD SILENT <{EVIL}>")
    assert accepted(f"LOAD <{EVIL}> INTO GRAPH <http://g>", (EVIL,)).loads == [EVIL]


def test_dataset_clauses_are_collected_and_resolved():
    inspection = accepted(
        "PREFIX g: <https://w3id.org/reintegra/graph/> SELECT * FROM g:framework "
        "FROM NAMED <https://w3id.org/reintegra/graph/esco> WHERE { ?s ?p ?o }"
    )
    assert inspection.from_graphs == ["https://w3id.org/reintegra/graph/framework"]
    assert inspection.from_named == ["https://w3id.org/reintegra/graph/esco"]


def test_update_graph_targets_and_bulk_targets():
    inspection = accepted(
        "CLEAR SILENT ALL ; DROP NAMED ; INSERT DATA { GRAPH <http://g/1> { <a> <b> <c> } } ; "
        "ADD DEFAULT TO GRAPH <http://g/2> ; CREATE GRAPH <http://g/3>"
    )
    assert inspection.bulk_targets == ["ALL", "NAMED", "DEFAULT"]
    assert inspection.graph_iris == ["http://g/1", "http://g/2", "http://g/3"]


def test_relative_iris_are_noticed():
    assert accepted("CONSTRUCT { <s> <p> 1 } WHERE {}").relative_iris is True
    assert accepted("CONSTRUCT { <http://s> <http://p> 1 } WHERE {}").relative_iris is False


@pytest.mark.parametrize("text", ["", "   # only a comment\n", "HELLO world"])
def test_not_a_query(text):
    with pytest.raises(BadRequest):
        inspect(text, LIMITS)


def test_prefixes_resolve_where_they_are_declared():
    # Redeclaring a prefix later in an update must not launder an earlier target.
    text = (
        "PREFIX e: <http://evil.example/> LOAD e:x INTO GRAPH <http://g> ; "
        "PREFIX e: <http://ok.example/> LOAD e:x INTO GRAPH <http://g>"
    )
    assert "LOAD <http://evil.example/x> is not allowed" in refused(text, ("http://ok.example/x",))


def test_a_repeated_text_is_read_once_and_refused_every_time():
    text = "SELECT * WHERE { ?s ?p ?o } LIMIT 3"
    assert inspect(text, LIMITS) is inspect(text, LIMITS)
    # The limits are part of what is remembered: the same text may be refused under others.
    with pytest.raises(BadRequest, match="more than 5 tokens"):
        inspect(text, Limits(max_depth=64, max_tokens=5))
    deep = "SELECT * WHERE " + "{" * 70 + "}" * 70
    for _ in range(2):
        with pytest.raises(BadRequest, match="deeper than 64"):
            inspect(deep, LIMITS)
    assert inspect(deep, Limits(max_depth=100, max_tokens=10_000)).depth == 70


def test_long_texts_are_read_every_time():
    text = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 9000
    assert inspect(text, LIMITS) is not inspect(text, LIMITS)
    assert inspect(text, LIMITS).form == "SELECT"
