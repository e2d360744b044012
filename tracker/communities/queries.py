"""Reading communities and proposals in bulk: lists with filters, a proposal's history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.communities.access import proposal_roles, visible_filter
from tracker.communities.models import (
    Community,
    CommunityActivity,
    CommunityMember,
    Proposal,
    ProposalHistory,
)
from tracker.database import contains, count_rows
from tracker.extensions import db
from tracker.firing import history_rows
from tracker.pagination import PageRequest
from workflows import get_workflow

WORKFLOW = get_workflow("community_proposal")


def list_communities(paging: PageRequest) -> tuple[list[Community], int]:
    """Communities by name, with their members (and the members' accounts) loaded."""
    query = select(Community)
    rows = db.session.scalars(
        query.options(selectinload(Community.members).joinedload(CommunityMember.user))
        .order_by(Community.name, Community.id)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), count_rows(query)


def proposal_counts(user, community_ids: list[int]) -> dict[int, int]:
    """How many proposals of each community ``user`` may see."""
    if not community_ids:
        return {}
    rows = db.session.execute(
        select(Proposal.community_id, func.count())
        .where(
            Proposal.community_id.in_(community_ids),
            visible_filter(user, Proposal, CommunityMember),
        )
        .group_by(Proposal.community_id)
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class ProposalFilters:
    community_id: int | None = None
    state: str | None = None
    q: str | None = None  # words of the title


def proposals_query(user, filters: ProposalFilters):
    """What ``user`` may see of the proposals, filtered (the list pages it, the export streams it)."""
    query = select(Proposal).where(visible_filter(user, Proposal, CommunityMember))
    if filters.community_id is not None:
        query = query.where(Proposal.community_id == filters.community_id)
    if filters.state:
        query = query.where(Proposal.state == filters.state)
    if filters.q:
        query = query.where(Proposal.title.ilike(contains(filters.q.strip()), escape="\\"))
    return query


def list_proposals(
    user, filters: ProposalFilters, paging: PageRequest
) -> tuple[list[Proposal], int]:
    """One page of what ``user`` may see, latest change first, and the total."""
    query = proposals_query(user, filters)
    rows = db.session.scalars(
        query.options(joinedload(Proposal.community), joinedload(Proposal.created_by))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), count_rows(query)


def history_of(proposal: Proposal) -> list[ProposalHistory]:
    """Oldest first, with the actors."""
    return history_rows(ProposalHistory, proposal)


def list_activities(
    community: Community, paging: PageRequest
) -> tuple[list[CommunityActivity], int]:
    """One page of the community's activities, newest first, with their proposal and recorder."""
    query = select(CommunityActivity).where(CommunityActivity.community_id == community.id)
    rows = db.session.scalars(
        query.options(
            joinedload(CommunityActivity.proposal), joinedload(CommunityActivity.recorded_by)
        )
        .order_by(CommunityActivity.held_on.desc(), CommunityActivity.id.desc())
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), count_rows(query)


def community_roles(user) -> dict[int, str]:
    """``user``'s role in each community they belong to (one query)."""
    return dict(
        db.session.execute(
            select(CommunityMember.community_id, CommunityMember.role).where(
                CommunityMember.user_id == user.id
            )
        ).all()
    )


def awaiting(user, limit: int = 50) -> list[tuple[Proposal, frozenset[str]]]:
    """The proposals in a state where one of ``user``'s object roles is awaited (a coordinator
    in their communities, the AFIL board, the Region's officers), longest waiting first, each
    with those roles (for its options): two queries, whatever their number."""
    roles_in = community_roles(user)
    everywhere = proposal_roles(user, None)  # board, officer: in every community they see
    clauses = []
    for role in {*roles_in.values(), *everywhere}:
        states = WORKFLOW.states_awaiting(role)
        if not states:
            continue
        where = Proposal.state.in_(states)
        if role not in everywhere:
            ids = sorted(c for c, r in roles_in.items() if r == role)
            where = and_(where, Proposal.community_id.in_(ids))
        clauses.append(where)
    query = select(Proposal).where(
        or_(*clauses) if clauses else false(), visible_filter(user, Proposal, CommunityMember)
    )
    rows = db.session.scalars(
        query.options(
            joinedload(Proposal.community), selectinload(Proposal.value_chain_application)
        )
        .order_by(Proposal.state_entered_at, Proposal.id)
        .limit(limit)
    ).all()
    return [(p, proposal_roles(user, roles_in.get(p.community_id))) for p in rows]
