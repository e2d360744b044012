"""Simultaneous requests firing the same trigger: exactly one wins, the others get a 409."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tracker.applications.models import Application, HistoryEntry
from tracker.extensions import db

pytestmark = pytest.mark.fresh_database  # threads, each with its own connection

THREADS = 20


def test_the_same_transition_fired_at_once_succeeds_once(app, make, world):
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    for member in world.reviewers:  # members declare about a conflict of interest first
        make.declare(application, member)
    tokens = [make.token(world.officer if i % 2 else world.reviewers[i % 4 // 2])
              for i in range(THREADS)]  # fmt: skip
    app_id = application.id
    start = threading.Barrier(THREADS)
    statuses: list[int] = []
    codes: list[str] = []
    lock = threading.Lock()

    def admit(token: str) -> None:
        client = app.test_client()  # each thread its own client, app context and session
        start.wait()
        r = client.post(
            f"/api/v1/applications/{app_id}/transitions",
            json={"trigger": "admit"},
            headers={"Authorization": f"Bearer {token}"},
        )
        body = r.get_json()
        with lock:
            statuses.append(r.status_code)
            if r.status_code != 200:
                codes.append(body["error"]["code"])

    threads = [threading.Thread(target=admit, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)

    assert sorted(statuses) == [200] + [409] * (THREADS - 1), statuses
    assert set(codes) <= {"invalid_transition", "stale_version", "duplicate", "busy"}
    db.session.expire_all()
    rows = db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.application_id == app_id).order_by(HistoryEntry.seq)
    ).all()
    assert [h.trigger for h in rows] == ["submit", "admit"]
    assert [h.seq for h in rows] == [1, 2]
    state = db.session.scalar(select(Application.state).where(Application.id == app_id))
    assert state == rows[-1].to_state == "under_evaluation"
