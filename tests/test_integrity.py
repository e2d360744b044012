"""Rules the database and the models enforce whoever calls them."""

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from tracker.applications.models import Application, HistoryEntry, Partner, StateAssignmentError
from tracker.applications.queries import ApplicationFilters, list_applications
from tracker.communities.models import Proposal
from tracker.extensions import db
from tracker.pagination import PageRequest


def test_nobody_but_the_engine_assigns_a_state(make, world):
    app = make.application(world.call, world.lead)
    with pytest.raises(StateAssignmentError):
        app.state = "label_granted"
    db.session.rollback()
    assert db.session.get(Application, app.id).state == "draft"


def _bulk_state_updates(app):
    """Every way of sending an UPDATE through the session that sets a subject's state."""
    yield lambda: db.session.execute(update(Application).values(state="label_granted"))
    yield lambda: db.session.execute(
        update(Application).where(Application.id == app.id).values({Application.state: "closed"})
    )
    yield lambda: db.session.execute(update(Application.__table__).values(state="closed"))
    yield lambda: db.session.execute(
        update(Application).ordered_values((Application.state, "closed"))
    )
    yield lambda: db.session.execute(  # an ORM bulk UPDATE by primary key
        update(Application), [{"id": app.id, "version": 1, "state": "label_granted"}]
    )
    yield lambda: db.session.query(Application).filter_by(id=app.id).update({"state": "closed"})
    yield lambda: db.session.execute(update(Proposal).values(state="endorsed"))


def test_no_bulk_update_sets_a_state(make, world):
    """The state column is guarded against UPDATEs that skip the unit of work, as history rows
    are (``tracker.audit.models``): only the firing path changes a state."""
    app = make.application(world.call, world.lead)
    db.session.commit()
    attempts = list(_bulk_state_updates(app))
    for attempt in attempts:
        with pytest.raises(StateAssignmentError, match="bulk UPDATE"):
            attempt()
        db.session.rollback()
    assert len(attempts) == 7
    assert db.session.get(Application, app.id).state == "draft"


def test_bulk_updates_of_other_columns_still_run(make, world):
    app = make.application(world.call, world.lead)
    db.session.commit()
    db.session.execute(update(Application).where(Application.id == app.id).values(title="New"))
    version = db.session.scalar(select(Application.version).where(Application.id == app.id))
    db.session.execute(  # by primary key, naming the version it expects (optimistic lock)
        update(Application), [{"id": app.id, "version": version, "challenges": "Energy costs."}]
    )
    db.session.commit()
    db.session.expire_all()
    app = db.session.get(Application, app.id)
    assert (app.title, app.challenges, app.state) == ("New", "Energy costs.", "draft")


def test_two_history_rows_cannot_share_a_sequence_number(make, world):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    db.session.add(
        HistoryEntry(
            application_id=app.id, seq=1, trigger="submit", from_state="draft", to_state="submitted"
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_state_change_and_its_history_row_commit_together(make, world):
    app = make.application(world.call, world.lead)
    for trigger, who in [("submit", world.lead), ("admit", world.reviewers[0])]:
        make.fire(app, who, trigger)
    db.session.expire_all()
    rows = db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.application_id == app.id).order_by(HistoryEntry.seq)
    ).all()
    assert [(r.seq, r.from_state, r.to_state) for r in rows] == [
        (1, "draft", "submitted"),
        (2, "submitted", "under_evaluation"),
    ]
    assert db.session.get(Application, app.id).state == rows[-1].to_state
    assert rows[1].seconds_in_from_state >= 0


def test_visibility_in_sql_agrees_with_can_view(make, world):
    """The list query and the per-object predicate are two encodings of one rule."""
    other_lead = make.user("applicant", organisation=make.organisation())
    partner_user = make.user("applicant", organisation=make.organisation())
    conflicted = make.user("reviewer", organisation=world.lead_org)
    make.appoint(world.call, conflicted)
    outsider = make.user("reviewer", organisation=make.organisation(kind="university"))
    mine = make.application(world.call, world.lead)
    from tracker.applications.operations import add_partner
    from tracker.database import commit

    add_partner(world.lead, mine, partner_user.organisation_id, "Partner", "")
    commit()
    theirs_draft = make.application(world.call, other_lead)
    theirs_submitted = make.application(world.call, other_lead)
    make.fire(theirs_submitted, other_lead, "submit")
    users = [
        world.lead,
        other_lead,
        partner_user,
        conflicted,
        outsider,
        world.officer,
        *world.reviewers,
    ]
    apps = [mine, theirs_draft, theirs_submitted]
    for user in users:
        listed, total, _more = list_applications(user, ApplicationFilters(), PageRequest(1, 50))
        expected = {a.id for a in apps if a.can_view(user)}
        assert {a.id for a in listed} == expected, user.email
        assert total == len(expected)
    assert not theirs_draft.can_view(world.officer)  # never someone else's draft
    assert theirs_submitted.can_view(conflicted) and "reviewer" in theirs_submitted.roles_of(
        conflicted
    )
    assert "reviewer" not in mine.roles_of(conflicted)  # conflict of interest


def test_partners_are_unique_per_application(make, world):
    app = make.application(world.call, world.lead, complete=False)
    db.session.add(Partner(application_id=app.id, organisation_id=world.lead_org.id, role="again"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert (
        db.session.scalar(
            select(func.count()).select_from(Partner).where(Partner.application_id == app.id)
        )
        == 1
    )
