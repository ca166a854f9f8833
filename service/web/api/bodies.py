"""Reading request bodies: content type, size, JSON syntax, then the JSON Schemas of ``schemas/``.

The schema files are the single description of every body: the same files validate requests
here and are embedded in the OpenAPI document. Every problem is reported with a JSON Pointer to
the field, so a client can show it next to the right input.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from flask import request
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from werkzeug.exceptions import RequestEntityTooLarge

from service.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType, ValidationFailed

SCHEMA_BASE = "https://w3id.org/reintegra/api/v1/schemas/"


@cache
def schema_documents() -> dict[str, dict[str, Any]]:
    """Every schema file by file name (``profile.json``)."""
    folder = resources.files("service.web.api").joinpath("schemas")
    return {
        entry.name: json.loads(entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    }


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (SCHEMA_BASE + name, Resource.from_contents(doc))
        for name, doc in schema_documents().items()
    )


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for ``schemas/<name>.json`` that also checks formats (dates)."""
    return Draft202012Validator(
        schema_documents()[f"{name}.json"], registry=_registry(), format_checker=FormatChecker()
    )


def json_pointer(parts: Any) -> str:
    """RFC 6901 pointer from path segments."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _problem(error: ValidationError) -> dict[str, str]:
    """One schema error as {pointer, message}, naming the field itself where the error is about
    a missing or unexpected field."""
    path = list(error.absolute_path)
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        missing = [name for name in error.validator_value if name not in instance]
        name = missing[0] if missing else ""
        return {"pointer": json_pointer([*path, name]), "message": f"'{name}' is required"}
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in instance if k not in allowed)
        name = extra[0] if extra else ""
        return {
            "pointer": json_pointer([*path, name]),
            "message": f"unknown field '{name}'; allowed fields: {', '.join(sorted(allowed))}",
        }
    pointer = json_pointer(path)
    if error.validator == "format" and error.validator_value == "date":
        message = f"{instance!r} is not a valid date; write it as YYYY-MM-DD"
    elif error.validator == "pattern" and error.schema.get("description"):
        message = f"{instance!r} is not valid here: {error.schema['description']}"
    elif error.validator == "type":
        message = f"must be of type {error.validator_value}, not {type(instance).__name__}"
    elif error.validator == "uniqueItems":
        message = "must not list the same value twice"
    else:
        message = error.message
    return {"pointer": pointer, "message": message}


def check(name: str, instance: Any) -> None:
    """Validate against ``schemas/<name>.json``; every problem is listed, the first one leads."""
    errors = sorted(validator(name).iter_errors(instance), key=_order)
    if not errors:
        return
    problems = [_problem(e) for e in errors]
    first = problems[0]
    raise ValidationFailed(
        f"{first['pointer'] or 'the body'}: {first['message']}",
        pointer=first["pointer"],
        details=problems,
    )


def _order(error: ValidationError) -> tuple:
    return (list(map(str, error.absolute_path)), error.validator)


def read_json(max_bytes: int) -> Any:
    """The request body as JSON: application/json, at most ``max_bytes``, well-formed."""
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        shown = request.content_type or "none"
        raise UnsupportedMediaType(
            f"the body must be JSON sent with 'Content-Type: application/json' (got {shown})"
        )
    if request.content_length is not None and request.content_length > max_bytes:
        raise PayloadTooLarge(_too_large(max_bytes))
    try:
        data = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise PayloadTooLarge(_too_large(max_bytes)) from None
    if len(data) > max_bytes:
        raise PayloadTooLarge(_too_large(max_bytes))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the body is not UTF-8 text (byte {exc.start})", pointer="") from None
    if not text.strip():
        raise BadRequest("the body is empty; send a JSON document", pointer="")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise BadRequest(
            f"the body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            pointer="",
        ) from None
    except RecursionError:
        raise BadRequest("the body nests too deeply to be read", pointer="") from None


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON, whatever Python's reader allows."""
    raise json.JSONDecodeError(f"{name} is not a JSON value", name, 0)


def _too_large(max_bytes: int) -> str:
    return f"the body is larger than the {max_bytes} bytes this service accepts (max_body_bytes)"
