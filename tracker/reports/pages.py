"""Monitoring reports: the list, filing a report, one report's page with its form and actions.
Each POST calls one operation and commits; a refusal re-renders the page with the message and
with what the person typed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.applications.operations import get_application
from tracker.database import commit
from tracker.errors import TrackerError
from tracker.extensions import db
from tracker.firing import path_of
from tracker.i18n import translate
from tracker.pagination import page_request
from tracker.querystring import query_id
from tracker.reports.forms import PERIODIC_FIELDS, PROJECT_FIELDS, ReportForm
from tracker.reports.operations import (
    available_transitions,
    file_report,
    fire_transition,
    get_report,
    update_report,
)
from tracker.reports.queries import history_of, list_reports, read_filters, spend_reported
from tracker.web.formerrors import show_errors
from tracker.web.nextstep import holds_role, next_step
from tracker.web.transitions import transition_page
from workflows.definitions.report import KINDS
from workflows.diagram import mermaid
from workflows.i18n import N_

from .models import WORKFLOW

bp = Blueprint("reports", __name__)


def _user():
    return current_user._get_current_object()


@bp.get("/reports")
@login_required
def index():
    filters = read_filters(request.args, query_id(request.args, "application_id"))
    paging = page_request(request.args)
    items, total = list_reports(_user(), filters, paging)
    return render_template(
        "reports/index.html", items=items, total=total, paging=paging, filters=filters,
        states=[(s.name, s.title) for s in WORKFLOW.states], kinds=KINDS,
    )  # fmt: skip


@bp.post("/applications/<int:application_id>/reports")
@login_required
def new(application_id: int):
    """The lead files the next report of a kind: a draft, filled on its own page."""
    app = get_application(application_id, _user(), for_change=True)
    try:
        report = file_report(_user(), app, {"kind": request.form.get("kind")})
        commit()
    except TrackerError as err:
        db.session.rollback()
        if err.status in (403, 404):
            raise  # not theirs to file: refused, not told
        flash(translate(err.message), "error")
        return redirect(
            url_for("applications.detail", application_id=application_id, _anchor="reports")
        )
    flash(_("Report started: fill it in and submit it."), "success")
    return redirect(url_for(".detail", report_id=report.id))


def _render(report, *, form: ReportForm | None = None, status: int = 200, alert=None,
            attempt=None):  # fmt: skip
    user = _user()
    options = available_transitions(user, report)
    history = history_of(report)
    if form is None:
        form = ReportForm(formdata=None)
        form.fill(report)
    project = report.kind != "periodic"
    return render_template(
        "reports/detail.html",
        report=report,
        application=report.application,
        can_view_application=report.application.can_view(user),
        can_edit=report.can_edit(user),
        form=form,
        inputs=PROJECT_FIELDS if project else PERIODIC_FIELDS,
        spend_accepted=spend_reported(report.application) if project else None,
        state=report.state_info,
        workflow=report.definition,
        step=next_step(report, options, "not a review"),
        my_options=[o for o in options if holds_role(o)],
        other_options=[o for o in options if not holds_role(o)],
        attempt=attempt,
        history=history,
        diagram=mermaid(report.definition, report.state, path_of(history), say=translate),
        alert=alert,
    ), status


@bp.get("/reports/<int:report_id>")
@login_required
def detail(report_id: int):
    return _render(get_report(report_id, _user()))


@bp.post("/reports/<int:report_id>")
@login_required
def save(report_id: int):
    """Save what the form says (the lead, while a draft or returned)."""
    report = get_report(report_id, _user(), for_change=True)
    form = ReportForm()
    try:
        update_report(_user(), report, form.fields(report.kind))
        commit()
    except TrackerError as err:
        db.session.rollback()
        if err.status in (403, 404):
            raise
        report = get_report(report_id, _user())
        show_errors(form, err)
        return _render(report, form=form, status=err.status)
    flash(_("Report saved."), "success")
    return redirect(url_for(".detail", report_id=report_id))


@bp.post("/reports/<int:report_id>/transitions")
@login_required
def transition(report_id: int):
    return transition_page(
        report_id, get_report, fire_transition, _render, N_("report"),
        lambda action, state: _(
            "%(action)s: done. The report is now “%(state)s”.", action=action, state=state
        ),
        url_for(".detail", report_id=report_id),
    )  # fmt: skip
