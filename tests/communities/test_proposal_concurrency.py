"""Simultaneous requests firing the same proposal trigger: exactly one wins, one history row."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tracker.communities.models import Proposal, ProposalHistory
from tracker.extensions import db

pytestmark = pytest.mark.fresh_database  # threads, each with its own connection

THREADS = 12


def test_the_same_proposal_transition_fired_at_once_succeeds_once(app, make, cw):
    proposal = cw.proposal()
    pid = proposal.id
    tokens = [make.token(cw.coordinator) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)
    statuses: list[int] = []
    codes: list[str] = []
    lock = threading.Lock()

    def go(token: str) -> None:
        client = app.test_client()  # each thread its own client, app context and session
        start.wait()
        r = client.post(
            f"/api/v1/proposals/{pid}/transitions",
            json={"trigger": "start_validation", "comment": "Taken up."},
            headers={"Authorization": f"Bearer {token}"},
        )
        with lock:
            statuses.append(r.status_code)
            if r.status_code != 200:
                codes.append(r.get_json()["error"]["code"])

    threads = [threading.Thread(target=go, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)

    assert sorted(statuses) == [200] + [409] * (THREADS - 1), statuses
    assert set(codes) <= {"invalid_transition", "stale_version", "duplicate", "busy"}
    db.session.expire_all()
    rows = db.session.scalars(
        select(ProposalHistory).where(ProposalHistory.proposal_id == pid)
    ).all()
    assert [(h.seq, h.trigger) for h in rows] == [(1, "start_validation")]
    row = db.session.scalar(select(Proposal).where(Proposal.id == pid))
    assert (row.state, row.version) == ("concept_validation", 2)
