"""Settings are declared once, typed, and documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.errors import ConfigError
from service.settings import SETTINGS, load_settings

README = (Path(__file__).parent.parent / "README.md").read_text()


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_every_setting_is_documented_in_the_readme(setting):
    assert f"`{setting.name}`" in README


def test_environment_then_overrides():
    settings = load_settings(
        {"port": "9001"}, environ={"REINTEGRA_PORT": "9000", "REINTEGRA_HOST": "127.0.0.2"}
    )
    assert settings["port"] == 9001 and settings["host"] == "127.0.0.2"


def test_wrong_type_names_the_setting_and_source():
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"REINTEGRA_SPARQL_TIMEOUT_MS": "ten"})
    assert "sparql_timeout_ms" in info.value.message
    assert "REINTEGRA_SPARQL_TIMEOUT_MS" in info.value.message


def test_unknown_setting_is_refused():
    with pytest.raises(ConfigError, match="unknown setting 'prot'"):
        load_settings({"prot": 1}, environ={})


def test_remote_store_needs_its_url():
    with pytest.raises(ConfigError, match="remote_query_url"):
        load_settings({"store": "remote"}, environ={})
