"""The versioned JSON API under ``/api/v1``: profiles, framework reads, gaps, plans, cohorts.

Routes live in one module per resource and attach themselves to the ``api`` blueprint; the
OpenAPI document that describes them is served at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from flask import Blueprint, Flask

PREFIX = "/api/v1"

api = Blueprint("api", __name__, url_prefix=PREFIX)


def init_app(app: Flask) -> None:
    from service.web.api import cohorts, framework_read, openapi, plans, profiles  # noqa: F401 - routes

    app.register_blueprint(api)
