"""Choosing the visitor's language, picking texts in it, and the words of the interface.

The words people read on pages live in gettext catalogues under ``locale/`` (one ``.po`` per
language, from the ``messages.pot`` template); the framework's own texts live in the graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from babel.support import NullTranslations, Translations
from werkzeug.datastructures import LanguageAccept

from service.errors import BadRequest
from service.i18n.catalogues import DOMAIN, LOCALE_DIR, ensure_compiled
from service.namespaces import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_NAMES = {"en": "English", "it": "Italiano", "ro": "Română", "nl": "Nederlands"}


def negotiate_language(
    explicit: str | None, accept: LanguageAccept | None, default: str = DEFAULT_LANGUAGE
) -> str:
    """An explicit ``lang`` must be one we publish; Accept-Language falls back quietly."""
    if explicit:
        code = explicit.strip().lower()
        if code not in LANGUAGES:
            raise BadRequest(
                f"unknown language {explicit!r}; use one of {', '.join(LANGUAGES)}",
                pointer="/lang",
            )
        return code
    if accept:
        best = accept.best_match(LANGUAGES)
        if best:
            return best.split("-")[0].lower()
    return default


def check_language(lang: str) -> str:
    """A language code the service publishes in, or a 400 naming the parameter."""
    if lang not in LANGUAGES:
        raise BadRequest(
            f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}", pointer="/lang"
        )
    return lang


def pick(texts: Mapping[str, str], lang: str) -> tuple[str | None, str | None]:
    """The text in ``lang``, else English, else any; with the language actually used."""
    for code in (lang, DEFAULT_LANGUAGE, *sorted(texts)):
        if code in texts:
            return texts[code], code
    return None, None


@cache
def translations(lang: str) -> NullTranslations:
    """The interface words in ``lang`` (English, the source language, needs no catalogue).

    Catalogues are compiled first when their ``.mo`` is missing or older than the ``.po``.
    """
    check_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    ensure_compiled()
    return Translations.load(str(LOCALE_DIR), [lang], DOMAIN)
