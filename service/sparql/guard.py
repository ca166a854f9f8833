"""Inspect a SPARQL request before any engine sees it.

pyoxigraph and SPARQL servers parse recursively (a few thousand nested groups crash the
process), open outbound connections for ``SERVICE`` and ``LOAD``, and accept any graph in
``FROM``. So every query and update is first read by this small lexical scanner, which never
recurses: it counts nesting and tokens, finds the operation, and collects ``SERVICE``, ``LOAD``,
``FROM``/``FROM NAMED`` targets and graph names, resolved against ``PREFIX`` and ``BASE``.

Where the text could be read two ways the scanner takes the reading that shows it more code:
an ``<`` that could be an IRI or a comparison is an IRI only where the grammar allows a term,
brackets inside IRIs are counted too, and an ambiguous ``<…>`` holding ``#`` or unbalanced
brackets is refused rather than guessed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..errors import BadRequest

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = tuple("INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY WITH".split())

_START = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS = _START + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_NAME = re.compile(
    rf"(?:[{_START}_0-9:]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
)
_VAR = re.compile(rf"[?$][{_START}_0-9][{_START}_0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_IRI = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>")
_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\r\n]|\\.)*'"
    r'|"(?:[^"\\\r\n]|\\.)*"',
    re.S,
)
_NUMBER = re.compile(
    r"(?:\d+\.\d*[eE][+-]?\d+|\.\d+(?:[eE][+-]?\d+)?|\d+\.\d+|\d+(?:[eE][+-]?\d+)?)"
)
_LANGTAG = re.compile(r"@[A-Za-z][A-Za-z0-9\-]*")
_COMMENT = re.compile(r"#[^\r\n]*")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_GLOBAL_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)

IRI, STRING, VAR, NAME, WORD, NUMBER, LANGTAG, PUNCT = (
    "iri string var name word number langtag punct".split()
)
_MASTER = re.compile(
    "[ \t\r\n]*(?:"
    + "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in (
            ("end", r"\Z"),
            ("comment", _COMMENT.pattern),
            (STRING, _STRING.pattern),
            (VAR, _VAR.pattern),
            (LANGTAG, _LANGTAG.pattern),
            (NUMBER, _NUMBER.pattern),
            ("name", _NAME.pattern),
            ("lt", "<"),
            ("gtgt", ">>"),
            ("pair", r"\^\^|&&|\|\||!=|>="),
            ("escape", r"\\[\s\S]"),
            ("one", r"[\s\S]"),
        )
    )
    + ")",
    re.S,
)
_OPERAND_END = {IRI, STRING, VAR, NAME, NUMBER, LANGTAG}
_OPENERS = {"{": "}", "(": ")", "[": "]"}
_GRAPH_KEYWORDS = tuple("GRAPH WITH INTO USING TO CLEAR DROP CREATE ADD MOVE COPY".split())
_CLOSERS = {"}": "{", ")": "(", "]": "["}


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


def position(text: str, offset: int) -> str:
    """``line:column`` (1-based) of an offset, for messages."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def decode_iri(raw: str) -> str:
    """The IRI of an ``<…>`` token, with ``\\u`` escapes decoded."""
    body = raw[1:-1]
    if "\\" not in body:
        return body
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


