"""Community proposals: the list, a new idea, one proposal's page and its actions.

Each POST calls one operation and commits; a refusal re-renders the page with the message and
with what the person typed (as the application pages do).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.applications.forms import TransitionForm
from tracker.applications.models import Application
from tracker.calls.models import Call
from tracker.communities.access import community_role
from tracker.communities.forms import EditProposalForm, ProposalForm
from tracker.communities.operations import (
    available_transitions,
    create_proposal,
    fire_transition,
    get_community,
    get_proposal,
    update_proposal,
)
from tracker.communities.queries import ProposalFilters, history_of, list_proposals
from tracker.database import commit
from tracker.errors import Forbidden, TrackerError, ValidationFailed
from tracker.extensions import db
from tracker.pagination import page_request
from tracker.params import query_id, query_text
from tracker.records import path_of
from tracker.views.applications import Attempt
from tracker.views.formerrors import add_error, show_errors
from tracker.views.nextstep import holds_role, next_step
from workflows import get_workflow
from workflows.diagram import mermaid

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

STALE_PAGE = (
    "Someone else changed this proposal meanwhile. This page now shows it as it is: "
    "check, then try again."
)
STALE_EDIT = "Someone else changed this proposal meanwhile: your changes are not saved yet."


def _alert(err: TrackerError) -> str:
    return STALE_PAGE if err.code == "stale_version" else err.message


@bp.get("")
@login_required
def index():
    paging = page_request(request.args)
    filters = ProposalFilters(
        community_id=query_id(request.args, "community_id"),
        state=query_text(request.args, "state", max_len=50),
        q=query_text(request.args, "q"),
    )
    items, total = list_proposals(current_user, filters, paging)
    return render_template(
        "proposals/index.html",
        items=items,
        total=total,
        paging=paging,
        filters=filters,
        workflow=get_workflow("community_proposal"),
        filtered=bool(filters.community_id or filters.state or filters.q),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    community_id = query_id(request.args, "community_id")
    if community_id is None:
        return redirect(url_for("communities.index"))
    community = get_community(community_id)
    if community_role(current_user, community.id) is None:
        raise Forbidden(
            "Only members and coordinators of the community raise its proposals.",
            code="not_allowed",
        )
    form = ProposalForm()
    if request.method == "GET":
        return render_template("proposals/new.html", form=form, community=community)
    try:
        proposal = create_proposal(
            current_user, community, {"title": form.title.data, "summary": form.summary.data}
        )
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err)
        return render_template("proposals/new.html", form=form, community=community), err.status
    flash("Idea recorded. The community's coordinators take it from here.", "success")
    return redirect(url_for(".detail", proposal_id=proposal.id))


def _follow_up_choices() -> dict[str, list[tuple[str, str]]]:
    """What an endorsed proposal can be linked to: applications handed to the Region, calls."""
    apps = db.session.execute(
        select(Application.id, Application.title)
        .where(Application.submitted_at.is_not(None))
        .order_by(Application.title, Application.id)
    ).all()
    calls = db.session.execute(
        select(Call.id, Call.title).order_by(Call.opens_at.desc(), Call.id.desc())
    ).all()
    return {
        "application_id": [(str(i), f"#{i} {t}") for i, t in apps],
        "call_id": [(str(i), t) for i, t in calls],
    }


def _render(proposal, *, status: int = 200, alert: str | None = None, attempt=None):
    user = current_user._get_current_object()
    options = available_transitions(user, proposal)
    history = history_of(proposal)
    wants_links = any(o.trigger == "start_follow_up" and holds_role(o) for o in options)
    return render_template(
        "proposals/detail.html",
        proposal=proposal,
        state=proposal.state_info,
        workflow=proposal.definition,
        step=next_step(proposal, options, "not a review"),
        my_options=[o for o in options if holds_role(o)],
        other_options=[o for o in options if not holds_role(o)],
        attempt=attempt,
        choices=_follow_up_choices() if wants_links else None,
        can_edit=proposal.can_edit(user),
        history=history,
        diagram=mermaid(proposal.definition, proposal.state, path_of(history)),
        alert=alert,
    ), status


@bp.get("/<int:proposal_id>")
@login_required
def detail(proposal_id: int):
    return _render(get_proposal(proposal_id, current_user))


@bp.post("/<int:proposal_id>/transitions")
@login_required
def transition(proposal_id: int):
    proposal = get_proposal(proposal_id, current_user, for_update=True)
    form = TransitionForm()
    trigger = (form.trigger.data or "").strip()
    definition = proposal.definition.transition(trigger)
    fields = definition.data if definition else ()
    data = {f.name: request.form.get(f"data-{f.name}", "") for f in fields}
    attempt = Attempt(trigger, form.comment.data or "", data, bool(form.confirm.data))
    try:
        if definition is not None and definition.decisive and not form.confirm.data:
            raise ValidationFailed(
                f"Tick “I confirm” to {definition.label.lower()}: it cannot be undone.",
                {"fields": {"confirm": "Tick this box to confirm."}},
                code="not_confirmed",
            )
        fire_transition(
            current_user,
            proposal,
            trigger,
            comment=form.comment.data or "",
            data=data or None,
            expected_version=form.version.data,
        )
        commit()
    except TrackerError as err:
        db.session.rollback()
        proposal = get_proposal(proposal_id, current_user)
        details = err.details if isinstance(err.details, dict) else {}
        names = {"comment", "confirm", *data, *(f.one_of for f in fields if f.one_of)}
        for u in details.get("unmet") or []:
            if u.get("condition") in names:
                attempt.field_errors[u["condition"]] = u["message"]
            else:
                attempt.messages.append(u["message"])
        for name, message in (details.get("fields") or {}).items():
            attempt.field_errors[name] = message
        if not attempt.messages and not attempt.field_errors:
            attempt.messages.append(err.message)
        return _render(proposal, status=err.status, alert=_alert(err), attempt=attempt)
    flash(
        f"{definition.label}: done. The proposal is now “{proposal.state_info.title}”.", "success"
    )
    return redirect(url_for(".detail", proposal_id=proposal_id))


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = get_proposal(proposal_id, current_user, for_update=True)
    if request.method == "GET":
        if not proposal.can_edit(current_user):
            raise Forbidden(
                f"You may not edit this proposal while it is '{proposal.state_info.title}'.",
                code="not_editable",
            )
        form = EditProposalForm(obj=proposal)
        return render_template("proposals/edit.html", form=form, proposal=proposal)
    form = EditProposalForm()
    try:
        update_proposal(
            current_user,
            proposal,
            {"title": form.title.data, "summary": form.summary.data},
            expected_version=form.version.data,
        )
        commit()
    except TrackerError as err:
        db.session.rollback()
        proposal = get_proposal(proposal_id, current_user)
        if err.code == "stale_version":
            form.version.data = str(proposal.version)
            add_error(form, None, STALE_EDIT)
        else:
            show_errors(form, err)
        return render_template("proposals/edit.html", form=form, proposal=proposal), err.status
    flash("Changes saved.", "success")
    return redirect(url_for(".detail", proposal_id=proposal_id))
