"""Query workers: processes that run SPARQL under a time limit and can be killed.

pyoxigraph cannot cancel a query, so public queries (and the trial run of an update) go to a
small pool of worker processes. A worker that passes the time limit is killed and replaced
while the other workers keep answering; a worker that crashes (a pathological query the guard
did not foresee) is replaced the same way and the request gets an error, not the service.

Each worker runs its tasks on a thread with a large stack, so deep but legal queries do not
overflow, and reads either a read-only snapshot of the embedded store or the remote store.
This module imports neither Flask nor the web layer: workers load only what they use.
"""

from __future__ import annotations

import math
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pyoxigraph as ox

from service.errors import QueryTimeout, ReintegraError, StoreUnavailable
from service.namespaces import PREFIXES, PUBLIC_GRAPHS
from service.sparql.channel import Channel
from service.sparql.results import RDF_FORMATS, render

WORKER_STACK_BYTES = 256 * 1024 * 1024
LOAD_TIMEOUT_S = 300  # copying a large public dataset into a worker's memory
_ERRORS = {cls.__name__: cls for cls in ReintegraError.__subclasses__()}


# ---------------------------------------------------------------------------------------------
# Worker side


def worker_main(read_fd: int, write_fd: int) -> None:
    """Entry point of a worker process: serve tasks on a big-stack thread until the pipe closes."""
    threading.stack_size(WORKER_STACK_BYTES)
    conn = Channel(read_fd, write_fd)
    thread = threading.Thread(target=_serve, args=(conn,), name="sparql-worker")
    thread.start()
    thread.join()


def _serve(conn) -> None:
    state: dict[str, Any] = {}
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = _execute(task, state)
        except SyntaxError as exc:
            reply = {"error": "BadRequest", "message": f"SPARQL syntax error: {exc}"}
        except ReintegraError as exc:
            reply = {"error": type(exc).__name__, "message": exc.message}
        except OSError as exc:
            reply = {"error": "StoreUnavailable", "message": f"the store could not be read: {exc}"}
        except Exception as exc:  # a bug: reported to the parent, which logs it as a 500
            reply = {"error": "internal", "message": f"{type(exc).__name__}: {exc}"}
        conn.send(reply)


def _execute(task: dict, state: dict) -> dict:
    if task["op"] == "ping":
        if task.get("source"):
            source_store(task["source"], state)
        return {"ok": True}
    if task["op"] == "query":
        return _query(task, state)
    from service.sparql.changeset import compute_change

    return compute_change(task, source_store(task["source"], state))


def source_store(source: dict, state: dict):
    """The store a task reads: the public graphs of a snapshot, in memory, or the remote store.

    Reading RocksDB costs two to five times more than memory for the small lookups most
    queries make, so each worker copies the public graphs of a new snapshot into memory once
    and keeps them until the next snapshot. Private graphs never reach a worker's memory.
    """
    if source["kind"] == "snapshot":
        if state.get("path") != source["path"]:
            state.pop("store", None)
            state["store"] = public_copy(source["path"])
            state["path"] = source["path"]
        return state["store"]
    from service.store import RemoteStore

    return RemoteStore(
        source["query_url"],
        source["update_url"],
        source.get("store_url"),
        timeout_s=source["timeout_s"],
    )


