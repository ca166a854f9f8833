"""Editing one Turtle statement in place, token by token, in the layout its author chose.

A changed translation replaces just its literal; a new translation joins its predicate's list
with the separator that list already uses; a new predicate goes before the final '.'. Lines the
import does not change stay byte for byte. Statements with blank nodes or collections are not
edited here (the caller rewrites the whole block instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from service.namespaces import LANGUAGES

Pair = tuple[URIRef, Node]

_LOCAL_CHAR = r"(?:[\w\-]|%[0-9A-Fa-f]{2}|\\.)"
_NAME = (
    r"(?:[A-Za-z][\w.\-]*)?:"
    + _LOCAL_CHAR
    + r"*(?:(?:[\w.\-]|%[0-9A-Fa-f]{2}|\\.)*"
    + _LOCAL_CHAR
    + r")?|a\b|true\b|false\b"
)
_TOKEN = re.compile(
    r"""
    (?P<space>\s+|\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>(\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
       (?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:<[^>]*>|[A-Za-z][\w.\-]*:[\w\-]*(?:[\w.\-]*[\w\-])?))?)
  | (?P<number>[+-]?(?:\d*\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+))
  | (?P<name>{name})
  | (?P<punct>[,;.])
    """.replace("{name}", _NAME),
    re.VERBOSE,
)


@dataclass
class Token:
    kind: str
    start: int
    end: int


@dataclass
class Group:
    """One predicate of the statement and its objects (token positions in the text)."""

    verb: Token
    objects: list[Token]
    pairs: list[Pair]


def tokens(text: str) -> list[Token] | None:
    """The statement's tokens, or None when it uses syntax this editor does not handle."""
    found: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        if match.lastgroup != "space":
            found.append(Token(match.lastgroup or "", match.start(), match.end()))
        position = match.end()
    return found


def groups(text: str, pairs: Sequence[Pair]) -> tuple[list[Group], Token] | None:
    """Predicate groups aligned with the parsed pairs, and the final '.'; None if not simple."""
    found = tokens(text)
    if not found or found[-1].kind != "punct" or text[found[-1].start] != ".":
        return None
    body = found[1:-1]
    result: list[Group] = []
    index, k = 0, 0
    while index < len(body):
        verb = body[index]
        if verb.kind not in ("name", "iri"):
            return None
        index += 1
        objects: list[Token] = []
        while True:
            if index >= len(body) or body[index].kind == "punct":
                return None
            objects.append(body[index])
            index += 1
            if index < len(body) and text[body[index].start] == ",":
                index += 1
                continue
            break
        if k + len(objects) > len(pairs):
            return None
        result.append(Group(verb, objects, list(pairs[k : k + len(objects)])))
        k += len(objects)
        while index < len(body) and text[body[index].start] == ";":
            index += 1
    if k != len(pairs):
        return None
    return result, found[-1]


def _lang_rank(obj: Node) -> int:
    language = obj.language if isinstance(obj, Literal) else None
    return LANGUAGES.index(language) if language in LANGUAGES else len(LANGUAGES)


def _same_slot(a: Node, b: Node) -> bool:
    if isinstance(a, Literal) and isinstance(b, Literal):
        return (a.language or "") == (b.language or "")
    return isinstance(a, URIRef) and isinstance(b, URIRef)


def edit(
    text: str,
    pairs: Sequence[Pair],
    new: set[Pair],
    added: Sequence[Pair],
    term: Callable[[Node], str],
    name: Callable[[str], str],
) -> str | None:
    """The statement with its pairs changed to ``new``; None when it cannot be done in place."""
    layout = groups(text, pairs)
    if layout is None:
        return None
    parsed, final = layout
    multiline = "\n" in text
    separators = [text[g.objects[0].end : g.objects[1].start] for g in parsed if len(g.objects) > 1]
    default_separator = next((s for s in separators if "\n" in s), None) or (
        " ,\n        " if multiline else " , "
    )
    pending = [pair for pair in added if pair in new and pair not in pairs]
    edits: list[tuple[int, int, str]] = []
    for group in parsed:
        kept = [pair for pair in group.pairs if pair in new]
        gone = [pair for pair in group.pairs if pair not in new]
        replaced: dict[int, Pair] = {}
        for i, pair in enumerate(group.pairs):
            if pair in gone:
                match = next(
                    (c for c in pending if c[0] == pair[0] and _same_slot(c[1], pair[1])), None
                )
                if match is not None:
                    replaced[i] = match
                    pending.remove(match)
        extra = [c for c in pending if c[0] == group.pairs[0][0]]
        for pair in extra:
            pending.remove(pair)
        unreplaced = [p for i, p in enumerate(group.pairs) if p in gone and i not in replaced]
        if not extra and not unreplaced:
            for i, pair in replaced.items():
                token = group.objects[i]
                edits.append((token.start, token.end, term(pair[1])))
            continue
        objects = [
            replaced.get(i, pair)
            for i, pair in enumerate(group.pairs)
            if pair in kept or i in replaced
        ]
        for pair in extra:
            position = len(objects)
            for j, other in enumerate(objects):
                if _lang_rank(other[1]) > _lang_rank(pair[1]):
                    position = j
                    break
            objects.insert(position, pair)
        start, end = group.verb.start, group.objects[-1].end
        if not objects:
            edits.append(_drop_group(text, parsed, group))
            continue
        separator = (
            text[group.objects[0].end : group.objects[1].start]
            if len(group.objects) > 1
            else default_separator
        )
        if len(group.objects) == 1 and all(
            not (isinstance(o, Literal) and o.language) for _, o in objects
        ):
            separator = " , "
        verb_text = text[group.verb.start : group.objects[0].start]
        edits.append((start, end, verb_text + separator.join(term(o) for _, o in objects)))
    if pending:
        by_predicate: dict[URIRef, list[Node]] = {}
        for predicate, obj in pending:
            by_predicate.setdefault(predicate, []).append(obj)
        lead = " ;\n    " if multiline else " ; "
        addition = "".join(
            lead + name(str(p)) + " " + default_separator.join(term(o) for o in objects)
            for p, objects in by_predicate.items()
        )
        end_of_last = parsed[-1].objects[-1].end if parsed else final.start
        edits.append((end_of_last, end_of_last, addition))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _drop_group(text: str, parsed: list[Group], group: Group) -> tuple[int, int, str]:
    """Remove a whole predicate with its separator."""
    index = parsed.index(group)
    if index > 0:
        return (parsed[index - 1].objects[-1].end, group.objects[-1].end, "")
    if len(parsed) > 1:
        return (group.verb.start, parsed[1].verb.start, "")
    return (group.verb.start, group.objects[-1].end, "")
