"""Serialising query answers under a row cap and a byte cap, inside a query worker.

Solutions are first written as SPARQL TSV, which holds exactly one solution per line and loses
nothing, while a writer counts lines and bytes and stops the engine once the caps are reached.
The kept lines are parsed back and written in the format the client asked for. An answer is
either complete or says that it was truncated and why; it is never cut mid-row.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
TSV = "text/tab-separated-values"
JSON = "application/sparql-results+json"


@dataclass
class Rendered:
    body: bytes
    rows: int
    truncated: str | None = None  # "rows" or "bytes" when the answer was cut short


class _Enough(Exception):
    """Raised inside the writer to stop the engine once the caps are reached."""


class _CappedLines:
    """A binary writer that keeps at most ``max_lines`` whole lines and ``max_bytes`` bytes."""

    def __init__(self, max_lines: int, max_bytes: int):
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.chunks: list[bytes] = []
        self.size = 0
        self.lines = 0
        self.stopped: str | None = None

    def write(self, data) -> int:
        if self.stopped:
            # The engine's buffered writer retries the refused chunk when it is dropped.
            raise _Enough
        data = bytes(data)
        self.chunks.append(data)
        self.size += len(data)
        self.lines += data.count(b"\n")
        if self.lines > self.max_lines:
            self.stopped = "rows"
            raise _Enough
        if self.size > self.max_bytes:
            self.stopped = "bytes"
            raise _Enough
        return len(data)

    def flush(self) -> None:
        return None

    def kept(self) -> list[bytes]:
        """Complete lines only, header included."""
        text = b"".join(self.chunks)
        lines = text.split(b"\n")
        complete = lines[:-1]  # whatever follows the last newline is a partial line
        return complete[: self.max_lines]


def render(
    result, media_type: str, max_rows: int, max_bytes: int, prefixes: dict[str, str] | None = None
) -> Rendered:
    """Serialise a pyoxigraph result (solutions, boolean or triples) within the caps."""
    if isinstance(result, ox.QueryBoolean):
        return Rendered(result.serialize(format=RESULT_FORMATS[media_type]), 1)
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, media_type, max_rows, max_bytes)
    return _triples(result, media_type, max_rows, max_bytes, prefixes)


def _solutions(
    result: ox.QuerySolutions, media_type: str, max_rows: int, max_bytes: int
) -> Rendered:
    writer = _CappedLines(max_rows + 1, max_bytes)
    try:
        result.serialize(output=writer, format=ox.QueryResultsFormat.TSV)
    except Exception:
        if writer.stopped is None:
            raise
    lines = writer.kept()
    truncated = writer.stopped
    header, rows = lines[0] if lines else b"", lines[1:]
    while True:
        body = _as(header, rows, media_type)
        if truncated:
            limit = max_rows if truncated == "rows" else max_bytes
            body = mark_truncated(body, media_type, truncated, limit)
        if len(body) <= max_bytes or not rows:
            return Rendered(body, len(rows), truncated)
        keep = min(len(rows) - 1, int(len(rows) * max_bytes / len(body) * 0.95))
        rows = rows[: max(keep, 0)]
        truncated = "bytes"


def _as(header: bytes, rows: list[bytes], media_type: str) -> bytes:
    tsv = b"\n".join([header, *rows]) + b"\n"
    if media_type == TSV:
        return tsv
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return parsed.serialize(format=RESULT_FORMATS[media_type])


def _triples(
    result, media_type: str, max_rows: int, max_bytes: int, prefixes: dict[str, str] | None
) -> Rendered:
    triples = list(islice(result, max_rows + 1))
    truncated = "rows" if len(triples) > max_rows else None
    triples = triples[:max_rows]
    fmt = RDF_FORMATS[media_type]
    options = {"prefixes": prefixes} if prefixes and fmt == ox.RdfFormat.TURTLE else {}
    while True:
        body = ox.serialize(triples, format=fmt, **options)
        if len(body) <= max_bytes or not triples:
            return Rendered(body, len(triples), truncated)
        keep = min(len(triples) - 1, int(len(triples) * max_bytes / len(body) * 0.95))
        triples = triples[: max(keep, 0)]
        truncated = "bytes"


def mark_truncated(body: bytes, media_type: str, truncated: str | None, limit: int) -> bytes:
    """Say so inside a SPARQL JSON answer too, as a top-level ``truncated`` member."""
    if not truncated or media_type != JSON or not body.startswith(b"{"):
        return body
    note = (
        b'{"truncated":{"reason":"'
        + truncated.encode()
        + b'","limit":'
        + str(limit).encode()
        + b"},"
    )
    return note + body[1:]
