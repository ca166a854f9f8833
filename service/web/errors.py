"""One error shape: a JSON envelope for API clients, an HTML page for browsers.

Errors the user can act on (``ReintegraError`` and werkzeug's HTTP errors) keep their status;
anything else is a bug, logged with its traceback and answered with a plain 500.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from service.errors import ReintegraError


def wants_html() -> bool:
    """Browsers get pages; every other client gets the JSON envelope."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "text/html"
        and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]
    )


def error_response(status: int, code: str, message: str, **extra) -> Response:
    body = {"status": status, "code": code, "message": message, **extra}
    if wants_html():
        response = Response(
            render_template("error.html", error=body, lang=None),
            status=status,
            mimetype="text/html",
        )
    else:
        response = jsonify(body)
        response.status_code = status
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(ReintegraError)
    def _reintegra_error(exc: ReintegraError):
        body = exc.to_json()
        status = body.pop("status")
        return error_response(status, body.pop("code"), body.pop("message"), **body)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _bug(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "internal error; it has been logged")
