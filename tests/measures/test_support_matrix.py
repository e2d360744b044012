"""Every transition of support_application, from each of its sources, fired by each kind of
person, on a real application of a real measure: allowed exactly when the person's object roles
meet the transition's roles; every outcome leaves state, history and budget in step."""

from __future__ import annotations

from decimal import Decimal

import pytest
from measuretools import accept_final_report, committed_by_grants
from sqlalchemy import select

from tracker.applications.models import HistoryEntry
from tracker.applications.operations import add_partner, create_application, fire_transition
from tracker.errors import Forbidden
from tracker.extensions import db
from workflows import get_workflow

WF = get_workflow("support_application")
PEOPLE = ["lead", "partner", "reviewer", "conflicted_reviewer", "officer", "stranger"]
OBJECT_ROLES = {
    "lead": {"lead"}, "partner": {"partner"}, "reviewer": {"reviewer"},
    "conflicted_reviewer": set(), "officer": {"officer"}, "stranger": set(),
}  # fmt: skip


def inputs(transition) -> dict:
    # a lower grant than the 300,000 asked, and the project's CUP code
    values = {"granted_amount": "250000", "cup": "E17H22001230009"}
    data = {f.name: values[f.name] for f in transition.data}
    return {"comment": "Reason given.", "data": data or None}


@pytest.fixture
def cast(make, measures, world):
    call = measures.measure()
    chain = measures.value_chain()
    app = measures.application(call, value_chain_id=chain.id)
    partner_org = app.partners[1].organisation
    conflicted = make.user("reviewer", organisation=partner_org)
    make.appoint(call, conflicted)
    return {
        "measures": measures,
        "app": app,
        "call": call,
        "chain": chain,
        "lead": world.lead,
        "partner": make.user("applicant", organisation=partner_org),
        "reviewer": measures.reviewers[0],
        "conflicted_reviewer": conflicted,
        "officer": world.officer,
        "stranger": make.user("applicant", organisation=make.organisation()),
        "reviewers": measures.reviewers,
    }


def _reviews_for_closing(make, cast, app) -> None:
    done = {r.reviewer_id for r in app.reviews}
    for r in cast["reviewers"]:
        if r.id not in done:
            make.review(app, r)


def drive(make, cast, app, transitions) -> None:
    for t in transitions:
        if t.trigger == "close_evaluation":
            _reviews_for_closing(make, cast, app)
        actor = cast["lead"] if "lead" in t.roles else cast["officer"]
        entry = fire_transition(actor, app, t.trigger, **inputs(t))
        assert entry.to_state == t.dest
        db.session.commit()


def twin(cast):
    """A new draft of the same partnership, for the next person holding the role."""
    original = cast["app"]
    app = create_application(
        cast["lead"],
        cast["call"],
        {"title": "Twin", "requested_amount": "300000", "value_chain_id": cast["chain"].id},
    )
    for p in original.partners[1:]:
        add_partner(cast["lead"], app, p.organisation_id, p.role)
    db.session.commit()
    return app


def history_of(app) -> list[HistoryEntry]:
    return list(
        db.session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.application_id == app.id)
            .order_by(HistoryEntry.seq)
        ).all()
    )


CASES = [
    pytest.param(t, source, id=f"{t.trigger}-from-{source}")
    for t in WF.transitions
    for source in t.sources
]


@pytest.mark.parametrize(("transition", "source"), CASES)
def test_transition_by_every_person(make, cast, transition, source):
    """Those without the role are refused (403) and nothing changes; each person holding it
    fires it on an application in ``source`` (a fresh one after the first)."""
    call, chain = cast["call"], cast["chain"]
    fresh = [cast["app"]]
    for who in PEOPLE:
        person = cast[who]
        app = fresh.pop() if fresh else twin(cast)
        if app.state != source:
            drive(make, cast, app, WF.path_to(source))
        assert app.state == source
        if transition.trigger == "close_evaluation":
            _reviews_for_closing(make, cast, app)
        if transition.trigger == "complete":  # issue 13: on the accepted final report
            accept_final_report(cast["lead"], cast["officer"], app)
        before = len(history_of(app))
        committed_before = call.committed
        make.declare_if_awaited(app, person)  # a member acts once declared (issue 14)
        allowed = bool(app.roles_of(person) & transition.roles)
        assert allowed == bool(OBJECT_ROLES[who] & transition.roles), who
        if allowed:
            entry = fire_transition(person, app, transition.trigger, **inputs(transition))
            db.session.commit()
            assert (entry.from_state, entry.to_state, entry.actor_id) == (
                source,
                transition.dest,
                person.id,
            ), who
        else:
            with pytest.raises(Forbidden):
                if not app.can_view(person):
                    raise Forbidden("cannot even see it")
                fire_transition(person, app, transition.trigger, **inputs(transition))
            db.session.rollback()
            fresh.append(app)  # unchanged: the next person may use it
        db.session.expire_all()
        rows = history_of(app)
        assert len(rows) == before + (1 if allowed else 0), who
        assert app.state == rows[-1].to_state if rows else app.state == WF.initial
        assert [r.seq for r in rows] == list(range(1, len(rows) + 1))

        # the money follows the state: held while granted (and after), given back on withdrawal
        assert call.committed == committed_by_grants(call.id)
        if allowed and transition.trigger == "grant":
            assert app.granted_amount == Decimal("250000.00")
            assert call.committed == committed_before + Decimal("250000.00")
            assert chain.state == "support_active"
        elif allowed and transition.trigger == "withdraw" and source == "granted":
            assert call.committed == committed_before - Decimal("250000.00")
        else:
            assert call.committed == committed_before, who
        if allowed and transition.trigger == "close_evaluation":
            assert (app.base_score, app.label_bonus_applied, app.score) == (100, 10, 110)
