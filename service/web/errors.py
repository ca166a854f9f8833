"""One error shape: a JSON envelope for API clients, an HTML page for browsers.

Errors the user can act on (``ReintegraError`` and werkzeug's HTTP errors) keep their status;
anything else is a bug, logged with its traceback and answered with a plain 500. The page says
what the status means in the visitor's language; the envelope's message stays the API's own
(English) text, and the page shows it as a detail marked as English only when it is specific.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from service.errors import ReintegraError
from service.web.language import interface_language


def status_words(status: int) -> tuple[str, str]:
    """A short title and one sentence for a status, in the page's language."""
    words = {
        400: (
            gettext("Bad request"),
            gettext("The request holds something the service cannot use."),
        ),
        401: (gettext("Sign-in needed"), gettext("This address needs a valid access token.")),
        403: (gettext("Not allowed"), gettext("Your access token does not allow this.")),
        404: (
            gettext("Page not found"),
            gettext("There is no page at this address. Check it, or start from the home page."),
        ),
        405: (
            gettext("Method not allowed"),
            gettext("This address does not answer this kind of request."),
        ),
        406: (
            gettext("No suitable format"),
            gettext("This address cannot answer in any of the formats asked for."),
        ),
        413: (gettext("Request too large"), gettext("What was sent is larger than allowed.")),
        415: (
            gettext("Unsupported content type"),
            gettext("This address does not accept what was sent in this format."),
        ),
        422: (
            gettext("Not accepted"),
            gettext("What was sent is well formed but breaks the framework's rules."),
        ),
        500: (
            gettext("Something went wrong"),
            gettext("The error has been logged. Please try again later."),
        ),
        503: (
            gettext("Service unavailable"),
            gettext("The service cannot answer just now. Please try again later."),
        ),
    }
    return words.get(status) or (
        gettext("Error"),
        gettext("The request could not be completed."),
    )


def wants_html() -> bool:
    """Browsers get pages; every other client gets the JSON envelope."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "text/html"
        and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]
    )


def error_response(
    status: int, code: str, message: str, *, specific: bool = False, **extra
) -> Response:
    """The envelope, or a page for browsers; ``specific`` messages are shown on the page."""
    body = {"status": status, "code": code, "message": message, **extra}
    if wants_html():
        title, explanation = status_words(status)
        page = {"title": title, "explanation": explanation, "detail": specific}
        lang = interface_language()
        response = Response(
            render_template("error.html", error=body, page=page, lang=lang),
            status=status,
            mimetype="text/html",
        )
        response.headers["Content-Language"] = lang
        response.vary.add("Accept-Language")
    else:
        response = jsonify(body)
        response.status_code = status
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(ReintegraError)
    def _reintegra_error(exc: ReintegraError):
        body = exc.to_json()
        status = body.pop("status")
        return error_response(status, body.pop("code"), body.pop("message"), specific=True, **body)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _bug(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "internal error; it has been logged")
