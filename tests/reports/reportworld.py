"""The world of the report tests, built through the real operations."""

from __future__ import annotations

from measuretools import Measures

from tracker.database import commit
from tracker.reports.operations import file_report, fire_transition

INDICATORS = {"partners": 3, "firms": 3, "smes": 2, "investments": "250000.50",
              "employment": 120, "projects_started": 2}  # fmt: skip


class ReportWorld:
    def __init__(self, make, world) -> None:
        self.make, self.w = make, world
        self.officer, self.lead = world.officer, world.lead
        m = Measures(make, world)
        self.chain = m.value_chain()  # label decreed on 2022-11-10
        self.partner = make.user("applicant", organisation=self.chain.partners[1].organisation)
        self.stranger = make.user("applicant", organisation=make.organisation("Stranger firm"))
        self.reviewer = world.reviewers[0]
        self.measure = m.measure()
        self.project = m.scored(self.measure, 80)
        m.fire(self.project, self.officer, "grant")
        m.fire(self.project, self.lead, "start_implementation", cup="E17H22001230009")

    def file(self, app, kind, **fields):
        report = file_report(self.lead, app, {"kind": kind, **fields})
        commit()
        return report

    def fire(self, report, user, trigger, comment=""):
        entry = fire_transition(user, report, trigger, comment=comment)
        commit()
        return entry
