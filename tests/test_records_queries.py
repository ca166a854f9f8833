"""SPARQL of service/records: named files with bound values; a crafted token id is refused."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli.commands import main
from service.errors import BadRequest
from service.namespaces import FRAMEWORK_GRAPH, SYSTEM_GRAPH
from service.records.tokens import create_token, principal_for, revoke_token

RECORDS = Path(__file__).resolve().parent.parent / "service" / "records"
CRAFTED = f"x> }} ; DROP GRAPH <{FRAMEWORK_GRAPH}> ; INSERT DATA {{ <a:b"
SPARQL_WORDS = re.compile(r"\b(INSERT|DELETE|SELECT|ASK|CONSTRUCT|DROP)\b|WHERE\s*\{")
#: Files whose remaining spliced SPARQL has not been moved to service/rq yet.
NOT_YET_MOVED = {"profiles.py", "cohorts.py"}


def test_crafted_token_id_is_refused_and_the_framework_is_kept(store):
    before = store.graph_size(FRAMEWORK_GRAPH)
    system_before = store.graph_size(SYSTEM_GRAPH)
    assert before > 0
    with pytest.raises(BadRequest) as refused:
        revoke_token(store, CRAFTED)
    assert CRAFTED in str(refused.value)
    assert store.graph_size(FRAMEWORK_GRAPH) == before
    assert store.graph_size(SYSTEM_GRAPH) == system_before


@pytest.mark.parametrize("bad", ["", "abc", "A" * 32, "0" * 31, "0" * 33, "0" * 32 + "\n"])
def test_malformed_token_ids_are_refused(store, bad):
    with pytest.raises(BadRequest):
        revoke_token(store, bad)


def test_crafted_id_is_refused_by_the_command(tmp_path):
    result = CliRunner().invoke(
        main, ["tokens", "revoke", CRAFTED, "--data-dir", str(tmp_path / "store")]
    )
    assert result.exit_code != 0
    assert "not a token id" in result.output
    assert "revoked" not in result.output


def test_create_then_revoke_a_real_token(store):
    framework = store.graph_size(FRAMEWORK_GRAPH)
    token_id, secret = create_token(store, "editor", "host-romania")
    other_id, other_secret = create_token(store, "coordinator", "host-spain")
    principal = principal_for(store, secret)
    assert principal is not None
    assert (principal.role, principal.partner, principal.token_id) == (
        "editor",
        "host-romania",
        token_id,
    )
    revoke_token(store, token_id)
    assert principal_for(store, secret) is None
    assert principal_for(store, other_secret).token_id == other_id
    assert store.graph_size(FRAMEWORK_GRAPH) == framework


def _spliced_sparql(path: Path) -> list[int]:
    """Lines of f-strings whose literal parts look like SPARQL."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value
                for part in node.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if SPARQL_WORDS.search(text):
                found.append(node.lineno)
    return found


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=p.name,
            marks=[pytest.mark.xfail(strict=True, reason="spliced SPARQL not moved yet")]
            if p.name in NOT_YET_MOVED
            else [],
        )
        for p in sorted(RECORDS.glob("*.py"))
    ],
)
def test_no_sparql_is_built_in_f_strings(path):
    assert _spliced_sparql(path) == [], f"{path.name} splices SPARQL at these lines"
