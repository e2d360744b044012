"""Every transition of value_chain, from each of its sources, fired by each kind of person, on a
real application: allowed exactly when the person's object roles meet the transition's roles,
and every outcome leaves state and history in step."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from tracker.applications.models import HistoryEntry
from tracker.applications.operations import fire_transition
from tracker.errors import Forbidden
from tracker.extensions import db
from tracker.mail.models import OutboxEmail
from tracker.notifications.models import Notice
from workflows import get_workflow

WF = get_workflow("value_chain")
PEOPLE = ["lead", "partner", "reviewer", "conflicted_reviewer", "officer", "stranger"]


def inputs(transition) -> dict:
    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()  # a date to reply by
    data = {
        f.name: (soon if f.future else "2024-06-30") if f.kind == "date" else "D-77"
        for f in transition.data
    }
    return {"comment": "Reason given.", "data": data or None}


@pytest.fixture
def cast(make, world):
    app = make.application(world.call, world.lead)
    partner_org = app.partners[1].organisation
    conflicted = make.user("reviewer", organisation=partner_org)
    make.appoint(world.call, conflicted)
    return {
        "app": app,
        "lead": world.lead,
        "partner": make.user("applicant", organisation=partner_org),
        "reviewer": world.reviewers[0],
        "conflicted_reviewer": conflicted,
        "officer": world.officer,
        "stranger": make.user("applicant", organisation=make.organisation()),
        "reviewers": world.reviewers,
    }


def drive(make, cast, transitions) -> None:
    app = cast["app"]
    for t in transitions:
        if t.trigger == "close_evaluation":
            for r in cast["reviewers"]:
                make.review(app, r)
        actor = cast["lead"] if "lead" in t.roles else cast["officer"]
        entry = fire_transition(actor, app, t.trigger, **inputs(t))
        assert entry.to_state == t.dest
        db.session.commit()


def _told(model, app) -> list[tuple]:
    """(person, kind, subject) of every email or notice about ``app``."""
    rows = db.session.execute(
        select(model.user_id, model.kind, model.subject).where(
            model.object_type == "application", model.object_id == app.id
        )
    )
    return sorted(tuple(r) for r in rows)


CASES = [
    pytest.param(t, source, who, id=f"{t.trigger}-from-{source}-by-{who}")
    for t in WF.transitions
    for source in t.sources
    for who in PEOPLE
]


@pytest.mark.parametrize(("transition", "source", "who"), CASES)
def test_transition_by_person(make, cast, transition, source, who):
    app = cast["app"]
    drive(make, cast, WF.path_to(source))
    assert app.state == source
    before = db.session.scalar(
        select(func.count()).select_from(HistoryEntry).where(HistoryEntry.application_id == app.id)
    )
    person = cast[who]
    make.declare_if_awaited(app, person)  # a member acts once declared (issue 14)
    allowed = bool(app.roles_of(person) & transition.roles)
    if app.pending_integration is not None and transition.trigger == "declare_inadmissible":
        # ``reply_overdue``: only once the reply date has passed (tests/integration_requests)
        app.pending_integration.reply_by = dt.date.today() - dt.timedelta(days=1)
        db.session.commit()
    if transition.trigger == "close_evaluation":
        for r in cast["reviewers"]:
            make.review(app, r)
    if allowed:
        entry = fire_transition(person, app, transition.trigger, **inputs(transition))
        db.session.commit()
        assert (entry.from_state, entry.to_state, entry.actor_id) == (
            source,
            transition.dest,
            person.id,
        )
        # issue 14: each email about the application has its notice, for the same person
        assert _told(Notice, app) == _told(OutboxEmail, app)
    else:
        with pytest.raises(Forbidden):
            fire_transition(person, app, transition.trigger, **inputs(transition))
        db.session.rollback()
    db.session.expire_all()
    rows = db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.application_id == app.id).order_by(HistoryEntry.seq)
    ).all()
    assert len(rows) == before + (1 if allowed else 0)
    assert app.state == (rows[-1].to_state if rows else WF.initial)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    expected_roles = {
        "lead": {"lead"}, "partner": {"partner"}, "reviewer": {"reviewer"}, "conflicted_reviewer": set(),
        "officer": {"officer"}, "stranger": set(),
    }[who]  # fmt: skip
    assert allowed == bool(expected_roles & transition.roles)


@pytest.mark.parametrize("who", PEOPLE)
def test_admit_waits_for_the_partners_declared_data_to_be_verified(make, cast, who):
    """``partners_verified``: with a counted partner awaiting verification, whoever may admit is
    told why not (422); everyone else is refused as before (403); nothing is written."""
    from tracker.errors import ValidationFailed
    from tracker.organisations.operations import verify_organisation

    app = cast["app"]
    drive(make, cast, WF.path_to("submitted"))
    declared = app.partners[1].organisation
    declared.verified_at = None  # as if its staff had registered it
    db.session.commit()
    person = cast[who]
    make.declare_if_awaited(app, person)
    allowed = bool(app.roles_of(person) & WF.transition("admit").roles)
    with pytest.raises(ValidationFailed if allowed else Forbidden) as err:
        if not app.can_view(person):
            raise Forbidden("cannot even see it")
        fire_transition(person, app, "admit")
    db.session.rollback()
    if allowed:
        assert [u["condition"] for u in err.value.details["unmet"]] == ["partners_verified"]
        assert declared.name in err.value.details["unmet"][0]["message"]
    assert app.state == "submitted"
    verify_organisation(cast["officer"], declared)
    db.session.commit()
    if allowed:
        assert fire_transition(person, app, "admit").to_state == "under_evaluation"
