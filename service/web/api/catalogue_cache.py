"""One catalogue per app, rebuilt only when the framework graph changes.

The planner's catalogue and the profile references are read from the graph once and kept in
``app.extensions``. The version they were built from is ``catalogue.catalogue_version`` (source
hashes and the newest committed edit, seen by every process sharing the store) plus a local
counter that ``framework_changed`` bumps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context

from service.catalogue import Catalogue, catalogue_version, load_catalogue
from service.records.profiles import FrameworkRefs, framework_refs
from service.store import Store
from service.web.context import get_store

T = TypeVar("T")

_KEY = "reintegra.api.framework"
_COUNTER = "reintegra.framework_version"
_REQUEST_KEY = "reintegra_framework_version"
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Loaded:
    """What was read from one version of the framework; more is built on first use."""

    version: tuple[str, int]
    refs: FrameworkRefs
    built: dict[str, Any] = field(default_factory=dict)


def framework_changed(app: Flask | None = None) -> None:
    """Call after committing a change to the framework graph, so the next request reloads."""
    app = app or current_app
    with _LOCK:
        app.extensions[_COUNTER] = app.extensions.get(_COUNTER, 0) + 1


def _version(app: Flask) -> tuple[str, int]:
    """Files loaded and edits committed (by any process sharing the store), local bumps.

    Read from the store once per request: a request sees one version of the framework, and
    on a remote store each check is a round trip.
    """
    local = app.extensions.get(_COUNTER, 0)
    if not has_request_context():
        return catalogue_version(get_store(app)), local
    seen = g.get(_REQUEST_KEY)
    if seen is None or seen[1] != local:
        seen = (catalogue_version(get_store(app)), local)
        setattr(g, _REQUEST_KEY, seen)
    return seen


def _current(app: Flask) -> Loaded:
    version = _version(app)
    loaded = app.extensions.get(_KEY)
    if loaded is not None and loaded.version == version:
        return loaded
    with _LOCK:
        loaded = app.extensions.get(_KEY)
        if loaded is None or loaded.version != version:
            loaded = Loaded(version, framework_refs(get_store(app)))
            app.extensions[_KEY] = loaded
    return loaded


def refs(app: Flask | None = None) -> FrameworkRefs:
    """The framework items profiles may name."""
    return _current(app or current_app).refs


def cached(name: str, build: Callable[[Store, FrameworkRefs], T], app: Flask | None = None) -> T:
    """``build(store, refs)`` once per framework version; the same object until it changes."""
    app = app or current_app
    loaded = _current(app)
    if name not in loaded.built:
        with _LOCK:
            if name not in loaded.built:
                loaded.built[name] = build(get_store(app), loaded.refs)
    return loaded.built[name]


def catalogue(app: Flask | None = None) -> Catalogue:
    """The planner's catalogue of the current framework."""
    return cached("catalogue", lambda store, _refs: load_catalogue(store), app)
