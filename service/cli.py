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
    waitress_serve(
        app, host=settings["host"], port=settings["port"], threads=threads, ident="reintegra"
    )


@main.command()
@store_options
@click.option("--force", is_flag=True, help="Reload every graph even when its files are unchanged.")
def load(force: bool, **overrides: Any) -> None:
    """Load the bundled ontology, shapes and framework (files that did not change are skipped)."""
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
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for machines.",
)
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


def framework_dir_option(func):
    return click.option(
        "--framework-dir",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        default=None,
        help="Folder of the framework's Turtle files [default: the bundled framework/].",
    )(func)


def framework_store(framework_dir: Path | None):
    """An in-memory store over the bundled ontology and shapes and a framework folder."""
    from .bundle import Source, framework_files, load_sources, ontology_files, shape_files
    from .namespaces import FRAMEWORK_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
    from .store import EmbeddedStore

    files = sorted(framework_dir.glob("*.ttl")) if framework_dir else framework_files()
    store = EmbeddedStore()
    load_sources(
        store,
        [
            Source(ONTOLOGY_GRAPH, tuple(ontology_files())),
            Source(SHAPES_GRAPH, tuple(shape_files())),
            Source(FRAMEWORK_GRAPH, tuple(files)),
        ],
    )
    return store


@main.command()
@framework_dir_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for machines.",
)
def stats(framework_dir: Path | None, output: str) -> None:
    """Count what the framework holds: items, translations, ESCO mappings, activities."""
    from .stats import framework_stats, render_text

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
    from .docs import build_site
    from .namespaces import LANGUAGES

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
    from .bundle import bundled_root
    from .spreadsheet import export_sheets

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
    from .bundle import bundled_root
    from .spreadsheet import apply_import, plan_import, render_plan

    plan = plan_import(source, framework_dir or bundled_root() / "framework")
    click.echo(render_plan(plan))
    if dry_run:
        click.echo("dry run: nothing written")
        return
    for path in apply_import(plan):
        click.echo(f"wrote {path}")


# Gaps and plans for trainer profiles (the same functions the REST API serves).

from .namespaces import LANGUAGES  # noqa: E402


def _read_json(path: Path) -> Any:
    """A JSON file; a syntax error names the file, line and column."""
    from .bundle import read_bytes
    from .errors import InputFileError

    try:
        return json.loads(read_bytes(path).decode("utf-8"))
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{path}:{exc.lineno}:{exc.colno}: {exc.msg}") from None


def _in_file(path: Path, exc: ReintegraError) -> ReintegraError:
    where = f"{path}: {exc.pointer}: " if exc.pointer else f"{path}: "
    return type(exc)(where + exc.message, pointer=exc.pointer)


def _catalogue(framework_dir: Path | None):
    from .catalogue import load_catalogue

    store = framework_store(framework_dir)
    try:
        return load_catalogue(store)
    finally:
        store.close()


@main.command("gaps")
@click.argument("profile_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of labels.",
)
@click.option(
    "--format", "output", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@framework_dir_option
def gaps_command(profile_file: Path, lang: str, output: str, framework_dir: Path | None) -> None:
    """Show a trainer profile's competence gaps against its roles."""
    from .gaps import compute_gaps
    from .justification import gaps_text

    profile = _read_json(profile_file)
    catalogue = _catalogue(framework_dir)
    try:
        answer = compute_gaps(profile, catalogue, lang=lang)
    except ReintegraError as exc:
        raise _in_file(profile_file, exc) from None
    click.echo(
        gaps_text(answer) if output == "text" else json.dumps(answer, indent=2, ensure_ascii=False)
    )


@main.command("recommend")
@click.argument("profile_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--batch",
    "batch_file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="JSON Lines of profiles ('-' for stdin); one plan per line.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of labels and justifications.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 20),
    default=5,
    show_default=True,
    help="Most activities in a plan.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="For one profile; --batch always writes JSON Lines.",
)
@click.option(
    "--filter-format",
    "formats",
    multiple=True,
    help="Only this delivery format, e.g. Online (repeatable).",
)
@click.option(
    "--country",
    "countries",
    multiple=True,
    help="Only activities in this country, e.g. IT (repeatable).",
)
@click.option("--start", help="Only activities from this date (YYYY-MM-DD).")
@click.option("--end", help="Only activities until this date (YYYY-MM-DD).")
@click.option("--today", help="Plan as on this date (YYYY-MM-DD) [default: today].")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr [default: when stderr is a terminal].",
)
@framework_dir_option
def recommend_command(
    profile_file: Path | None,
    batch_file: Path | None,
    lang: str,
    limit: int,
    output: str,
    formats: tuple[str, ...],
    countries: tuple[str, ...],
    start: str | None,
    end: str | None,
    today: str | None,
    progress: bool | None,
    framework_dir: Path | None,
) -> None:
    """Recommend an explained training plan for a profile, or for each line of --batch."""
    from datetime import date

    from .errors import BadRequest
    from .planner import recommend

    if (profile_file is None) == (batch_file is None):
        raise click.UsageError("give either PROFILE_FILE or --batch FILE")
    try:
        when = date.fromisoformat(today) if today else None
    except ValueError:
        raise BadRequest(f"--today {today!r} is not a date like 2027-01-31") from None
    filters = {"format": list(formats), "country": list(countries), "start": start, "end": end}
    catalogue = _catalogue(framework_dir)

    def plan(profile: Any) -> dict:
        return recommend(profile, catalogue, lang=lang, limit=limit, filters=filters, today=when)

    if profile_file is not None:
        profile = _read_json(profile_file)
        try:
            answer = plan(profile)
        except ReintegraError as exc:
            raise _in_file(profile_file, exc) from None
        click.echo(
            _plan_text(answer)
            if output == "text"
            else json.dumps(answer, indent=2, ensure_ascii=False)
        )
        return
    failed = _recommend_batch(batch_file, plan, progress)
    sys.exit(1 if failed else 0)


def _plan_text(answer: dict) -> str:
    from .justification import plan_text

    return plan_text(answer)


def _recommend_batch(batch_file: Path, plan, progress: bool | None) -> int:
    """One JSON line out per line in: the plan, or the error with its line number."""
    import orjson  # several times faster than json.dumps: the output would be the bottleneck
    from tqdm import tqdm

    stream = sys.stdin if str(batch_file) == "-" else None
    if stream is None:
        from .bundle import read_bytes

        lines = read_bytes(batch_file).decode("utf-8", errors="replace").splitlines()
    else:
        lines = stream.read().splitlines()
    import gc

    gc.freeze()  # the catalogue lives for the whole run: keep the collector from rescanning it
    out = sys.stdout
    done = failed = 0
    bar = tqdm(
        total=len(lines),
        unit="profile",
        file=sys.stderr,
        mininterval=0.5,
        disable=None if progress is None else not progress,
    )
    for number, line in enumerate(lines, start=1):
        bar.update(1)
        if not line.strip():
            continue
        try:
            try:
                profile = json.loads(line)
            except json.JSONDecodeError as exc:
                from .errors import InputFileError

                raise InputFileError(f"{batch_file}:{number}:{exc.colno}: {exc.msg}") from None
            record = {"line": number, **plan(profile)}
            done += 1
        except ReintegraError as exc:
            record = {"line": number, "error": exc.to_json()}
            failed += 1
        out.write(orjson.dumps(record).decode("utf-8") + "\n")
    bar.close()
    click.echo(f"{done} plans, {failed} errors", err=True)
    return failed
