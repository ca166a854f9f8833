"""The trial run of a change, inside a query worker: what would the public graphs become?

The public graphs are copied into an in-memory store, the update (or Graph Store request) is
applied to the copy only, and the differences are returned per graph, with the data the shapes
must check before and after. The live store never runs an editor's update text: it only
receives the computed differences, in one atomic update, after validation.
"""

from __future__ import annotations

import pyoxigraph as ox

from service.errors import BadRequest, PayloadTooLarge
from service.namespaces import ESCO_GRAPH, FRAMEWORK_GRAPH, PUBLIC_GRAPHS, SHAPES_GRAPH

GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}

# What the shapes check: the framework, and the ESCO concepts it points at.
VALIDATION_DATA = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ GRAPH <{FRAMEWORK_GRAPH}> {{ ?s ?p ?o }} }}
  UNION
  {{ GRAPH <{FRAMEWORK_GRAPH}> {{ ?x ?q ?s }} GRAPH <{ESCO_GRAPH}> {{ ?s ?p ?o }} }}
}}
"""


def _fill(copy: ox.Store, source) -> None:
    if isinstance(source, ox.Store):
        for graph in PUBLIC_GRAPHS:
            copy.bulk_extend(source.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        return
    for graph in PUBLIC_GRAPHS:
        data = source.query_raw(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
            "application/n-triples",
            default_graphs=[],
            named_graphs=[graph],
        )
        copy.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))


def _graph_quads(copy: ox.Store, graph: str) -> set[ox.Quad]:
    return set(copy.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def _ntriples(quads) -> bytes:
    data = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    return b"".join(sorted(data.splitlines(keepends=True)))


def _validation_data(copy: ox.Store) -> bytes:
    return ox.serialize(copy.query(VALIDATION_DATA), format=ox.RdfFormat.N_TRIPLES)


def _apply(copy: ox.Store, task: dict) -> None:
    op = task["op"]
    if op == "update":
        try:
            copy.update(task["text"], base_iri=task.get("base_iri"))
        except SyntaxError as exc:
            raise BadRequest(f"SPARQL update syntax error: {exc}", pointer="/update") from None
        return
    graph = ox.NamedNode(task["graph"])
    if op in ("put", "delete"):
        copy.remove_graph(graph)
    if op in ("put", "post"):
        try:
            copy.load(
                task["body"],
                format=GRAPH_FORMATS[task["media_type"]],
                base_iri=task["graph"],
                to_graph=graph,
            )
        except SyntaxError as exc:
            raise BadRequest(f"the {task['media_type']} body cannot be parsed: {exc}") from None


def compute_change(task: dict, source) -> dict:
    """Apply a change to a copy of the public graphs and describe the difference."""
    copy = ox.Store()
    _fill(copy, source)
    before = {graph: _graph_quads(copy, graph) for graph in PUBLIC_GRAPHS}
    before_data = _validation_data(copy)
    _apply(copy, task)
    public = {ox.NamedNode(g) for g in PUBLIC_GRAPHS}
    outside = sorted(
        {
            "the default graph" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
            for q in copy.quads_for_pattern(None, None, None, None)
            if q.graph_name not in public
        }
    )
    graphs = {}
    for graph in PUBLIC_GRAPHS:
        after = _graph_quads(copy, graph)
        added, removed = after - before[graph], before[graph] - after
        if not added and not removed:
            continue
        if len(added) + len(removed) > task["max_changed"]:
            raise PayloadTooLarge(
                f"the change touches {len(added) + len(removed)} triples of <{graph}>; "
                f"at most {task['max_changed']} may change at once"
            )
        bnodes = any(
            isinstance(term, ox.BlankNode)
            for q in added | removed
            for term in (q.subject, q.object)
        )
        subjects = sorted(
            {q.subject.value for q in added | removed if isinstance(q.subject, ox.NamedNode)}
        )
        graphs[graph] = {
            "added": _ntriples(added),
            "removed": _ntriples(removed),
            "added_count": len(added),
            "removed_count": len(removed),
            "subjects": subjects,
            "full": _ntriples(after) if bnodes else None,
        }
    shapes = _graph_quads(copy, SHAPES_GRAPH)
    return {
        "ok": True,
        "graphs": graphs,
        "outside": outside,
        "existed": bool(task.get("graph") and before.get(task["graph"])),
        "before_data": before_data,
        "after_data": _validation_data(copy),
        "shapes": _ntriples(shapes) if shapes else b"",
    }
