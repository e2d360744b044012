"""Officers granting at the same moment, through the API, each request in its own thread, session
and database connection: the budget is never overcommitted, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from measuretools import committed_by_grants
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.calls.models import Call
from tracker.extensions import db

pytestmark = pytest.mark.fresh_database  # threads, each with its own connection

THREADS = 12


def _all_at_once(app, requests):
    """Send ``requests`` [(token, path, json)] at the same moment; the answers, in order."""
    start = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def send(i, token, path, body):
        client = app.test_client()  # each thread its own client, app context and session
        start.wait()
        r = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
        answers[i] = (r.status_code, r.get_json())

    threads = [
        threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return answers


def test_simultaneous_grants_never_overcommit_the_budget(app, make, world, measures):
    """Twelve applications of EUR 300,000 granted at once from a budget of EUR 1,000,000: three
    fit. Exactly three are granted; the others are refused (422 when the budget was seen short,
    409 when it went while they were deciding), with nothing written."""
    call = measures.measure(budget="1000000", max_grant="300000")
    apps = [measures.scored(call, 70 + i, amount="300000") for i in range(THREADS)]
    officers = [world.officer, make.user("officer")]
    tokens = [make.token(officers[i % 2]) for i in range(THREADS)]
    answers = _all_at_once(
        app,
        [
            (token, f"/api/v1/applications/{a.id}/transitions", {"trigger": "grant"})
            for token, a in zip(tokens, apps, strict=True)
        ],
    )
    statuses = sorted(status for status, _ in answers)
    assert statuses.count(200) == 3, answers
    refused = [body["error"] for status, body in answers if status != 200]
    assert {status for status in statuses if status != 200} <= {409, 422}
    assert {e["code"] for e in refused} <= {"budget_exhausted", "conditions_unmet", "busy"}
    for e in refused:
        if e["code"] != "busy":
            assert e["details"]["unmet"][0]["condition"] == "budget_available", e

    db.session.expire_all()
    committed = db.session.scalar(select(Call.committed).where(Call.id == call.id))
    assert committed == Decimal("900000.00") == committed_by_grants(call.id)
    states = db.session.scalars(
        select(Application.state).where(Application.id.in_([a.id for a in apps]))
    ).all()
    assert sorted(states) == ["granted"] * 3 + ["scored"] * (THREADS - 3)


def test_granting_and_withdrawing_at_once_keep_the_books(app, make, world, measures):
    """A lead withdraws a grant while officers grant the waitlist: whatever the order, what is
    committed is what the granted applications hold, and never above the budget."""
    call = measures.measure(budget="900000", max_grant="300000")
    held = [measures.scored(call, 90, amount="300000") for _ in range(3)]
    for a in held:
        measures.fire(a, world.officer, "grant")
    waiting = [measures.scored(call, 80, amount="300000") for _ in range(4)]
    for a in waiting:
        measures.fire(a, world.officer, "waitlist")
    officer, lead = make.token(world.officer), make.token(world.lead)
    requests = [(lead, f"/api/v1/applications/{held[0].id}/transitions", {"trigger": "withdraw"})]
    requests += [
        (officer, f"/api/v1/applications/{a.id}/transitions", {"trigger": "grant"}) for a in waiting
    ]
    answers = _all_at_once(app, requests)
    assert answers[0][0] == 200, answers[0]  # the withdrawal never depends on the budget
    granted = sum(1 for status, _ in answers[1:] if status == 200)
    assert granted <= 1
    db.session.expire_all()
    committed = db.session.scalar(select(Call.committed).where(Call.id == call.id))
    assert committed == committed_by_grants(call.id) == Decimal(300_000) * (2 + granted)
    assert committed <= Decimal(900_000)
