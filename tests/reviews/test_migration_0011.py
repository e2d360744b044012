"""Migration 0011 on data in place: the members who had already reviewed or acted on an
application before declarations existed get a "no conflict" declaration, marked as migrated,
dated at their first act; nobody else does."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import delete, select

from tracker.applications.models import HistoryEntry
from tracker.database import commit
from tracker.extensions import db
from tracker.reviews.models import ConflictDeclaration, Review

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0016_reviews.py"


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0011", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.fresh_database
def test_members_who_reviewed_or_acted_migrate_as_declaring_no_conflict(make, world):
    first, second = world.reviewers
    reviewed = make.application(world.call, world.lead, title="Reviewed")
    conflicted = make.user("reviewer", organisation=reviewed.partners[1].organisation)
    make.appoint(world.call, conflicted)
    make.fire(reviewed, world.lead, "submit")
    make.fire(reviewed, second, "admit")  # the second member acted, never reviewed
    make.review(reviewed, first)  # the first reviewed, never fired a trigger
    untouched = make.application(world.call, world.lead, title="Untouched")
    make.fire(untouched, world.lead, "submit")
    make.fire(untouched, world.officer, "admit")  # an officer: no member, no declaration
    # as before the rule: no declaration at all
    db.session.execute(delete(ConflictDeclaration))
    commit()

    with db.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        _migration()._declare_for_those_who_acted()
    db.session.expire_all()
    rows = db.session.scalars(select(ConflictDeclaration).order_by(ConflictDeclaration.member_id))
    got = [(d.application_id, d.member_id, d.conflict, d.reason, d.migrated, d.declared_at)
           for d in rows]  # fmt: skip
    admitted_at = db.session.scalar(
        select(HistoryEntry.at).where(
            HistoryEntry.application_id == reviewed.id, HistoryEntry.trigger == "admit"
        )
    )
    reviewed_at = db.session.scalar(
        select(Review.submitted_at).where(Review.reviewer_id == first.id)
    )
    assert sorted(got, key=lambda r: r[1]) == sorted(
        [(reviewed.id, first.id, False, "", True, reviewed_at),
         (reviewed.id, second.id, False, "", True, admitted_at)],
        key=lambda r: r[1],
    )  # fmt: skip
    # they act on as before; the partner's member and the untouched application wait
    assert reviewed.has_declared(first) and reviewed.has_declared(second)
    assert not reviewed.declaration_awaited(conflicted)
    assert untouched.declaration_awaited(first)
    make.fire(reviewed, second, "request_integration", comment="Which plants?")
    assert reviewed.state == "integration_requested"


@pytest.mark.fresh_database
def test_down_and_up_again_with_reviews_in_place(empty_database, make):
    """Rows made by the app, the schema taken down to 0010 and up again: every review is kept,
    dated as submitted, and its reviewer's declaration comes back as migrated."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    upgrade()
    officer = make.user("officer")
    call = make.call(officer)
    lead = make.user("applicant", organisation=make.organisation("Lead Srl", province="BS"))
    member = make.user("reviewer", organisation=make.organisation(kind="university"))
    make.appoint(call, member)
    app = make.application(call, lead)
    make.fire(app, lead, "submit")
    make.fire(app, officer, "admit")
    review = make.review(app, member)
    review_id, submitted_at = review.id, review.submitted_at
    app_id, member_id = app.id, member.id
    db.session.remove()  # its transaction would hold the tables the migration alters

    downgrade(revision=_migration().down_revision)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reviews")).scalar() == 1
    upgrade()
    with db.engine.connect() as conn:
        kept = conn.execute(text("SELECT id, total FROM reviews")).all()
        declared = conn.execute(
            text("SELECT application_id, member_id, conflict, migrated FROM conflict_declarations")
        ).all()
    assert [tuple(r) for r in kept] == [(review_id, 100)]
    assert [tuple(r) for r in declared] == [(app_id, member_id, False, True)]
    again = db.session.get(Review, review_id)
    assert again.updated_at == again.submitted_at == submitted_at
    assert again.revisions == []
