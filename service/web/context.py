"""Request-scoped access to what the app factory wired: the store and the settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from service.store import Store


def get_store(app: Flask | None = None) -> Store:
    """The store of the running app."""
    from flask import current_app

    return (app or current_app).extensions["reintegra.store"]


def get_settings(app: Flask | None = None) -> Mapping[str, Any]:
    from flask import current_app

    return (app or current_app).config["REINTEGRA"]
