"""Shared fixtures: stores over a small fixture framework, the app, and a real Oxigraph server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from service.app import create_app
from service.namespaces import FRAMEWORK_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from service.store import EmbeddedStore, RemoteStore
from service.store.bundle import Source, load_sources, ontology_files, shape_files

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
FIXTURE_FRAMEWORK = DATA / "framework"
SHARED = TESTS.parent.parent / "shared"
ESCO_DIR = SHARED / "esco"


def fixture_sources() -> list[Source]:
    """The real ontology and shapes with the small fixture framework."""
    return [
        Source(ONTOLOGY_GRAPH, tuple(ontology_files())),
        Source(SHAPES_GRAPH, tuple(shape_files())),
        Source(FRAMEWORK_GRAPH, tuple(sorted(FIXTURE_FRAMEWORK.glob("*.ttl")))),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def store():
    """A fresh in-memory store holding the ontology, shapes and fixture framework."""
    s = EmbeddedStore()
    load_sources(s, fixture_sources())
    yield s
    s.close()


@pytest.fixture
def app(store):
    return create_app({"data_dir": "", "load_bundled": False}, store=store)


@pytest.fixture
def client(app):
    return app.test_client()


def oxigraph_command() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server on 127.0.0.1; yields its base URL."""
    command = oxigraph_command()
    if command is None:
        pytest.fail("the oxigraph server command is missing; `make test` installs it")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [command, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query?query=ASK%7B%7D")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def remote_store(oxigraph_server):
    """An empty store on the Oxigraph server, cleared before each test."""
    s = RemoteStore(
        oxigraph_server + "/query", oxigraph_server + "/update", oxigraph_server + "/store"
    )
    s.update("DROP ALL")
    return s


@pytest.fixture(params=["embedded", "remote"])
def any_store(request):
    """An empty store of each backend, for tests that must hold for both."""
    if request.param == "embedded":
        s = EmbeddedStore()
        yield s
        s.close()
    else:
        yield request.getfixturevalue("remote_store")


def esco_available() -> bool:
    return (ESCO_DIR / "skills.csv").exists() and (ESCO_DIR / "occupations.csv").exists()


needs_esco = pytest.mark.skipif(
    not esco_available() or os.environ.get("REINTEGRA_NO_SHARED") == "1",
    reason="the ESCO reference extract is not beside the repository",
)


def chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """A headless Debian Chromium driven by Playwright, with no network of its own.

    CI installs Chromium (see .ci/run), so there a missing browser fails the run; on a
    developer's machine without it, the browser tests are skipped with the reason.
    """
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing; .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=executable,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser):
    tab = browser.new_page()
    yield tab
    tab.close()


@pytest.fixture
def live_server(app):
    """The app served by waitress on 127.0.0.1 (a free port); yields its base URL."""
    from api_client import served

    with served(app, threads=4) as base:
        yield base
