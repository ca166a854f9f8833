"""Command-line options shared by the ``reintegra`` commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from service.settings import SETTINGS, env_name
from service.store import Store


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


@contextmanager
def opened_store(overrides: dict[str, Any]) -> Iterator[Store]:
    """The store the settings name, without loading the bundle, closed when the command ends."""
    from service.settings import load_settings
    from service.store import open_store

    store = open_store(load_settings({**overrides, "load_bundled": False}))
    try:
        yield store
    finally:
        store.close()


def framework_dir_option(func):
    return click.option(
        "--framework-dir",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        default=None,
        help="Folder of the framework's Turtle files [default: the bundled framework/].",
    )(func)


def framework_store(framework_dir: Path | None):
    """An in-memory store over the bundled ontology and shapes and a framework folder."""
    from service.namespaces import FRAMEWORK_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
    from service.store import EmbeddedStore
    from service.store.bundle import (
        Source,
        framework_files,
        load_sources,
        ontology_files,
        shape_files,
    )

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


report_format_option = click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for machines.",
)
