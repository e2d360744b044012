"""Everything that changes a community or a proposal: the pages and the API both call these.

Operations check access, validate, change the rows and flush; they never commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.columns import utcnow
from tracker.communities.access import community_role
from tracker.communities.models import (
    ACTIVITY_KINDS,
    MEMBER_ROLES,
    Community,
    CommunityActivity,
    CommunityMember,
    Proposal,
)
from tracker.database import flush
from tracker.effects import effect
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.firing import check_version, options
from tracker.firing import fire_transition as fire_transition  # one firing path for every subject
from tracker.signals import subject_created
from tracker.validation import Problems, is_id
from workflows import Option, get_engine
from workflows.conditions import local_date
from workflows.i18n import N_, term

# --- communities ---------------------------------------------------------------------------------


def get_community(community_id: int) -> Community:
    community = db.session.scalar(
        select(Community)
        .where(Community.id == community_id)
        .options(selectinload(Community.members))
    )
    if community is None:
        raise NotFound(N_("No community %(id)s.", id=community_id))
    return community


def can_manage_members(user, community: Community) -> bool:
    """The community's coordinators and administrators appoint members and coordinators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role("admin") or community_role(user, community.id) == "coordinator"


def create_community(user: User, fields: dict[str, Any]) -> Community:
    """A coordinator or an administrator opens a Strategic Community; a coordinator who opens
    it becomes its first coordinator."""
    if not user.has_role("coordinator", "admin"):
        raise Forbidden(
            "Only community coordinators and administrators open communities.",
            code="role_not_allowed",
        )
    p = Problems()
    name = p.text("name", fields.get("name"), "Name", max_len=200)
    topic = p.text("topic", fields.get("topic"), "Topic", max_len=200, required=False)
    description = p.text(
        "description", fields.get("description"), "Description", max_len=5000, required=False
    )
    p.raise_if_any()
    if db.session.scalar(select(Community.id).where(Community.name == name)):
        raise Conflict(
            N_("A community named '%(name)s' already exists.", name=name), code="duplicate"
        )
    community = Community(name=name, topic=topic, description=description, created_by_id=user.id)
    if user.has_role("coordinator"):
        community.members.append(
            CommunityMember(user_id=user.id, role="coordinator", added_by_id=user.id)
        )
    db.session.add(community)
    flush()
    return community


def add_member(user: User, community: Community, member_id: Any, role: Any) -> CommunityMember:
    """Appoint a member (any active user) or a coordinator (a user holding the coordinator role)."""
    if not can_manage_members(user, community):
        raise Forbidden(
            "Only the community's coordinators and administrators manage its members.",
            code="not_allowed",
        )
    p = Problems()
    if not is_id(member_id):
        p["user_id"] = N_("user_id must be a user's numeric id.")
    role = p.choice("role", role, "Role", MEMBER_ROLES)
    p.raise_if_any()
    person = db.session.get(User, member_id)
    if person is None or not person.active:
        raise ValidationFailed.fields({"user_id": N_("No active user %(id)s.", id=member_id)})
    if role == "coordinator" and not person.has_role("coordinator"):
        raise ValidationFailed.fields(
            {"user_id": N_("%(email)s does not hold the coordinator role.", email=person.email)}
        )
    if community.membership(person) is not None:
        raise Conflict(
            N_("%(email)s is already in this community.", email=person.email), code="duplicate"
        )
    member = CommunityMember(user_id=person.id, role=role, added_by_id=user.id)
    community.members.append(member)
    flush()
    return member


# --- proposals -----------------------------------------------------------------------------------


def get_proposal(proposal_id: int, user, *, for_change: bool = False) -> Proposal:
    """Load a proposal the user may see: 404 when it does not exist, 403 when not theirs;
    ``for_change`` as ``tracker.applications.operations.get_application`` (read afresh, nothing
    locked)."""
    query = select(Proposal).where(Proposal.id == proposal_id)
    if for_change:
        query = query.execution_options(populate_existing=True)
    proposal = db.session.scalar(query)
    if proposal is None:
        raise NotFound(N_("No proposal %(id)s.", id=proposal_id))
    if not proposal.can_view(user):
        raise Forbidden("You may not see this proposal.", code="not_allowed")
    return proposal


