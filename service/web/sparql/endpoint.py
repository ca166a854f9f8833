"""``/sparql``: the SPARQL 1.1 Protocol query and update operations, and their companions.

GET or POST a query (``query=`` in the URL or a form, or an ``application/sparql-query``
body); POST an update with an editor token (``update=`` in a form, or an
``application/sparql-update`` body). With no query, an RDF client gets the Service
Description and a browser the query page. ``/sparql/store`` is the Graph Store Protocol,
``/sparql/history`` the change records of an item, ``/sparql/examples`` the example queries.
"""

from __future__ import annotations

import weakref

from flask import Blueprint, Flask, Response, jsonify, request

from service.errors import BadRequest, Forbidden, ReintegraError, UnsupportedMediaType
from service.i18n import negotiate_language
from service.namespaces import GRAPH, is_public_graph
from service.records.tokens import require_role
from service.sparql import description
from service.sparql.changes import ShapeViolations, apply_change
from service.sparql.examples import examples
from service.sparql.guard import Inspection, check_targets, inspect
from service.sparql.history import history_of
from service.sparql.runtime import SparqlRuntime
from service.web import negotiation
from service.web.context import get_settings, get_store
from service.web.sparql.graphstore import graph_store
from service.web.sparql.page import render_page
from service.web.sparql.protocol import (
    FORM,
    QUERY,
    UPDATE,
    add_cors,
    body_text,
    check_query_string,
    params,
    public_dataset,
    runtime,
    single,
)
from service.web.sparql.responses import answer, shape_violation_response

bp = Blueprint("sparql", __name__, template_folder="templates")

