"""The example queries shown to partners: ``service/rq/examples/*.rq`` with their own headers.

Each file starts with ``# title@<lang>: …`` and ``# description@<lang>: …`` lines in every
published language; the rest of the file is the query, runnable as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from service.i18n import pick

_HEADER = re.compile(r"#\s*(title|description)@([a-z]{2}):\s*(.+)")


@dataclass(frozen=True)
class Example:
    id: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    text: str

    def localized(self, lang: str) -> dict[str, str]:
        title, _ = pick(self.titles, lang)
        description, _ = pick(self.descriptions, lang)
        return {
            "id": self.id,
            "title": title or self.id,
            "description": description or "",
            "query": self.text,
        }


def parse_example(name: str, text: str) -> Example:
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if match:
            kind, lang, value = match.groups()
            (titles if kind == "title" else descriptions)[lang] = value.strip()
    return Example(id=name, titles=titles, descriptions=descriptions, text=text)


@cache
def examples() -> tuple[Example, ...]:
    """Every example query, by file name."""
    folder = resources.files("service.rq").joinpath("examples")
    found = [
        parse_example(entry.name.removesuffix(".rq"), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    ]
    return tuple(sorted(found, key=lambda e: e.id))


def example(name: str) -> Example | None:
    return next((e for e in examples() if e.id == name), None)
