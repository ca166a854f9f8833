"""The OpenAPI document: valid OpenAPI 3.1, complete, and built from the schemas that run."""

from __future__ import annotations

import json
import re

from jsonschema import Draft202012Validator
from openapi_core.testing import MockRequest
from openapi_spec_validator import validate

from api_client import checker, sample_profile
from service.web.api import PREFIX
from service.web.api.bodies import schema_documents, validator
from service.web.api.openapi import component_name, document


def test_the_served_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = response.json
    assert served["openapi"].startswith("3.1")
    validate(served)
    assert served == json.loads(json.dumps(document()))


def _documented(doc: dict) -> set[tuple[str, str]]:
    methods = {"get", "post", "put", "delete", "patch"}
    return {
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in item
        if method in methods
    }


def test_every_route_is_documented_and_every_documented_route_exists(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.rule.startswith(PREFIX):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len(PREFIX) :])
            routes |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == _documented(document())


def test_every_body_schema_is_embedded_from_its_file():
    schemas = document()["components"]["schemas"]
    files = schema_documents()
    assert set(schemas) == {component_name(name) for name in files}
    for name, original in files.items():
        embedded = schemas[component_name(name)]
        assert "$id" not in embedded
        assert set(embedded.get("properties", {})) == set(original.get("properties", {}))
        assert set(embedded.get("$defs", {})) == set(original.get("$defs", {}))
        Draft202012Validator.check_schema(original)
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(document()))
    assert refs and all(ref.startswith("#/components/") for ref in refs)


def test_the_document_and_the_service_accept_and_refuse_the_same_bodies():
    """The profile schema in the document is the one the service validates with."""
    openapi = checker()
    bodies = [
        (sample_profile(), True),
        (sample_profile(country="Italy"), False),
        (sample_profile(roles=[]), False),
        ({**sample_profile(), "nickname": "Ana"}, False),
        (sample_profile(preferences={"max_hours": 0}), False),
        (sample_profile(availability=[{"start": "2027-02-30", "end": "2027-03-01"}]), False),
    ]
    for body, valid in bodies:
        served = validator("profile").is_valid(body)
        request = MockRequest(
            "http://localhost", "post", "/api/v1/gaps", data=json.dumps(body).encode()
        )
        documented = not list(openapi.iter_request_errors(request))
        assert served == documented == valid, body
