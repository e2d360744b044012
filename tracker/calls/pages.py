"""Calls: the list, a call's rules and committee, and the officers' forms."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.applications.queries import counts_by_state
from tracker.calls.forms import AppointMemberForm, CallForm, ExtendDeadlineForm, WindowForm
from tracker.calls.operations import (
    appoint_member,
    create_call,
    extend_deadline,
    open_window,
    require_officer,
)
from tracker.calls.queries import call_for_page, calls_overview, reviewer_choices
from tracker.columns import utcnow
from tracker.database import commit
from tracker.errors import NotFound, TrackerError
from tracker.exports import export_format
from tracker.exports import lists as export_lists
from tracker.extensions import db
from tracker.i18n import translate
from tracker.measures.panels import measure_context
from tracker.measures.rules import LABEL_RULES, STATE_AID_REGIMES
from tracker.reference import DGR_5899_AREAS, THEMATIC_AREAS
from tracker.web.formerrors import add_error, show_errors
from tracker.web.forms import choices
from tracker.web.redisplay import draws
from workflows import APPLICATION_WORKFLOWS, WORKFLOWS
from workflows.conditions import local_date
from workflows.i18n import N_

bp = Blueprint("calls", __name__, url_prefix="/calls")


def _is_staff(user) -> bool:
    return user.is_authenticated and user.has_role("officer", "reviewer")


@bp.get("")
def index():
    calls = calls_overview()
    fmt = export_format(request.args.get("format"))
    if fmt is not None:
        return export_lists.calls(calls, fmt)
    now = utcnow()
    return render_template(
        "calls/index.html", calls=[(c, c.is_open(now)) for c in calls], today=local_date(now)
    )


def _load(call_id: int):
    call = call_for_page(call_id)
    if call is None:
        raise NotFound(N_("No call %(id)s.", id=call_id))
    return call


@draws("call")  # also for the annexes' form (tracker.documents.annex_pages)
def _render_call(call, *, extend_form=None, appoint_form=None, status=200):
    user = current_user
    officer = user.is_authenticated and user.has_role("officer")
    if officer:
        extend_form = extend_form or ExtendDeadlineForm(formdata=None)
        appoint_form = appoint_form or AppointMemberForm(formdata=None)
        appoint_form.user_id.choices = choices(
            reviewer_choices(call), blank=_("Choose a committee member…")
        )
    counts = counts_by_state(user, call.id) if _is_staff(user) else None
    workflow = call.workflow_definition
    return render_template(
        "calls/detail.html",
        call=call,
        workflow=workflow,
        is_open=call.is_open(utcnow()),
        today=local_date(utcnow()),
        counts=counts,
        officer=officer,
        extend_form=extend_form,
        appoint_form=appoint_form,
        can_apply=user.is_authenticated and user.has_role("applicant"),
        **measure_context(call, user),
    ), status


@bp.get("/<int:call_id>")
def detail(call_id: int):
    call = _load(call_id)
    fmt = export_format(request.args.get("format"))
    if fmt is not None:
        ranked = measure_context(call, current_user)["measure"]
        if not ranked or ranked["ranking"] is None:
            raise NotFound(N_("Call %(id)s has no ranking to download.", id=call_id))
        return export_lists.ranking(call, ranked["ranking"], fmt)
    return _render_call(call)


def _call_form() -> CallForm:
    form = CallForm()
    form.workflow.choices = choices((wf.name, wf.title) for wf in APPLICATION_WORKFLOWS.values())
    form.state_aid_regime.choices = choices(
        ((k, translate(v)) for k, v in STATE_AID_REGIMES.items()), blank=_("Not stated")
    )
    form.label_rule.choices = choices((k, translate(v)) for k, v in LABEL_RULES.items())
    form.thematic_areas.choices = [(k, translate(v)) for k, v in THEMATIC_AREAS.items()]
    if request.method != "POST":
        form.thematic_areas.data = list(DGR_5899_AREAS)
    return form


def _criteria(form: CallForm | WindowForm) -> tuple[list[dict], list[int]]:
    """The filled-in criterion rows, and for each its row number on the form."""
    rows, positions = [], []
    for i, entry in enumerate(form.criteria.entries):
        row = entry.form
        if row.is_blank():
            continue
        rows.append(
            {"key": (row.key.data or "").strip(), "label": row.label.data, "max": row.max.data}
        )
        positions.append(i)
    return rows, positions


def _show_call_errors(form: CallForm | WindowForm, err: TrackerError, positions: list[int]) -> None:
    fields = (err.details or {}).get("fields") if isinstance(err.details, dict) else None
    if not fields:
        show_errors(form, err)
        return
    for name, message in fields.items():
        if name.startswith("criteria[") and "]" in name:
            index, _, attr = name[len("criteria[") :].partition("]")
            row = form.criteria.entries[positions[int(index)]].form
            attr = attr.lstrip(".")
            if attr in row._fields:
                add_error(row, attr, message)
            else:
                add_error(form, None, f"Criterion row {positions[int(index)] + 1}: {message}")
        else:
            add_error(form, name, message)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require_officer(current_user)
    form = _call_form()
    if request.method != "POST":  # GET, and HEAD as GET
        return render_template("calls/new.html", form=form, workflows=WORKFLOWS)
    criteria, positions = _criteria(form)
    fields = {
        name: form[name].data
        for name in (
            "title", "workflow", "opens_at", "deadline", "min_firms", "min_reviews",
            "score_threshold", "act_reference", "description", "budget", "max_grant",
            "min_smes", "label_bonus", "min_spend", "max_spend", "sme_intensity",
            "large_intensity", "state_aid_regime", "one_project_per_firm", "label_rule",
            "label_applied_by", "label_recognised_by", "lead_must_be_firm", "criteria_illustrative",
            "opens_at_illustrative", "integration_reply_days", "report_interval_months",
        )
    }  # fmt: skip
    fields["criteria"] = criteria
    fields["thematic_areas"] = list(form.thematic_areas.data or [])
    try:
        call = create_call(current_user, fields)
        commit()
    except TrackerError as err:
        db.session.rollback()
        _show_call_errors(form, err, positions)
        return render_template("calls/new.html", form=form, workflows=WORKFLOWS), err.status
    flash(_("Call “%(title)s” created.", title=call.title), "success")
    return redirect(url_for(".detail", call_id=call.id))


@bp.post("/<int:call_id>/deadline")
@login_required
def extend(call_id: int):
    call = _load(call_id)
    form = ExtendDeadlineForm()
    try:
        extension = extend_deadline(
            current_user, call, form.deadline.data, form.reason.data or "",
            form.act_number.data, form.act_date.data or None,
        )  # fmt: skip
        commit()
    except TrackerError as err:
        db.session.rollback()
        if err.status == 403:
            raise
        show_errors(form, err)
        return _render_call(_load(call_id), extend_form=form, status=err.status)
    flash(
        _("Deadline extended to %(day)s.", day=extension.new_deadline.strftime("%d/%m/%Y")),
        "success",
    )
    return redirect(url_for(".detail", call_id=call_id))


@bp.post("/<int:call_id>/committee")
@login_required
def appoint(call_id: int):
    call = _load(call_id)
    form = AppointMemberForm()
    raw = (form.user_id.data or "").strip()
    try:
        member = appoint_member(current_user, call, int(raw) if raw.isdigit() else raw or None)
        commit()
    except TrackerError as err:
        db.session.rollback()
        if err.status == 403:
            raise
        show_errors(form, err, {"#not_found": "user_id", "#duplicate": "user_id"})
        return _render_call(_load(call_id), appoint_form=form, status=err.status)
    flash(_("%(name)s now sits on the evaluation committee.", name=member.user.name), "success")
    return redirect(url_for(".detail", call_id=call_id))


def _window_form(call) -> WindowForm:
    form = WindowForm()
    form.thematic_areas.choices = [(k, translate(v)) for k, v in THEMATIC_AREAS.items()]
    if request.method != "POST" and call.current_window is not None:
        form.thematic_areas.data = list(call.current_window.thematic_areas)
    return form


@bp.route("/<int:call_id>/windows/new", methods=["GET", "POST"])
@login_required
def new_window(call_id: int):
    """An officer records a new window of the call, with the rules its act set."""
    require_officer(current_user)
    call = _load(call_id)
    form = _window_form(call)
    if request.method != "POST":  # GET, and HEAD as GET
        return render_template("calls/window_new.html", form=form, call=call)
    criteria, positions = _criteria(form)
    fields = {
        name: form[name].data
        for name in (
            "act_number", "act_date", "opens_at", "deadline", "score_threshold",
            "criteria_illustrative", "opens_at_illustrative",
        )
    }  # fmt: skip
    fields["act_date"] = fields["act_date"] or None
    fields["criteria"] = criteria
    fields["thematic_areas"] = list(form.thematic_areas.data or [])
    try:
        window = open_window(current_user, call, fields)
        commit()
    except TrackerError as err:
        db.session.rollback()
        if err.status == 403:
            raise
        _show_call_errors(form, err, positions)
        call = _load(call_id)
        return render_template("calls/window_new.html", form=form, call=call), err.status
    flash(_("Window %(number)s opened.", number=window.number), "success")
    return redirect(url_for(".detail", call_id=call_id, _anchor="windows"))
