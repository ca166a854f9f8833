"""Rewriting one subject's block in a Turtle file and leaving every other byte alone.

Designers read and review the framework's Turtle files line by line, with comments and section
headers. An import therefore replaces only the statements of the subjects it changes, written
in the files' own style (``a`` first, one predicate a line, one object a line), keeps the
order of the predicates and of the translations, and puts a new item after the last statement
that mentions its parent (a new descriptor after its competence's descriptors).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from service.errors import InputFileError
from service.namespaces import LANGUAGES
from service.spreadsheet.statement import edit
from service.store.embedded import to_rdflib

Pair = tuple[URIRef, Node]

_DIRECTIVE = re.compile(r"(@prefix|@base|prefix|base)\b", re.IGNORECASE)
_PREFIX = re.compile(r"(?:@prefix|prefix)\s+([A-Za-z][\w.\-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOUBLE = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+$")


@dataclass
class Statement:
    start: int
    end: int
    directive: bool
    subject: Node | None = None
    pairs: list[Pair] = field(default_factory=list)
    mentions: set[Node] = field(default_factory=set)


def split_statements(text: str) -> list[tuple[int, int]]:
    """Spans of the top-level statements: from the first token to the closing '.' (or IRI)."""
    spans: list[tuple[int, int]] = []
    i, n, depth, start = 0, len(text), 0, None
    sparql_directive = False
    while i < n:
        c = text[i]
        if start is None:
            if c.isspace():
                i += 1
                continue
            if c == "#":
                end = text.find("\n", i)
                i = n if end < 0 else end + 1
                continue
            start = i
            sparql_directive = bool(re.match(r"(prefix|base)\b", text[i:], re.IGNORECASE))
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif c == "<":
            end = text.find(">", i)
            if end < 0:
                break
            i = end + 1
            if sparql_directive:
                spans.append((start, i))
                start, sparql_directive = None, False
        elif c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and text[i : i + len(quote)] != quote:
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
        elif c in "[(":
            depth += 1
            i += 1
        elif c in "])":
            depth -= 1
            i += 1
        elif (
            c == "." and depth == 0 and (i + 1 >= n or text[i + 1].isspace() or text[i + 1] == "#")
        ):
            spans.append((start, i + 1))
            start = None
            i += 1
        else:
            i += 1
    if start is not None and text[start:].strip():
        raise InputFileError("a Turtle statement is not closed with '.' at the end of the file")
    return spans


class TurtleFile:
    """One framework file: its text, its statements and the prefixes it declares."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.base = path.resolve().as_uri()
        self.prefixes: dict[str, str] = {}
        self.statements: list[Statement] = []
        self.header = ""
        header: list[str] = []
        for start, end in split_statements(text):
            chunk = text[start:end]
            if _DIRECTIVE.match(chunk):
                header.append(chunk)
                for name, iri in _PREFIX.findall(chunk):
                    self.prefixes[name] = iri
                self.statements.append(Statement(start, end, directive=True))
                continue
            statement = Statement(start, end, directive=False)
            self.header = "\n".join(header) + "\n"
            try:
                triples = self._parse(chunk)
            except SyntaxError as exc:
                line = text.count("\n", 0, start) + 1
                raise InputFileError(f"{path}:{line}: cannot read this statement: {exc}") from None
            subjects = [s for s, _, _ in triples if not isinstance(s, BNode)]
            statement.subject = subjects[0] if subjects else None
            statement.pairs = [(p, o) for s, p, o in triples if s == statement.subject]
            statement.mentions = {t for s, _, o in triples for t in (s, o) if isinstance(t, URIRef)}
            self.statements.append(statement)

    def _parse(self, chunk: str) -> list[tuple[Node, Node, Node]]:
        quads = ox.parse(
            (self.header + chunk).encode(), format=ox.RdfFormat.TURTLE, base_iri=self.base
        )
        return [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in quads]

    def _edit_in_place(self, statement: Statement, new: set[Pair], added: list[Pair]) -> str | None:
        """The statement edited token by token, if that yields exactly the new pairs."""
        chunk = self.text[statement.start : statement.end]
        edited = edit(chunk, statement.pairs, new, added, self.term, self.name)
        if edited is None:
            return None
        try:
            triples = self._parse(edited)
        except SyntaxError:
            return None
        if {(p, o) for s, p, o in triples if s == statement.subject} != new or any(
            s != statement.subject for s, _, _ in triples
        ):
            return None
        return edited

    # Writing terms as the files write them.

    def name(self, iri: str) -> str:
        """A prefixed name with the longest declared namespace, else the full IRI."""
        best: tuple[str, str] | None = None
        for prefix, namespace in self.prefixes.items():
            local = iri[len(namespace) :]
            if namespace and iri.startswith(namespace) and _LOCAL.match(local):
                if best is None or len(namespace) > len(best[1]):
                    best = (prefix, namespace)
        if best is None:
            return f"<{iri}>"
        return f"{best[0]}:{iri[len(best[1]) :]}"

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.name(str(node))
        if isinstance(node, Literal):
            lexical = str(node)
            quoted = (
                '"'
                + (
                    lexical.replace("\\", "\\\\")
                    .replace('"', '\\"')
                    .replace("\n", "\\n")
                    .replace("\r", "\\r")
                )
                + '"'
            )
            if node.language:
                return f"{quoted}@{node.language}"
            datatype = node.datatype
            if datatype is None or datatype == XSD.string:
                return quoted
            if (
                (datatype == XSD.integer and _INTEGER.match(lexical))
                or (datatype == XSD.decimal and _DECIMAL.match(lexical))
                or (datatype == XSD.double and _DOUBLE.match(lexical))
                or (datatype == XSD.boolean and lexical in ("true", "false"))
            ):
                return lexical
            return f"{quoted}^^{self.name(str(datatype))}"
        raise InputFileError(f"{self.path}: blank nodes cannot be rewritten by the import")

    def block(self, subject: Node, pairs: Sequence[Pair]) -> str:
        """A subject's statement in the files' style."""
        groups: dict[URIRef, list[Node]] = {}
        for predicate, obj in pairs:
            groups.setdefault(predicate, []).append(obj)
        parts = []
        for predicate, objects in groups.items():
            verb = "a" if predicate == RDF.type else self.name(str(predicate))
            parts.append(verb + " " + " ,\n        ".join(self.term(o) for o in objects))
        lines = [f"{self.term(subject)} {parts[0]}"] + [f"    {part}" for part in parts[1:]]
        return " ;\n".join(lines) + " ."

    # Rewriting.

    def rewrite(
        self,
        subjects: dict[Node, list[Pair]],
        added_order: dict[Node, list[Pair]],
        anchors: dict[Node, Node],
    ) -> str:
        """The file's text with each given subject's statements replaced by its new pairs.

        ``subjects`` maps a subject to the full, unordered set of its pairs in this file after
        the change; ``added_order`` lists the added pairs in the order they should appear;
        ``anchors`` names, for subjects new to the file, the item they are placed after.
        """
        edits: list[tuple[int, int, str]] = []
        for subject, new_pairs in subjects.items():
            own = [s for s in self.statements if not s.directive and s.subject == subject]
            if any(isinstance(o, BNode) for s in own for _, o in s.pairs):
                raise InputFileError(
                    f"{self.path}: {self.term(subject)} uses blank nodes, which the import "
                    "cannot rewrite; edit this item in the Turtle file"
                )
            old = [pair for s in own for pair in s.pairs]
            if len(own) == 1 and new_pairs:
                edited = self._edit_in_place(own[0], set(new_pairs), added_order.get(subject, []))
                if edited is not None:
                    edits.append((own[0].start, own[0].end, edited))
                    continue
            ordered = order_pairs(old, set(new_pairs), added_order.get(subject, []))
            if own:
                block = self.block(subject, ordered) if ordered else ""
                edits.append((own[0].start, own[0].end, block))
                for extra in own[1:]:
                    edits.append((self._line_start(extra.start), self._after(extra.end), ""))
                continue
            if not ordered:
                continue
            block = self.block(subject, ordered)
            anchor = anchors.get(subject)
            after = [s for s in self.statements if anchor is not None and anchor in s.mentions]
            if after:
                position = after[-1].end
                edits.append((position, position, "\n\n" + block))
            else:
                position = len(self.text.rstrip("\n"))
                edits.append((position, position, "\n\n" + block))
        text = self.text
        for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:start] + replacement + text[end:]
        return text if text.endswith("\n") else text + "\n"

    def _line_start(self, position: int) -> int:
        before = self.text.rfind("\n", 0, position)
        start = before + 1
        return start if not self.text[start:position].strip() else position

    def _after(self, position: int) -> int:
        """Through the end of the line, and one blank line after it."""
        end = self.text.find("\n", position)
        end = len(self.text) if end < 0 else end + 1
        if self.text[end : end + 1] == "\n":
            end += 1
        return end