def create_proposal(
    user: User, community: Community, fields: dict[str, Any], *, at: dt.datetime | None = None
) -> Proposal:
    """A member or coordinator of the community raises an idea. ``at`` backdates it (demo)."""
    if community_role(user, community.id) is None:
        raise Forbidden(
            "Only members and coordinators of the community raise its proposals.",
            code="not_allowed",
        )
    p = Problems()
    title = p.text("title", fields.get("title"), "Title", max_len=300)
    summary = p.text("summary", fields.get("summary"), "Summary", max_len=20000, required=False)
    p.raise_if_any()
    now = utcnow() if at is None else at
    proposal = Proposal(
        community_id=community.id,
        workflow="community_proposal",
        title=title,
        summary=summary,
        created_by_id=user.id,
        created_at=now,
        updated_at=now,
        state_entered_at=now,
    )
    get_engine(proposal.workflow).initialise(proposal)
    db.session.add(proposal)
    subject_created.send(type(proposal), subject=proposal, user=user)
    flush()
    return proposal


def update_proposal(
    user: User, proposal: Proposal, fields: dict[str, Any], expected_version: Any = None
) -> Proposal:
    """Members and coordinators change the title and summary while it is an idea or a concept."""
    if not proposal.can_edit(user):
        if community_role(user, proposal.community_id) is not None:
            raise Conflict(
                N_(
                    "The proposal cannot be changed while '%(state)s'.",
                    state=term(proposal.state_info.title),
                ),
                code="not_editable",
            )
        raise Forbidden(
            "Only the community's members and coordinators change its proposals.",
            code="not_allowed",
        )
    check_version(proposal, expected_version)
    p = Problems()
    changes = {}
    if "title" in fields:
        changes["title"] = p.text("title", fields.get("title"), "Title", max_len=300)
    if "summary" in fields:
        changes["summary"] = p.text(
            "summary", fields.get("summary"), "Summary", max_len=20000, required=False
        )
    p.raise_if_any()
    for key, value in changes.items():
        setattr(proposal, key, value)
    flush()
    return proposal


def available_transitions(user, proposal: Proposal) -> list[Option]:
    return options(user, proposal)


# --- the value-chain application a proposal becomes -------------------------------------------


def can_link_value_chain(user, proposal: Proposal) -> bool:
    """Members and coordinators of the community link the proposal to the value-chain application
    it becomes, until the proposal follows it (the partnership's own people: see below)."""
    state = proposal.state_info
    return (
        not state.terminal
        and not state.followed_up
        and community_role(user, proposal.community_id) is not None
    )


def link_value_chain(
    user: User, proposal: Proposal, application_id: Any, expected_version: Any = None
) -> Proposal:
    """Link ``proposal`` to a value-chain application (or unlink it: ``application_id`` None).

    Only someone of the community whose organisation is a partner of that application links it:
    its partnership agrees to be shown on the proposal. One proposal per application (409).
    """
    if community_role(user, proposal.community_id) is None:
        raise Forbidden(
            "Only the community's members and coordinators link its proposals.",
            code="not_allowed",
        )
    if not can_link_value_chain(user, proposal):
        raise Conflict(
            N_(
                "The value-chain application cannot be changed while the proposal is '%(state)s'.",
                state=term(proposal.state_info.title),
            ),
            code="not_linkable",
        )
    check_version(proposal, expected_version)
    if application_id is None:
        proposal.value_chain_application_id = None
        proposal.updated_at = utcnow()
        flush()
        return proposal
    if not is_id(application_id):
        raise ValidationFailed.fields(
            {"application_id": N_("application_id must be an application's numeric id.")}
        )
    app = db.session.get(Application, application_id)
    if app is None or app.workflow != "value_chain":
        raise ValidationFailed.fields(
            {"application_id": N_("No value-chain application %(id)s.", id=application_id)}
        )
    if user.organisation_id is None or app.partner_for(user.organisation_id) is None:
        raise ValidationFailed.fields(
            {
                "application_id": N_(
                    "Your organisation is not a partner of “%(title)s”: its partnership links it.",
                    title=app.title,
                )
            }
        )
    other = db.session.scalar(
        select(Proposal.id).where(
            Proposal.value_chain_application_id == app.id, Proposal.id != proposal.id
        )
    )
    if other is not None:
        raise Conflict(
            N_("“%(title)s” is already linked to proposal %(id)s.", title=app.title, id=other),
            code="duplicate",
        )
    proposal.value_chain_application_id = app.id
    proposal.updated_at = utcnow()
    flush()
    return proposal


