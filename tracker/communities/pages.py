"""Strategic Communities and their proposals, two sections of the site.

Communities: the list, one community with its members and proposals, the forms of its
coordinators (a new community, a new member). Proposals: the list, a new idea, one proposal's
page and its actions. Each POST calls one operation and commits; a refusal re-renders the page
with the message and with what the person typed (as the application pages do).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.communities.access import community_role
from tracker.communities.afil import AFIL
from tracker.communities.forms import (
    ActivityForm,
    CommunityForm,
    EditProposalForm,
    MemberForm,
    ProposalForm,
    ValueChainLinkForm,
)
from tracker.communities.models import ACTIVITY_KINDS, MEMBER_ROLES, Proposal
from tracker.communities.operations import (
    add_member,
    available_transitions,
    can_link_value_chain,
    can_manage_members,
    can_read_activities,
    can_record_activity,
    create_community,
    create_proposal,
    fire_transition,
    get_community,
    get_proposal,
    link_value_chain,
    linkable_applications,
    record_activity,
    update_proposal,
)
from tracker.communities.queries import (
    ProposalFilters,
    history_of,
    list_activities,
    list_communities,
    list_proposals,
    proposal_counts,
    proposals_query,
)
from tracker.database import commit, contains
from tracker.errors import Forbidden, TrackerError
from tracker.exports import export_format
from tracker.exports import lists as export_lists
from tracker.extensions import db
from tracker.firing import path_of
from tracker.i18n import Labels, translate
from tracker.pagination import PageRequest, page_request
from tracker.projects.queries import projects_serving
from tracker.querystring import query_id, query_text
from tracker.validation import MAX_ID
from tracker.web.formerrors import add_error, show_errors
from tracker.web.forms import Search, choices, search_blank
from tracker.web.nextstep import holds_role, next_step
from tracker.web.transitions import kept_attempt, transition_page
from workflows import get_workflow
from workflows.diagram import mermaid
from workflows.i18n import N_, term

bp = Blueprint("communities", __name__, url_prefix="/communities")
proposals_bp = Blueprint("proposals", __name__, url_prefix="/proposals")

#: a community page lists this many of its proposals
SHOWN = 200


#: how many matches a searched select offers
SEARCH_CHOICES = 30


def _people_search(community, selected: Any) -> tuple[list[tuple[str, str]], Search, list[str]]:
    """The people the add-member form offers: active users whose name or email contains
    ``member_q`` (none without a search: there may be thousands), never a member already, and
    the one chosen; with the members matching the words, to say they are in already."""
    q = query_text(request.values, "member_q", max_len=100)
    members = {m.user_id for m in community.members}
    query = select(User).where(User.active.is_(True)).order_by(User.name, User.id)
    rows: list[User] = []
    if q:
        words = contains(q)
        rows = list(
            db.session.scalars(
                query.where(
                    or_(User.name.ilike(words, escape="\\"), User.email.ilike(words, escape="\\"))
                ).limit(SEARCH_CHOICES + len(members) + 1)
            ).all()
        )
    already = [u.name for u in rows if u.id in members]
    rows = [u for u in rows if u.id not in members]
    more, rows = len(rows) > SEARCH_CHOICES, rows[:SEARCH_CHOICES]
    if isinstance(selected, int) and all(u.id != selected for u in rows):
        rows += db.session.scalars(query.where(User.id == selected)).all()
    found = [
        (
            str(u.id),
            f"{u.name} <{u.email}>" + (f", {u.organisation.name}" if u.organisation else ""),
        )
        for u in rows
    ]
    blank = search_blank(q, len(found), already)
    return found, Search("member_q", q or "", len(found), more, blank), already


@bp.get("")
@login_required
def index():
    paging = page_request(request.args)
    items, total = list_communities(paging)
    user = current_user._get_current_object()
    counts = proposal_counts(user, [c.id for c in items])
    return render_template(
        "communities/index.html",
        items=items,
        total=total,
        paging=paging,
        counts=counts,
        can_create=user.has_role("coordinator", "admin"),
        afil=AFIL,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    user = current_user._get_current_object()
    if not user.has_role("coordinator", "admin"):
        raise Forbidden(
            "Only community coordinators and administrators open communities.",
            code="role_not_allowed",
        )
    form = CommunityForm()
    if request.method != "POST":  # GET, and HEAD as GET
        return render_template("communities/new.html", form=form)
    try:
        community = create_community(
            user,
            {
                "name": form.name.data,
                "topic": form.topic.data,
                "description": form.description.data,
            },
        )
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err, {"#duplicate": "name"})
        return render_template("communities/new.html", form=form), err.status
    flash(_("Community “%(name)s” opened.", name=community.name), "success")
    return redirect(url_for(".detail", community_id=community.id))


def _activity_form(community, form=None) -> ActivityForm:
    form = form or ActivityForm(formdata=None)
    rows = db.session.execute(
        select(Proposal.id, Proposal.title)
        .where(Proposal.community_id == community.id)
        .order_by(Proposal.title, Proposal.id)
    ).all()
    form.proposal_id.choices = choices(
        [(str(i), t) for i, t in rows], blank=_("None of its proposals")
    )
    return form


def _render_community(community, *, member_form=None, activity_form=None, status: int = 200):
    user = current_user._get_current_object()
    manage = can_manage_members(user, community)
    search = None
    activities = None
    if can_read_activities(user, community):
        paging = page_request(request.args)
        items, count = list_activities(community, paging)
        activities = {"items": items, "total": count, "paging": paging}
    if can_record_activity(user, community):
        activity_form = _activity_form(community, activity_form)
    else:
        activity_form = None
    if manage:
        member_form = member_form or MemberForm(formdata=None)
        found, search, already = _people_search(community, member_form.person())
        member_form.user_id.choices = choices(found, blank=search.blank)
    proposals, total = list_proposals(
        user, ProposalFilters(community_id=community.id), PageRequest(1, SHOWN)
    )
    workflow = get_workflow("community_proposal")
    by_state = {s.name: [p for p in proposals if p.state == s.name] for s in workflow.states}
    membership = community.membership(user)
    return render_template(
        "communities/detail.html",
        community=community,
        workflow=workflow,
        by_state=by_state,
        total=total,
        shown=len(proposals),
        membership=membership,
        member_form=member_form if manage else None,
        member_search=search,
        activities=activities,
        activity_kinds=Labels(ACTIVITY_KINDS),
        activity_form=activity_form,
        projects=projects_serving(community=community.id),
    ), status


@bp.get("/<int:community_id>")
@login_required
def detail(community_id: int):
    return _render_community(get_community(community_id))


@bp.post("/<int:community_id>/members")
@login_required
def add_member_view(community_id: int):
    community = get_community(community_id)
    form = MemberForm()
    try:
        member = add_member(current_user, community, form.person(), form.role.data)
        commit()
    except TrackerError as err:
        db.session.rollback()
        community = get_community(community_id)
        show_errors(form, err, {"#duplicate": "user_id"})
        return _render_community(community, member_form=form, status=err.status)
    role = translate(MEMBER_ROLES.get(member.role, member.role)).lower()
    flash(
        _("%(name)s joined the community as %(role)s.", name=member.user.name, role=role), "success"
    )
    return redirect(url_for(".detail", community_id=community_id, _anchor="members"))


@bp.post("/<int:community_id>/activities")
@login_required
def record_activity_view(community_id: int):
    community = get_community(community_id)
    form = ActivityForm()
    try:
        record_activity(current_user, community, form.fields())
        commit()
    except TrackerError as err:
        db.session.rollback()
        community = get_community(community_id)
        show_errors(form, err)
        return _render_community(community, activity_form=form, status=err.status)
    flash(_("Activity recorded."), "success")
    return redirect(url_for(".detail", community_id=community_id, _anchor="activities"))


# --- proposals ------------------------------------------------------------------------------

STALE_PROPOSAL_EDIT = N_(
    "Someone else changed this proposal meanwhile: your changes are not saved yet."
)


@proposals_bp.get("", endpoint="index")
@login_required
def proposal_list():
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


@proposals_bp.route("/new", methods=["GET", "POST"], endpoint="new")
@login_required
def new_proposal():
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
    if request.method != "POST":  # GET, and HEAD as GET
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


def _follow_up_choices(page: str) -> tuple[dict[str, list[tuple[str, str]]], dict[str, Search]]:
    """What an endorsed proposal can be linked to: an application handed to the Region, found
    by its number or words of its title (``followup_q``: there are thousands), or a call (a
    few dozen, all offered)."""
    q = query_text(request.values, "followup_q", max_len=100)
    chosen = request.form.get("data-application_id", "").strip()
    query = select(Application.id, Application.title).where(Application.submitted_at.is_not(None))
    apps = []
    if q:
        words = or_(
            Application.title.ilike(contains(q), escape="\\"),
            *([Application.id == int(q.lstrip("#"))] if q.lstrip("#").isdigit() else []),
        )
        apps = db.session.execute(
            query.where(words).order_by(Application.title, Application.id).limit(SEARCH_CHOICES + 1)
        ).all()
    more, apps = len(apps) > SEARCH_CHOICES, apps[:SEARCH_CHOICES]
    if chosen.isdigit() and all(str(i) != chosen for i, _t in apps) and int(chosen) <= MAX_ID:
        apps += db.session.execute(query.where(Application.id == int(chosen))).all()
    calls = db.session.execute(
        select(Call.id, Call.title).order_by(Call.opens_at.desc(), Call.id.desc())
    ).all()
    found = [(str(i), f"#{i} {t}") for i, t in apps]
    return (
        {"application_id": found, "call_id": [(str(i), t) for i, t in calls]},
        {
            "application_id": Search(
                "followup_q", q or "", len(found), more, search_blank(q, len(found)), page
            )
        },
    )


def _link_form(user, proposal, form=None) -> ValueChainLinkForm | None:
    if not can_link_value_chain(user, proposal):
        return None
    form = form or ValueChainLinkForm(formdata=None)
    form.version.data = str(proposal.version)
    form.application_id.choices = choices(
        [(str(a.id), f"#{a.id} {a.title}") for a in linkable_applications(user)],
        blank=_("Not linked"),
    )
    if form.application_id.data is None and proposal.value_chain_application_id:
        form.application_id.data = str(proposal.value_chain_application_id)
    return form


def _render_proposal(
    proposal, *, status: int = 200, alert: str | None = None, attempt=None, link_form=None
):
    user = current_user._get_current_object()
    options = available_transitions(user, proposal)
    history = history_of(proposal)
    wants_links = any(o.trigger == "start_follow_up" and holds_role(o) for o in options)
    page = url_for("proposals.detail", proposal_id=proposal.id)
    links, searches = _follow_up_choices(page) if wants_links else (None, None)
    return render_template(
        "proposals/detail.html",
        proposal=proposal,
        state=proposal.state_info,
        workflow=proposal.definition,
        step=next_step(proposal, options, "not a review"),
        my_options=[o for o in options if holds_role(o)],
        other_options=[o for o in options if not holds_role(o)],
        attempt=attempt or kept_attempt(),
        choices=links,
        searches=searches,
        can_edit=proposal.can_edit(user),
        link_form=_link_form(user, proposal, link_form),
        history=history,
        diagram=mermaid(
            proposal.definition, proposal.state, path_of(history), say=translate, labelled=True
        ),
        alert=alert,
    ), status


@proposals_bp.get("/<int:proposal_id>", endpoint="detail")
@login_required
def proposal_page(proposal_id: int):
    return _render_proposal(get_proposal(proposal_id, current_user))


@proposals_bp.post("/<int:proposal_id>/transitions", endpoint="transition")
@login_required
def proposal_transition(proposal_id: int):
    return transition_page(
        proposal_id, get_proposal, fire_transition, _render_proposal, "proposal",
        lambda action, state: _(
            "%(action)s: done. The proposal is now “%(state)s”.", action=action, state=state
        ),
        url_for(".detail", proposal_id=proposal_id),
    )  # fmt: skip


@proposals_bp.post("/<int:proposal_id>/value-chain", endpoint="link_value_chain")
@login_required
def link_value_chain_view(proposal_id: int):
    proposal = get_proposal(proposal_id, current_user, for_change=True)
    form = ValueChainLinkForm()
    try:
        link_value_chain(current_user, proposal, form.application(), form.version.data)
        commit()
    except TrackerError as err:
        db.session.rollback()
        proposal = get_proposal(proposal_id, current_user, for_change=True)
        if err.code == "stale_version":
            form.version.data = str(proposal.version)
            add_error(form, None, STALE_PROPOSAL_EDIT)
        else:
            show_errors(form, err, {"#duplicate": "application_id"})
        return _render_proposal(proposal, status=err.status, link_form=form)
    flash(_("Value-chain application link saved."), "success")
    return redirect(url_for(".detail", proposal_id=proposal_id, _anchor="value-chain"))


@proposals_bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"], endpoint="edit")
@login_required
def edit_proposal(proposal_id: int):
    proposal = get_proposal(proposal_id, current_user, for_change=True)
    if request.method != "POST":  # GET, and HEAD as GET
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
            add_error(form, None, STALE_PROPOSAL_EDIT)
        else:
            show_errors(form, err)
        return render_template("proposals/edit.html", form=form, proposal=proposal), err.status
    flash(_("Changes saved."), "success")
    return redirect(url_for(".detail", proposal_id=proposal_id))
