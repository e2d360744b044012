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
from tracker.demo.communities import FASHION_PROPOSAL_TITLE, ROADMAP_TITLE, STEEL_PROPOSAL_TITLE
from tracker.demo.value_chains import FASHION_TITLE, STEEL_TITLE
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

    # the steel proposal, filed by its partnership with the EOI and followed: no endorsement by
    # the Region ever happened (the EOI's own DGR 5899/2022 is no endorsement of it)
    steel = proposals[STEEL_PROPOSAL_TITLE]
    assert steel.community_id == reman.id and steel.state == "follow_up"
    assert steel.follow_up_application.title == STEEL_TITLE
    assert steel.value_chain_application_id == steel.follow_up_application_id
    assert steel.follow_up_application.state == "label_granted"
    assert steel.act_reference is None
    assert [h.trigger for h in steel.history][-2:] == ["board_approve", "follow_value_chain"]
    assert not any(h.trigger in ("submit_to_region", "endorse") for h in steel.history)
    # the Fashion and Textile chain: the same community's proposal in preparation (seed 002)
    fashion = proposals[FASHION_PROPOSAL_TITLE]
    assert fashion.community_id == reman.id and fashion.state == "concept_validation"
    assert fashion.value_chain_application.title == FASHION_TITLE
    assert fashion.value_chain_application.state == "draft"
    # every proposal in a follow-up rests on the Region's act or on a filed value chain
    for p in proposals.values():
        if p.state_info.followed_up:
            assert p.act_reference or p.value_chain_application.submitted_at is not None

    # activities of the kinds the seed lists, about the community's own proposals
    from tracker.communities.models import ACTIVITY_KINDS, CommunityActivity

    activities = db.session.scalars(select(CommunityActivity)).all()
    assert {a.kind for a in activities} == set(ACTIVITY_KINDS)
    assert all(a.proposal is None or a.proposal.community_id == a.community_id for a in activities)

    # AFIL's EU projects as its profile lists them
    from tracker.projects.models import EUProject

    projects = {p.acronym: p for p in db.session.scalars(select(EUProject))}
    plastix, redgio = projects["PLASTIX"], projects["AI REDGIO 5.0"]
    assert plastix.policy_call.workflow == "value_chain"
    assert plastix.policy_authority == "Lombardy Region, Associated Policy Authority"
    assert [c.name for c in plastix.communities] == ["Advanced Polymers"]
    assert redgio.partners == 43 and redgio.programme == "Horizon Europe"
    assert sum(p.kind == "project" for p in projects.values()) == 10

    # the HUB: five public research applicants, selected, the agreement signed in May 2021
    apps = db.session.scalars(select(Application).where(Application.call_id == hub.id)).all()
    leads = sorted(a.lead_organisation.name for a in apps)
    assert len(apps) == 5 and all(a.state == "agreement_signed" for a in apps)
    assert any(n.startswith("CNR-STIIMA") for n in leads)
    assert {"Politecnico di Milano", "Università degli Studi di Milano",
            "Università degli Studi di Milano-Bicocca", "Università degli Studi di Pavia"} <= set(leads)  # fmt: skip
    from tracker.agreements.operations import agreement_of

    shared = {agreement_of(a.id) for a in apps}
    assert len(shared) == 1  # one multi-party agreement, joined by every application
    (agreement,) = shared
    assert agreement.concluded_on == dt.date(2021, 5, 17)
    assert (agreement.total_amount, agreement.regional_amount) == (10_000_000, 5_000_000)
    assert {o.id for o in agreement.parties} == {a.lead_organisation_id for a in apps}
    for a in apps:
        assert a.lead_organisation.kind in {"university", "research_centre"}
        assert a.lead_organisation.public_body
        assert a.history[-1].data["agreement_reference"] == agreement.reference
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
