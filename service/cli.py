"""The ``reintegra`` command: a thin click adapter over the same core functions the service uses."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .errors import ReintegraError
from .settings import SETTINGS, env_name


class Group(click.Group):
    """Print our own errors as one line and exit 2, never as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReintegraError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(2)


@click.group(cls=Group)
@click.version_option(package_name="reintegra")
def main() -> None:
    """Reintegra: competence framework for staff who work with migrants."""


def setting_option(name: str, *flags: str, **kwargs: Any):
    setting = next(s for s in SETTINGS if s.name == name)
    return click.option(
        *flags,
        name,
        default=None,
        help=f"{setting.help} [env {env_name(name)}; default {setting.default!r}]",
        **kwargs,
    )


def store_options(func):
    for decorator in reversed(
        [
            setting_option("data_dir", "--data-dir"),
            setting_option("store", "--store", type=click.Choice(["embedded", "remote"])),
            setting_option("remote_query_url", "--remote-query-url"),
            setting_option("remote_update_url", "--remote-update-url"),
            setting_option("remote_store_url", "--remote-store-url"),
        ]
    ):
        func = decorator(func)
    return func


@main.command()
@setting_option("host", "--host")
@setting_option("port", "--port", type=int)
@store_options
@setting_option("sparql_timeout_ms", "--sparql-timeout-ms", type=int)
@click.option("--threads", default=8, show_default=True, help="Worker threads of the server.")
def serve(threads: int, **overrides: Any) -> None:
    """Load the bundled framework into the store and serve HTTP."""
    from waitress import serve as waitress_serve

    from .app import create_app

    app = create_app(overrides)
    settings = app.config["REINTEGRA"]
    where = settings["data_dir"] or "memory"
    click.echo(
        f"Reintegra on http://{settings['host']}:{settings['port']}/ "
        f"({settings['store']} store, data in {where}); Ctrl+C stops it",
        err=True,
    )
    waitress_serve(app, host=settings["host"], port=settings["port"], threads=threads,
                   ident="reintegra")


@main.command()
@store_options
@click.option("--force", is_flag=True, help="Reload every graph even when its files are unchanged.")
def load(force: bool, **overrides: Any) -> None:
    """Load the bundled ontology, shapes and framework into the store (unchanged files are skipped)."""
    from .bundle import load_bundled
    from .settings import load_settings
    from .store import open_store

    store = open_store(load_settings({**overrides, "load_bundled": False}))
    try:
        for graph, what in load_bundled(store, force=force).items():
            click.echo(f"{graph}: {what}")
    finally:
        store.close()


@main.group()
def tokens() -> None:
    """Issue and revoke bearer tokens for coordinators and editors."""


@tokens.command("create")
@click.option("--role", required=True, type=click.Choice(["coordinator", "editor"]))
@click.option("--partner", required=True, help="The partner organisation the token is for.")
@store_options
def tokens_create(role: str, partner: str, **overrides: Any) -> None:
    """Print a new token once; only its hash is kept."""
    from .auth import create_token
    from .settings import load_settings
    from .store import open_store

    store = open_store(load_settings({**overrides, "load_bundled": False}))
    try:
        token_id, secret = create_token(store, role, partner)
    finally:
        store.close()
    click.echo(f"token id: {token_id}", err=True)
    click.echo("keep this token now; it cannot be shown again:", err=True)
    click.echo(secret)


@tokens.command("revoke")
@click.argument("token_id")
@store_options
def tokens_revoke(token_id: str, **overrides: Any) -> None:
    """Revoke a token by its id."""
    from .auth import revoke_token
    from .settings import load_settings
    from .store import open_store

    store = open_store(load_settings({**overrides, "load_bundled": False}))
    try:
        revoke_token(store, token_id)
    finally:
        store.close()
    click.echo(f"revoked {token_id}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for machines.")
def validate(paths: tuple[Path, ...], output: str) -> None:
    """Check Turtle files (default: the bundled ontology and framework).

    Reports syntax errors, SHACL violations and quality problems with the file and line of
    each; exits 1 when there is any violation, 0 when the content is valid.
    """
    from .validation import validate_files
    from .validation.report import render_text

    report = validate_files(list(paths) or None)
    if output == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(report))
    sys.exit(0 if report.conforms else 1)
