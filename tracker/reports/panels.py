"""What other pages show of monitoring reports: an application's schedule of reports, what
waits on the home page, the dashboard's figures. The application and dashboard pages ask these
(as they ask ``tracker.changes.panels``), so that no page imports another domain's pages."""

from __future__ import annotations

from typing import Any

from tracker.applications.models import Application
from tracker.auth.models import signed_in
from tracker.columns import utcnow
from tracker.reports import queries
from tracker.reports.models import WORKFLOW
from workflows.conditions import local_date
from workflows.definitions.report import KINDS


def application_context(app: Application, user) -> dict[str, Any]:
    """An application's reports for its partners and the officers: the schedule (filed, due,
    overdue), the kinds the lead may file now, the spend reported against the grant."""
    roles = app.roles_of(user) if signed_in(user) is not None else frozenset()
    if not roles & {"partner", "officer"} or queries.never_reported(app):
        return {"reports": None}
    today = local_date(utcnow())
    items = queries.schedule(app, today)
    if not items and not queries.kinds_for(app):
        return {"reports": None}
    lead = "lead" in roles
    visible = [d for d in items if d.report is None or d.report.can_view(user)]
    return {
        "reports": {
            "items": visible,
            "kinds": queries.kinds_for(app) if lead else [],
            "has_final": any(d.kind == "final" for d in items),
            "spend": queries.spend_reported(app) if app.workflow != "value_chain" else None,
            "interval": app.call.report_interval_months,
        }
    }


def home_context(user) -> dict[str, Any]:
    """The home page's overdue reports (past their day and not filed: no report to act on yet,
    so not in the work queue, which lists the reports waiting for someone): the lead partner's
    staff see theirs, officers every one."""
    if signed_in(user) is None:
        return {"reports_overdue": []}
    today = local_date(utcnow())
    if user.has_role("officer"):
        late = queries.overdue(today)
    elif user.has_role("applicant") and user.organisation_id is not None:
        late = queries.overdue(today, user.organisation_id)
    else:
        late = []
    return {"reports_overdue": late[:50]}


def dashboard_context(user) -> dict[str, Any]:
    """The officers' dashboard: reports by kind and state, and how many are overdue."""
    if not user.has_role("officer"):
        return {"report_figures": None}
    return {
        "report_figures": queries.report_figures(local_date(utcnow())),
        "report_workflow": WORKFLOW,
        "report_kinds": KINDS,
    }
