"""An API client that speaks as one user and checks every answer against the documented shape,
and small helpers the API tests share."""

from __future__ import annotations

import json as jsonlib
from typing import Any

import pytest
from pydantic import TypeAdapter
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.test import TestResponse

from tracker.api.framework import ROUTES
from tracker.api.schemas import Error

PREFIX = "/api/v1"
CONCEPT_NOTE = {
    "challenges": "Reuse white slag from electric-arc furnaces.",
    "needs": "Shared testing of slag-based binders.",
    "objectives": "Replace 30% of clinker in precast concrete by 2027.",
    "actions": "Pilot line in Brescia; certification; training.",
    "investments": "EUR 2.4M in crushing and curing equipment.",
}


def check_shape(app, method: str, path: str, response: TestResponse) -> None:
    """Every answer has the shape the OpenAPI document promises: errors the Error schema,
    successes their route's response model (models forbid unknown keys, so nothing is undocumented)."""
    body = response.get_json(silent=True)
    assert body is not None or response.status_code == 204, response.data[:200]
    if response.status_code >= 400:
        Error.model_validate(body)
        return
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path.split("?")[0], method=method)
    except (NotFound, MethodNotAllowed):  # pragma: no cover - a success on an unknown route
        pytest.fail(f"{method} {path} answered {response.status_code} but is no route")
    route = next(r for r in ROUTES if f"api.{r.endpoint}" == endpoint)
    assert response.status_code == route.status, (method, path, response.status_code)
    if isinstance(route.response, list):
        TypeAdapter(list[route.response[0]]).validate_python(body)
    elif route.response is not None:
        route.response.model_validate(body)


class Api:
    """``api.post("/applications", json=...)`` as the user holding ``token`` (or nobody)."""

    def __init__(self, app, token: str | None = None) -> None:
        self.app = app
        self.client = app.test_client()
        self.token = token

    def as_(self, token: str | None) -> Api:
        return Api(self.app, token)

    def request(self, method: str, path: str, json: Any = None, **kwargs) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}))
        if self.token is not None:
            headers = {"Authorization": f"Bearer {self.token}"} | headers
        if json is not None:
            kwargs["data"] = jsonlib.dumps(json)
            headers.setdefault("Content-Type", "application/json")
        response = self.client.open(PREFIX + path, method=method, headers=headers, **kwargs)
        check_shape(self.app, method, PREFIX + path, response)
        return response

    def get(self, path: str, **kw) -> TestResponse:
        return self.request("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw) -> TestResponse:
        return self.request("POST", path, json, **kw)

    def patch(self, path: str, json: Any = None, **kw) -> TestResponse:
        return self.request("PATCH", path, json, **kw)

    def put(self, path: str, json: Any = None, **kw) -> TestResponse:
        return self.request("PUT", path, json, **kw)

    def delete(self, path: str, **kw) -> TestResponse:
        return self.request("DELETE", path, **kw)


def error_of(response: TestResponse) -> dict:
    return response.get_json()["error"]


def unmet_conditions(response: TestResponse) -> dict[str, str]:
    return {u["condition"]: u["message"] for u in error_of(response)["details"]["unmet"]}


def new_application_body(call_id: int, **extra) -> dict:
    return {
        "call_id": call_id,
        "title": "Innovative and Sustainable Supply Chain in the Steel Industry",
        "thematic_area": "sustainability",
        "concept_note": CONCEPT_NOTE,
    } | extra
