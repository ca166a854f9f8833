"""Choosing the response format: the ``format`` parameter first, then ``Accept`` with q-values.

Parsing ``Accept`` is left to python-mimeparse. Each kind of answer lists what it can produce;
aliases that clients send (``application/json`` from SPARQLWrapper, ``application/x-turtle``)
map to the canonical type we answer with.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import mimeparse

from service.errors import BadRequest, NotAcceptable

HTML = "text/html"
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
RDFXML = "application/rdf+xml"
JSONLD = "application/ld+json"

# For each kind of answer: (media type a client may ask for, what we send), least preferred
# first, because mimeparse breaks ties in favour of the later entry.
_SOLUTIONS: list[tuple[str, str]] = [
    (HTML, HTML),
    ("text/javascript", JSON),
    ("application/javascript", JSON),
    ("text/xml", XML),
    ("application/xml", XML),
    (TSV, TSV),
    (CSV, CSV),
    (XML, XML),
    ("application/json", JSON),
    (JSON, JSON),
]
_OFFERS: dict[str, list[tuple[str, str]]] = {
    "results": _SOLUTIONS,
    "boolean": _SOLUTIONS,
    "graph": [
        (HTML, HTML),
        ("application/x-json+ld", JSONLD),
        ("application/json", JSONLD),
        ("application/xml", RDFXML),
        ("text/xml", RDFXML),
        ("text/plain", NTRIPLES),
        ("text/n3", TURTLE),
        ("text/rdf+n3", TURTLE),
        ("application/n3", TURTLE),
        ("application/x-turtle", TURTLE),
        ("application/turtle", TURTLE),
        (JSONLD, JSONLD),
        (RDFXML, RDFXML),
        (NTRIPLES, NTRIPLES),
        (TURTLE, TURTLE),
    ],
}
_OFFERS["description"] = _OFFERS["graph"]

# Values of the ``format`` parameter, by kind of answer. SPARQLWrapper sends these names.
_NAMES: dict[str, dict[str, str]] = {
    "results": {"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV, "html": HTML},
    "graph": {
        "turtle": TURTLE,
        "ttl": TURTLE,
        "n3": TURTLE,
        "nt": NTRIPLES,
        "ntriples": NTRIPLES,
        "n-triples": NTRIPLES,
        "rdf": RDFXML,
        "xml": RDFXML,
        "rdf+xml": RDFXML,
        "rdfxml": RDFXML,
        "json-ld": JSONLD,
        "jsonld": JSONLD,
        "json": JSONLD,
        "html": HTML,
    },
}
_NAMES["boolean"] = _NAMES["results"]
_NAMES["description"] = _NAMES["graph"]

# Short names for download links, by canonical media type.
SHORT_NAMES = {
    JSON: "json",
    XML: "xml",
    CSV: "csv",
    TSV: "tsv",
    TURTLE: "turtle",
    NTRIPLES: "nt",
    RDFXML: "rdfxml",
    JSONLD: "jsonld",
}
LABELS = {
    JSON: "SPARQL JSON",
    XML: "SPARQL XML",
    CSV: "CSV",
    TSV: "TSV",
    TURTLE: "Turtle",
    NTRIPLES: "N-Triples",
    RDFXML: "RDF/XML",
    JSONLD: "JSON-LD",
}


def downloads(kind: str) -> list[str]:
    """Canonical media types a kind of answer can be downloaded in, most useful first."""
    seen: list[str] = []
    for _, media in reversed(_OFFERS[kind]):
        if media != HTML and media not in seen:
            seen.append(media)
    return seen


def choose(kind: str, accept: str | None, formats: Iterable[str] = ()) -> str:
    """The media type to answer with, or 406 naming what we can send."""
    return _choose(kind, accept, tuple(formats))


@lru_cache(maxsize=512)
def _choose(kind: str, accept: str | None, formats: tuple[str, ...]) -> str:
    # Clients send a handful of distinct Accept headers; parsing each once is enough.
    offers = _OFFERS[kind]
    canonical = {media for _, media in offers}
    for value in formats:
        value = value.strip()
        name = _NAMES[kind].get(value.lower())
        if name:
            return name
        for asked, media in offers:
            if value.lower() == asked:
                return media
    names = list(formats)
    if names and any(n.strip() for n in names):
        raise NotAcceptable(
            f"format {names[0]!r} is not available for this answer; use one of "
            f"{', '.join(sorted(k for k in _NAMES[kind] if k))}",
            pointer="/format",
        )
    header = (accept or "").strip() or "*/*"
    try:
        best = mimeparse.best_match([asked for asked, _ in offers], header)
    except (mimeparse.MimeTypeParseException, ValueError, IndexError):
        raise BadRequest(f"the Accept header {header!r} cannot be parsed") from None
    if not best:
        raise NotAcceptable(
            f"cannot answer in any type the Accept header allows ({header}); "
            f"available: {', '.join(sorted(canonical))}"
        )
    return dict(offers)[best]
