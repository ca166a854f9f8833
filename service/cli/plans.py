"""``reintegra gaps`` and ``reintegra recommend``: the same functions the REST API serves."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from service.cli.options import framework_dir_option, framework_store
from service.errors import ReintegraError
from service.namespaces import LANGUAGES
from service.planning.search import MAX_LIMIT


def _read_json(path: Path) -> Any:
    """A JSON file; a syntax error names the file, line and column."""
    from service.errors import InputFileError
    from service.store.bundle import read_bytes

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
    from service.catalogue import load_catalogue

    store = framework_store(framework_dir)
    try:
        return load_catalogue(store)
    finally:
        store.close()


@click.command("gaps")
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
    from service.planning.answers import gaps_text
    from service.planning.gaps import compute_gaps

    profile = _read_json(profile_file)
    catalogue = _catalogue(framework_dir)
    try:
        answer = compute_gaps(profile, catalogue, lang=lang)
    except ReintegraError as exc:
        raise _in_file(profile_file, exc) from None
    click.echo(
        gaps_text(answer) if output == "text" else json.dumps(answer, indent=2, ensure_ascii=False)
    )


@click.command("recommend")
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
    type=click.IntRange(1, MAX_LIMIT),
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

    from service.errors import BadRequest
    from service.planning.answers import recommend

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
    from service.planning.answers import plan_text

    return plan_text(answer)


def _recommend_batch(batch_file: Path, plan, progress: bool | None) -> int:
    """One JSON line out per line in: the plan, or the error with its line number."""
    import orjson  # several times faster than json.dumps: the output would be the bottleneck
    from tqdm import tqdm

    stream = sys.stdin if str(batch_file) == "-" else None
    if stream is None:
        from service.store.bundle import read_bytes

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
                from service.errors import InputFileError

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
