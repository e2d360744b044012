"""AFIL Strategic Communities, their members, and their proposals to the Region."""

from __future__ import annotations

from tracker.api.framework import ID, PAGING, QueryParam, endpoint, paging, query_id, query_text
from tracker.api.schemas import HistoryOut, TransitionIn
from tracker.applications.operations import get_application
from tracker.auth.models import User
from tracker.communities import operations, queries
from tracker.communities.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPage,
    CommunityIn,
    CommunityMemberIn,
    CommunityOut,
    CommunityPage,
    MemberOut,
    ProposalIn,
    ProposalOriginOut,
    ProposalOut,
    ProposalPage,
    ValueChainLinkIn,
)
from tracker.database import commit
from tracker.errors import Forbidden, NotFound, ValidationFailed
from workflows.i18n import N_

PROPOSAL = f"/proposals/<{ID}:proposal_id>"


# --- communities ---------------------------------------------------------------------------------


@endpoint(
    "GET", "/communities", summary="List the Strategic Communities", tag="communities",
    response=CommunityPage, query=PAGING, errors=(400,),
)  # fmt: skip
def list_communities(user: User) -> CommunityPage:
    """Every community, by name, with its members and coordinators."""
    page = paging()
    rows, total = queries.list_communities(page)
    return CommunityPage.of(rows, page, total)


@endpoint(
    "POST", "/communities", summary="Open a Strategic Community", tag="communities",
    body=CommunityIn, response=CommunityOut, status=201, errors=(403, 409),
)  # fmt: skip
def post_community(user: User, body: CommunityIn) -> CommunityOut:
    """Coordinators and administrators; 409 if the name is taken."""
    community = operations.create_community(user, body.fields())
    commit()
    return CommunityOut.model_validate(community)


@endpoint(
    "GET", f"/communities/<{ID}:community_id>", summary="A Strategic Community",
    tag="communities", response=CommunityOut, errors=(404,),
)  # fmt: skip
def get_community(user: User, community_id: int) -> CommunityOut:
    return CommunityOut.model_validate(operations.get_community(community_id))


@endpoint(
    "POST", f"/communities/<{ID}:community_id>/members", summary="Add a member or coordinator",
    tag="communities", body=CommunityMemberIn, response=MemberOut, status=201,
    errors=(403, 404, 409),
)  # fmt: skip
def add_community_member(user: User, community_id: int, body: CommunityMemberIn) -> MemberOut:
    """The community's coordinators and administrators. A coordinator must hold the coordinator
    role; 409 if the user is already in the community."""
    community = operations.get_community(community_id)
    member = operations.add_member(user, community, body.user_id, body.role)
    commit()
    return MemberOut.model_validate(member)


@endpoint(
    "GET", f"/communities/<{ID}:community_id>/activities", summary="The community's activities",
    tag="communities", response=ActivityPage, query=PAGING, errors=(400, 403, 404),
)  # fmt: skip
def list_community_activities(user: User, community_id: int) -> ActivityPage:
    """Newest first; the community's members and coordinators only (403 for others)."""
    community = operations.get_community(community_id)
    if not operations.can_read_activities(user, community):
        raise Forbidden(
            "Only the community's members and coordinators read its activities.",
            code="not_allowed",
        )
    page = paging()
    rows, total = queries.list_activities(community, page)
    return ActivityPage.of([ActivityOut.of(a) for a in rows], page, total)


@endpoint(
    "POST", f"/communities/<{ID}:community_id>/activities", summary="Record an activity",
    tag="communities", body=ActivityIn, response=ActivityOut, status=201,
    errors=(403, 404),
)  # fmt: skip
def post_community_activity(user: User, community_id: int, body: ActivityIn) -> ActivityOut:
    """The community's coordinators: an industrial visit, a project update, a B2B
    match-making, a concept validation, funding scouting, training or a value-chain discussion;
    422 naming each bad field."""
    community = operations.get_community(community_id)
    activity = operations.record_activity(user, community, body.fields())
    commit()
    return ActivityOut.of(activity)


# --- proposals -----------------------------------------------------------------------------------


