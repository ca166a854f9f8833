"""The RDF store: one interface, an embedded backend (pyoxigraph) and a remote one (SPARQL 1.1).

The store knows nothing of Flask or of the framework's meaning. Every write is one SPARQL
update, which both backends apply atomically, so a failed or interrupted write leaves the
previous state intact.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.store.base import Store, Term, ntriples_of, sparql_term
from service.store.embedded import EmbeddedStore
from service.store.remote import RemoteStore

__all__ = [
    "EmbeddedStore",
    "RemoteStore",
    "Store",
    "Term",
    "ntriples_of",
    "open_store",
    "sparql_term",
]


def open_store(settings: Mapping[str, Any]) -> Store:
    """Open the backend the settings name."""
    if settings["store"] == "remote":
        return RemoteStore(
            query_url=settings["remote_query_url"],
            update_url=settings["remote_update_url"] or settings["remote_query_url"],
            store_url=settings["remote_store_url"] or None,
            timeout_s=settings["remote_timeout_s"],
        )
    return EmbeddedStore(settings["data_dir"] or None)
