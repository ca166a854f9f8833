"""Every SPARQL query and update of the package, one file each, read by name."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def query_text(name: str) -> str:
    """The text of ``rq/<name>.rq``."""
    return resources.files("service.rq").joinpath(f"{name}.rq").read_text(encoding="utf-8")