def _slot(obj: Node) -> tuple[str, str]:
    if isinstance(obj, Literal):
        return ("literal", (obj.language or "").lower() if obj.language else "")
    return ("iri", "")


def _language_position(lang: str | None) -> int:
    return LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES)


def order_pairs(old: Sequence[Pair], new: set[Pair], added: Iterable[Pair]) -> list[Pair]:
    """New pairs in the old order; a changed value takes the place of the one it replaces."""
    pending = [pair for pair in added if pair in new and pair not in old]
    pending += sorted(
        (pair for pair in new if pair not in old and pair not in pending),
        key=lambda pair: (str(pair[0]), str(pair[1])),
    )
    result: list[Pair] = []
    for predicate, obj in old:
        if (predicate, obj) in new:
            if (predicate, obj) not in result:
                result.append((predicate, obj))
            continue
        for candidate in pending:
            if candidate[0] == predicate and _slot(candidate[1]) == _slot(obj):
                result.append(candidate)
                pending.remove(candidate)
                break
    for predicate, obj in pending:
        same = [i for i, (p, _) in enumerate(result) if p == predicate]
        if not same:
            result.append((predicate, obj))
            continue
        position = same[-1] + 1
        if isinstance(obj, Literal) and obj.language:
            mine = _language_position(obj.language)
            for i in same:
                other = result[i][1]
                if isinstance(other, Literal) and _language_position(other.language) > mine:
                    position = i
                    break
        result.insert(position, (predicate, obj))
    return result
