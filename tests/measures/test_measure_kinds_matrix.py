"""Every transition of the rolling measure's and the financial instrument's workflows, from each
of its sources, fired by each kind of person, on a real application of a real measure: allowed
exactly when the person's object roles meet the transition's roles; every outcome leaves state,
history and budget in step (as tests/measures/test_support_matrix.py for the ranked call)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from measuretools import accept_final_report, committed_by_grants

from tracker.applications.operations import add_partner, create_application, fire_transition
from tracker.errors import Forbidden
from tracker.extensions import db
from workflows import get_workflow

PEOPLE = ["lead", "partner", "reviewer", "conflicted_reviewer", "officer", "stranger"]
OBJECT_ROLES = {
    "lead": {"lead"}, "partner": {"partner"}, "reviewer": {"reviewer"},
    "conflicted_reviewer": set(), "officer": {"officer"}, "stranger": set(),
}  # fmt: skip
CUP = "E17H22001230009"
KINDS = {"rolling_support_application": {}, "minibond_issue": {"criteria": []}}


def inputs(transition) -> dict:
    values = {"granted_amount": "250000", "cup": CUP}  # a lower grant than the 300,000 asked
    data = {f.name: values[f.name] for f in transition.data}
    return {"comment": "Reason given.", "data": data or None}


def cast_for(make, measures, world, workflow):
    call = measures.measure(workflow=workflow, **KINDS[workflow])
    chain = measures.value_chain()
    app = measures.application(call, value_chain_id=chain.id)
    partner_org = app.partners[1].organisation
    conflicted = make.user("reviewer", organisation=partner_org)
    make.appoint(call, conflicted)
    return {
        "app": app, "call": call, "chain": chain, "lead": world.lead,
        "partner": make.user("applicant", organisation=partner_org),
        "reviewer": measures.reviewers[0], "conflicted_reviewer": conflicted,
        "officer": world.officer,
        "stranger": make.user("applicant", organisation=make.organisation()),
        "reviewers": measures.reviewers,
    }  # fmt: skip


def reviews_for_closing(make, cast, app) -> None:
    done = {r.reviewer_id for r in app.reviews}
    for r in cast["reviewers"]:
        if r.id not in done:
            make.review(app, r)


def drive(make, cast, app, transitions) -> None:
    for t in transitions:
        if t.trigger == "close_evaluation":
            reviews_for_closing(make, cast, app)
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


CASES = [
    pytest.param(name, t, source, id=f"{name}-{t.trigger}-from-{source}")
    for name in KINDS
    for t in get_workflow(name).transitions
    for source in t.sources
]


@pytest.mark.parametrize(("workflow", "transition", "source"), CASES)
def test_transition_by_every_person(make, measures, world, workflow, transition, source):
    wf = get_workflow(workflow)
    cast = cast_for(make, measures, world, workflow)
    call, chain = cast["call"], cast["chain"]
    fresh = [cast["app"]]
    for who in PEOPLE:
        person = cast[who]
        app = fresh.pop() if fresh else twin(cast)
        if app.state != source:
            drive(make, cast, app, wf.path_to(source))
        assert app.state == source
        if transition.trigger == "close_evaluation":
            reviews_for_closing(make, cast, app)
        if transition.trigger == "complete":  # issue 13: on the accepted final report
            accept_final_report(cast["lead"], cast["officer"], app)
        before = len(app.history)
        committed_before = call.committed
        allowed = bool(app.roles_of(person) & transition.roles)
        assert allowed == bool(OBJECT_ROLES[who] & transition.roles), who
        if allowed:
            make.declare_if_awaited(app, person)  # a member acts once declared (issue 14)
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
            fresh.append(app)
        db.session.expire_all()
        assert len(app.history) == before + (1 if allowed else 0), who
        assert app.state == (app.history[-1].to_state if app.history else wf.initial)
        # the money follows the state: held while granted (or backed), given back on withdrawal
        assert call.committed == committed_by_grants(call.id)
        holds = wf.state(transition.dest).holds_budget
        if allowed and holds and not wf.state(source).holds_budget:
            assert app.granted_amount == Decimal("250000.00")
            assert call.committed == committed_before + Decimal("250000.00")
            assert chain.state == "support_active"
            assert app.cup == CUP
        elif allowed and transition.trigger == "withdraw" and wf.state(source).holds_budget:
            assert call.committed == committed_before - Decimal("250000.00")
        else:
            assert call.committed == committed_before, who


def test_a_rolling_measure_decides_in_order_of_arrival_while_funds_last(make, measures, world):
    call = measures.measure(
        workflow="rolling_support_application", budget="500000", score_threshold=0
    )
    first = measures.scored(call, 70, amount="300000")
    second = measures.scored(call, 90, amount="300000")
    with pytest.raises(Exception) as refused:
        measures.fire(second, world.officer, "grant")
    assert [u["condition"] for u in refused.value.details["unmet"]] == ["first_in_line"]
    db.session.rollback()
    measures.fire(first, world.officer, "grant")
    # the second now comes first, and only EUR 200,000 is left
    with pytest.raises(Exception) as refused:
        measures.fire(second, world.officer, "grant")
    assert [u["condition"] for u in refused.value.details["unmet"]] == ["budget_available"]
    db.session.rollback()
    measures.fire(second, world.officer, "grant", granted_amount="200000")
    late = measures.application(call)
    with pytest.raises(Exception) as refused:
        measures.fire(late, world.lead, "submit")
    assert "funds_available" in [u["condition"] for u in refused.value.details["unmet"]]
    assert not get_workflow("rolling_support_application").transition("waitlist")


def test_only_a_ranked_call_has_a_ranking(make, measures, world, login):
    from pagetools import text_of

    rolling = measures.measure(workflow="rolling_support_application")
    measures.scored(rolling, 70)
    officer = login(world.officer)
    page = text_of(officer.get(f"/calls/{rolling.id}"))
    assert "Rolling measure: first come, first served" in page and "Ranking" not in page
    assert officer.get(f"/calls/{rolling.id}?format=csv").status_code == 404
    ranked = measures.measure()
    measures.scored(ranked, 70)
    assert "Ranking" in text_of(officer.get(f"/calls/{ranked.id}"))
