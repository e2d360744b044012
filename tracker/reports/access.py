"""Who may do what to a monitoring report: one set of predicates for pages, API and templates.

Object roles on a report (the roles ``report`` transitions name):

- ``lead``: staff of the application's lead partner (they draft, submit and resubmit it);
- ``partner``: staff of any partner of the application (they read it);
- ``officer``: a Region officer (accepts it or returns it for changes).

Visibility: the partnership's staff, drafts included; Region officers once it was submitted
(never someone else's draft, as for applications). ``can_view`` and ``visible_filter`` say the
same in Python and in SQL.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select

from tracker.auth.models import signed_in


class ReportAccess:
    """Mixed into Report."""

    def roles_of(self, user) -> frozenset[str]:
        user = signed_in(user)
        if user is None:
            return frozenset()
        roles: set[str] = set()
        org = user.applicant_organisation_id
        if org is not None and self.application.partner_for(org) is not None:
            roles.add("partner")
            if org == self.application.lead_organisation_id:
                roles.add("lead")
        if user.has_role("officer"):
            roles.add("officer")
        return frozenset(roles)

    def can_view(self, user) -> bool:
        roles = self.roles_of(user)
        return "partner" in roles or ("officer" in roles and self.submitted_at is not None)

    def can_edit(self, user) -> bool:
        """The lead partner's staff change it while its state allows it (draft, returned)."""
        return self.editable and "lead" in self.roles_of(user)


def visible_filter(user, report_cls, partner_cls):
    """The SQL twin of ``can_view``: a WHERE clause on reports."""
    user = signed_in(user)
    if user is None:
        return false()
    clauses = []
    org = user.applicant_organisation_id
    if org is not None:
        clauses.append(
            report_cls.application_id.in_(
                select(partner_cls.application_id).where(partner_cls.organisation_id == org)
            )
        )
    if user.has_role("officer"):
        clauses.append(report_cls.submitted_at.is_not(None))
    return or_(*clauses) if clauses else false()
