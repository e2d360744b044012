"""Every transition of ``report``, from each of its sources, fired by each kind of person on a
real report: allowed exactly when the person's object roles meet the transition's roles, and
every outcome leaves state and history in step."""

from __future__ import annotations

import pytest
from reportworld import INDICATORS
from sqlalchemy import func, select

from tracker.errors import Forbidden
from tracker.extensions import db
from tracker.reports.models import ReportHistory
from tracker.reports.operations import fire_transition
from workflows import get_workflow

WF = get_workflow("report")
ROLES = {
    "lead": {"lead", "partner"},
    "partner": {"partner"},
    "officer": {"officer"},
    "reviewer": set(),
    "stranger": set(),
}
CASES = [
    pytest.param(t, source, who, id=f"{t.trigger}-from-{source}-by-{who}")
    for t in WF.transitions
    for source in t.sources
    for who in ROLES
]


def _count(report) -> int:
    return db.session.scalar(
        select(func.count()).select_from(ReportHistory).where(ReportHistory.report_id == report.id)
    )


@pytest.mark.parametrize(("transition", "source", "who"), CASES)
def test_report_transition_by_person(rw, transition, source, who):
    report = rw.file(rw.chain, "periodic", **INDICATORS)
    for step in WF.steps_between(report.state, source):
        rw.fire(report, rw.lead if step.role == "lead" else rw.officer, step.trigger, "Why.")
    person = {"lead": rw.lead, "partner": rw.partner, "officer": rw.officer,
              "reviewer": rw.reviewer, "stranger": rw.stranger}[who]  # fmt: skip
    assert report.roles_of(person) == frozenset(ROLES[who])
    before = _count(report)
    if ROLES[who] & transition.roles:
        entry = fire_transition(person, report, transition.trigger, comment="Reason given.")
        db.session.commit()
        assert (entry.from_state, entry.to_state, entry.actor_id) == (
            source, transition.dest, person.id,
        )  # fmt: skip
        assert report.state == transition.dest and _count(report) == before + 1
        assert report.history_head == entry.hash
    else:
        with pytest.raises(Forbidden):
            fire_transition(person, report, transition.trigger, comment="Reason given.")
        db.session.rollback()
        db.session.refresh(report)
        assert report.state == source and _count(report) == before
