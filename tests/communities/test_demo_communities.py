"""The demo's communities, proposals and HUB call tell the real story, through the operations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.communities.access import community_role
from tracker.communities.models import Community, Proposal
from tracker.demo import load_demo
from tracker.demo.communities import ROADMAP_TITLE, STEEL_PROPOSAL_TITLE
from tracker.demo.value_chains import STEEL_TITLE
from tracker.extensions import db
from workflows import get_workflow


def test_demo_communities_and_hub(app):
    load_demo()
    db.session.expire_all()
    users = {u.email: u for u in db.session.scalars(select(User))}
    communities = {c.name: c for c in db.session.scalars(select(Community))}
    assert set(communities) == {
        "De- and Remanufacturing for Circular Economy", "Advanced Polymers",
        "Additive Manufacturing", "Digital & Virtual Factory", "Materials & Surface Treatments",
    }  # fmt: skip
    reman = communities["De- and Remanufacturing for Circular Economy"]
    coordinator, board = users["coordinator@demo.example.org"], users["board@demo.example.org"]
    assert community_role(coordinator, reman.id) == "coordinator"
    assert board.has_role("board")
    assert all(c.coordinators for c in communities.values())
    assert all(len(c.members) >= 3 for c in communities.values())

    proposals = {p.title: p for p in db.session.scalars(select(Proposal))}
    states = {p.state for p in proposals.values()}
    assert {"idea", "concept_validation", "board_review", "parked", "submitted_to_region",
            "under_regional_review", "follow_up", "completed", "not_endorsed", "withdrawn"} <= states  # fmt: skip
    for p in proposals.values():  # the state is what the history says, in order
        if p.history:
            assert p.state == p.history[-1].to_state and p.state_entered_at == p.history[-1].at
            assert all(a.at < b.at for a, b in zip(p.history, p.history[1:], strict=False))
            assert p.history[0].from_state == "idea" and p.created_at < p.history[0].at
    assert set(get_workflow("community_proposal").states_where(terminal=True)) - states == set()

    # the Circular Economy roadmap: 2019 idea, endorsed May 2020, followed by the HUB call
    roadmap = proposals[ROADMAP_TITLE]
    assert roadmap.community_id == reman.id and roadmap.created_at.year == 2019
    assert roadmap.state == "completed" and roadmap.act_reference == "DGR 3098/2020"
    endorse = next(h for h in roadmap.history if h.trigger == "endorse")
    assert (endorse.at.year, endorse.at.month) == (2020, 5) and endorse.actor.has_role("officer")
    board_step = next(h for h in roadmap.history if h.trigger == "board_approve")
    assert board_step.actor_id == board.id
    hub = db.session.get(Call, roadmap.follow_up_call_id)
    assert hub.workflow == "hub_eoi" and hub.act_reference == "DGR XI/3531/2020"
    assert (hub.opens_at, hub.deadline) == (dt.date(2020, 11, 12), dt.date(2020, 12, 2))

    # the steel proposal, followed by the recognised steel value chain
    steel = proposals[STEEL_PROPOSAL_TITLE]
    assert steel.community_id == reman.id and steel.state == "follow_up"
    assert steel.follow_up_application.title == STEEL_TITLE
    assert steel.follow_up_application.state == "label_granted"

    # the HUB: five public research applicants, selected, the agreement signed in May 2021
    apps = db.session.scalars(select(Application).where(Application.call_id == hub.id)).all()
    leads = sorted(a.lead_organisation.name for a in apps)
    assert len(apps) == 5 and all(a.state == "agreement_signed" for a in apps)
    assert any(n.startswith("CNR-STIIMA") for n in leads)
    assert {"Politecnico di Milano", "Università degli Studi di Milano",
            "Università degli Studi di Milano-Bicocca", "Università degli Studi di Pavia"} <= set(leads)  # fmt: skip
    for a in apps:
        assert a.lead_organisation.kind in {"university", "research_centre"}
        assert hub.opens_at <= a.submitted_at.date() <= hub.deadline
        signed = a.history[-1]
        assert signed.trigger == "sign_agreement" and (signed.at.year, signed.at.month) == (2021, 5)
        assert signed.data["agreement_reference"].startswith("Accordo di collaborazione")
    hub_lead = users["hub@demo.example.org"]
    assert "lead" in next(a for a in apps if a.lead_organisation_id == hub_lead.organisation_id).roles_of(hub_lead)  # fmt: skip

    # visibility as promised: the board sees only what reached it, officers what was submitted
    officer = users["officer@demo.example.org"]
    idea = next(p for p in proposals.values() if p.state == "idea")
    assert not idea.can_view(board) and not idea.can_view(officer)
    assert proposals[ROADMAP_TITLE].can_view(officer)

    # can_view and the SQL list filter agree, for everyone
    from tracker.communities.queries import ProposalFilters, list_proposals
    from tracker.pagination import PageRequest

    for user in users.values():
        listed, total = list_proposals(user, ProposalFilters(), PageRequest(1, 200))
        assert {p.id for p in listed} == {p.id for p in proposals.values() if p.can_view(user)}
        assert total == len(listed)


def test_workflows_check_covers_the_new_workflows(app, monkeypatch):
    from dataclasses import replace

    from workflows import WORKFLOWS

    runner = app.test_cli_runner()
    ok = runner.invoke(args=["workflows", "check"])
    assert ok.exit_code == 0 and f"{len(WORKFLOWS)} workflows checked" in ok.output
    shown = runner.invoke(args=["workflows", "show", "hub_eoi"]).output
    assert (
        "if lead_is_public_research: Only public universities and research centres may lead."
        in shown
    )
    broken = replace(
        WORKFLOWS["community_proposal"],
        transitions=tuple(
            t for t in WORKFLOWS["community_proposal"].transitions if t.trigger != "reopen"
        ),
    )  # parked has no way out any more
    monkeypatch.setitem(WORKFLOWS, "community_proposal", broken)
    result = runner.invoke(args=["workflows", "check"])
    assert result.exit_code == 1
    assert "community_proposal: non-terminal state 'parked' has no way out" in result.output
