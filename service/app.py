"""The application factory: settings, store and blueprints are wired here and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import error_pages
from .bundle import load_bundled
from .settings import load_settings
from .store import Store, open_store


def create_app(
    test_config: Mapping[str, Any] | None = None, *, store: Store | None = None
) -> Flask:
    """Build the service. ``test_config`` overrides settings; ``store`` injects an open store."""
    settings = load_settings(test_config)
    app = Flask(__name__, static_folder=None)  # each blueprint serves its own files
    app.config["REINTEGRA"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings["max_body_bytes"]
    app.json.sort_keys = False

    if store is None:
        store = open_store(settings)
        if settings["load_bundled"]:
            load_bundled(store)
    app.extensions["reintegra.store"] = store

    error_pages.init_app(app)

    from .web import home

    home.init_app(app)

    from . import api

    api.init_app(app)
    from .sparql import endpoint as sparql_endpoint

    sparql_endpoint.init_app(app)
    return app


def get_store(app: Flask | None = None) -> Store:
    """The store of the running app."""
    from flask import current_app

    return (app or current_app).extensions["reintegra.store"]


def get_settings(app: Flask | None = None) -> Mapping[str, Any]:
    from flask import current_app

    return (app or current_app).config["REINTEGRA"]
