"""Every transition of community_proposal and hub_eoi, from each of its sources, fired by each
kind of person on real rows: allowed exactly when the person's object roles meet the
transition's roles, and every outcome leaves state and history in step."""

from __future__ import annotations

import pytest
from communityworld import PEOPLE, PROPOSAL_WF
from sqlalchemy import func, select

from tracker.applications.models import HistoryEntry
from tracker.communities.models import ProposalHistory
from tracker.communities.operations import fire_transition
from tracker.errors import Forbidden
from tracker.extensions import db
from workflows import get_workflow

#: the object roles each person holds on the world's proposal
ROLES = {
    "member": {"member"},
    "coordinator": {"coordinator"},
    "board": {"board"},
    "officer": {"officer"},
    "other_coordinator": set(),
    "stranger": set(),
}

CASES = [
    pytest.param(t, source, who, id=f"{t.trigger}-from-{source}-by-{who}")
    for t in PROPOSAL_WF.transitions
    for source in t.sources
    for who in PEOPLE
]


def _rows(proposal) -> list:
    return db.session.scalars(
        select(ProposalHistory)
        .where(ProposalHistory.proposal_id == proposal.id)
        .order_by(ProposalHistory.seq)
    ).all()


@pytest.mark.parametrize(("transition", "source", "who"), CASES)
def test_proposal_transition_by_person(cw, transition, source, who):
    proposal = cw.proposal()
    cw.drive(proposal, source)
    before = len(_rows(proposal))
    cw.prepare(proposal, transition)
    person = cw.person(who)
    assert proposal.roles_of(person) == frozenset(ROLES[who])
    allowed = bool(ROLES[who] & transition.roles)
    if allowed:
        entry = fire_transition(person, proposal, transition.trigger, **cw.inputs(transition))
        db.session.commit()
        assert (entry.from_state, entry.to_state, entry.actor_id) == (
            source,
            transition.dest,
            person.id,
        )
    else:
        with pytest.raises(Forbidden):
            if not proposal.can_view(person):
                raise Forbidden("cannot even see it")
            fire_transition(person, proposal, transition.trigger, **cw.inputs(transition))
        db.session.rollback()
    db.session.expire_all()
    rows = _rows(proposal)
    assert len(rows) == before + (1 if allowed else 0)
    assert proposal.state == (rows[-1].to_state if rows else PROPOSAL_WF.initial)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    if proposal.state == "endorsed":
        assert proposal.act_reference == "DGR 3098/2020"
    if proposal.state in ("follow_up", "completed"):
        # what followed: the Region's act and a call, or the value chain its partnership filed
        # (follow_value_chain, the shortest way there since 0015_afil)
        if proposal.act_reference:
            assert proposal.follow_up_call_id == cw.call.id
        else:
            assert proposal.follow_up_application_id == proposal.value_chain_application_id
            assert proposal.value_chain_application.submitted_at is not None


HUB = get_workflow("hub_eoi")
HUB_PEOPLE = ["lead", "partner", "reviewer", "officer", "stranger"]
HUB_CASES = [
    pytest.param(t, source, who, id=f"{t.trigger}-from-{source}-by-{who}")
    for t in HUB.transitions
    for source in t.sources
    for who in HUB_PEOPLE
]


@pytest.fixture
def hub(make, hub_call):
    from tracker.applications.operations import add_partner

    officer = make.user("officer")
    lead = make.user(
        "applicant",
        organisation=make.organisation("Politecnico di Milano", kind="university"),
    )
    partner_org = make.organisation("CNR-STIIMA", kind="research_centre")
    app = make.application(hub_call, lead, complete=False, title="PoliMi for the HUB")
    add_partner(lead, app, partner_org.id, "Joint applicant")
    db.session.commit()
    reviewer = make.user("reviewer", organisation=make.organisation(kind="university"))
    make.appoint(hub_call, reviewer)
    # the one shared agreement each selected application joins (0015_afil)
    from tracker.agreements.operations import create_agreement

    create_agreement(officer, {
        "reference": "Accordo HUB 2021/0412", "title": "HUB", "call_id": hub_call.id,
        "concluded_on": "2021-05-17", "total_amount": "10000000",
        "party_ids": [lead.organisation_id, partner_org.id],
    })  # fmt: skip
    db.session.commit()
    return {
        "app": app,
        "lead": lead,
        "partner": make.user("applicant", organisation=partner_org),
        "reviewer": reviewer,
        "officer": officer,
        "stranger": make.user("applicant", organisation=make.organisation()),
    }


@pytest.mark.parametrize(("transition", "source", "who"), HUB_CASES)
def test_hub_transition_by_person(make, hub, transition, source, who):
    from tracker.applications.operations import fire_transition as fire_app

    app = hub["app"]
    for t in HUB.path_to(source):
        actor = hub["lead"] if "lead" in t.roles else hub["officer"]
        fire_app(actor, app, t.trigger, comment="Why.", data=_hub_data(t))
        db.session.commit()
    assert app.state == source
    count = select(func.count()).select_from(HistoryEntry)
    before = db.session.scalar(count.where(HistoryEntry.application_id == app.id))
    person = hub[who]
    make.declare_if_awaited(app, person)  # a member acts once declared (issue 14)
    allowed = bool(app.roles_of(person) & transition.roles)
    assert allowed == (
        who in {"lead", "officer", "reviewer"} and who in {r for r in transition.roles}
    )
    if allowed:
        entry = fire_app(
            person, app, transition.trigger, comment="Why.", data=_hub_data(transition)
        )
        db.session.commit()
        assert entry.to_state == transition.dest
    else:
        with pytest.raises(Forbidden):
            if not app.can_view(person):
                raise Forbidden("cannot even see it")
            fire_app(person, app, transition.trigger, comment="Why.", data=_hub_data(transition))
        db.session.rollback()
    db.session.expire_all()
    after = db.session.scalar(count.where(HistoryEntry.application_id == app.id))
    assert after == before + (1 if allowed else 0)


def _hub_data(transition):
    return {"agreement_reference": "Accordo HUB 2021/0412"} if transition.data else None
