"""The demo's monitoring reports: one overdue periodic report, one returned for changes, every
completed project's final report accepted before it completed, the history chains intact."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.audit.verify import verify
from tracker.columns import utcnow
from tracker.demo import load_demo
from tracker.extensions import db
from tracker.reports import queries
from tracker.reports.models import Report
from workflows.conditions import local_date


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_demo_reports(app):
    load_demo()
    today = local_date(utcnow())
    reports = db.session.scalars(select(Report)).all()
    returned = [r for r in reports if r.state == "returned"]
    assert len(returned) == 1
    # one periodic report never filed, and the returned one: both past their day
    late = queries.overdue(today)
    assert [d.kind for d in late] == ["periodic", "periodic"]
    assert sum(1 for d in late if (d.application.id, d.period) ==
               (returned[0].application_id, returned[0].period)) == 1  # fmt: skip
    assert {r.kind for r in reports} == {"periodic", "progress", "final"}
    completed = db.session.scalars(
        select(Application).where(Application.state == "completed")
    ).all()
    assert completed
    for project in completed:
        final = next(r for r in reports if r.application_id == project.id and r.kind == "final")
        assert final.state == "accepted" and final.accepted_at < project.state_entered_at
    figures = queries.report_figures(today)
    assert figures.overdue == 2 and figures.count("periodic", "returned") == 1
    report = verify(db.session.connection())
    assert report.intact, report.summary()
