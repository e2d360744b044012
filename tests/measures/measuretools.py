"""Helpers of the phase-2 tests: a support measure modelled on Bando Filiere 2022, a recognised
value chain of the lead's organisation, and applications driven to a given state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from tracker.applications.models import Application
from tracker.applications.operations import fire_transition
from tracker.database import commit
from tracker.extensions import db
from tracker.measures.queries import holds_budget

#: Bando Filiere 2022's criteria and ranges (total 100)
CRITERIA = [
    {"key": "coherence", "label": "Coherence", "max": 10},
    {"key": "innovativeness", "label": "Innovativeness", "max": 20},
    {"key": "added_value", "label": "Measurable added value", "max": 20},
    {"key": "representativeness", "label": "Representativeness", "max": 15},
    {"key": "investments", "label": "Investments", "max": 20},
    {"key": "employment", "label": "Employment growth", "max": 15},
]


def scores_for(total: int) -> dict[str, int]:
    """Criterion scores adding up to ``total`` (0-100), filled in the criteria's order."""
    out, left = {}, total
    for c in CRITERIA:
        out[c["key"]] = min(c["max"], left)
        left -= out[c["key"]]
    assert left == 0, total
    return out


class Measures:
    """Builds measures and drives support applications through the real operations."""

    def __init__(self, make, world):
        self.make, self.world = make, world
        self.officer = world.officer
        self.reviewers = [
            make.user("reviewer", organisation=make.organisation(kind="university"))
            for _ in range(2)
        ]

    def measure(self, **fields):
        today = dt.date.today()
        body = {
            "title": "Bando Filiere (test)",
            "workflow": "support_application",
            "opens_at": (today - dt.timedelta(days=10)).isoformat(),
            "deadline": (today + dt.timedelta(days=60)).isoformat(),
            "min_firms": 3,
            "min_smes": 2,
            "min_reviews": 2,
            "score_threshold": 65,
            "budget": "1000000",
            "max_grant": "400000",
            "label_bonus": 10,
            "criteria": CRITERIA,
        } | fields
        call = self.make.call(self.officer, **body)
        for r in self.reviewers:
            self.make.appoint(call, r)
        return call

    def value_chain(self, lead=None, *, label=True, title="Steel white-slag value chain"):
        """A value chain of ``lead``'s organisation, recognised (label_granted) by default."""
        world, make = self.world, self.make
        lead = lead or world.lead
        chain = make.application(world.call, lead, title=title)
        if label:
            make.fire(chain, lead, "submit")
            make.fire(chain, world.officer, "admit")
            for r in world.reviewers:
                make.review(chain, r)
            make.fire(chain, world.officer, "close_evaluation")
            make.fire(
                chain, world.officer, "grant_label", decree_number="18573",
                decree_date="2022-11-10",
            )  # fmt: skip
        return chain

    def application(self, call, lead=None, amount="300000", **fields):
        lead = lead or self.world.lead
        return self.make.application(
            call, lead, firms=call.min_firms, requested_amount=amount, **fields
        )

    def scored(self, call, total=80, lead=None, amount="300000", reviewers=2, **fields):
        """An application evaluated by ``reviewers`` reviewers at ``total``, evaluation closed."""
        app = self.application(call, lead, amount, **fields)
        lead = lead or self.world.lead
        self.fire(app, lead, "submit")
        self.fire(app, self.officer, "admit")
        for r in self.reviewers[:reviewers]:
            self.make.review(app, r, scores_for(total))
        self.fire(app, self.officer, "close_evaluation")
        return app

    def fire(self, app, user, trigger, comment="", **data):
        entry = fire_transition(user, app, trigger, comment=comment, data=data or None)
        commit()
        return entry


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def committed_by_grants(call_id: int) -> Decimal:
    """The sum of the amounts granted and still held: always equal to ``Call.committed``."""
    total = db.session.scalar(
        select(func.sum(Application.granted_amount)).where(
            Application.call_id == call_id, holds_budget()
        )
    )
    return total or Decimal(0)


def accept_final_report(lead, officer, app) -> None:
    """The project's final report, filed by ``lead`` and accepted by ``officer``: what lets the
    Region complete it (issue 13, ``final_report_accepted``)."""
    from tracker.reports.operations import file_report
    from tracker.reports.operations import fire_transition as fire_report

    if app.final_report_state == "accepted":  # a case driving the same project again
        return
    report = file_report(lead, app, {"kind": "final", "spend": "1000"})
    fire_report(lead, report, "submit")
    fire_report(officer, report, "accept")
    commit()
