"""The query page for browsers: an editor, the examples, results as a table, downloads.

The page runs the same checked query through the same workers as any client; it only turns
the SPARQL JSON (or N-Triples) answer into rows of cells with links.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from flask import render_template, request, url_for

from service.errors import ReintegraError
from service.i18n import negotiate_language
from service.namespaces import PREFIXES
from service.sparql.examples import example, examples
from service.web import negotiation

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "Query the framework",
        "it": "Interroga il quadro",
        "ro": "Interogați cadrul",
        "nl": "Het kader bevragen",
    },
    "intro": {
        "en": "Write a SPARQL 1.1 query, or start from an example. Only the public graphs are "
        "visible: the ontology, the shapes, the framework and the ESCO reference data.",
        "it": "Scrivi una query SPARQL 1.1 o parti da un esempio. Sono visibili solo i grafi "
        "pubblici: l'ontologia, le forme, il quadro e i dati di riferimento ESCO.",
        "ro": "Scrieți o interogare SPARQL 1.1 sau porniți de la un exemplu. Sunt vizibile doar "
        "grafurile publice: ontologia, formele, cadrul și datele de referință ESCO.",
        "nl": "Schrijf een SPARQL 1.1-query of begin met een voorbeeld. Alleen de openbare "
        "grafen zijn zichtbaar: de ontologie, de vormen, het kader en de "
        "ESCO-referentiedata.",
    },
    "examples": {"en": "Examples", "it": "Esempi", "ro": "Exemple", "nl": "Voorbeelden"},
    "load": {
        "en": "Load example",
        "it": "Carica esempio",
        "ro": "Încarcă exemplul",
        "nl": "Voorbeeld laden",
    },
    "run": {
        "en": "Run query",
        "it": "Esegui la query",
        "ro": "Rulează interogarea",
        "nl": "Query uitvoeren",
    },
    "results": {"en": "Results", "it": "Risultati", "ro": "Rezultate", "nl": "Resultaten"},
    "download": {
        "en": "Download as",
        "it": "Scarica come",
        "ro": "Descarcă în format",
        "nl": "Downloaden als",
    },
    "rows": {"en": "rows", "it": "righe", "ro": "rânduri", "nl": "rijen"},
    "truncated": {
        "en": "The answer was cut at the limit",
        "it": "La risposta è stata troncata al limite",
        "ro": "Răspunsul a fost tăiat la limită",
        "nl": "Het antwoord is bij de limiet afgebroken",
    },
    "error": {
        "en": "The query could not run",
        "it": "Impossibile eseguire la query",
        "ro": "Interogarea nu a putut rula",
        "nl": "De query kon niet worden uitgevoerd",
    },
    "true": {"en": "yes (true)", "it": "sì (true)", "ro": "da (true)", "nl": "ja (true)"},
    "false": {"en": "no (false)", "it": "no (false)", "ro": "nu (false)", "nl": "nee (false)"},
}


def _texts(lang: str) -> dict[str, str]:
    return {key: values.get(lang, values["en"]) for key, values in TEXT.items()}


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
    lang = negotiate_language(request.args.get("lang"), request.accept_languages)
    chosen = example(request.args.get("example", "")) if request.args.get("example") else None
    text = query if query is not None else (chosen.text if chosen else "")
    context: dict[str, Any] = {
        "lang": lang,
        "t": _texts(lang),
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
