"""Inspect a SPARQL request before any engine sees it.

pyoxigraph and SPARQL servers parse recursively (a few thousand nested groups crash the
process), open outbound connections for ``SERVICE`` and ``LOAD``, and accept any graph in
``FROM``. So every query and update is first read by this small lexical scanner, which never
recurses (``lexer.py``): it counts nesting and tokens; this module finds the operation and
collects ``SERVICE``, ``LOAD``, ``FROM``/``FROM NAMED`` targets and graph names, resolved
against ``PREFIX`` and ``BASE``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from service.errors import BadRequest
from service.sparql.lexer import IRI, NAME, PUNCT, WORD, position, tokenize

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = tuple("INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY WITH".split())

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_GLOBAL_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)

_GRAPH_KEYWORDS = tuple("GRAPH WITH INTO USING TO CLEAR DROP CREATE ADD MOVE COPY".split())


@dataclass
class Inspection:
    """What a request would do, as far as the guard needs to know."""

    operation: str  # "query" or "update"
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, or the first word of an update
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    graph_iris: list[str] = field(default_factory=list)  # IRIs right after GRAPH/WITH/INTO/…
    bulk_targets: list[str] = field(default_factory=list)  # ALL, NAMED, DEFAULT in updates
    depth: int = 0
    tokens: int = 0
    relative_iris: bool = False  # resolved against the endpoint's URL, on every backend


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_tokens: int
    allowlist: frozenset[str] = frozenset()


def decode_iri(raw: str) -> str:
    """The IRI of an ``<…>`` token, with ``\\u`` escapes decoded."""
    body = raw[1:-1]
    if "\\" not in body:
        return body
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


#: Texts up to this length are remembered: partners' tools send the same queries again and again.
CACHED_TEXT_CHARS = 8192


def inspect(text: str, limits: Limits) -> Inspection:
    """Read a query or update without running it; raise BadRequest for what must not run.

    The answer is shared between requests with the same text: treat it as read-only.
    """
    if len(text) <= CACHED_TEXT_CHARS:
        return _remembered(text, limits)
    return _inspect(text, limits)


@functools.lru_cache(maxsize=512)
def _remembered(text: str, limits: Limits) -> Inspection:
    return _inspect(text, limits)


def _inspect(text: str, limits: Limits) -> Inspection:
    if not text.strip():
        raise BadRequest("the query is empty", pointer="/query")
    result = _inspect_once(text, limits)
    if _UCHAR.search(text):
        # The SPARQL specification decodes \\u escapes before parsing; pyoxigraph does not.
        # Check the decoded reading as well so that no engine sees something we did not.
        decoded = _GLOBAL_ESCAPE.sub(_decode_global, text)
        other = _inspect_once(decoded, limits)
        result.services += other.services
        result.loads += other.loads
        result.from_graphs += [g for g in other.from_graphs if g not in result.from_graphs]
        result.from_named += [g for g in other.from_named if g not in result.from_named]
        result.graph_iris += other.graph_iris
        result.bulk_targets += other.bulk_targets
        if other.operation != result.operation:
            raise BadRequest(
                "the text reads as a query one way and as an update another way; "
                "write it without \\u escapes outside strings",
                pointer="/query",
            )
    return result


def _decode_global(match: re.Match) -> str:
    escape = match.group(1)
    if escape[0] in "uU" and len(escape) > 1:
        return chr(int(escape[1:], 16))
    return match.group(0)


class _Resolver:
    def __init__(self) -> None:
        self.base: str | None = None
        self.prefixes: dict[str, str] = {}

    def iri(self, token: tuple[str, str, int]) -> str | None:
        kind, value, _ = token
        if kind == IRI:
            iri = decode_iri(value)
            if self.base and not _SCHEME.match(iri):
                return urljoin(self.base, iri)
            return iri
        if kind == NAME:
            prefix, _, local = value.partition(":")
            if prefix in self.prefixes:
                return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return None


def _inspect_once(text: str, limits: Limits) -> Inspection:
    tokens, depth = tokenize(text, limits.max_depth, limits.max_tokens)
    form = next((t[1].upper() for t in _without_prologue(tokens) if t[0] == WORD), "")
    if form in QUERY_FORMS:
        operation = "query"
    elif form in UPDATE_WORDS:
        operation = "update"
    else:
        start = tokens[0][2] if tokens else 0
        raise BadRequest(
            f"expected SELECT, ASK, CONSTRUCT or DESCRIBE (or an update) at "
            f"{position(text, start)}",
            pointer="/query",
        )
    result = Inspection(operation=operation, form=form, depth=depth, tokens=len(tokens))
    result.relative_iris = any(
        kind == IRI and not _SCHEME.match(decode_iri(value)) for kind, value, _ in tokens
    )
    _collect(tokens, result, text)
    return result


def _without_prologue(tokens):
    """Tokens after the BASE and PREFIX declarations that open the text."""
    k = 0
    while k < len(tokens):
        upper = tokens[k][1].upper() if tokens[k][0] == WORD else ""
        if upper == "BASE":
            k += 2
        elif upper == "PREFIX":
            k += 3
        else:
            break
    return tokens[k:]


def _next_significant(tokens, k: int, skip: tuple[str, ...] = ("SILENT",)) -> int:
    while k < len(tokens) and tokens[k][0] == WORD and tokens[k][1].upper() in skip:
        k += 1
    return k


def _collect(tokens, result: Inspection, text: str) -> None:
    """Targets of SERVICE, LOAD, FROM and graph keywords, resolved with the BASE and PREFIX
    declarations in force where they appear (an update may redeclare them between operations).
    """
    resolver = _Resolver()
    for k, (kind, value, offset) in enumerate(tokens):
        if kind != WORD:
            continue
        upper = value.upper()
        following = tokens[k + 1] if k + 1 < len(tokens) else (PUNCT, "", offset)
        if upper == "BASE" and following[0] == IRI:
            resolver.base = resolver.iri(following)
        elif upper == "PREFIX" and following[0] == NAME and k + 2 < len(tokens):
            if tokens[k + 2][0] == IRI:
                resolver.prefixes[following[1].rstrip(":")] = resolver.iri(tokens[k + 2]) or ""
        elif upper == "SERVICE":
            j = _next_significant(tokens, k + 1)
            target = resolver.iri(tokens[j]) if j < len(tokens) else None
            if target is None:
                raise BadRequest(
                    f"SERVICE needs a fixed endpoint IRI (at {position(text, offset)})",
                    pointer="/query",
                )
            result.services.append(target)
        elif upper == "LOAD":
            j = _next_significant(tokens, k + 1)
            target = resolver.iri(tokens[j]) if j < len(tokens) else None
            result.loads.append(target or "")
        elif upper == "FROM":
            named = following[0] == WORD and following[1].upper() == "NAMED"
            j = k + 2 if named else k + 1
            target = resolver.iri(tokens[j]) if j < len(tokens) else None
            if target is None:
                raise BadRequest(
                    f"FROM needs a graph IRI (at {position(text, offset)})", pointer="/query"
                )
            (result.from_named if named else result.from_graphs).append(target)
        elif upper in _GRAPH_KEYWORDS:
            _graph_target(tokens, k, upper, resolver, result)


def _graph_target(tokens, k: int, keyword: str, resolver: _Resolver, result: Inspection) -> None:
    j = _next_significant(tokens, k + 1)
    if j < len(tokens) and tokens[j][0] == WORD:
        word = tokens[j][1].upper()
        if word in ("ALL", "NAMED", "DEFAULT") and keyword != "USING":
            result.bulk_targets.append(word)
            return
        if word in ("GRAPH", "NAMED"):
            j += 1
    if j < len(tokens) and tokens[j][0] in (IRI, NAME):
        iri = resolver.iri(tokens[j])
        iri = iri if iri is not None else tokens[j][1]
        if iri not in result.graph_iris:
            result.graph_iris.append(iri)


def check_targets(inspection: Inspection, allowlist: Iterable[str]) -> None:
    """Refuse SERVICE and LOAD targets that are not on the allowlist, before any connection."""
    allowed = set(allowlist)
    for target in inspection.services:
        if target not in allowed:
            raise BadRequest(
                f"SERVICE <{target}> is not allowed: this endpoint only federates with "
                f"{_listing(allowed)}",
                pointer="/query",
            )
    for target in inspection.loads:
        if target not in allowed:
            raise BadRequest(
                f"LOAD <{target}> is not allowed: only sources on the allowlist may be loaded "
                f"({_listing(allowed)})",
                pointer="/update",
            )


def _listing(allowed: set[str]) -> str:
    return ", ".join(f"<{a}>" for a in sorted(allowed)) if allowed else "no endpoints"


def parse_allowlist(setting: str) -> frozenset[str]:
    return frozenset(part for part in setting.split() if part)
