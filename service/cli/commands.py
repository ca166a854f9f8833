"""The ``reintegra`` command: a thin click adapter over the same core functions the service uses."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Any

import click

from service.cli.options import (
    framework_dir_option,
    framework_store,
    opened_store,
    report_format_option,
    setting_option,
    store_options,
)
from service.cli.plans import gaps_command, recommend_command
from service.errors import ReintegraError


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


@main.command()
@setting_option("host", "--host")
@setting_option("port", "--port", type=int)
@store_options
@setting_option("sparql_timeout_ms", "--sparql-timeout-ms", type=int)
@click.option("--threads", default=8, show_default=True, help="Worker threads of the server.")
def serve(threads: int, **overrides: Any) -> None:
    """Load the bundled framework into the store and serve HTTP."""
    from waitress import serve as waitress_serve

    from service.app import create_app
    from service.web.context import get_store

    app = create_app(overrides)
    runtime = app.extensions["reintegra.sparql"]
    runtime.warm_up_soon()
    settings = app.config["REINTEGRA"]
    where = settings["data_dir"] or "memory"
    click.echo(
        f"Reintegra on http://{settings['host']}:{settings['port']}/ "
        f"({settings['store']} store, data in {where}); Ctrl+C stops it",
        err=True,
    )
    # A service manager stops us with SIGTERM: leave as Ctrl+C does, through waitress's own
    # shutdown, so the query workers, their snapshots and the store are closed properly.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        waitress_serve(
            app, host=settings["host"], port=settings["port"], threads=threads, ident="reintegra"
        )
    finally:
        runtime.close()
        get_store(app).close()
    click.echo("Reintegra stopped", err=True)


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(0)


@main.command()
@store_options
@click.option("--force", is_flag=True, help="Reload every graph even when its files are unchanged.")
def load(force: bool, **overrides: Any) -> None:
    """Load the bundled ontology, shapes and framework (files that did not change are skipped)."""
    from service.store.bundle import load_bundled

    with opened_store(overrides) as store:
        for graph, what in load_bundled(store, force=force).items():
            click.echo(f"{graph}: {what}")


@main.group()
def tokens() -> None:
    """Issue and revoke bearer tokens for coordinators and editors."""


@tokens.command("create")
@click.option("--role", required=True, type=click.Choice(["coordinator", "editor"]))
@click.option("--partner", required=True, help="The partner organisation the token is for.")
@store_options
def tokens_create(role: str, partner: str, **overrides: Any) -> None:
    """Print a new token once; only its hash is kept."""
    from service.records.tokens import create_token

    with opened_store(overrides) as store:
        token_id, secret = create_token(store, role, partner)
    click.echo(f"token id: {token_id}", err=True)
    click.echo("keep this token now; it cannot be shown again:", err=True)
    click.echo(secret)


@tokens.command("revoke")
@click.argument("token_id")
@store_options
def tokens_revoke(token_id: str, **overrides: Any) -> None:
    """Revoke a token by its id."""
    from service.records.tokens import revoke_token

    with opened_store(overrides) as store:
        revoke_token(store, token_id)
    click.echo(f"revoked {token_id}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@report_format_option
def validate(paths: tuple[Path, ...], output: str) -> None:
    """Check Turtle files (default: the bundled ontology and framework).

    Reports syntax errors, SHACL violations and quality problems with the file and line of
    each; exits 1 when there is any violation, 0 when the content is valid.
    """
    from service.validation import validate_files
    from service.validation.report import render_text

    report = validate_files(list(paths) or None)
    if output == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(report))
    sys.exit(0 if report.conforms else 1)


@main.command()
@framework_dir_option
@report_format_option
def stats(framework_dir: Path | None, output: str) -> None:
    """Count what the framework holds: items, translations, ESCO mappings, activities."""
    from service.catalogue.stats import framework_stats, render_text

    store = framework_store(framework_dir)
    try:
        figures = framework_stats(store)
    finally:
        store.close()
    if output == "json":
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(figures))


@main.command()
@click.argument("outdir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--lang", "langs", multiple=True, help="Only this language (repeatable) [default: all]."
)
@framework_dir_option
def docs(outdir: Path, langs: tuple[str, ...], framework_dir: Path | None) -> None:
    """Write a static multilingual HTML site of the framework into OUTDIR."""
    from service.docs import build_site
    from service.namespaces import LANGUAGES

    store = framework_store(framework_dir)
    try:
        written = build_site(store, outdir, list(langs) or list(LANGUAGES))
    finally:
        store.close()
    click.echo(f"wrote {len(written)} files; open {outdir / 'index.html'}")


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    show_default=True,
    help="xlsx: one workbook; csv: a folder with one .csv per sheet.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write [default: reintegra-framework.xlsx or reintegra-framework-csv/].",
)
@framework_dir_option
def export_command(fmt: str, output: Path | None, framework_dir: Path | None) -> None:
    """Write the framework's texts and descriptors to a spreadsheet for editing."""
    from service.spreadsheet import export_sheets
    from service.store.bundle import bundled_root

    default = "reintegra-framework.xlsx" if fmt == "xlsx" else "reintegra-framework-csv"
    target = export_sheets(
        framework_dir or bundled_root() / "framework", fmt, output or Path(default)
    )
    click.echo(f"wrote {target}")


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and show the changes; write nothing.")
@framework_dir_option
def import_command(source: Path, dry_run: bool, framework_dir: Path | None) -> None:
    """Check an edited spreadsheet, show the changes, and write them into the Turtle files.

    SOURCE is an .xlsx workbook, a folder with one .csv file per sheet, or a .zip of such
    files. Every problem is listed with its sheet, row and column, and then nothing is
    written; otherwise the changed Turtle files are validated and replaced.
    """
    from service.spreadsheet import apply_import, plan_import, render_plan
    from service.store.bundle import bundled_root

    plan = plan_import(source, framework_dir or bundled_root() / "framework")
    click.echo(render_plan(plan))
    if dry_run:
        click.echo("dry run: nothing written")
        return
    for path in apply_import(plan):
        click.echo(f"wrote {path}")


main.add_command(gaps_command)
main.add_command(recommend_command)
