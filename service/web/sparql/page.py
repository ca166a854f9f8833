"""The query page for browsers: an editor, the examples, results as a table, downloads.

The page runs the same checked query through the same workers as any client; it only turns
the SPARQL JSON (or N-Triples) answer into rows of cells with links. Its words are gettext
messages in the template.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from flask import render_template, request, url_for

from service.errors import ReintegraError
from service.namespaces import PREFIXES
from service.sparql.examples import example, examples
from service.web import negotiation
from service.web.language import page_language


def _curie(iri: str) -> str:
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, prefix
    return f"{name}:{iri[len(best) :]}" if best else iri


def _cell(term: dict | None) -> dict[str, Any]:
    if term is None:
        return {"text": ""}
    if term["type"] == "uri":
        return {"text": _curie(term["value"]), "href": term["value"]}
    if term["type"] == "bnode":
        return {"text": "_:" + term["value"]}
    suffix = f" @{term['xml:lang']}" if "xml:lang" in term else ""
    return {"text": term["value"] + suffix, "lang": term.get("xml:lang")}


def _ox_cell(term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return _cell({"type": "uri", "value": term.value})
    if isinstance(term, ox.BlankNode):
        return _cell({"type": "bnode", "value": term.value})
    literal = {"type": "literal", "value": term.value}
    if term.language:
        literal["xml:lang"] = term.language
    return _cell(literal)


def table(kind: str, body: bytes) -> dict[str, Any]:
    """Rows of cells from a SPARQL JSON answer, or from N-Triples for a graph answer."""
    if kind == "graph":
        triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        return {
            "vars": ["subject", "predicate", "object"],
            "rows": [
                [_ox_cell(t.subject), _ox_cell(t.predicate), _ox_cell(t.object)] for t in triples
            ],
        }
    data = json.loads(body)
    if "boolean" in data:
        return {"boolean": data["boolean"]}
    names = data["head"]["vars"]
    return {
        "vars": names,
        "rows": [[_cell(row.get(n)) for n in names] for row in data["results"]["bindings"]],
    }


def render_page(
    run, kind: str | None, query: str | None, dataset_args: dict, error: str | None = None
) -> tuple[str, int]:
    """The page and its status; ``run(media_type)`` runs the query and returns the reply."""
    lang = page_language()
    chosen = example(request.args.get("example", "")) if request.args.get("example") else None
    text = query if query is not None else (chosen.text if chosen else "")
    context: dict[str, Any] = {
        "lang": lang,
        "examples": [e.localized(lang) for e in examples()],
        "chosen": chosen.id if chosen else "",
        "query": text,
        "result": None,
        "error": error,
        "downloads": [],
    }
    status = 200
    if query and kind and run is not None:
        try:
            media = negotiation.NTRIPLES if kind == "graph" else negotiation.JSON
            reply = run(media)
            context["result"] = {
                **table(kind, reply["body"]),
                "truncated": reply["truncated"],
                "count": reply["rows"],
            }
            context["downloads"] = [
                (
                    negotiation.LABELS[m],
                    url_for(
                        "sparql.endpoint",
                        query=query,
                        format=negotiation.SHORT_NAMES[m],
                        **dataset_args,
                    ),
                )
                for m in negotiation.downloads(kind)
            ]
        except ReintegraError as exc:
            context["error"] = exc.message
            status = exc.status
    return render_template("sparql/query.html", **context), status
