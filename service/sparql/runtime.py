"""What the endpoint keeps per app: the worker pool, the snapshots and the write lock."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from service.sparql.guard import Limits, parse_allowlist
from service.sparql.snapshots import Snapshots, watch
from service.sparql.workers import QueryPool, client_timeout
from service.store import EmbeddedStore, RemoteStore, Store

logger = logging.getLogger(__name__)


class SparqlRuntime:
    """Runs public queries and trial changes in the workers, against fresh data."""

    def __init__(self, store: Store, settings: Mapping[str, Any]):
        self.store = store
        self.settings = settings
        self.timeout_s = settings["sparql_timeout_ms"] / 1000
        self.max_rows = settings["max_result_rows"]
        self.max_bytes = settings["max_response_bytes"]
        self.limits = Limits(
            max_depth=settings["max_query_depth"],
            max_tokens=settings["max_query_tokens"],
            allowlist=parse_allowlist(settings["service_allowlist"]),
        )
        self.generation = watch(store)
        self.snapshots = (
            Snapshots(store, self.generation) if isinstance(store, EmbeddedStore) else None
        )
        self.pool = QueryPool(settings["sparql_workers"], self.source)
        self.write_lock = threading.Lock()

    @contextmanager
    def source(self) -> Iterator[dict]:
        """Where a worker reads the data: a snapshot as fresh as the last write, or the server."""
        if self.snapshots is None:
            store = self.store
            assert isinstance(store, RemoteStore)
            yield {
                "kind": "remote",
                "query_url": store.query_url,
                "update_url": store.update_url,
                "store_url": store.store_url,
                "timeout_s": client_timeout(self.settings["sparql_timeout_ms"]),
            }
            return
        path = self.snapshots.acquire()
        try:
            yield {"kind": "snapshot", "path": str(path)}
        finally:
            self.snapshots.release(path)

    def query(
        self,
        query: str,
        media_type: str,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        base_iri: str | None = None,
    ) -> dict:
        """Run a checked public query; the reply holds body, rows and truncation."""
        with self.source() as source:
            reply = self.pool.run(
                {
                    "op": "query",
                    "query": query,
                    "media_type": media_type,
                    "default_graphs": list(default_graphs),
                    "named_graphs": list(named_graphs),
                    "base_iri": base_iri,
                    "max_rows": self.max_rows,
                    "max_bytes": self.max_bytes,
                    "source": source,
                },
                self.timeout_s,
            )
        reply["limit"] = self.max_rows if reply["truncated"] == "rows" else self.max_bytes
        return reply

    def trial(self, task: dict) -> dict:
        """Apply a change to a copy of the public graphs in a worker; call with write_lock held."""
        with self.source() as source:
            return self.pool.run(
                {**task, "source": source, "max_changed": self.settings["max_changed_triples"]},
                self.timeout_s,
            )

    def warm_up_soon(self) -> None:
        """Have the workers load the current data on a background thread, before queries
        arrive: after start-up, and after a public change."""

        def run() -> None:
            try:
                self.pool.warm_up()
            except Exception:  # the pool was closed meanwhile, or a worker failed to start
                logger.debug("warming up the query workers failed", exc_info=True)

        threading.Thread(target=run, name="sparql-warm-up", daemon=True).start()

    def close(self) -> None:
        self.pool.close()
        if self.snapshots is not None:
            self.snapshots.close()
