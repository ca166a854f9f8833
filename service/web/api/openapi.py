"""The OpenAPI 3.1 document at ``/api/v1/openapi.json``, assembled from the files that run.

``openapi.json`` describes paths and parameters; every body schema in it is a reference to a
file in ``schemas/``, the same files the API validates requests with. Serving the document
embeds those files under ``components/schemas`` and points the references there, so the
document is self-contained and cannot drift from the validation.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from flask import jsonify

from service.web.api import api, bodies, params


def component_name(file_name: str) -> str:
    """``profile.json`` -> ``Profile``; ``responses.json`` -> ``Responses``."""
    return "".join(part.capitalize() for part in file_name.removesuffix(".json").split("_"))


def _rewrite(node: Any, current: str) -> Any:
    """Point file references (``profile.json``, ``#/$defs/x`` inside a file) at components."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _target(value, current)
            elif key in ("$id", "$schema") and current:
                continue
            else:
                out[key] = _rewrite(value, current)
        return out
    if isinstance(node, list):
        return [_rewrite(item, current) for item in node]
    return node


def _target(ref: str, current: str) -> str:
    file_part, _, fragment = ref.partition("#")
    if ref.startswith("#/components/") or (not file_part and not current):
        return ref
    file_name = file_part or current
    return f"#/components/schemas/{component_name(file_name)}{fragment}"


@cache
def document() -> dict[str, Any]:
    """The complete OpenAPI document (built once per process)."""
    text = resources.files("service.web.api").joinpath("openapi.json").read_text(encoding="utf-8")
    doc = _rewrite(json.loads(text), "")
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for file_name, schema in bodies.schema_documents().items():
        schemas[component_name(file_name)] = _rewrite(copy.deepcopy(schema), file_name)
    return doc


@api.get("/openapi.json")
def openapi_document():
    params.allow()
    return jsonify(document())
