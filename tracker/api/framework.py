"""How an API route is declared, authenticated and fed: one decorator does the plumbing, so a
handler only picks the operation, commits and returns its answer model.

``@endpoint(...)`` registers the Flask route and records a ``RouteDoc`` from which
``tracker.api.openapi`` writes the OpenAPI document: the routes served and the routes described
are the same list.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask import Response, current_app, g, jsonify, request
from pydantic import BaseModel, TypeAdapter, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from tracker import querystring
from tracker.api import api
from tracker.errors import BadRequest, TrackerError, Unauthorized, ValidationFailed
from tracker.pagination import MAX_PAGE, PageRequest, page_request
from tracker.validation import MAX_ID, text_problem
from workflows.i18n import N_, term

if TYPE_CHECKING:
    from tracker.auth.models import User

ID = f"int(max={MAX_ID})"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UnsupportedMediaType(TrackerError):
    status, code = 415, "unsupported_media_type"


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})


PAGING = (
    QueryParam(
        "page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
    ),
    QueryParam(
        "per_page",
        "Items per page: 50 unless given, at most 200 (larger values are capped).",
        {"type": "integer", "minimum": 1},
    ),
)


@dataclass(frozen=True)
class RouteDoc:
    """One route as the OpenAPI document describes it."""

    method: str
    rule: str
    endpoint: str
    summary: str
    tag: str
    description: str = ""
    body: type[BaseModel] | None = None
    #: a pydantic model, ``[Model]`` for a bare JSON array, or None
    response: Any = None
    status: int = 200
    errors: tuple[int, ...] = ()
    query: tuple[QueryParam, ...] = ()
    public: bool = False
    #: a multipart/form-data body with one file under this name (instead of JSON)
    upload: str | None = None
    #: what a success answers when not JSON (the handler returns a Response)
    media_type: str = "application/json"


ROUTES: list[RouteDoc] = []


def endpoint(
    method: str,
    rule: str,
    *,
    summary: str,
    tag: str,
    description: str = "",
    body: type[BaseModel] | None = None,
    response: Any = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    query: tuple[QueryParam, ...] = (),
    public: bool = False,
    upload: str | None = None,
    media_type: str = "application/json",
) -> Callable:
    """Declare a route. The handler receives the path arguments, ``user`` (unless ``public``) and
    ``body`` (the validated ``body`` model, if any), and returns its answer: an instance of
    ``response`` (a list of them for ``[Model]``), sent as the model's JSON; a ``Response`` (a
    file); or, without ``response``, a plain JSON value."""
    answer_type = TypeAdapter(list[response[0]] if isinstance(response, list) else response)

    def register(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def view(**kwargs: Any):
            if not public:
                kwargs["user"] = authenticate()
            if body is not None:
                kwargs["body"] = parse_body(body)
            answer = fn(**kwargs)
            if isinstance(answer, Response):  # a file, not JSON
                return answer
            if response is None:
                return jsonify(answer), status
            # the declared model writes the JSON text itself, in one pass (no dict of it built
            # and encoded again); an answer that is not that model fails here, never unnoticed
            text = answer_type.dump_json(answer, warnings="error", ensure_ascii=True)
            return current_app.response_class(text + b"\n", status, mimetype="application/json")

        api.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=[method])
        ROUTES.append(
            RouteDoc(
                method=method, rule=rule, endpoint=fn.__name__, summary=summary, tag=tag,
                description=description or inspect.cleandoc(fn.__doc__ or ""), body=body,
                response=response, status=status, errors=tuple(errors), query=tuple(query),
                public=public, upload=upload, media_type=media_type,
            )
        )  # fmt: skip
        return fn

    return register


# --- authentication ---------------------------------------------------------------------------

#: how a bearer token names its user (``tracker.auth.operations.user_for_token``), given by
#: ``tracker.api.register_api``: the framework imports no domain
_token_user: Callable[[str], User | None] | None = None


def read_tokens_with(token_user: Callable[[str], User | None]) -> None:
    global _token_user
    _token_user = token_user


def authenticate() -> User:
    """The user of the request's bearer token, or 401."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        g.api_auth_error = "missing"
        raise Unauthorized(
            "This endpoint needs an API token: send 'Authorization: Bearer <token>'.",
            code="missing_token",
        )
    scheme, _, token = header.partition(" ")
    token = token.strip()
    user = _token_user(token) if scheme.lower() == "bearer" and 0 < len(token) <= 200 else None
    if user is None:
        g.api_auth_error = "invalid"
        raise Unauthorized(
            "The API token is not valid: unknown, expired, revoked, or its user is deactivated.",
            code="invalid_token",
        )
    # Committee membership is read afresh on every request, even when the same User object
    # outlives one (tests and scripts share a session across requests).
    user.__dict__.pop("committee_call_ids", None)
    g.api_user = user  # whom the answer is for (what it may show: tracker.api.schemas.Email)
    return user


