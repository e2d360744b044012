"""AFIL Strategic Communities, their members, and their proposals to the Region."""

from __future__ import annotations

from tracker.api import serialize
from tracker.api.community_schemas import (
    CommunityIn,
    CommunityMemberIn,
    CommunityOut,
    CommunityPage,
    MemberOut,
    ProposalIn,
    ProposalOut,
    ProposalPage,
)
from tracker.api.framework import ID, PAGING, QueryParam, endpoint, paging, query_id, query_text
from tracker.api.schemas import HistoryOut, TransitionIn
from tracker.auth.models import User
from tracker.communities import operations, queries
from tracker.communities.models import Community, Proposal
from tracker.database import commit
from tracker.errors import NotFound, ValidationFailed

PROPOSAL = f"/proposals/<{ID}:proposal_id>"


def community_json(community: Community) -> dict:
    return community.as_dict()


def proposal_json(proposal: Proposal, viewer: User) -> dict:
    """A proposal as ``viewer`` sees it: what they may do next is part of the answer."""
    return {
        "id": proposal.id,
        "community_id": proposal.community_id,
        "community": proposal.community.name,
        "workflow": proposal.workflow,
        "state": proposal.state,
        "state_title": proposal.state_info.title,
        "version": proposal.version,
        "title": proposal.title,
        "summary": proposal.summary,
        "created_by": proposal.created_by.email if proposal.created_by else None,
        "created_at": proposal.created_at.isoformat(),
        "updated_at": proposal.updated_at.isoformat(),
        "board_review_at": _time(proposal.board_review_at),
        "submitted_at": _time(proposal.submitted_at),
        "act_reference": proposal.act_reference,
        "follow_up": proposal.follow_up,
        "available_transitions": [
            o.as_dict() for o in operations.available_transitions(viewer, proposal)
        ],
    }


def _time(value) -> str | None:
    return None if value is None else value.isoformat()


# --- communities ---------------------------------------------------------------------------------


@endpoint(
    "GET", "/communities", summary="List the Strategic Communities", tag="communities",
    response=CommunityPage, query=PAGING, errors=(400,),
)  # fmt: skip
def list_communities(user: User) -> dict:
    """Every community, by name, with its members and coordinators."""
    page = paging()
    rows, total = queries.list_communities(page)
    return serialize.page([community_json(c) for c in rows], page, total)


@endpoint(
    "POST", "/communities", summary="Open a Strategic Community", tag="communities",
    body=CommunityIn, response=CommunityOut, status=201, errors=(403, 409),
)  # fmt: skip
def post_community(user: User, body: CommunityIn) -> dict:
    """Coordinators and administrators; 409 if the name is taken."""
    community = operations.create_community(user, body.fields())
    commit()
    return community_json(community)


@endpoint(
    "GET", f"/communities/<{ID}:community_id>", summary="A Strategic Community",
    tag="communities", response=CommunityOut, errors=(404,),
)  # fmt: skip
def get_community(user: User, community_id: int) -> dict:
    return community_json(operations.get_community(community_id))


@endpoint(
    "POST", f"/communities/<{ID}:community_id>/members", summary="Add a member or coordinator",
    tag="communities", body=CommunityMemberIn, response=MemberOut, status=201,
    errors=(403, 404, 409),
)  # fmt: skip
def add_community_member(user: User, community_id: int, body: CommunityMemberIn) -> dict:
    """The community's coordinators and administrators. A coordinator must hold the coordinator
    role; 409 if the user is already in the community."""
    community = operations.get_community(community_id)
    member = operations.add_member(user, community, body.user_id, body.role)
    commit()
    return member.as_dict()


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
def list_proposals(user: User) -> dict:
    """What the caller may see: every proposal of their communities; for the AFIL board, those
    that reached board review; for Region officers, those submitted to the Region."""
    page = paging()
    filters = queries.ProposalFilters(
        community_id=query_id("community_id"),
        state=query_text("state", max_len=50),
        q=query_text("q"),
    )
    rows, total = queries.list_proposals(user, filters, page)
    return serialize.page([proposal_json(p, user) for p in rows], page, total)


@endpoint(
    "POST", "/proposals", summary="Raise a proposal", tag="proposals", body=ProposalIn,
    response=ProposalOut, status=201, errors=(403,),
)  # fmt: skip
def post_proposal(user: User, body: ProposalIn) -> dict:
    """A member or coordinator of the community raises an idea (403 for anyone else)."""
    try:
        community = operations.get_community(body.community_id)
    except NotFound as err:
        raise ValidationFailed.fields({"community_id": err.message}) from None
    proposal = operations.create_proposal(user, community, body.fields())
    commit()
    return proposal_json(proposal, user)


@endpoint(
    "GET", PROPOSAL, summary="A community proposal", tag="proposals", response=ProposalOut,
    errors=(403,),
)  # fmt: skip
def get_proposal(user: User, proposal_id: int) -> dict:
    """403 if the caller may not see it, 404 if it does not exist."""
    return proposal_json(operations.get_proposal(proposal_id, user), user)


@endpoint(
    "POST", f"{PROPOSAL}/transitions", summary="Fire a proposal's workflow trigger",
    tag="proposals", body=TransitionIn, response=ProposalOut, errors=(403, 409),
)  # fmt: skip
def fire_proposal_transition(user: User, proposal_id: int, body: TransitionIn) -> dict:
    """As for applications: 403 if the caller's role may not fire it; 409 if the trigger is not
    valid from the current state or ``version`` is stale; 422 naming each unmet condition in
    ``details.unmet`` (``act_reference`` to endorse; a comment to decline or return; a link to
    what followed to start the follow-up: ``application_id``, ``call_id`` or ``reference``)."""
    proposal = operations.get_proposal(proposal_id, user, for_update=True)
    operations.fire_transition(
        user, proposal, body.trigger, comment=body.comment, data=body.data,
        expected_version=body.version,
    )  # fmt: skip
    commit()
    return proposal_json(proposal, user)


@endpoint(
    "GET", f"{PROPOSAL}/history", summary="The proposal's history", tag="proposals",
    response=[HistoryOut], errors=(403,),
)  # fmt: skip
def proposal_history(user: User, proposal_id: int) -> list[dict]:
    """Every state change, oldest first: a bare JSON array."""
    proposal = operations.get_proposal(proposal_id, user)
    return serialize.history(queries.history_of(proposal))
