"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify, render_template, request

from service.catalogue import framework
from service.errors import StoreUnavailable
from service.web.context import get_store
from service.web.language import page_language

bp = Blueprint(
    "web", __name__, template_folder="templates", static_folder="static", static_url_path="/static"
)


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
