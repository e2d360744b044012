"""The OpenAPI document: valid, complete, and describing what the API really does."""

from __future__ import annotations

import re

import pytest
from apiclient import Api

from tracker.api.openapi import openapi_path

AUTOMATIC = {"HEAD", "OPTIONS"}


@pytest.fixture
def document(anonymous: Api) -> dict:
    r = anonymous.get("/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    return r.get_json()


def test_the_document_is_valid_openapi(document):
    # a dev dependency: until pyproject lists it, a machine without it skips only this check
    validate = pytest.importorskip("openapi_spec_validator").validate
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "/api/v1"}]


def test_every_route_is_described(app, document):
    served = {
        (openapi_path(rule.rule.removeprefix("/api/v1")), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - AUTOMATIC
    }
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert served == described
    assert len(served) >= 24
    # path parameters are declared, and named as in the path
    for path, ops in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for op in ops.values():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == names, path


def test_bodies_answers_errors_and_security_are_described(document):
    schemas = document["components"]["schemas"]
    create = document["paths"]["/applications"]["post"]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schemas[body_ref.rsplit("/", 1)[-1]]
    assert {"call_id", "title"} <= set(body["required"])
    assert set(body["properties"]) >= {
        "call_id", "title", "thematic_area", "concept_note", "lead_organisation_id",
        "requested_amount", "value_chain_id",
    }  # fmt: skip
    assert set(create["responses"]) >= {"201", "400", "401", "403", "413", "415", "422"}
    answer = schemas["ApplicationOut"]["properties"]
    assert {"available_transitions", "score", "version", "partners", "label"} <= set(answer)

    fire = document["paths"]["/applications/{application_id}/transitions"]["post"]
    assert set(fire["responses"]) >= {"200", "403", "404", "409", "422"}
    error = schemas["Error"]
    assert error["required"] == ["error"]
    assert document["components"]["responses"]["Error422"]["content"]["application/json"]

    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    public = {
        (path, method)
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        if op.get("security") == []
    }
    assert public == {
        ("/registry", "get"),
        ("/registry/{label_code}", "get"),
        ("/search", "get"),  # a token, when sent, is honoured (its user's applications)
        ("/openapi.json", "get"),
    }
    history = document["paths"]["/applications/{application_id}/history"]["get"]
    assert history["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    listing = document["paths"]["/applications"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "call_id",
        "state",
        "q",
        "page",
        "per_page",
    }


def test_operation_ids_are_unique(document):
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
