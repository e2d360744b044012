"""Who may do what to an application: one set of predicates for pages, API and templates.

The object roles computed here (lead, partner, reviewer, officer) are the roles workflow
transitions name. Visibility exists twice by necessity, as Python for one object and as SQL for
lists; the two stand side by side here and a test checks they agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, false, or_, select

from tracker.auth.models import signed_in
from tracker.columns import utcnow
from workflows.conditions import conflict_not_declared
from workflows.i18n import N_, term
from workflows.model import Context

if TYPE_CHECKING:
    from tracker.auth.models import User


class ApplicationAccess:
    """Mixed into Application."""

    def partner_conflict(self, user: User) -> bool:
        """The person's organisation is in the partnership."""
        org = user.organisation_id
        return org is not None and self.partner_for(org) is not None

    def has_conflict(self, user: User) -> bool:
        """A person whose organisation is in the partnership may not evaluate it; nor may a
        committee member who declared a conflict of interest on it (it binds the same way)."""
        if self.partner_conflict(user):
            return True
        declaration = self.declaration_of(user)
        return declaration is not None and declaration.conflict

    def on_committee(self, user) -> bool:
        """A member of the evaluation committee of the application's call (conflict or not)."""
        user = signed_in(user)
        return (
            user is not None
            and user.has_role("reviewer")
            and self.call_id in user.committee_call_ids
        )

    def declaration_awaited(self, user) -> bool:
        """A committee member who must still declare about a conflict of interest before acting
        on it (a partner's conflict is known: nothing to declare)."""
        return (
            self.on_committee(user)
            and not self.partner_conflict(user)
            and not self.has_declared(user)
        )

    def roles_of(self, user) -> frozenset[str]:
        user = signed_in(user)
        if user is None:
            return frozenset()
        roles: set[str] = set()
        org = user.organisation_id
        if user.has_role("applicant") and org is not None and self.partner_for(org) is not None:
            roles.add("partner")
            if org == self.lead_organisation_id:
                roles.add("lead")
        if (
            user.has_role("reviewer")
            and self.call_id in user.committee_call_ids
            and not self.has_conflict(user)
        ):
            roles.add("reviewer")
        if user.has_role("officer"):
            roles.add("officer")
        return frozenset(roles)

    def can_view(self, user) -> bool:
        user = signed_in(user)
        if user is None:
            return False
        if "partner" in self.roles_of(user):
            return True  # drafts included
        if self.submitted_at is None:
            return False  # never someone else's draft
        return user.has_role("officer") or (
            user.has_role("reviewer") and self.call_id in user.committee_call_ids
        )

    def can_edit(self, user) -> bool:
        """Partners may edit the concept note while the state allows it."""
        return self.editable and "partner" in self.roles_of(user)

    def can_manage_partnership(self, user) -> bool:
        """The lead partner alone adds and removes partners and records the signed agreement."""
        return self.editable and "lead" in self.roles_of(user)

    @property
    def deletable(self) -> bool:
        """A draft never submitted, on which nothing was ever fired (no history row)."""
        return (
            self.state == self.definition.initial
            and self.submitted_at is None
            and self.history_head is None
        )

    def can_delete(self, user) -> bool:
        """The lead partner alone deletes its draft, while it is deletable."""
        return self.deletable and "lead" in self.roles_of(user)

    def review_visibility(self, user) -> str | None:
        """What of the committee's reviews ``user`` sees, the one rule for pages and API:

        - ``"all"``: a member without conflict who declared so, once their own review is in or
          the evaluation is closed (reviews are independent: nobody reads the others' scores
          before writing their own); a Region officer once the evaluation is closed;
        - ``"own"``: any other committee member without conflict (their own review only, maybe
          none: a member who has not declared yet has none), and a Region officer while the
          evaluation is open (the committee works undisturbed; the page says how many reviews
          are in);
        - None: anyone else: applicants, and members with a conflict of interest (a partner's,
          or declared), who may not evaluate it.
        """
        user = signed_in(user)
        if user is None:
            return None
        officer = user.has_role("officer")
        # a conflict of interest (a partner's, or declared) bars the member from the reviews
        member = self.on_committee(user) and not self.has_conflict(user)
        if officer and self.evaluation_closed:
            return "all"
        own_in = any(r.reviewer_id == user.id for r in self.reviews)
        if member and self.has_declared(user) and (self.evaluation_closed or own_in):
            return "all"
        return "own" if officer or member else None

    def can_see_reviews(self, user) -> bool:
        return self.review_visibility(user) is not None

    def visible_reviews(self, user, reviews: list) -> list:
        """``reviews`` (of this application) as ``user`` may see them."""
        seen = self.review_visibility(user)
        if seen == "all":
            return list(reviews)
        if seen == "own":
            return [r for r in reviews if r.reviewer_id == user.id]
        return []

    def review_refusal(self, user) -> str | None:
        """None when ``user`` may review now, else why not."""
        user = signed_in(user)
        if user is None:
            return N_("Log in as a committee member to review.")
        if not self.state_info.reviewable:
            return N_(
                "Reviews are submitted while the application is under evaluation, not '%(state)s'.",
                state=term(self.state_info.title),
            )
        if not (user.has_role("reviewer") and self.call_id in user.committee_call_ids):
            return N_("Only members of this call's evaluation committee review its applications.")
        if self.partner_conflict(user):
            return N_("Your organisation is a partner of this application: conflict of interest.")
        if self.has_conflict(user):
            return N_("You declared a conflict of interest on this application.")
        if any(r.reviewer_id == user.id for r in self.reviews):
            return N_("You have already reviewed this application.")
        return self.undeclared_reason(user)

    def review_awaited(self, user) -> bool:
        """``user`` may review it now, or once they have declared about a conflict of interest:
        a review waits for them (their worklists say so)."""
        refusal = self.review_refusal(user)
        return refusal is None or (
            self.declaration_awaited(user) and refusal == self.undeclared_reason(user)
        )

    def undeclared_reason(self, user) -> str | None:
        """Why a member may not act yet for want of a declaration (the workflow condition
        ``conflict_not_declared``, asked as a committee member), or None."""
        unmet = conflict_not_declared.evaluate(
            self, Context(roles=frozenset({"reviewer"}), now=utcnow(), actor=signed_in(user))
        )
        return unmet.message if unmet else None


def possible_roles(user) -> frozenset[str]:
    """The object roles ``user`` may hold on some application: what ``roles_of`` can give them
    (the lists read ahead what only these roles' transitions check)."""
    user = signed_in(user)
    if user is None:
        return frozenset()
    roles = set()
    if user.has_role("applicant") and user.organisation_id is not None:
        roles |= {"lead", "partner"}
    if user.has_role("reviewer"):
        roles.add("reviewer")
    if user.has_role("officer"):
        roles.add("officer")
    return frozenset(roles)


def visible_filter(user, application_cls, partner_cls):
    """The SQL twin of ``can_view``: a WHERE clause selecting what ``user`` may see."""
    user = signed_in(user)
    if user is None:
        return false()
    clauses = []
    if user.has_role("applicant") and user.organisation_id is not None:
        clauses.append(
            application_cls.id.in_(
                select(partner_cls.application_id).where(
                    partner_cls.organisation_id == user.organisation_id
                )
            )
        )
    submitted = application_cls.submitted_at.is_not(None)
    if user.has_role("officer"):
        clauses.append(submitted)
    elif user.has_role("reviewer") and user.committee_call_ids:
        clauses.append(
            and_(submitted, application_cls.call_id.in_(sorted(user.committee_call_ids)))
        )
    return or_(*clauses) if clauses else false()
