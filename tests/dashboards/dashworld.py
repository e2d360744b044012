"""A world for the dashboard tests: applications moved through the real operations, some of them
backdated, so that counts, durations and overdue figures are known in advance."""

from __future__ import annotations

import datetime as dt

from tracker.applications.operations import create_application, fire_transition
from tracker.columns import utcnow
from tracker.database import commit

CONCEPT_NOTE = {
    k: f"Our {k}." for k in ("challenges", "needs", "objectives", "actions", "investments")
}


class DashWorld:
    """The conftest ``world`` (one value-chain call, a lead in Brescia, two reviewers, an officer)
    plus helpers that move applications along at chosen moments."""

    def __init__(self, make, world) -> None:
        self.make, self.world = make, world
        self.call = world.call
        self.officer, self.lead, self.reviewers = world.officer, world.lead, world.reviewers

    def draft(self, *, at: dt.datetime | None = None, lead=None, **fields):
        from tracker.applications.operations import add_partner
        from tracker.documents.operations import upload_agreement
        from tracker.documents.samples import MINIMAL_PDF

        lead = lead or self.lead
        body = {
            "title": "Steel value chain", "thematic_area": "sustainability",
            "concept_note": CONCEPT_NOTE,
        } | fields  # fmt: skip
        app = create_application(lead, self.call, body, at=at)
        for _ in range(max(0, self.call.min_firms - app.lombardy_firm_count)):
            add_partner(lead, app, self.make.organisation().id, "Partner firm", "Data")
        upload_agreement(lead, app, "agreement.pdf", MINIMAL_PDF)
        commit()
        return app

    def fire(self, app, user, trigger: str, **data):
        entry = fire_transition(user, app, trigger, comment="Reason.", data=data or None)
        commit()
        return entry

    def walk(self, app, steps: list[tuple[str, float]], lead=None) -> None:
        """Fire each (trigger, days ago) in order, backdated through fire_transition's ``at``;
        ``lead`` fires the lead partner's triggers (the world's lead by default)."""
        from tracker.firing import fire_transition
        from tracker.reviews.operations import declare_conflict, submit_review
        from workflows.conditions import local_date

        for trigger, days in steps:
            at = utcnow() - dt.timedelta(days=days)
            if trigger == "close_evaluation":
                for r in self.reviewers:
                    if not any(x.reviewer_id == r.id for x in app.reviews):
                        if app.declaration_awaited(r):  # a member declares before reviewing
                            declare_conflict(r, app, False)
                        scores = {c.key: c.max_score for c in app.criteria}
                        submit_review(r, app, scores, "favourable", "Fine.")
            lead_moves = {"submit", "resubmit", "withdraw", "start_implementation"}
            user = (lead or self.lead) if trigger in lead_moves else self.officer
            data = None
            if trigger == "grant_label":
                # dated the day it was decided (in Rome), as the decree of a backdated grant is
                data = {"decree_number": "18573", "decree_date": local_date(at).isoformat()}
            elif trigger == "start_implementation":  # a project starts with its CUP code
                data = {"cup": "E17H22001230009"}
            fire_transition(user, app, trigger, comment="Reason.", data=data, at=at)
            commit()


class Communities:
    """A community with a coordinator and a member, a board member and an officer, and proposals
    walked along the shortest path to any state."""

    def __init__(self, make, officer) -> None:
        from tracker.communities.operations import add_member, create_community

        self.officer = officer
        self.board = make.user("board")
        self.coordinator = make.user("coordinator")
        self.member = make.user("applicant", organisation=make.organisation(kind="university"))
        self.stranger = make.user("applicant", organisation=make.organisation())
        self.community = create_community(
            self.coordinator, {"name": "De- and Remanufacturing", "topic": "Circular economy"}
        )
        add_member(self.coordinator, self.community, self.member.id, "member")
        self.other = create_community(self.coordinator, {"name": "Advanced Polymers"})
        commit()

    def proposal(self, title: str = "Roadmap for R&I on Circular Economy", community=None):
        from tracker.communities.operations import create_proposal

        proposal = create_proposal(
            self.coordinator, community or self.community, {"title": title, "summary": "Why."}
        )
        commit()
        return proposal

    def drive(self, proposal, target: str) -> None:
        from tracker.communities.operations import fire_transition
        from workflows import get_workflow

        for t in get_workflow("community_proposal").path_to(target):
            actor = next(
                getattr(self, who) for who in ("coordinator", "board", "officer") if who in t.roles
            )
            data = {"act_reference": "DGR 3098/2020"} if t.trigger == "endorse" else None
            if t.trigger == "start_follow_up":
                data = {"reference": "Agreement of May 2021"}
            fire_transition(actor, proposal, t.trigger, comment="Reason.", data=data)
            commit()
        assert proposal.state == target
