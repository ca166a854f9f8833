"""Read-only copies of the embedded store for the query workers, refreshed after each write.

Only one process may open a RocksDB directory for writing, and reading a directory another
process writes to is undefined. So the workers read a snapshot: for an on-disk store a
``Store.backup()`` (hard links, cheap), for an in-memory store a small on-disk copy of the
public graphs. Every write through ``Store.update`` that may change a public graph bumps a
generation counter; the next query makes a new snapshot, and an old one is deleted once no
running query uses it. Writes to private graphs alone (profiles, tokens) leave it as it is.
Each process keeps its snapshots in a folder of its own, which names it as owner; the folders
of processes that were killed are removed the next time the service starts.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

import pyoxigraph as ox

from service.namespaces import PRIVATE_GRAPH, PUBLIC_GRAPHS
from service.store import EmbeddedStore, Store


class Generation:
    """Counts the writes that may have changed a store's public graphs."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self.value += 1


_VARIABLE_GRAPH = re.compile(r"\b(?:GRAPH|WITH|INTO|USING|TO)\s+[?$]", re.IGNORECASE)
_BULK = re.compile(
    r"\b(?:CLEAR|DROP|ADD|MOVE|COPY)\s+(?:SILENT\s+)?(?:ALL|NAMED|DEFAULT)\b", re.IGNORECASE
)
_DECLARATION = re.compile(r"\b(?:PREFIX\s+[^\s:]*:\s*<|BASE\s*<)", re.IGNORECASE)
_PRIVATE = "<" + PRIVATE_GRAPH


def may_change_public(update: str) -> bool:
    """False only for an update that names private graphs alone, by full IRI.

    The workers copy the public graphs, so a trainer saving a profile must not make them copy
    everything again. Every update the service itself runs names its graphs with full IRIs;
    anything else (a variable graph, ALL, a PREFIX or BASE that could spell a graph another
    way, a public graph anywhere in the text) counts as a change to the public graphs.
    """
    if _PRIVATE not in update:
        return True
    if any(p.search(update) for p in (_VARIABLE_GRAPH, _BULK, _DECLARATION)):
        return True
    return any(f"<{graph}>" in update for graph in PUBLIC_GRAPHS)


def watch(store: Store) -> Generation:
    """The store's public-write counter, installed once by wrapping ``update`` on this instance."""
    existing = store.__dict__.get("_sparql_generation")
    if existing is not None:
        return existing
    generation = Generation()
    original = store.update

    def update(text: str) -> None:
        try:
            original(text)
        finally:
            if may_change_public(text):
                generation.bump()

    store.update = update  # type: ignore[method-assign]
    store.__dict__["_sparql_generation"] = generation
    return generation


ROOT_PREFIX = ".reintegra-sparql-"
OWNER_FILE = "owner.pid"


def remove_abandoned(parent: Path) -> None:
    """Delete the snapshot folders of processes that are gone (killed, or a power cut).

    A folder is kept while the process named in its owner file runs, and when it has no
    owner file, since then there is no telling whose it is.
    """
    for root in parent.glob(ROOT_PREFIX + "*"):
        try:
            pid = int((root / OWNER_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if not _running(pid):
            shutil.rmtree(root, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as somebody else
        pass
    return True


class Snapshots:
    """The current snapshot directory of an embedded store, with reference counts."""

    def __init__(self, store: EmbeddedStore, generation: Generation):
        self.store = store
        self.generation = generation
        parent = store.path.parent if store.path is not None else None
        try:
            self.root = Path(tempfile.mkdtemp(prefix=ROOT_PREFIX, dir=parent))
        except OSError:
            self.root = Path(tempfile.mkdtemp(prefix=ROOT_PREFIX))
        (self.root / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
        remove_abandoned(self.root.parent)
        self._lock = threading.Lock()
        self._made = -1
        self._current: Path | None = None
        self._users: dict[Path, int] = {}
        self._count = 0

    def acquire(self) -> Path:
        """A snapshot as fresh as the last write; call ``release`` when done with it."""
        with self._lock:
            if self._current is None or self._made != self.generation.value:
                made = self.generation.value
                path = self._make()
                old, self._current, self._made = self._current, path, made
                if old is not None and not self._users.get(old):
                    self._drop(old)
            self._users[self._current] = self._users.get(self._current, 0) + 1
            return self._current

    def release(self, path: Path) -> None:
        with self._lock:
            self._users[path] -= 1
            if not self._users[path] and path != self._current:
                self._drop(path)

    def _make(self) -> Path:
        self._count += 1
        path = self.root / f"snapshot-{self._count}"
        raw = self.store.oxigraph
        if self.store.path is not None:
            raw.backup(str(path))
            return path
        copy = ox.Store(str(path))
        for graph in PUBLIC_GRAPHS:
            copy.bulk_extend(raw.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        copy.flush()
        del copy
        return path

    def _drop(self, path: Path) -> None:
        self._users.pop(path, None)
        shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            shutil.rmtree(self.root, ignore_errors=True)
            self._current = None
            self._users.clear()
