"""Who may do what to a community proposal: one set of predicates for pages, API and templates.

Object roles on a proposal (the roles ``community_proposal`` transitions name):

- ``member`` and ``coordinator``: the person's role within the proposal's community;
- ``board``: an AFIL board member (user role ``board``);
- ``officer``: a Region officer (user role ``officer``).

Visibility: the community's members and coordinators see all its proposals, ideas included;
the AFIL board sees a proposal once it has reached board review (and keeps seeing it after);
Region officers see it once it has been submitted to the Region. Nobody else sees it.
``can_view`` and ``visible_filter`` say the same in Python and in SQL; a test checks they agree.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select

from tracker.auth.models import signed_in
from tracker.extensions import db


def community_role(user, community_id: int) -> str | None:
    """``member``, ``coordinator`` or None: the user's role within one community."""
    from tracker.communities.models import CommunityMember

    user = signed_in(user)
    if user is None:
        return None
    return db.session.scalar(
        select(CommunityMember.role).where(
            CommunityMember.community_id == community_id, CommunityMember.user_id == user.id
        )
    )


def proposal_roles(user, role_in_community: str | None) -> frozenset[str]:
    """The object roles of ``user`` on a proposal of a community where they hold
    ``role_in_community`` (None: not a member). Lists read the community roles once for all
    their proposals and ask this; ``roles_of`` asks it for one."""
    roles = {role_in_community} if role_in_community is not None else set()
    if user.has_role("board"):
        roles.add("board")
    if user.has_role("officer"):
        roles.add("officer")
    return frozenset(roles)


class ProposalAccess:
    """Mixed into Proposal."""

    def roles_of(self, user) -> frozenset[str]:
        user = signed_in(user)
        if user is None:
            return frozenset()
        return proposal_roles(user, community_role(user, self.community_id))

    def can_view(self, user) -> bool:
        user = signed_in(user)
        if user is None:
            return False
        if community_role(user, self.community_id) is not None:
            return True
        if user.has_role("board") and self.board_review_at is not None:
            return True
        return user.has_role("officer") and self.submitted_at is not None

    def can_edit(self, user) -> bool:
        """Members and coordinators may change the title and summary while the state allows it."""
        return self.editable and community_role(user, self.community_id) is not None


def visible_filter(user, proposal_cls, member_cls):
    """The SQL twin of ``can_view``: a WHERE clause selecting the proposals ``user`` may see."""
    user = signed_in(user)
    if user is None:
        return false()
    clauses = [
        proposal_cls.community_id.in_(
            select(member_cls.community_id).where(member_cls.user_id == user.id)
        )
    ]
    if user.has_role("board"):
        clauses.append(proposal_cls.board_review_at.is_not(None))
    if user.has_role("officer"):
        clauses.append(proposal_cls.submitted_at.is_not(None))
    return or_(*clauses)