class _Scanner:
    """One pass over the text: tokens with the context each ``<`` needs."""

    def __init__(self, text: str, limits: Limits):
        self.text = text
        self.limits = limits
        self.tokens: list[tuple[str, str, int]] = []
        self.depth = 0
        self.max_depth = 0
        self.stack: list[tuple[str, str, int]] = []  # (bracket, context, offset)

    def fail(self, offset: int, message: str) -> BadRequest:
        return BadRequest(f"{message} (at {position(self.text, offset)})", pointer="/query")

    def _context(self) -> str:
        return self.stack[-1][1] if self.stack else "top"

    def _open(self, char: str, offset: int) -> None:
        context = "group"
        if char == "(":
            context = self._paren_context()
        self.stack.append((char, context, offset))
        self.depth += 1
        if self.depth > self.max_depth:
            self.max_depth = self.depth
            if self.depth > self.limits.max_depth:
                raise self.fail(
                    offset,
                    f"the query nests groups, brackets or parentheses deeper than "
                    f"{self.limits.max_depth} levels",
                )

    def _paren_context(self) -> str:
        context = self._context()
        if context in ("top", "expr"):
            return "expr"
        if context == "triple":
            return "list"
        prev = self.tokens[-1] if self.tokens else None
        if prev and prev[0] == WORD and prev[1].upper() not in ("A", "VALUES"):
            return "expr"
        if (
            prev
            and prev[0] in (IRI, NAME)
            and len(self.tokens) > 1
            and self.tokens[-2][0] == WORD
            and self.tokens[-2][1].upper() == "FILTER"
        ):
            return "expr"
        return "list"

    def _close(self, char: str, offset: int) -> None:
        if not self.stack or self.stack[-1][0] != _CLOSERS[char]:
            raise self.fail(offset, f"unbalanced '{char}'")
        self.stack.pop()
        self.depth -= 1

    def _after_operand(self) -> bool:
        if not self.tokens:
            return False
        kind, value, _ = self.tokens[-1]
        if kind in _OPERAND_END:
            return True
        if kind == WORD and value.lower() in ("true", "false"):
            return True
        return kind == PUNCT and value in (")", "]", ">>")

    def _iri_span(self, start: int, match: re.Match) -> None:
        """Count brackets inside an IRI too: a parser that reads it as code must agree."""
        body = match.group(0)
        if "(" not in body and ")" not in body and "[" not in body and "]" not in body:
            return
        balance = {"(": 0, "[": 0}
        for char in body:
            if char in "([":
                balance[char] += 1
            elif char in ")]":
                balance[_CLOSERS[char]] -= 1
                if balance[_CLOSERS[char]] < 0:
                    break
        if any(balance.values()):
            raise self.fail(
                start,
                "an IRI with unbalanced brackets is not accepted; "
                "percent-encode them (%28, %29, %5B, %5D)",
            )
        inner = max(_running_depth(body), 0)
        if self.depth + inner > self.limits.max_depth:
            raise self.fail(start, f"the query nests deeper than {self.limits.max_depth} levels")

    def scan(self) -> list[tuple[str, str, int]]:
        text, n, i = self.text, len(self.text), 0
        tokens, limit, match_at = self.tokens, self.limits.max_tokens, _MASTER.match
        while i < n:
            match = match_at(text, i)
            kind = match.lastgroup
            if kind == "comment" or kind == "end":
                i = match.end()
                continue
            i = match.start(kind)
            if len(tokens) >= limit:
                raise self.fail(i, f"the query has more than {limit} tokens; split it")
            value = match.group(kind)
            if kind == "name":
                tokens.append((NAME if ":" in value else WORD, value, i))
            elif kind == "lt":
                i = self._angle(i)
                continue
            elif kind == "one":
                self._punct(value, i)
            elif kind == "gtgt":
                if self._context() == "triple":
                    self.stack.pop()
                    self.depth -= 1
                    tokens.append((PUNCT, ">>", i))
                else:
                    tokens.append((PUNCT, ">", i))
                    tokens.append((PUNCT, ">", i + 1))
            elif kind == "pair" or kind == "escape":
                # A backslash outside strings, IRIs and names is an engine error; keeping the
                # next character with it means it never starts a comment here.
                tokens.append((PUNCT, value, i))
            else:
                tokens.append((kind, value, i))
            i = match.end()
        if self.stack:
            bracket, _, offset = self.stack[-1]
            raise self.fail(offset, f"'{bracket}' is never closed")
        return self.tokens

    def _punct(self, char: str, i: int) -> None:
        if char in "\"'":
            raise self.fail(i, "unterminated string")
        if char in _OPENERS:
            self._open(char, i)
        elif char in _CLOSERS:
            self._close(char, i)
        self.tokens.append((PUNCT, char, i))

    def _angle(self, i: int) -> int:
        """``<`` starts an IRI where a term may stand, else it is a comparison."""
        text = self.text
        operator = self._context() == "expr" and self._after_operand()
        match = _IRI.match(text, i)
        if operator:
            if match and any(c in match.group(0) for c in "#()[]"):
                raise self.fail(i, "ambiguous '<': write spaces around comparison operators")
            if text.startswith("<=", i):
                self._push(PUNCT, "<=", i)
                return i + 2
            self._push(PUNCT, "<", i)
            return i + 1
        if text.startswith("<<", i):
            self.stack.append(("<<", "triple", i))
            self.depth += 1
            if self.depth > self.limits.max_depth:
                raise self.fail(i, f"the query nests deeper than {self.limits.max_depth} levels")
            self._push(PUNCT, "<<", i)
            return i + 2
        if match is None:
            self._push(PUNCT, "<", i)
            return i + 1
        self._iri_span(i, match)
        self._push(IRI, match.group(0), i)
        return match.end()

    def _push(self, kind: str, value: str, offset: int) -> None:
        self.tokens.append((kind, value, offset))
        if len(self.tokens) > self.limits.max_tokens:
            raise self.fail(
                offset, f"the query has more than {self.limits.max_tokens} tokens; split it"
            )


def _running_depth(body: str) -> int:
    depth = best = 0
    for char in body:
        if char in "([":
            depth += 1
            best = max(best, depth)
        elif char in ")]":
            depth -= 1
    return best if depth == 0 else depth


def tokenize(text: str, limits: Limits) -> tuple[list[tuple[str, str, int]], int]:
    """Tokens (kind, text, offset) and the deepest nesting, or a 400 saying where and why."""
    scanner = _Scanner(text, limits)
    tokens = scanner.scan()
    return tokens, scanner.max_depth


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
    tokens, depth = tokenize(text, limits)
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
