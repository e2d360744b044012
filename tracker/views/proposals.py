"""Community proposals: the list, a new idea, one proposal's page and its actions.

Each POST calls one operation and commits; a refusal re-renders the page with the message and
with what the person typed (as the application pages do).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

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
from tracker.communities.queries import (
    ProposalFilters,
    history_of,
    list_proposals,
    proposals_query,
)
from tracker.database import commit
from tracker.errors import Forbidden, TrackerError
from tracker.exports import export_format
from tracker.exports import lists as export_lists
from tracker.extensions import db
from tracker.pagination import page_request
from tracker.params import query_id, query_text
from tracker.records import path_of
from tracker.translation import translate
from tracker.views.formerrors import add_error, show_errors
from tracker.views.nextstep import holds_role, next_step
from tracker.views.transitions import stale_alert, submit_transition
from workflows import get_workflow
from workflows.diagram import mermaid
from workflows.i18n import N_, term

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

STALE_EDIT = N_("Someone else changed this proposal meanwhile: your changes are not saved yet.")


@bp.get("")
@login_required
def index():
    paging = page_request(request.args)
    filters = ProposalFilters(
        community_id=query_id(request.args, "community_id"),
        state=query_text(request.args, "state", max_len=50),
        q=query_text(request.args, "q"),
    )
    fmt = export_format(request.args.get("format"))
    if fmt is not None:
        return export_lists.proposals(proposals_query(current_user, filters), fmt)
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
    flash(_("Idea recorded. The community's coordinators take it from here."), "success")
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
        diagram=mermaid(proposal.definition, proposal.state, path_of(history), say=translate),
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
    done, attempt = submit_transition(proposal, fire_transition)
    if attempt is not None:
        proposal = get_proposal(proposal_id, current_user)
        alert = stale_alert(attempt.error, "proposal")
        return _render(proposal, status=attempt.error.status, alert=alert, attempt=attempt)
    flash(
        _(
            "%(action)s: done. The proposal is now “%(state)s”.",
            action=translate(done.label),
            state=translate(proposal.state_info.title),
        ),
        "success",
    )
    return redirect(url_for(".detail", proposal_id=proposal_id))


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = get_proposal(proposal_id, current_user, for_update=True)
    if request.method == "GET":
        if not proposal.can_edit(current_user):
            raise Forbidden(
                N_(
                    "You may not edit this proposal while it is '%(state)s'.",
                    state=term(proposal.state_info.title),
                ),
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
    flash(_("Changes saved."), "success")
    return redirect(url_for(".detail", proposal_id=proposal_id))
