"""Every setting of the service, declared once: name with its unit, default and help text.

Values come from the defaults, then from environment variables ``REINTEGRA_<NAME>``, then from
command-line flags or a test configuration. Types are checked at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from service.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    type: type = str


SETTINGS: tuple[Setting, ...] = (
    Setting("host", "127.0.0.1", "Address the HTTP server listens on."),
    Setting("port", 8000, "Port the HTTP server listens on.", int),
    Setting(
        "data_dir",
        "data",
        "Directory of the embedded store; empty string keeps the store in memory.",
    ),
    Setting(
        "store", "embedded", "Store backend: 'embedded' (pyoxigraph) or 'remote' (SPARQL 1.1)."
    ),
    Setting("remote_query_url", "", "Remote store: SPARQL 1.1 Query endpoint URL."),
    Setting("remote_update_url", "", "Remote store: SPARQL 1.1 Update endpoint URL."),
    Setting("remote_store_url", "", "Remote store: Graph Store Protocol endpoint URL."),
    Setting("remote_timeout_s", 30, "Remote store: seconds to wait for an answer.", int),
    Setting("load_bundled", True, "Load the bundled ontology and framework at start.", bool),
    Setting("sparql_timeout_ms", 10_000, "Public SPARQL query time limit in milliseconds.", int),
    Setting("sparql_workers", 2, "Worker processes that run public SPARQL queries.", int),
    Setting("max_result_rows", 10_000, "Most rows a SPARQL query may return.", int),
    Setting("max_response_bytes", 16 * 1024 * 1024, "Largest SPARQL response in bytes.", int),
    Setting("max_body_bytes", 1024 * 1024, "Largest request body accepted, in bytes.", int),
    Setting("max_query_depth", 64, "Deepest nesting of groups allowed in a public query.", int),
    Setting("max_query_tokens", 10_000, "Most tokens a SPARQL query or update may have.", int),
    Setting("max_changed_triples", 50_000, "Most triples one SPARQL update may change.", int),
    Setting(
        "service_allowlist",
        "",
        "Space-separated endpoint IRIs that SPARQL SERVICE and LOAD may reach (empty: none).",
    ),
    Setting("default_language", "en", "Language used when the visitor asks for none."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def env_name(name: str) -> str:
    return "REINTEGRA_" + name.upper()


def _coerce(setting: Setting, value: Any, source: str) -> Any:
    if setting.type is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ConfigError(
            f"setting {setting.name} from {source}: {value!r} is not a boolean; use true or false"
        )
    if setting.type is int:
        if isinstance(value, bool):
            raise ConfigError(f"setting {setting.name} from {source}: expected a whole number")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(
                f"setting {setting.name} from {source}: {value!r} is not a whole number"
            ) from None
        if number < 0:
            raise ConfigError(f"setting {setting.name} from {source}: must not be negative")
        return number
    return str(value)


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Resolve every setting; unknown names and wrong types stop start-up with a hint."""
    environ = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    for setting in SETTINGS:
        key = env_name(setting.name)
        if key in environ:
            values[setting.name] = _coerce(setting, environ[key], f"environment variable {key}")
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            known = ", ".join(sorted(_BY_NAME))
            raise ConfigError(f"unknown setting {name!r}; known settings: {known}")
        if value is None:
            continue
        values[name] = _coerce(_BY_NAME[name], value, "configuration")
    if values["store"] not in ("embedded", "remote"):
        raise ConfigError(
            f"setting store: {values['store']!r} is not a backend; use 'embedded' or 'remote'"
        )
    if values["store"] == "remote" and not values["remote_query_url"]:
        raise ConfigError(
            "the remote store needs remote_query_url (and remote_update_url, remote_store_url); "
            f"set {env_name('remote_query_url')} or pass --remote-query-url"
        )
    return values
