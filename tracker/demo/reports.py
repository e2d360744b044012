"""Demo: monitoring reports, all invented (figures, dates, comments).

Every recognised value chain filed its yearly periodic reports and the Region accepted them,
but one chain whose latest report is overdue (never filed) and one whose latest report the Region
returned for changes. Every project in implementation filed its yearly progress reports, accepted;
every completed project's final report was accepted just before the Region completed it (the
measures' builder calls ``accept_final_report``). Built through the real operations, backdated
like the rest of the demo, after the partnership changes (modules load in name order).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

SUMMARY = {
    "periodic": "The partners met quarterly; the shared plan moved on as agreed.",
    "progress": "Work packages on schedule; eligible costs documented with invoices.",
    "final": "All work packages delivered; eligible costs documented with invoices.",
}
RETURNED = "The employment figure does not match the partners' declarations: check it."


def _fire(user, report, trigger: str, at: dt.datetime, comment: str = "") -> None:
    from tracker.reports.operations import fire_transition

    fire_transition(user, report, trigger, comment=comment, at=at)


def accept_final_report(app, lead, officer, completed_at: dt.datetime) -> None:
    """The project's final report, filed six weeks before the Region completes the project,
    accepted the week before; its spend is the grant, as a project spent in full."""
    from tracker.reports.operations import file_report

    filed = completed_at - dt.timedelta(days=45)
    report = file_report(
        lead, app, {"kind": "final", "spend": str(app.granted_amount or 0),
                    "summary": SUMMARY["final"]}, at=filed,
    )  # fmt: skip
    _fire(lead, report, "submit", filed + dt.timedelta(days=2))
    _fire(officer, report, "accept", completed_at - dt.timedelta(days=7))


def _indicators(app) -> dict[str, Any]:
    orgs = app.partner_organisations
    firms = sum(1 for o in orgs if o.kind == "firm")
    return {
        "partners": len(orgs), "firms": firms, "smes": sum(1 for o in orgs if o.is_sme),
        "investments": str(Decimal(150_000 + 12_500 * (app.id % 17))),
        "employment": 40 + 9 * firms, "projects_started": 1 + app.id % 3,
    }  # fmt: skip


def _file(app, lead, kind: str, at: dt.datetime):
    from tracker.reports.operations import file_report

    fields = {"kind": kind, "summary": SUMMARY[kind]}
    if kind == "periodic":
        fields |= _indicators(app)
    else:  # a yearly share of the grant
        fields["spend"] = str(((app.granted_amount or Decimal(0)) / 3).quantize(Decimal("0.01")))
    return file_report(lead, app, fields, at=at)


def _staff_of(organisation_id: int):
    from sqlalchemy import select

    from tracker.auth.models import User
    from tracker.extensions import db

    return db.session.scalar(
        select(User).where(User.organisation_id == organisation_id).order_by(User.id).limit(1)
    )


def extend(world: Any) -> str:
    from sqlalchemy import select

    from tracker.applications.models import Application
    from tracker.columns import utcnow
    from tracker.extensions import db
    from tracker.reports import queries
    from tracker.reports.schedule import periods_due
    from workflows.conditions import local_date

    officer, now = world.users["officer"], utcnow()
    today = local_date(now)
    apps = db.session.scalars(select(Application).order_by(Application.id)).all()
    reporting = [
        (app, kind, start, lead)
        for app in apps
        for kind in ("periodic", "progress")
        if (start := queries.start_of(app, kind)) is not None
        and (lead := _staff_of(app.lead_organisation_id)) is not None
    ]
    late = [r for r in reporting if r[1] == "periodic" and periods_due(r[2], 12, today) >= 2]
    overdue_chain = late[0][0] if late else None
    returned_chain = late[1][0] if len(late) > 1 else None
    filed = overdue = returned = 0
    for app, kind, start, lead in reporting:
        periods = periods_due(start, app.call.report_interval_months, today)
        for k in range(1, periods + 1):
            latest = k == periods
            if latest and app is overdue_chain:
                overdue += 1
                continue  # never filed: the dashboards show it overdue
            due = queries.due_on(start, app.call.report_interval_months, k)
            at = dt.datetime.combine(due, dt.time(10), tzinfo=dt.UTC) - dt.timedelta(days=12)
            report = _file(app, lead, kind, at)
            # a report due days ago was answered since, never in the future
            answered = min(at + dt.timedelta(days=25), now - dt.timedelta(hours=2))
            _fire(lead, report, "submit", min(at + dt.timedelta(days=3), answered))
            if latest and app is returned_chain:
                _fire(officer, report, "return_for_changes", answered, RETURNED)
                returned += 1
            else:
                _fire(officer, report, "accept", answered)
            filed += 1
    # how many were filed grows with the calendar: the summary says what does not
    return (
        f"Reports: every periodic and progress report due is filed but {overdue}, overdue; "
        f"{returned} returned for changes (overdue too until resubmitted); every completed "
        "project's final report is accepted."
    )
