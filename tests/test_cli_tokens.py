"""`reintegra tokens`: printed once, works for its role, stops working when revoked."""

from __future__ import annotations

from click.testing import CliRunner

from service.cli.commands import main
from service.records.tokens import principal_for
from service.store import EmbeddedStore


def test_create_then_revoke(tmp_path):
    data = str(tmp_path / "store")
    created = CliRunner().invoke(
        main,
        [
            "tokens",
            "create",
            "--role",
            "coordinator",
            "--partner",
            "host-romania",
            "--data-dir",
            data,
        ],
    )
    assert created.exit_code == 0, created.output
    lines = created.output.strip().splitlines()
    token_id = lines[0].removeprefix("token id: ")
    secret = lines[-1]

    store = EmbeddedStore(data)
    try:
        principal = principal_for(store, secret)
        assert (principal.role, principal.partner, principal.token_id) == (
            "coordinator",
            "host-romania",
            token_id,
        )
    finally:
        store.close()

    revoked = CliRunner().invoke(main, ["tokens", "revoke", token_id, "--data-dir", data])
    assert revoked.exit_code == 0
    store = EmbeddedStore(data)
    try:
        assert principal_for(store, secret) is None
    finally:
        store.close()


def test_unknown_role_is_refused_by_the_command():
    result = CliRunner().invoke(main, ["tokens", "create", "--role", "admin", "--partner", "x"])
    assert result.exit_code == 2 and "admin" in result.output
