"""The demo's committee members declare no conflict of interest before they review or act, as the
rule asks of everyone (issue 14)."""

from __future__ import annotations

from sqlalchemy import select

from tracker.applications.models import Application, HistoryEntry
from tracker.demo import load_demo
from tracker.extensions import db
from tracker.reviews.models import ConflictDeclaration, Review


def test_every_demo_member_declared_before_reviewing_or_acting(app):
    load_demo()
    declared = {
        (d.application_id, d.member_id): d for d in db.session.scalars(select(ConflictDeclaration))
    }
    assert declared and not any(d.conflict or d.migrated for d in declared.values())
    reviews = db.session.scalars(select(Review)).all()
    assert reviews
    for r in reviews:
        made = declared[(r.application_id, r.reviewer_id)]
        assert made.declared_at < r.submitted_at and r.updated_at == r.submitted_at
    acts = db.session.execute(
        select(HistoryEntry, Application).join(Application)
    ).all()  # fmt: skip
    members_acts = 0
    for entry, application in acts:
        actor = entry.actor
        transition = application.definition.transition(entry.trigger)
        acting_as_member = (
            actor is not None
            and "reviewer" in transition.roles
            and application.call_id in actor.committee_call_ids
            and not actor.has_role("officer")
        )
        if acting_as_member:
            members_acts += 1
            assert declared[(application.id, actor.id)].declared_at < entry.at
    assert members_acts > 0
