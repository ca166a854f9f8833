"""A write interrupted by killing the process leaves the previous state intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from service.store import EmbeddedStore

G = "https://w3id.org/reintegra/graph/framework"

WRITER = textwrap.dedent(
    """
    import sys
    from service.store import EmbeddedStore
    store = EmbeddedStore(sys.argv[1])
    store.load_graph(sys.argv[2], '<http://127.0.0.1/old> <http://127.0.0.1/p> "kept" .\\n', "old")
    triples = "".join(
        f'<http://127.0.0.1/s{i}> <http://127.0.0.1/p> "new value {i}" .\\n' for i in range(600_000)
    )
    print("writing", flush=True)
    store.load_graph(sys.argv[2], triples, "new")
    print("done", flush=True)
    """
)


def test_killed_write_leaves_previous_state(tmp_path):
    data = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), G], stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout.readline().strip() == "writing"
    time.sleep(0.3)  # well inside the large write
    assert process.poll() is None, "the write finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)

    store = EmbeddedStore(data)
    try:
        triples = list(store.graph(G))
        assert [str(o) for _, _, o in triples] == ["kept"]
        assert store.source_hash(G) == "old"
    finally:
        store.close()


def test_store_survives_a_restart(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.load_graph(G, '<http://127.0.0.1/a> <http://127.0.0.1/p> "x" .\n', "h1")
    store.close()
    reopened = EmbeddedStore(tmp_path / "store")
    try:
        assert len(reopened.graph(G)) == 1 and reopened.source_hash(G) == "h1"
    finally:
        reopened.close()


def test_data_directory_that_cannot_be_created_is_one_clear_error(tmp_path):
    """Root may write anywhere, so block the directory with a file rather than permissions."""
    from click.testing import CliRunner

    from service.cli.commands import main

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data directory should go")
    result = CliRunner().invoke(main, ["load", "--data-dir", str(blocker / "store")])
    assert result.exit_code == 2
    assert f"cannot open the store in {blocker / 'store'}" in result.output
    assert "Traceback" not in result.output
