"""The home page and the health check."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Flask, jsonify, render_template, request

from service.catalogue import framework
from service.errors import StoreUnavailable
from service.i18n import LANGUAGE_NAMES, negotiate_language, ui
from service.web.context import get_settings, get_store

bp = Blueprint(
    "web", __name__, template_folder="templates", static_folder="static", static_url_path="/static"
)


def page_language() -> str:
    return negotiate_language(
        request.args.get("lang"), request.accept_languages, get_settings()["default_language"]
    )


def language_link(code: str) -> str:
    """This page in another language: the same URL parameters (a query, an example) with
    ``lang`` changed, so switching language never loses what the visitor typed."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return "?" + urlencode([*args, ("lang", code)])


@bp.app_context_processor
def _page_helpers():
    return {"ui": ui, "language_names": LANGUAGE_NAMES, "language_link": language_link}


@bp.get("/")
def home():
    lang = page_language()
    store = get_store()
    context = {
        "lang": lang,
        "strands": framework.strands(store, lang),
        "counts": framework.counts(store),
    }
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if best == "application/json":
        return jsonify(context)
    response = render_template("home.html", **context)
    return response, 200, {"Content-Language": lang, "Vary": "Accept, Accept-Language"}


@bp.get("/healthz")
def healthz():
    try:
        get_store().ask("ASK WHERE { ?s ?p ?o }")
    except StoreUnavailable as exc:
        return jsonify({"status": "unavailable", "store": exc.message}), 503
    return jsonify({"status": "ok"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
