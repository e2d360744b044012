"""Property: whatever JSON object a client sends to a write endpoint, the answer is a JSON
success or a JSON 4xx, never a 500 (on SQLite and on PostgreSQL, whose columns are stricter)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def field(*good):
    """Mostly plausible values, sometimes anything at all."""
    return st.one_of(st.sampled_from(good), JUNK) if good else JUNK


def bodies(**fields) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({}, optional=fields)


FUZZ = settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def draft(make, world):
    return make.application(world.call, world.lead)


@FUZZ
@given(data=st.data())
def test_any_body_is_answered_without_a_500(make, world, people, draft, data):
    app = draft
    note = bodies(**{k: field("text", "x" * 20001) for k in
                     ("challenges", "needs", "objectives", "actions", "investments")})  # fmt: skip
    cases = [
        (
            people.lead,
            "POST",
            "/organisations",
            bodies(
                name=field("Srl", "x" * 201),
                vat_number=field("12345678903", make.vat()),
                kind=field("firm", "university"),
                size=field("small", None),
                province=field("MI", "Milano", "??"),
                city=field("Brescia", "c" * 101),
                lombardy_seat=field(True, "yes"),
            ),
        ),
        (
            people.officer,
            "POST",
            "/calls",
            bodies(
                title=field("T", "t" * 301),
                workflow=field("value_chain", "x"),
                opens_at=field("2024-01-01", "2024-02-30"),
                deadline=field("2030-01-01"),
                min_firms=field(3, 10**12, -1),
                min_reviews=field(1, 0, 10**9),
                score_threshold=field(60, "1e999", "0.001"),
                criteria=field(
                    [{"key": "k", "label": "K", "max": 10}],
                    [{"key": "k" * 60, "label": "l" * 300, "max": 10**10}],
                ),
                act_reference=field("DGR", "a" * 201),
            ),
        ),
        (
            people.lead,
            "POST",
            "/applications",
            bodies(
                call_id=field(world.call.id, 2**31, 0),
                title=field("T", "t" * 301),
                thematic_area=field("credit", "x"),
                concept_note=field({}) | note,
                lead_organisation_id=field(world.lead_org.id),
                lead_role=field("r", "r" * 300),
                requested_amount=field("10.5", "1e13", -5, "0.001"),
                value_chain_id=field(app.id, 2**40),
            ),
        ),
        (
            people.lead,
            "PATCH",
            f"/applications/{app.id}",
            bodies(
                title=field("T", "", "t" * 301),
                thematic_area=field("innovation"),
                concept_note=note,
                version=field(1, 10**20),
                requested_amount=field(5),
            ),
        ),
        (
            people.lead,
            "POST",
            f"/applications/{app.id}/partners",
            bodies(
                organisation_id=field(world.lead_org.id, 2**31 - 1),
                role=field("R", "r" * 201),
                commitments=field("c", "c" * 5001),
            ),
        ),
        (
            people.lead,
            "POST",
            f"/applications/{app.id}/transitions",
            bodies(
                trigger=field("submit", "withdraw", "grant_label", "t" * 60),
                comment=field("c", "c" * 10001),
                version=field(1, 10**20),
                data=field({"decree_number": "d" * 150, "decree_date": "2023-01-01"}),
            ),
        ),
        (
            people.officer,
            "PATCH",
            f"/calls/{world.call.id}",
            bodies(deadline=field("2099-12-31", "9999-99-99"), reason=field("r", "r" * 301)),
        ),
    ]
    api, method, path, strategy = data.draw(st.sampled_from(cases))
    body = data.draw(strategy)
    r = api.request(method, path, json=body)
    assert r.status_code < 500, (method, path, body, r.get_json())
