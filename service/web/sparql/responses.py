"""Turning worker replies and refused changes into HTTP responses."""

from __future__ import annotations

import mimeparse
from flask import Response, request

from service.sparql.changes import ShapeViolations

_TEXT_TYPES = ("text/csv", "text/tab-separated-values", "text/turtle", "text/html")


def answer(reply: dict, media_type: str) -> Response:
    """A complete answer; a cut one says so in ``Reintegra-Truncated`` (and in SPARQL JSON)."""
    mimetype = media_type + ("; charset=utf-8" if media_type in _TEXT_TYPES else "")
    response = Response(reply["body"], status=200, content_type=mimetype)
    response.headers["Vary"] = "Accept"
    response.headers["Reintegra-Rows"] = str(reply["rows"])
    if reply["truncated"]:
        response.headers["Reintegra-Truncated"] = reply["truncated"]
        response.headers["Reintegra-Limit"] = str(reply["limit"])
    return response


def shape_violation_response(exc: ShapeViolations) -> Response:
    """422 with the SHACL report: Turtle when the client asks for it, else the JSON envelope."""
    accept = request.headers.get("Accept") or "application/json"
    try:
        best = mimeparse.best_match(["text/turtle", "application/json"], accept)
    except (mimeparse.MimeTypeParseException, ValueError, IndexError):
        best = "application/json"
    if best == "text/turtle":
        return Response(
            exc.report.to_turtle(), status=422, content_type="text/turtle; charset=utf-8"
        )
    raise exc
