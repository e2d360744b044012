"""Monitoring reports: file, list, read, change, move; an application's schedule; the figures."""

from __future__ import annotations

from flask import request

from tracker.api.framework import ID, PAGING, QueryParam, endpoint, paging, query_id
from tracker.api.schemas import HistoryOut, TransitionIn
from tracker.applications.operations import get_application
from tracker.auth.models import User
from tracker.columns import utcnow
from tracker.database import commit
from tracker.errors import Forbidden
from tracker.reports import operations, queries
from tracker.reports.schemas import (
    DueOut,
    ReportFiguresOut,
    ReportIn,
    ReportOut,
    ReportPage,
    ReportPatch,
    ScheduleOut,
)
from workflows.conditions import local_date
from workflows.i18n import N_

APP = f"/applications/<{ID}:application_id>"
REPORT = f"/reports/<{ID}:report_id>"


@endpoint(
    "POST", f"{APP}/reports", summary="File a report", tag="reports",
    body=ReportIn, response=ReportOut, status=201, errors=(403, 404, 409),
)  # fmt: skip
def post_report(user: User, application_id: int, body: ReportIn) -> ReportOut:
    """The lead partner's staff start the next report of ``kind`` (a draft): ``periodic`` on a
    value chain holding its label, ``progress`` or ``final`` on a project being carried out (409
    ``not_reporting`` otherwise; 409 ``duplicate`` for a second final report)."""
    app = get_application(application_id, user, for_change=True)
    report = operations.file_report(user, app, body.fields())
    commit()
    return ReportOut.of(report, user)


@endpoint(
    "GET", f"{APP}/reports", summary="An application's reports", tag="reports",
    response=ReportPage, query=(QueryParam("state", "Only reports in this state."),
                                QueryParam("kind", "periodic, progress or final."), *PAGING),
    errors=(400, 403, 404),
)  # fmt: skip
def list_application_reports(user: User, application_id: int) -> ReportPage:
    """Who may see the application (the reports themselves as ``GET /reports``); newest first."""
    app = get_application(application_id, user)
    page = paging()
    rows, total = queries.list_reports(user, queries.read_filters(request.args, app.id), page)
    return ReportPage.of([ReportOut.of(r, user) for r in rows], page, total)


@endpoint(
    "GET", f"{APP}/reports/schedule", summary="An application's report schedule",
    tag="reports", response=ScheduleOut, errors=(403, 404),
)  # fmt: skip
def report_schedule(user: User, application_id: int) -> ScheduleOut:
    """The kinds of report it files now; its filed reports and those fallen due, with overdue
    ones flagged (the staff of its partners and Region officers)."""
    app = get_application(application_id, user)
    if not (app.roles_of(user) & {"partner", "officer"}):
        raise Forbidden(N_("You may not see this application's reports."), code="not_allowed")
    today = local_date(utcnow())
    return ScheduleOut(
        application_id=app.id,
        kinds=queries.kinds_for(app),
        report_interval_months=app.call.report_interval_months,
        reports=[DueOut.of(d) for d in queries.schedule(app, today)],
    )


@endpoint(
    "GET", "/reports", summary="Monitoring reports", tag="reports", response=ReportPage,
    errors=(400,),
    query=(
        QueryParam("application_id", "Only this application's reports.", {"type": "integer"}),
        QueryParam("state", "Only reports in this state."),
        QueryParam("kind", "periodic, progress or final."),
        *PAGING,
    ),
)  # fmt: skip
def list_reports(user: User) -> ReportPage:
    """What the caller may see: their partnerships' reports, drafts included; officers, every
    report once submitted. Newest first."""
    page = paging()
    rows, total = queries.list_reports(
        user, queries.read_filters(request.args, query_id("application_id")), page
    )
    return ReportPage.of([ReportOut.of(r, user) for r in rows], page, total)


@endpoint(
    "GET", "/reports/figures", summary="Monitoring reports in figures", tag="reports",
    response=ReportFiguresOut, errors=(403,),
)  # fmt: skip
def report_figures(user: User) -> ReportFiguresOut:
    """Officers: reports by kind and state, and how many are overdue."""
    if not user.has_role("officer"):
        raise Forbidden(N_("Only Region officers read these figures."), code="not_allowed")
    return ReportFiguresOut.of(queries.report_figures(local_date(utcnow())))


@endpoint(
    "GET", REPORT, summary="A report", tag="reports", response=ReportOut, errors=(403, 404),
)  # fmt: skip
def get_report(user: User, report_id: int) -> ReportOut:
    """The partnership's staff; Region officers once it was submitted."""
    return ReportOut.of(operations.get_report(report_id, user), user)


@endpoint(
    "PATCH", REPORT, summary="Change a report", tag="reports", body=ReportPatch,
    response=ReportOut, errors=(403, 404, 409),
)  # fmt: skip
def patch_report(user: User, report_id: int, body: ReportPatch) -> ReportOut:
    """The lead partner's staff, while it is a draft or returned for changes (409 otherwise, or
    on a stale ``version``); only the keys sent change; 422 naming every bad field, or a field
    its kind does not have."""
    report = operations.get_report(report_id, user, for_change=True)
    body.refuse_unknown(lambda: ReportOut.of(report, user))
    operations.update_report(user, report, body.fields())
    commit()
    return ReportOut.of(report, user)


@endpoint(
    "POST", f"{REPORT}/transitions", summary="Fire a report's trigger", tag="reports",
    body=TransitionIn, response=ReportOut, errors=(403, 404, 409),
)  # fmt: skip
def fire_report_transition(user: User, report_id: int, body: TransitionIn) -> ReportOut:
    """``submit`` and ``resubmit`` (the lead partner: 422 ``indicators_given``, ``spend_given``
    or ``still_reporting`` when unmet), ``accept`` (an officer), ``return_for_changes`` (an
    officer, comment required)."""
    report = operations.get_report(report_id, user, for_change=True)
    operations.fire_transition(
        user, report, body.trigger, comment=body.comment, data=body.data,
        expected_version=body.version,
    )  # fmt: skip
    commit()
    return ReportOut.of(report, user)


@endpoint(
    "GET", f"{REPORT}/history", summary="A report's history", tag="reports",
    response=[HistoryOut], errors=(403, 404),
)  # fmt: skip
def report_history(user: User, report_id: int) -> list[HistoryOut]:
    """Every state change, oldest first: a bare JSON array."""
    report = operations.get_report(report_id, user)
    return [HistoryOut.of(e) for e in queries.history_of(report)]
