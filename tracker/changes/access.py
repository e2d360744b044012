"""Who may do what to a partnership change: one set of predicates for pages, API and templates.

Object roles on a change (the roles ``partnership_change`` transitions name):

- ``requester``: the person who asked it (they may read and withdraw it, even without seeing the
  application: a firm asking to join a chain of the registry is not a partner yet);
- ``counterpart``: staff of the lead partner for a join or a leave; staff of the named partner
  for a change of lead (it is theirs to accept);
- ``officer``: a Region officer.

Visibility: who asked it; staff of the organisation it names (a join about them, their leave);
whoever may see the application. ``can_view`` and ``visible_filter`` say the same in Python and
in SQL.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select

from tracker.auth.models import signed_in


class ChangeAccess:
    """Mixed into PartnershipChange."""

    def counterpart_organisation_id(self) -> int:
        """The organisation whose staff answer the change."""
        if self.kind == "change_lead":
            return self.organisation_id
        return self.application.lead_organisation_id

    def roles_of(self, user) -> frozenset[str]:
        user = signed_in(user)
        if user is None:
            return frozenset()
        roles: set[str] = set()
        if user.id == self.requested_by_id:
            roles.add("requester")
        org = user.applicant_organisation_id
        if org is not None and org == self.counterpart_organisation_id():
            roles.add("counterpart")
        if user.has_role("officer"):
            roles.add("officer")
        return frozenset(roles)

    def can_view(self, user) -> bool:
        user = signed_in(user)
        if user is None:
            return False
        if user.id == self.requested_by_id:
            return True
        org = user.applicant_organisation_id
        if org is not None and org == self.organisation_id:
            return True
        return self.application.can_view(user)


def visible_filter(user, change_cls, application_cls, partner_cls):
    """The SQL twin of ``can_view``: a WHERE clause on changes (joined to their applications)."""
    from tracker.applications.access import visible_filter as applications_visible

    user = signed_in(user)
    if user is None:
        return false()
    clauses = [change_cls.requested_by_id == user.id]
    org = user.applicant_organisation_id
    if org is not None:
        clauses.append(change_cls.organisation_id == org)
    clauses.append(
        change_cls.application_id.in_(
            select(application_cls.id).where(
                applications_visible(user, application_cls, partner_cls)
            )
        )
    )
    return or_(*clauses)
