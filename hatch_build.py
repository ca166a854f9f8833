"""Wheel build hook: compile the translations, so an installed wheel speaks every language.

The ``.mo`` files are not in git (they are built from the ``.po``), so git's ignore rules would
leave them out of the wheel; each one is compiled here and added to the wheel explicitly. The
compiler is loaded by path: it needs only Babel, not the package's other dependencies.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TranslationsBuildHook(BuildHookInterface):
    PLUGIN_NAME = "translations"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        path = root / "service" / "i18n" / "catalogues.py"
        spec = importlib.util.spec_from_file_location("_reintegra_catalogues", path)
        catalogues = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogues)
        locale_dir = root / "service" / "i18n" / "locale"
        for po in catalogues.po_files(locale_dir):
            mo = catalogues.compile_catalogue(po)
            build_data["force_include"][str(mo)] = mo.relative_to(root).as_posix()
