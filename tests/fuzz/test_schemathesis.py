"""schemathesis against the served OpenAPI description (/api/v1/openapi.json): every operation,
with data that fits the schema and data that does not, as an officer and as an applicant, must
answer without a 500 and as the description says (status documented, body matching its schema).

The world holds objects of every kind with small ids, so that generated path ids often hit a
real call, application, organisation, community or proposal, not only 404s.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tracker.database import commit

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: per operation, mode and role; FUZZ_EXAMPLES=200 for a deeper run
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 4))
#: data that fits the schema as both roles; data that does not as the officer (the applicant's
#: answers to bad bodies are mostly the same 403s)
RUNS = [
    (GenerationMode.POSITIVE, "officer"),
    (GenerationMode.POSITIVE, "applicant"),
    (GenerationMode.NEGATIVE, "officer"),
]


@pytest.fixture
def tokens(make, world):
    """Officer and applicant tokens around a world with an object of each kind."""
    from tracker.communities.operations import add_member, create_community, create_proposal

    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    coordinator = make.user("coordinator")
    community = create_community(coordinator, {"name": "Digital & Virtual Factory"})
    commit()
    add_member(coordinator, community, world.lead.id, "member")
    commit()
    create_proposal(world.lead, community, {"title": "Shared slag data", "summary": "An idea."})
    commit()
    return {"officer": make.token(world.officer), "applicant": make.token(world.lead)}


def fuzz(operation, mode: GenerationMode, headers: dict, tried: dict[str, int]) -> None:
    """EXAMPLES generated cases of ``operation`` sent with ``headers``; raises on a failed check."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        tried[operation.label] = tried.get(operation.label, 0) + 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("backend", ["sqlite"])  # the PostgreSQL run is tests/api's fuzz test
def test_every_operation_answers_as_described(app, tokens, backend):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tried: dict[str, int] = {}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, role in RUNS:
            try:
                fuzz(operation, mode, {"Authorization": f"Bearer {tokens[role]}"}, tried)
            except (Exception, BaseExceptionGroup) as err:  # collect them all, then report
                failures.append(f"{operation.label} ({mode}, {role}): {err}"[:3000])
    print(f"schemathesis: {sum(tried.values())} requests over {len(tried)} operations")
    assert not failures, "\n\n".join(failures)
    assert len(tried) >= 20
