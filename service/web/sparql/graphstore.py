"""SPARQL 1.1 Graph Store HTTP Protocol on ``/sparql/store`` (indirect graph identification).

Anyone may GET a public graph; PUT, POST and DELETE need an editor token, may only touch the
public graphs, and go through the same trial run, shape check and change record as updates.
"""

from __future__ import annotations

from flask import Response, jsonify, request

from service.errors import BadRequest, Forbidden, NotFound, PayloadTooLarge, UnsupportedMediaType
from service.namespaces import PUBLIC_GRAPHS, is_public_graph
from service.records.tokens import require_role
from service.sparql.changes import ShapeViolations, apply_change
from service.sparql.changeset import GRAPH_FORMATS
from service.web import negotiation
from service.web.sparql.protocol import params, runtime, single
from service.web.sparql.responses import answer, shape_violation_response

ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _target() -> str | None:
    """The graph a request names: an IRI with ?graph=, or None for ?default."""
    graph = single("graph")
    has_default = "default" in request.args
    if (graph is None) == (not has_default):
        raise BadRequest("name exactly one graph: ?graph=<IRI> or ?default", pointer="/graph")
    return graph


def graph_store():
    graph = _target()
    if request.method in ("GET", "HEAD"):
        return _read(graph)
    rt = runtime()
    principal = require_role(rt.store, request.headers.get("Authorization"), "editor")
    if graph is None:
        raise BadRequest(
            "the default graph is the read-only union of the public graphs; "
            "name the graph to change with ?graph=<IRI>",
            pointer="/default",
        )
    if not is_public_graph(graph):
        raise Forbidden(
            f"<{graph}> is not a public graph; only "
            f"{', '.join(f'<{g}>' for g in PUBLIC_GRAPHS)} may be edited",
            pointer="/graph",
        )
    task = {"op": request.method.lower(), "graph": graph}
    if request.method in ("PUT", "POST"):
        if request.mimetype not in GRAPH_FORMATS:
            raise UnsupportedMediaType(
                f"send the graph as one of {', '.join(sorted(GRAPH_FORMATS))}, "
                f"not {request.mimetype or 'a body without Content-Type'}"
            )
        body = request.get_data(cache=True)
        limit = rt.settings["max_body_bytes"]
        if len(body) > limit:
            raise PayloadTooLarge(f"the request body is larger than {limit} bytes")
        task.update(body=body, media_type=request.mimetype)
    try:
        outcome = apply_change(rt, principal, task, f"graph store {request.method}")
    except ShapeViolations as exc:
        return shape_violation_response(exc)
    if request.method == "DELETE" and not outcome.graphs:
        raise NotFound(f"the graph <{graph}> holds no triples")
    status = (
        201 if request.method in ("PUT", "POST") and outcome.created and outcome.graphs else 200
    )
    return jsonify(outcome.to_json()), status


def _read(graph: str | None) -> Response:
    if graph is not None and not is_public_graph(graph):
        raise NotFound(
            f"no public graph <{graph}>; the public graphs are "
            f"{', '.join(f'<{g}>' for g in PUBLIC_GRAPHS)}",
            pointer="/graph",
        )
    media = negotiation.choose("graph", request.headers.get("Accept"), params("format"))
    if media == negotiation.HTML:
        media = negotiation.TURTLE
    graphs = [graph] if graph else list(PUBLIC_GRAPHS)
    reply = runtime().query(ALL_TRIPLES, media, graphs, [])
    return answer(reply, media)
