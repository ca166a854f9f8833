"""Reading SPARQL protocol requests: parameters, bodies, dataset, CORS. Shared by the views."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, current_app, request

from service.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from service.namespaces import PUBLIC_GRAPHS, is_public_graph
from service.sparql.guard import Inspection
from service.sparql.runtime import SparqlRuntime

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
EXPOSED_HEADERS = "Reintegra-Truncated, Reintegra-Limit, Reintegra-Rows"


def runtime() -> SparqlRuntime:
    return current_app.extensions["reintegra.sparql"]


def check_query_string() -> None:
    """A GET carries its query in the URL; hold it to the same size limit as a body."""
    limit = current_app.config["REINTEGRA"]["max_body_bytes"]
    if len(request.query_string) > limit:
        raise PayloadTooLarge(f"the request URL is longer than {limit} bytes; POST the query")


def params(name: str) -> list[str]:
    """All values of a protocol parameter, from the URL and, for a form POST, the body."""
    values = request.args.getlist(name)
    if request.method == "POST" and request.mimetype == FORM:
        values += request.form.getlist(name)
    return values


def single(name: str) -> str | None:
    values = params(name)
    if len(values) > 1:
        raise BadRequest(f"give {name} once, not {len(values)} times", pointer=f"/{name}")
    return values[0] if values else None


def body_text(pointer: str) -> str:
    """The UTF-8 text of a direct POST; other charsets are refused (SPARQL 1.1 Protocol)."""
    charset = request.mimetype_params.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(
            f"the body is declared as {charset}; send it as UTF-8", pointer=pointer
        )
    data = request.get_data(cache=True)
    limit = current_app.config["REINTEGRA"]["max_body_bytes"]
    if len(data) > limit:
        raise PayloadTooLarge(f"the request body is larger than {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"the body is not valid UTF-8 (byte {exc.start}); send it as UTF-8", pointer=pointer
        ) from None


def public_dataset(
    inspection: Inspection, default_uris: Sequence[str], named_uris: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The dataset a public query reads; any graph that is not public is refused.

    Protocol parameters take precedence over FROM and FROM NAMED (SPARQL 1.1 Protocol 2.1.4);
    with neither, the default graph is the union of the public graphs and GRAPH sees only them.
    """
    for where, uris in (
        ("/default-graph-uri", default_uris),
        ("/named-graph-uri", named_uris),
        ("/query", inspection.from_graphs),
        ("/query", inspection.from_named),
    ):
        for uri in uris:
            if not is_public_graph(uri):
                raise BadRequest(
                    f"<{uri}> is not a public graph; the public graphs are "
                    f"{', '.join(f'<{g}>' for g in PUBLIC_GRAPHS)}",
                    pointer=where,
                )
    if default_uris or named_uris:
        return list(default_uris), list(named_uris)
    if inspection.from_graphs or inspection.from_named:
        return list(inspection.from_graphs), list(inspection.from_named)
    return list(PUBLIC_GRAPHS), list(PUBLIC_GRAPHS)


def add_cors(response: Response, methods: str) -> Response:
    """Any origin may read public answers; credentials are never allowed (no cookies here)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = methods
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
    response.headers.pop("Access-Control-Allow-Credentials", None)
    return response