FORMS = {"SELECT": "results", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


@bp.after_request
def _cors(response: Response) -> Response:
    methods = "GET, HEAD, OPTIONS" if request.path.endswith("/store") else "GET, POST, OPTIONS"
    return add_cors(response, methods)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    query, update = _operation()
    if update is not None:
        return _update(update)
    if query is None:
        return _no_query()
    return _query(query)


def _operation() -> tuple[str | None, str | None]:
    """The query or the update of a request, read as the protocol says, never both."""
    if request.method == "GET":
        check_query_string()
        if params("update"):
            raise BadRequest("updates must be sent with POST, not GET", pointer="/update")
        return single("query"), None
    mimetype = request.mimetype
    if mimetype == FORM:
        query, update = single("query"), single("update")
        if query is not None and update is not None:
            raise BadRequest("send either query= or update=, not both")
        if query is None and update is None:
            raise BadRequest("the form has neither query= nor update=", pointer="/query")
        return query, update
    if mimetype == QUERY:
        return body_text("/query"), None
    if mimetype == UPDATE:
        return None, body_text("/update")
    raise UnsupportedMediaType(
        f"POST a query as {QUERY} or {FORM}, an update as {UPDATE}; "
        f"got {mimetype or 'no Content-Type'}"
    )


def checked(text: str, rt: SparqlRuntime) -> Inspection:
    inspection = inspect(text, rt.limits)
    check_targets(inspection, rt.limits.allowlist)
    return inspection


def _query(text: str):
    rt = runtime()
    accept, formats = request.headers.get("Accept"), params("format")
    html = _wants_page(accept, formats)
    default_uris, named_uris = params("default-graph-uri"), params("named-graph-uri")
    dataset_args = {"default-graph-uri": default_uris, "named-graph-uri": named_uris}
    try:
        inspection = checked(text, rt)
        if inspection.operation == "update":
            raise BadRequest(
                "this is an update; POST it as application/sparql-update (or update= in a "
                "form) with an editor token",
                pointer="/query",
            )
        kind = FORMS[inspection.form]
        default, named = public_dataset(inspection, default_uris, named_uris)
    except ReintegraError as exc:
        if html:
            return _page_error(text, exc)
        raise
    media = negotiation.HTML if html else negotiation.choose(kind, accept, formats)
    base = request.base_url if inspection.relative_iris else None
    if media == negotiation.HTML:
        page, status = render_page(
            lambda m: rt.query(text, m, default, named, base), kind, text, dataset_args
        )
        return _html(page, status)
    return answer(rt.query(text, media, default, named, base), media)


def _wants_page(accept: str | None, formats: list[str]) -> bool:
    """A browser asking for the page: text/html preferred, or ``format=html``."""
    if formats:
        return formats[0].lower() in ("html", "text/html")
    if not accept:
        return False
    try:
        return negotiation.choose("results", accept) == negotiation.HTML
    except ReintegraError:
        return False


def _page_error(text: str, exc: ReintegraError) -> Response:
    page, _ = render_page(None, None, text, {}, error=exc.message)
    return _html(page, exc.status)


def _html(page: str, status: int = 200) -> Response:
    lang = negotiate_language(request.args.get("lang"), request.accept_languages)
    response = Response(page, status=status, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Content-Language"] = lang
    return response


def _no_query():
    media = negotiation.choose("description", request.headers.get("Accept"), params("format"))
    if media == negotiation.HTML:
        return _html(*render_page(None, None, None, {}))
    rt = runtime()
    settings = rt.settings
    graph = description.service_description(
        request.base_url,
        rt.limits.allowlist,
        {
            "timeout_ms": settings["sparql_timeout_ms"],
            "rows": rt.max_rows,
            "bytes": rt.max_bytes,
            "depth": rt.limits.max_depth,
        },
    )
    response = Response(description.serialize(graph, media), content_type=media)
    response.headers["Vary"] = "Accept"
    return response


def _update(text: str):
    if request.method != "POST":
        raise BadRequest("updates must be sent with POST", pointer="/update")
    rt = runtime()
    principal = require_role(rt.store, request.headers.get("Authorization"), "editor")
    for name in ("using-graph-uri", "using-named-graph-uri"):
        if params(name):
            raise BadRequest(
                f"{name} is not supported; write USING or WITH in the update", pointer=f"/{name}"
            )
    inspection = checked(text, rt)
    if inspection.operation != "update":
        raise BadRequest("this is a query; send it as query=, not update=", pointer="/update")
    if inspection.bulk_targets:
        raise BadRequest(
            f"{inspection.form} {inspection.bulk_targets[0]} is not accepted: name the public "
            "graph to change",
            pointer="/update",
        )
    for iri in inspection.graph_iris:
        if iri.startswith(GRAPH) and not is_public_graph(iri):
            raise Forbidden(
                f"<{iri}> is a private graph; updates may change only the public graphs",
                pointer="/update",
            )
    try:
        outcome = apply_change(
            rt,
            principal,
            {"op": "update", "text": text, "base_iri": request.base_url},
            "sparql update",
        )
    except ShapeViolations as exc:
        return shape_violation_response(exc)
    return jsonify(outcome.to_json())


@bp.get("/sparql/history")
def item_history():
    """Every committed change that touched an item, newest first (editors only)."""
    rt = runtime()
    require_role(rt.store, request.headers.get("Authorization"), "editor")
    item = single("item")
    if not item or "://" not in item:
        raise BadRequest("give the item's full IRI as ?item=", pointer="/item")
    return jsonify({"item": item, "changes": history_of(rt.store, item)})


@bp.get("/sparql/examples")
def example_list():
    """The example queries with their title and description in the asked language."""
    lang = negotiate_language(
        request.args.get("lang"), request.accept_languages, get_settings()["default_language"]
    )
    return jsonify({"lang": lang, "examples": [e.localized(lang) for e in examples()]})


bp.add_url_rule(
    "/sparql/store", "graph_store", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]
)


def init_app(app: Flask) -> None:
    """Register the endpoint; its workers start on the first query and stop with the app."""
    rt = SparqlRuntime(get_store(app), get_settings(app))
    app.extensions["reintegra.sparql"] = rt
    weakref.finalize(app, rt.close)
    app.register_blueprint(bp)
