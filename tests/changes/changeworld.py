"""The world of the partnership change tests: a recognised value chain (quality label granted)
of a call requiring three firms with a seat in Lombardy, built through the real operations."""

from __future__ import annotations

from tracker.changes.operations import fire_transition, request_change
from tracker.database import commit


class ChangeWorld:
    def __init__(self, make, world) -> None:
        self.make, self.w = make, world
        self.officer, self.lead, self.call = world.officer, world.lead, world.call
        self.chain = make.application(world.call, world.lead)  # the lead + 2 Lombard firms
        self.partner_org = self.chain.partners[1].organisation
        self.partner = make.user("applicant", organisation=self.partner_org)
        make.fire(self.chain, self.lead, "submit")
        make.fire(self.chain, world.reviewers[0], "admit")
        for r in world.reviewers:
            make.review(self.chain, r)
        make.fire(self.chain, world.reviewers[0], "close_evaluation")
        make.fire(
            self.chain, self.officer, "grant_label", decree_number="D-1", decree_date="2024-06-30"
        )
        self.joiner_org = make.organisation("Joining firm", province="BG")
        self.joiner = make.user("applicant", organisation=self.joiner_org)
        self.stranger = make.user("applicant", organisation=make.organisation("Stranger firm"))

    def ask(self, user, kind, org, **fields):
        change = request_change(user, self.chain, {"kind": kind, "organisation_id": org.id,
                                                   "reason": "Why not.", **fields})  # fmt: skip
        commit()
        return change

    def fire(self, change, user, trigger, comment="Reason given."):
        entry = fire_transition(user, change, trigger, comment=comment)
        commit()
        return entry