@endpoint(
    "GET", "/proposals", summary="List community proposals", tag="proposals",
    response=ProposalPage, errors=(400,),
    query=(
        QueryParam("community_id", "Only this community's proposals.", {"type": "integer"}),
        QueryParam("state", "Only proposals in this state."),
        QueryParam("q", "Words of the title."),
        *PAGING,
    ),
)  # fmt: skip
def list_proposals(user: User) -> ProposalPage:
    """What the caller may see: every proposal of their communities; for the AFIL board, those
    that reached board review; for Region officers, those submitted to the Region."""
    page = paging()
    filters = queries.ProposalFilters(
        community_id=query_id("community_id"),
        state=query_text("state", max_len=50),
        q=query_text("q"),
    )
    rows, total = queries.list_proposals(user, filters, page)
    return ProposalPage.of([ProposalOut.of(p, user) for p in rows], page, total)


@endpoint(
    "POST", "/proposals", summary="Raise a proposal", tag="proposals", body=ProposalIn,
    response=ProposalOut, status=201, errors=(403,),
)  # fmt: skip
def post_proposal(user: User, body: ProposalIn) -> ProposalOut:
    """A member or coordinator of the community raises an idea (403 for anyone else)."""
    try:
        community = operations.get_community(body.community_id)
    except NotFound as err:
        raise ValidationFailed.fields({"community_id": err.message}) from None
    proposal = operations.create_proposal(user, community, body.fields())
    commit()
    return ProposalOut.of(proposal, user)


@endpoint(
    "GET", PROPOSAL, summary="A community proposal", tag="proposals", response=ProposalOut,
    errors=(403,),
)  # fmt: skip
def get_proposal(user: User, proposal_id: int) -> ProposalOut:
    """403 if the caller may not see it, 404 if it does not exist."""
    return ProposalOut.of(operations.get_proposal(proposal_id, user), user)


@endpoint(
    "POST", f"{PROPOSAL}/transitions", summary="Fire a proposal's workflow trigger",
    tag="proposals", body=TransitionIn, response=ProposalOut, errors=(403, 409),
)  # fmt: skip
def fire_proposal_transition(user: User, proposal_id: int, body: TransitionIn) -> ProposalOut:
    """As for applications: 403 if the caller's role may not fire it; 409 if the trigger is not
    valid from the current state or ``version`` is stale; 422 naming each unmet condition in
    ``details.unmet`` (``act_reference`` to endorse; a comment to decline or return; a link to
    what followed to start the follow-up: ``application_id``, ``call_id`` or ``reference``)."""
    proposal = operations.get_proposal(proposal_id, user, for_change=True)
    operations.fire_transition(
        user, proposal, body.trigger, comment=body.comment, data=body.data,
        expected_version=body.version,
    )  # fmt: skip
    commit()
    return ProposalOut.of(proposal, user)


@endpoint(
    "PUT", f"{PROPOSAL}/value-chain", summary="Link the value-chain application it becomes",
    tag="proposals", body=ValueChainLinkIn, response=ProposalOut, errors=(403, 409),
)  # fmt: skip
def put_proposal_value_chain(user: User, proposal_id: int, body: ValueChainLinkIn) -> ProposalOut:
    """A member or coordinator of the community whose organisation is a partner of the
    application links it (``application_id: null`` unlinks); then ``follow_value_chain`` moves
    a proposal ready for the Region to the follow-up once the application is submitted. 409
    once the proposal follows it, or when the application is linked to another proposal."""
    proposal = operations.get_proposal(proposal_id, user, for_change=True)
    operations.link_value_chain(user, proposal, body.application_id, body.version)
    commit()
    return ProposalOut.of(proposal, user)


@endpoint(
    "GET", f"{PROPOSAL}/history", summary="The proposal's history", tag="proposals",
    response=[HistoryOut], errors=(403,),
)  # fmt: skip
def proposal_history(user: User, proposal_id: int) -> list[HistoryOut]:
    """Every state change, oldest first: a bare JSON array."""
    proposal = operations.get_proposal(proposal_id, user)
    return [HistoryOut.of(e) for e in queries.history_of(proposal)]


@endpoint(
    "GET", f"/applications/<{ID}:application_id>/proposal",
    summary="The community proposal a value chain came from", tag="proposals",
    response=ProposalOriginOut, errors=(403, 404),
)  # fmt: skip
def application_proposal(user: User, application_id: int) -> ProposalOriginOut:
    """Who may see the application; 404 when no community proposal is linked to it."""
    app = get_application(application_id, user)
    proposal = operations.proposal_of_application(app.id)
    if proposal is None:
        raise NotFound(N_("Application %(id)s came from no community proposal.", id=app.id))
    return ProposalOriginOut.model_validate(proposal)
