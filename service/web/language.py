"""The language of a page: negotiated once per request, and the gettext words in it.

Flask-Babel reads the compiled catalogues of ``service.i18n``; its locale is the language
this module negotiates, so a page's ``lang`` attribute and its words always agree.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import Babel

from service.errors import BadRequest
from service.i18n import LANGUAGE_NAMES, negotiate_language
from service.i18n.catalogues import DOMAIN, LOCALE_DIR, ensure_compiled
from service.web.context import get_settings


def page_language() -> str:
    """The language a page is asked in; an unknown explicit ``lang`` is a 400."""
    return negotiate_language(
        request.args.get("lang"), request.accept_languages, get_settings()["default_language"]
    )


def interface_language() -> str:
    """The language of the interface words, which never fails: an error page needs one too."""
    try:
        return page_language()
    except BadRequest:
        return negotiate_language(
            None, request.accept_languages, get_settings()["default_language"]
        )


def language_link(code: str) -> str:
    """This page in another language: the same URL parameters (a query, an example) with
    ``lang`` changed, so switching language never loses what the visitor typed."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return "?" + urlencode([*args, ("lang", code)])


def _page_helpers() -> dict:
    return {"language_names": LANGUAGE_NAMES, "language_link": language_link}


def init_app(app: Flask) -> None:
    ensure_compiled()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(LOCALE_DIR)
    app.config["BABEL_DOMAIN"] = DOMAIN
    Babel(app, locale_selector=interface_language)
    app.context_processor(_page_helpers)
