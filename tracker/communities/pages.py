"""Strategic Communities: the list, one community with its members and proposals, the forms of
its coordinators (a new community, a new member)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.auth.models import User
from tracker.communities.forms import CommunityForm, MemberForm
from tracker.communities.models import MEMBER_ROLES
from tracker.communities.operations import (
    add_member,
    can_manage_members,
    create_community,
    get_community,
)
from tracker.communities.queries import (
    ProposalFilters,
    list_communities,
    list_proposals,
    proposal_counts,
)
from tracker.database import commit
from tracker.errors import Forbidden, TrackerError
from tracker.extensions import db
from tracker.pagination import PageRequest, page_request
from tracker.translation import translate
from tracker.views.formerrors import show_errors
from tracker.views.forms import choices
from workflows import get_workflow

bp = Blueprint("communities", __name__, url_prefix="/communities")

#: a community page lists this many of its proposals
SHOWN = 200


def _people_choices(exclude: set[int]) -> list[tuple[str, str]]:
    rows = db.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.name, User.id)
    ).all()
    return [
        (
            str(u.id),
            f"{u.name} <{u.email}>" + (f", {u.organisation.name}" if u.organisation else ""),
        )
        for u in rows
        if u.id not in exclude
    ]


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
    if request.method == "GET":
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


def _render(community, *, member_form=None, status: int = 200):
    user = current_user._get_current_object()
    manage = can_manage_members(user, community)
    if manage:
        member_form = member_form or MemberForm(formdata=None)
        member_form.user_id.choices = choices(
            _people_choices({m.user_id for m in community.members}), blank=_("Choose a person…")
        )
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
    ), status


@bp.get("/<int:community_id>")
@login_required
def detail(community_id: int):
    return _render(get_community(community_id))


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
        return _render(community, member_form=form, status=err.status)
    role = translate(MEMBER_ROLES.get(member.role, member.role)).lower()
    flash(
        _("%(name)s joined the community as %(role)s.", name=member.user.name, role=role), "success"
    )
    return redirect(url_for(".detail", community_id=community_id, _anchor="members"))
