"""The tokens of a SPARQL text, read in one pass that never recurses.

The guard needs to know what a request would do before any engine parses it, and engines
parse recursively (a few thousand nested groups crash pyoxigraph). This scanner reads the text
once, keeps a stack of open brackets instead of recursing, and stops with a 400 at the first
bracket past the depth limit or the first token past the token limit.

Where the text could be read two ways the scanner takes the reading that shows it more code:
an ``<`` that could be an IRI or a comparison is an IRI only where the grammar allows a term,
brackets inside IRIs are counted too, and an ambiguous ``<…>`` holding ``#`` or unbalanced
brackets is refused rather than guessed.
"""

from __future__ import annotations

import re

from service.errors import BadRequest

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
_CLOSERS = {"}": "{", ")": "(", "]": "["}


def position(text: str, offset: int) -> str:
    """``line:column`` (1-based) of an offset, for messages."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


class _Scanner:
    """One pass over the text: tokens with the context each ``<`` needs."""

    def __init__(self, text: str, max_depth: int, max_tokens: int):
        self.text = text
        self.depth_limit = max_depth
        self.token_limit = max_tokens
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
            if self.depth > self.depth_limit:
                raise self.fail(
                    offset,
                    f"the query nests groups, brackets or parentheses deeper than "
                    f"{self.depth_limit} levels",
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
        if self.depth + inner > self.depth_limit:
            raise self.fail(start, f"the query nests deeper than {self.depth_limit} levels")

    def scan(self) -> list[tuple[str, str, int]]:
        text, n, i = self.text, len(self.text), 0
        tokens, limit, match_at = self.tokens, self.token_limit, _MASTER.match
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
            if self.depth > self.depth_limit:
                raise self.fail(i, f"the query nests deeper than {self.depth_limit} levels")
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
        if len(self.tokens) > self.token_limit:
            raise self.fail(offset, f"the query has more than {self.token_limit} tokens; split it")


def _running_depth(body: str) -> int:
    depth = best = 0
    for char in body:
        if char in "([":
            depth += 1
            best = max(best, depth)
        elif char in ")]":
            depth -= 1
    return best if depth == 0 else depth


def tokenize(text: str, max_depth: int, max_tokens: int) -> tuple[list[tuple[str, str, int]], int]:
    """Tokens (kind, text, offset) and the deepest nesting, or a 400 saying where and why."""
    scanner = _Scanner(text, max_depth, max_tokens)
    tokens = scanner.scan()
    return tokens, scanner.max_depth