def linkable_applications(user) -> list[Application]:
    """The value-chain applications of the partnerships ``user``'s organisation belongs to."""
    from tracker.applications.models import Partner

    org = getattr(user, "organisation_id", None)
    if org is None:
        return []
    return list(
        db.session.scalars(
            select(Application)
            .join(Partner, Partner.application_id == Application.id)
            .where(Partner.organisation_id == org, Application.workflow == "value_chain")
            .order_by(Application.title, Application.id)
        ).all()
    )


def proposal_of_application(application_id: int) -> Proposal | None:
    """The community proposal a value-chain application came from, if any."""
    return db.session.scalar(
        select(Proposal).where(Proposal.value_chain_application_id == application_id)
    )


# --- activities ----------------------------------------------------------------------------------


def can_read_activities(user, community: Community) -> bool:
    """The community's members and coordinators read its activities."""
    return community_role(user, community.id) is not None


def can_record_activity(user, community: Community) -> bool:
    """Its coordinators record them."""
    return community_role(user, community.id) == "coordinator"


def record_activity(
    user: User, community: Community, fields: dict[str, Any], *, at: dt.datetime | None = None
) -> CommunityActivity:
    """A coordinator records what the community did: its kind, day, title, notes, and the
    proposal of the community it was about (optional). ``at`` backdates the record (demo)."""
    if not can_record_activity(user, community):
        raise Forbidden(
            "Only the community's coordinators record its activities.", code="not_allowed"
        )
    p = Problems()
    kind = p.choice("kind", fields.get("kind"), N_("Kind"), ACTIVITY_KINDS)
    held_on = p.date("held_on", fields.get("held_on"), N_("Date"))
    title = p.text("title", fields.get("title"), N_("Title"), max_len=300)
    notes = p.text("notes", fields.get("notes"), N_("Notes"), max_len=20000, required=False)
    now = utcnow() if at is None else at
    if held_on is not None and held_on > local_date(now):
        p["held_on"] = N_("Date cannot be in the future: record what took place.")
    proposal_id = fields.get("proposal_id")
    if proposal_id in (None, ""):
        proposal_id = None
    elif (
        not is_id(proposal_id)
        or db.session.scalar(
            select(Proposal.id).where(
                Proposal.id == proposal_id, Proposal.community_id == community.id
            )
        )
        is None
    ):
        p["proposal_id"] = N_("No proposal %(id)s of this community.", id=proposal_id)
    p.raise_if_any()
    activity = CommunityActivity(
        community_id=community.id, kind=kind, held_on=held_on, title=title, notes=notes,
        proposal_id=proposal_id, recorded_by_id=user.id, recorded_at=now,
    )  # fmt: skip
    db.session.add(activity)
    flush()
    return activity


# --- effects the workflow names ------------------------------------------------------------------


def _unmet(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        N_("Conditions not met: %(reasons)s", reasons=message),
        {"unmet": [{"condition": name, "message": message}]},
        code="conditions_unmet",
    )


@effect("record_endorsement")
def record_endorsement(proposal: Proposal, firing, actor) -> None:
    """The Region's act endorsing the proposal stays on it (a CHECK constraint requires it)."""
    proposal.act_reference = firing.data["act_reference"]


@effect("link_follow_up")
def link_follow_up(proposal: Proposal, firing, actor) -> None:
    """Link what followed: an application handed to the Region, a call, or a reference.

    A draft application is not something the Region did: only submitted applications count.
    """
    app_id, call_id = firing.data.get("application_id"), firing.data.get("call_id")
    # look up before anything is flushed: the state must not reach the database unlinked
    with db.session.no_autoflush:
        if app_id is not None:
            app = db.session.get(Application, app_id)
            if app is None or app.submitted_at is None:
                missing = N_("No application %(id)s submitted to the Region.", id=app_id)
                raise _unmet("application_id", missing)
            proposal.follow_up_application_id = app.id
        if call_id is not None:
            if db.session.get(Call, call_id) is None:
                raise _unmet("call_id", N_("No call %(id)s.", id=call_id))
            proposal.follow_up_call_id = call_id
    if firing.data.get("reference"):
        proposal.follow_up_reference = firing.data["reference"]


@effect("follow_value_chain")
def follow_value_chain(proposal: Proposal, firing, actor) -> None:
    """What followed is the value-chain application the partnership filed (the condition
    ``value_chain_application_filed`` checked it was filed)."""
    proposal.follow_up_application_id = proposal.value_chain_application_id