# --- bodies -----------------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_body(model: type[BaseModel]) -> BaseModel:
    """The request's JSON object, validated by ``model``: 415 if not JSON, 400 if malformed or
    not an object, 422 naming each field whose type or shape is wrong."""
    if not request.is_json:
        raise UnsupportedMediaType(
            "Send the body as JSON with 'Content-Type: application/json'.",
            {"content_type": request.mimetype or None},
        )
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise BadRequest("The request body is empty: send a JSON object.", code="malformed_body")
    try:
        # floats as Decimal: 0.1 stays 0.1, and 1e400 stays a (refused) number, never infinity
        data = json.loads(raw, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError) as err:
        message = (
            str(err) if isinstance(err, json.JSONDecodeError) else term(N_("cannot be decoded"))
        )
        raise BadRequest(
            N_("The body is not valid JSON: %(problem)s.", problem=message), code="malformed_json"
        ) from None
    if not isinstance(data, dict):
        raise BadRequest(
            N_("The body must be a JSON object, not %(kind)s.", kind=_json_kind(data)),
            code="malformed_body",
        )
    if problems := _unstorable_text(data):
        raise ValidationFailed.fields(problems)
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ValidationFailed.fields(_field_problems(err)) from None


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return term(N_("an array"))
    if isinstance(value, str):
        return term(N_("a string"))
    if value is None:
        return "null"
    if isinstance(value, bool):
        return term(N_("a boolean"))
    return term(N_("a number"))


def _unstorable_text(value: Any, where: str = "") -> dict[str, str]:
    """Strings the text rule refuses (``validation.text_problem``: control characters, lone
    surrogates), found anywhere in the body, keys included: a 422 naming the field."""
    found: dict[str, str] = {}
    if isinstance(value, str):
        if problem := text_problem(value):
            found[where or "body"] = problem
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            found |= _unstorable_text(key, path) | _unstorable_text(item, path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found |= _unstorable_text(item, f"{where}[{i}]")
    return found


def _field_problems(err: ValidationError) -> dict[str, str]:
    problems: dict[str, str] = {}
    for e in err.errors(include_url=False):
        path = ""
        for part in e["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        # union members repeat the location with their type name: keep the field's own path
        path = path or "body"
        if e["type"] == "missing":
            message = N_("%(field)s is required.", field=path.rsplit(".", 1)[-1])
        elif e["type"] == "extra_forbidden":
            message = N_("Unknown field.")
        else:
            message = e["msg"] + "."
        problems.setdefault(path, message)
    return problems


# --- query strings ----------------------------------------------------------------------------


def query_text(name: str, *, max_len: int = 200) -> str | None:
    return querystring.query_text(request.args, name, max_len=max_len)


def query_id(name: str) -> int | None:
    return querystring.query_id(request.args, name)


def paging() -> PageRequest:
    """``?page=&per_page=`` through the shared parser."""
    return page_request(request.args)


# --- hooks ------------------------------------------------------------------------------------


@api.before_request
def _body_within_limit() -> None:
    """413 before anything reads the body; a chunked body is read up to the limit and no further."""
    if request.method not in WRITE_METHODS:
        return
    limit = request.max_content_length  # the app's, or a route's own (uploads)
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    body = request.get_data(cache=True)
    # A body without a length (chunked) is read up to the limit and silently cut there by
    # werkzeug; one more byte waiting behind the limit means it was too large.
    if (
        limit is not None
        and request.content_length is None
        and len(body) >= limit
        and request.environ["wsgi.input"].read(1)
    ):
        raise RequestEntityTooLarge()


@api.after_app_request
def _api_headers(response):
    """Headers the HTTP meaning of some API errors requires (the dispatcher renders the body)."""
    if not request.path.startswith(api.url_prefix + "/") and request.path != api.url_prefix:
        return response
    if response.status_code == 401:
        challenge = 'Bearer realm="tracker"'
        if g.get("api_auth_error") == "invalid":
            challenge += ', error="invalid_token"'
        response.headers["WWW-Authenticate"] = challenge
    elif response.status_code == 405 and "Allow" not in response.headers:
        adapter = current_app.url_map.bind_to_environ(request.environ)
        response.headers["Allow"] = ", ".join(sorted(adapter.allowed_methods()))
    response.headers.setdefault("Cache-Control", "no-store")
    return response
