"""Compiling the gettext catalogues: each ``.po`` becomes the ``.mo`` that gettext reads.

The ``.mo`` files are build products and are not kept in git. They are written when the
package is installed or built (the Makefile and the wheel's build hook), and again by the
service and ``reintegra docs`` whenever one is missing or older than its ``.po``, so a fresh
clone works at once. This module needs only Babel, so the build hook can load it by path.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

log = logging.getLogger(__name__)


def po_files(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every translated catalogue, ``<lang>/LC_MESSAGES/messages.po``, by language."""
    return sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def is_stale(po: Path) -> bool:
    """True when the ``.mo`` beside ``po`` is missing or older than it."""
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalogue(po: Path, target: Path | None = None) -> Path:
    """Write the ``.mo`` of one ``.po`` (fuzzy entries are left out, as msgfmt does)."""
    target = target or po.with_suffix(".mo")
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name, domain=DOMAIN)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def compile_catalogues(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Compile every catalogue whose ``.mo`` is missing or stale; returns the files written."""
    return [compile_catalogue(po) for po in po_files(locale_dir) if force or is_stale(po)]


def ensure_compiled(locale_dir: Path = LOCALE_DIR) -> None:
    """Compile stale catalogues, or warn when the package folder cannot be written."""
    try:
        written = compile_catalogues(locale_dir)
    except OSError as exc:
        log.warning("cannot compile the translations in %s: %s", locale_dir, exc)
        return
    for path in written:
        log.info("compiled %s", path)