def public_copy(path: str) -> ox.Store:
    """An in-memory store holding exactly the public graphs of the snapshot at ``path``."""
    snapshot = ox.Store.read_only(path)
    memory = ox.Store()
    for graph in PUBLIC_GRAPHS:
        memory.bulk_extend(snapshot.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    return memory


def _dataset(task: dict) -> dict:
    """Engine arguments for the task's dataset.

    A worker's copy holds the public graphs and nothing else, so the usual public dataset (all
    of them, as default and as named graphs) is the copy's union default graph and its own
    named graphs, which the engine evaluates faster than a list of graphs.
    """
    default, named = task["default_graphs"], task["named_graphs"]
    if sorted(default) == sorted(named) == sorted(PUBLIC_GRAPHS):
        return {"use_default_graph_as_union": True}
    return {
        "default_graph": [ox.NamedNode(g) for g in default],
        "named_graphs": [ox.NamedNode(g) for g in named],
    }


def _query(task: dict, state: dict) -> dict:
    store = source_store(task["source"], state)
    media = task["media_type"]
    if isinstance(store, ox.Store):
        result = store.query(task["query"], base_iri=task.get("base_iri"), **_dataset(task))
    else:
        graph_answer = media in RDF_FORMATS
        fetch = "application/n-triples" if graph_answer else "application/sparql-results+json"
        query = task["query"]
        if task.get("base_iri"):
            # Same line, so the server's syntax error positions stay right after line 1.
            query = f"BASE <{task['base_iri']}> {query}"
        data = store.query_raw(
            query,
            fetch,
            default_graphs=task["default_graphs"],
            named_graphs=task["named_graphs"],
        )
        if graph_answer:
            result = (q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        else:
            result = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    rendered = render(result, media, task["max_rows"], task["max_bytes"], PREFIXES)
    return {
        "ok": True,
        "body": rendered.body,
        "rows": rendered.rows,
        "truncated": rendered.truncated,
    }


# ---------------------------------------------------------------------------------------------
# Parent side


class _Worker:
    """One ``python -m service.sparql.workers`` process and its channel."""

    def __init__(self) -> None:
        to_child, from_parent = os.pipe()
        from_child, to_parent = os.pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(to_child), str(to_parent)],
            pass_fds=(to_child, to_parent),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        os.close(to_child)
        os.close(to_parent)
        self.conn = Channel(from_child, from_parent)

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.wait(timeout=5)
        finally:
            self.conn.close()


class QueryPool:
    """A fixed number of worker processes; each task gets one for at most ``timeout_s``.

    ``source`` (a context manager factory, see ``SparqlRuntime.source``) names the data a new
    worker loads before it takes any query, so that a worker started to replace a killed one
    never makes a query wait while it copies the data.
    """

    def __init__(self, size: int, source: Callable[[], AbstractContextManager[dict]] | None = None):
        self.size = max(1, size)
        self._source = source
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    def _start(self) -> None:
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
            fresh = [self._spawn() for _ in range(self.size)]
        self._offer(fresh)

    def _spawn(self) -> _Worker:
        worker = _Worker()
        self._all.add(worker)
        return worker

    def _offer(self, workers: list[_Worker]) -> None:
        """Have workers load the current data, then let queries have them."""
        if self._source is not None:
            workers = self._load(workers)
        for worker in workers:
            self._idle.put(worker)

    def _load(self, workers: list[_Worker], timeout_s: float = LOAD_TIMEOUT_S) -> list[_Worker]:
        """Send every worker the current source and wait; workers that fail are replaced."""
        assert self._source is not None
        ready = []
        with self._source() as source:
            for worker in workers:
                try:
                    worker.conn.send({"op": "ping", "source": source})
                except OSError:
                    self._replace(worker)
                    continue
                ready.append(worker)
            for worker in list(ready):
                try:
                    if not worker.conn.poll(timeout_s):
                        raise EOFError("the worker did not load the data in time")
                    worker.conn.recv()  # data that cannot be read is the next query's error
                except (EOFError, OSError):
                    ready.remove(worker)
                    self._replace(worker)
        return ready

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in the background, so the caller answers at once."""

        def replace() -> None:
            worker.kill()
            with self._lock:
                self._all.discard(worker)
                if self._closed:
                    return
                fresh = self._spawn()
            self._offer([fresh])

        threading.Thread(target=replace, name="sparql-worker-replace", daemon=True).start()

    def run(self, task: dict, timeout_s: float) -> dict:
        """Run a task; raise QueryTimeout past the limit, or the error the worker reported."""
        self._start()
        deadline = time.monotonic() + timeout_s
        try:
            worker = self._idle.get(timeout=timeout_s)
        except queue.Empty:
            raise QueryTimeout(
                f"all {self.size} query workers stayed busy for {timeout_s:g} s; try again later"
            ) from None
        try:
            worker.conn.send(task)
            if not worker.conn.poll(max(deadline - time.monotonic(), 0)):
                self._replace(worker)
                raise QueryTimeout(
                    f"the {'query' if task['op'] == 'query' else 'change'} ran past the time "
                    f"limit of {timeout_s:g} s and was stopped; narrow it down "
                    "(add LIMIT, restrict patterns) and try again"
                )
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise StoreUnavailable(
                "the query stopped the worker that ran it (too complex to evaluate); "
                "simplify it and try again"
            ) from None
        self._idle.put(worker)
        if "error" in reply:
            if reply["error"] not in _ERRORS:
                raise RuntimeError(f"query worker failed: {reply['message']}")
            raise _ERRORS[reply["error"]](reply["message"])
        return reply

    def warm_up(self, timeout_s: float = LOAD_TIMEOUT_S) -> None:
        """Start the workers, or have the idle ones load data that changed since they last ran."""
        self._start()
        taken: list[_Worker] = []
        try:
            for _ in range(self.size):
                taken.append(self._idle.get(timeout=timeout_s))
        except queue.Empty:
            pass
        finally:
            self._offer(taken)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()


def client_timeout(timeout_ms: int) -> int:
    """Seconds a remote-store client waits: just past our own limit, so ours fires first."""
    return max(1, math.ceil(timeout_ms / 1000) + 1)


if __name__ == "__main__":
    worker_main(int(sys.argv[1]), int(sys.argv[2]))
