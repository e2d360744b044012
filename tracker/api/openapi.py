"""The OpenAPI 3.1 document, written from the declared routes and the pydantic models.

Nothing here is typed twice: paths and methods come from ``framework.ROUTES`` (the same list
that registered the Flask routes), bodies and answers from the models' JSON Schemas.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from tracker.api.framework import ROUTES, RouteDoc, endpoint
from tracker.api.schemas import MAX_ID, Error

REF = "#/components/schemas/{model}"
TITLE = "Lombardy value-chain tracker API"

ERRORS = {
    400: "Malformed body (not JSON, not an object) or bad query parameters.",
    401: "Missing, unknown or revoked bearer token, or a deactivated user.",
    403: "The caller's role may not do this, or may not see this object.",
    404: "No such object.",
    409: "The trigger is not valid from the current state, the version is stale, or a duplicate.",
    413: "The body is larger than the server accepts.",
    415: "The body is not sent as application/json.",
    422: "A field is invalid (details.fields names each), or workflow conditions are unmet "
    "(details.unmet names each condition).",
}

_PARAM = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: ``/calls/<int(max=...):call_id>`` -> ``/calls/{call_id}``."""
    return _PARAM.sub(lambda m: "{" + m["name"] + "}", rule)


def _path_parameters(rule: str) -> list[dict[str, Any]]:
    out = []
    for m in _PARAM.finditer(rule):
        if m["converter"] == "int":
            schema: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        else:
            schema = {"type": "string", "maxLength": 50}
        out.append({"name": m["name"], "in": "path", "required": True, "schema": schema})
    return out


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _schema_of(response: Any) -> dict[str, Any]:
    if isinstance(response, list):
        return {"type": "array", "items": _ref(response[0])}
    if response is None:
        return {"type": "object"}
    return _ref(response)


def _error_codes(route: RouteDoc) -> list[int]:
    codes = set(route.errors)
    if not route.public:
        codes.add(401)
    if route.body is not None or route.upload:
        codes |= {400, 413, 415, 422}
    if "<" in route.rule:
        codes.add(404)
    return sorted(codes)


def _content_of(route: RouteDoc) -> dict[str, Any]:
    if route.status == 204:  # No Content
        return {}
    if route.media_type == "application/json":
        return {"content": {route.media_type: {"schema": _schema_of(route.response)}}}
    return {"content": {route.media_type: {"schema": {"type": "string", "format": "binary"}}}}


def _operation(route: RouteDoc) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.endpoint,
        "summary": route.summary,
        "tags": [route.tag],
        "responses": {
            str(route.status): {"description": route.summary} | _content_of(route),
            **{str(c): {"$ref": f"#/components/responses/Error{c}"} for c in _error_codes(route)},
        },
    }
    if route.description:
        op["description"] = route.description
    parameters = _path_parameters(route.rule) + [
        {"name": q.name, "in": "query", "required": False, "description": q.description,
         "schema": dict(q.schema)}
        for q in route.query
    ]  # fmt: skip
    if parameters:
        op["parameters"] = parameters
    if route.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(route.body)}},
        }
    if route.upload:
        op["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": [route.upload],
                        "properties": {route.upload: {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    if route.public:
        op["security"] = []
    return op


def build_document() -> dict[str, Any]:
    bodies = {r.body for r in ROUTES if r.body is not None}
    answers = {Error} | {
        (r.response[0] if isinstance(r.response, list) else r.response)
        for r in ROUTES
        if r.response is not None
    }
    _, top = models_json_schema(
        [(m, "validation") for m in sorted(bodies, key=lambda m: m.__name__)]
        + [(m, "serialization") for m in sorted(answers, key=lambda m: m.__name__)],
        ref_template=REF,
    )
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(openapi_path(route.rule), {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": "1.0.0",
            "description": (
                "Value-chain Expressions of Interest of the Lombardy Region as state machines. "
                "Authenticate with 'Authorization: Bearer <token>' (flask users token EMAIL). "
                'Errors are {"error": {"code", "message", "details"}}. Lists take '
                "?page=&per_page= (default 50, at most 200) and answer "
                "{items, page, per_page, total}."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": t} for t in dict.fromkeys(r.tag for r in ROUTES)],
        "paths": paths,
        "components": {
            "schemas": top.get("$defs", {}),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from 'flask --app wsgi users token EMAIL'.",
                }
            },
            "responses": {
                f"Error{code}": {
                    "description": text,
                    "content": {"application/json": {"schema": _ref(Error)}},
                }
                for code, text in ERRORS.items()
            },
        },
    }


_document: dict[str, Any] | None = None


@endpoint("GET", "/openapi.json", summary="This API's OpenAPI document", tag="meta", public=True)
def openapi_document():
    """Public: the OpenAPI 3.1 description of every route."""
    global _document
    if _document is None:
        _document = build_document()
    return _document
