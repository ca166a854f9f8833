"""Where in the Turtle files an item is defined, so every problem can be reported as file:line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_PREFIX = re.compile(
    r"^\s*(?:@prefix\s+([\w.-]*):\s*<([^>]*)>\s*\.|PREFIX\s+([\w.-]*):\s*<([^>]*)>)", re.IGNORECASE
)
_SUBJECT = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w.-]*:[\w.\-%]*|:[\w.\-%]+)(?=\s|$|;|,)")


@dataclass(frozen=True)
class Location:
    file: str
    line: int


class SourceIndex:
    """The first line at which each IRI starts a statement, across a set of files."""

    def __init__(self) -> None:
        self._where: dict[str, Location] = {}

    def add_file(self, path: Path, text: str) -> None:
        prefixes: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            declared = _PREFIX.match(line)
            if declared:
                name = declared.group(1) if declared.group(1) is not None else declared.group(3)
                prefixes[name or ""] = declared.group(2) or declared.group(4) or ""
                continue
            match = _SUBJECT.match(line)
            if not match:
                continue
            token = match.group(1)
            if token.startswith("<"):
                iri = token[1:-1]
            else:
                prefix, _, local = token.partition(":")
                if prefix not in prefixes:
                    continue
                iri = prefixes[prefix] + local
            self._where.setdefault(iri, Location(str(path), number))

    def locate(self, iri: str | None) -> Location | None:
        return self._where.get(iri) if iri else None
