"""The application factory: settings, store and blueprints are wired here and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from service.settings import load_settings
from service.store import Store, open_store
from service.store.bundle import load_bundled
from service.web import errors as error_pages
from service.web import language


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

    language.init_app(app)
    error_pages.init_app(app)

    from service.web import home

    home.init_app(app)

    from service.web import api

    api.init_app(app)
    from service.web.sparql import endpoint as sparql_endpoint

    sparql_endpoint.init_app(app)
    return app
