"""Property: every API body, good or bad, gets an answer the contract allows, and a refused one
changes nothing.

For each operation taking a JSON body, Hypothesis sends bodies built from its OpenAPI schema
(schemathesis generates the ones that fit), then broken: a field dropped, a field replaced by
junk (wrong types, huge strings, unicode, NUL, lone surrogates, nested junk), unknown fields,
bodies that are not objects, bytes that are not JSON, the wrong content type. Each answer:

- is never a 500, and its status is one the operation documents;
- when refused, is a contract error ``{"error": {"code", "message", "details"}}`` with a message,
  and the database is exactly as it was (every row of every table).
"""

from __future__ import annotations

import hashlib
import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tracker.auth.models import USE_BOOKKEEPING
from tracker.database import commit
from tracker.extensions import db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 12))  # per operation
TRIED: dict[str, int] = {}

JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "x" * 20001, "\x00", "\udc00", "ü" * 301, "1e999", "-1", "0"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
NOT_OBJECTS = st.one_of(st.lists(JUNK, max_size=3), st.text(max_size=20), st.integers(), st.none())


def broken(body) -> st.SearchStrategy:
    """``body`` with one thing wrong (or, for a body that is not an object, as it is)."""
    if not isinstance(body, dict) or not body:
        return st.just(body)
    keys = sorted(body)
    dropped = st.sampled_from(keys).map(lambda k: {n: v for n, v in body.items() if n != k})
    replaced = st.tuples(st.sampled_from(keys), JUNK).map(lambda kv: body | {kv[0]: kv[1]})
    unknown = st.tuples(st.text(min_size=1, max_size=10), JUNK).map(
        lambda kv: body | {("x-" + kv[0]): kv[1]}
    )
    return st.one_of(dropped, replaced, unknown)


class Request:
    def __init__(self, content_type: str, data: bytes) -> None:
        self.content_type, self.data = content_type, data

    def __repr__(self) -> str:
        return f"Request({self.content_type!r}, {self.data[:300]!r})"


def as_json(body) -> Request:
    return Request("application/json", json.dumps(body).encode("utf-8", "surrogatepass"))


def requests_for(operation, path_parameters) -> st.SearchStrategy[Request]:
    fitting = operation.as_strategy(path_parameters=path_parameters).map(lambda case: case.body)
    return st.one_of(
        fitting.map(as_json),
        fitting.flatmap(broken).map(as_json),
        NOT_OBJECTS.map(as_json),
        st.binary(max_size=50).map(lambda raw: Request("application/json", raw)),
        fitting.map(lambda b: Request("text/plain", json.dumps(b).encode())),
    )


def fingerprint() -> str:
    """Every row of every table, hashed: equal fingerprints, equal databases."""
    digest = hashlib.sha256()
    db.session.expire_all()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in USE_BOOKKEEPING]
            query = select(*columns).order_by(*table.primary_key.columns)
            rows = conn.execute(query).all()
            digest.update(f"{table.name}:{len(rows)}:{rows!r}".encode())
    return digest.hexdigest()


@pytest.fixture
def cast(make, world):
    """Who sends each operation's bodies, and real ids for its path."""
    from tracker.communities.operations import add_member, create_community, create_proposal

    draft = make.application(world.call, world.lead)
    submitted = make.application(world.call, world.lead)
    make.fire(submitted, world.lead, "submit")
    make.fire(submitted, world.officer, "admit")
    coordinator = make.user("coordinator")
    community = create_community(coordinator, {"name": "Digital & Virtual Factory"})
    commit()
    add_member(coordinator, community, world.lead.id, "member")
    commit()
    proposal = create_proposal(world.lead, community, {"title": "Shared slag data"})
    commit()
    tokens = {
        "lead": make.token(world.lead),
        "officer": make.token(world.officer),
        "reviewer": make.token(world.reviewers[0]),
        "coordinator": make.token(coordinator),
    }
    ids = {
        "application_id": draft.id,
        "call_id": world.call.id,
        "community_id": community.id,
        "proposal_id": proposal.id,
        "organisation_id": world.lead_org.id,
    }
    return {"tokens": tokens, "ids": ids, "submitted_id": submitted.id}


def sender(label: str) -> str:
    """The person an operation is for: whose bodies get past the role check to the parsing."""
    if "/reviews" in label:
        return "reviewer"
    if label.startswith(("POST /calls", "PATCH /calls")):
        return "officer"
    if label.startswith("POST /communities"):
        return "coordinator"
    return "lead"


def fuzz(client, operation, params: dict, path: str, token: str) -> None:
    label = operation.label
    documented = {int(code) for code in operation.definition.raw["responses"]}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=requests_for(operation, params))
    def send(request):
        TRIED[label] = TRIED.get(label, 0) + 1
        before = fingerprint()
        response = client.open(
            path,
            method=operation.method.upper(),
            data=request.data,
            headers={"Authorization": f"Bearer {token}", "Content-Type": request.content_type},
        )
        status = response.status_code
        assert status < 500, (label, request, response.get_data(as_text=True)[:500])
        assert status in documented, (label, status, request)
        if status >= 400:
            error = response.get_json()["error"]
            assert set(error) == {"code", "message", "details"}, error
            assert error["code"] and error["message"].strip(), error
            assert fingerprint() == before, (label, status, request, "changed the database")

    send()


@pytest.mark.fresh_database
@pytest.mark.parametrize("backend", ["sqlite"])  # tests/api/test_api_fuzz.py runs on both
def test_bodies_get_a_contract_answer_and_refusals_change_nothing(app, cast, backend):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    client = app.test_client()
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        media = operation.definition.raw.get("requestBody", {}).get("content", {})
        if "application/json" not in media:
            continue
        label = operation.label
        checked += 1
        ids = dict(cast["ids"])
        if "/reviews" in label:
            ids["application_id"] = cast["submitted_id"]  # under evaluation: reviews are due
        params = {p.name: ids.get(p.name, 1) for p in operation.path_parameters}
        token = cast["tokens"][sender(label)]
        path = "/api/v1" + operation.path.format(**params)
        fuzz(client, operation, params, path, token)
    print(f"API bodies: {sum(TRIED.values())} requests over {checked} operations: {TRIED}")
    assert checked >= 12
