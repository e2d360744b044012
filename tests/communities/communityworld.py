"""Helpers of the community and HUB tests: a community with its people, and a walk of a proposal
along the shortest path to any state."""

from __future__ import annotations

from tracker.database import commit
from workflows import get_workflow

PROPOSAL_WF = get_workflow("community_proposal")
#: the people of a community world, by what they are to its proposals
PEOPLE = ["member", "coordinator", "board", "officer", "other_coordinator", "stranger"]


class CommunityWorld:
    """A community with a member and a coordinator, another community's coordinator, an AFIL
    board member, a Region officer, an outsider, and a call to link follow-ups to."""

    def __init__(self, make) -> None:
        from tracker.communities.operations import add_member, create_community

        self.make = make
        self.officer = make.user("officer")
        self.board = make.user("board")
        self.coordinator = make.user("coordinator")
        self.other_coordinator = make.user("coordinator")
        self.member = make.user("applicant", organisation=make.organisation(kind="university"))
        self.stranger = make.user("applicant", organisation=make.organisation())
        self.admin = make.user("admin")
        self.community = create_community(
            self.coordinator,
            {"name": "De- and Remanufacturing for Circular Economy", "topic": "Circular economy"},
        )
        add_member(self.coordinator, self.community, self.member.id, "member")
        self.other = create_community(self.other_coordinator, {"name": "Advanced Polymers"})
        commit()
        self.call = make.call(self.officer, title="Circular Economy HUB call")
        self._chain = None

    @property
    def chain(self):
        """A value-chain application filed by its partnership, whose lead is a member of the
        community: what a proposal becomes (``follow_value_chain``). Made when first asked."""
        if self._chain is None:
            from tracker.applications.operations import fire_transition
            from tracker.communities.operations import add_member

            self.chain_lead = self.make.user("applicant", organisation=self.make.organisation())
            add_member(self.coordinator, self.community, self.chain_lead.id, "member")
            self._chain = self.make.application(self.call, self.chain_lead, title="Steel chain")
            fire_transition(self.chain_lead, self._chain, "submit")
            commit()
        return self._chain

    def prepare(self, proposal, transition) -> None:
        """What a transition needs beyond its inputs: the link to a filed value chain."""
        from tracker.communities.operations import link_value_chain

        if transition.trigger == "follow_value_chain" and proposal.value_chain_application is None:
            chain = self.chain
            link_value_chain(self.chain_lead, proposal, chain.id)
            commit()

    def person(self, who: str):
        return getattr(self, who)

    def proposal(self, title: str = "Lombardy Roadmap for R&I on Circular Economy", **kw):
        from tracker.communities.operations import create_proposal

        proposal = create_proposal(
            self.member, self.community, {"title": title, "summary": "Priorities."}, **kw
        )
        commit()
        return proposal

    def inputs(self, transition) -> dict:
        data = {}
        for f in transition.data:
            if f.name == "act_reference":
                data[f.name] = "DGR 3098/2020"
            elif f.name == "call_id":
                data[f.name] = self.call.id
        return {"comment": "Reason given.", "data": data or None}

    def actor_for(self, transition):
        for who in ("coordinator", "board", "officer"):
            if who in transition.roles:
                return self.person(who)
        raise AssertionError(transition.trigger)

    def drive(self, proposal, target: str) -> None:
        from tracker.communities.operations import fire_transition

        for t in PROPOSAL_WF.path_to(target):
            self.prepare(proposal, t)
            fire_transition(self.actor_for(t), proposal, t.trigger, **self.inputs(t))
            commit()
        assert proposal.state == target
