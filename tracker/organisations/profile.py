"""What an organisation takes part in: its value chains, its support projects, its Strategic
Communities and its partnership changes, as a person may see them; and the organisations list's
filters that read them ("in more than one chain").

A value chain counts once submitted (a draft is its partnership's own business): the list's
"chains" figure and its ``in_chains_min`` filter count submitted value-chain applications the
organisation is a partner of. The profile shows the chains and projects the person may see
(``tracker.applications.access.visible_filter``) and, to anyone logged in, the chains of the
public registry; the changes the person may see (``tracker.changes.access``) and those in force
on registry chains.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from tracker.applications.access import visible_filter
from tracker.applications.models import Application, Partner
from tracker.auth.models import User
from tracker.changes.access import visible_filter as change_visible_filter
from tracker.changes.models import IN_FORCE_STATES, PartnershipChange
from tracker.communities.models import Community, CommunityMember
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.measures.operations import MEASURE_WORKFLOWS, VALUE_CHAIN
from tracker.organisations.models import Organisation

#: each part of a profile shows at most this many rows (the page says how many there are)
PROFILE_ROWS = 100


def submitted_chains():
    """A select of (organisation id, number of submitted value chains it is a partner of)."""
    return (
        select(Partner.organisation_id, func.count().label("chains"))
        .join(Application, Application.id == Partner.application_id)
        .where(Application.workflow == VALUE_CHAIN, Application.submitted_at.is_not(None))
        .group_by(Partner.organisation_id)
    )


def in_chains_at_least(n: int):
    """A WHERE clause on Organisation: a partner of at least ``n`` submitted value chains."""
    counted = submitted_chains().subquery()
    return Organisation.id.in_(select(counted.c.organisation_id).where(counted.c.chains >= n))


def chain_counts(organisation_ids: list[int]) -> dict[int, int]:
    """How many submitted value chains each organisation is a partner of, in one query."""
    if not organisation_ids:
        return {}
    return dict(
        db.session.execute(
            submitted_chains().where(Partner.organisation_id.in_(organisation_ids))
        ).all()
    )


@dataclass(frozen=True)
class Part:
    """One part of a profile: its rows (at most ``PROFILE_ROWS``) and how many there are."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class Profile:
    organisation: Organisation
    chains: Part  # of (Application, Partner, whether the person may open it)
    support: Part  # of (Application, Partner, True)
    communities: Part  # of (Community, number of the organisation's staff in it)
    changes: Part  # of (PartnershipChange, whether the person may open it)


def _part(query, total_of) -> Part:
    rows = list(db.session.execute(query.limit(PROFILE_ROWS)).all())
    total = len(rows)
    if total == PROFILE_ROWS:
        total = db.session.scalar(select(func.count()).select_from(total_of.subquery()))
    return Part(rows, total)


def _applications(user, org: Organisation, workflows, *, registry: bool) -> Part:
    visible = visible_filter(user, Application, Partner)
    seen = visible
    if registry:  # the registry is public: its chains are shown to everyone
        seen = or_(seen, Application.id.in_(select(QualityLabel.application_id)))
    where = (
        Partner.organisation_id == org.id,
        Application.workflow.in_(workflows),
        seen,
    )
    query = (
        # whether the person may open it (else its registry page), read with the row
        select(Application, Partner, case((visible, True), else_=False))
        .join(Partner, Partner.application_id == Application.id)
        .where(*where)
        .options(
            joinedload(Application.label),
            joinedload(Application.call),
            joinedload(Application.lead_organisation),
        )
        .order_by(Application.updated_at.desc(), Application.id.desc())
    )
    counted = select(Application.id).join(Partner, Partner.application_id == Application.id)
    part = _part(query, counted.where(*where))
    return Part([tuple(row) for row in part.rows], part.total)


def _communities(org: Organisation) -> Part:
    staff = (
        select(CommunityMember.community_id, func.count(func.distinct(User.id)).label("staff"))
        .join(User, User.id == CommunityMember.user_id)
        .where(User.organisation_id == org.id)
        .group_by(CommunityMember.community_id)
        .subquery()
    )
    query = (
        select(Community, staff.c.staff)
        .join(staff, staff.c.community_id == Community.id)
        .order_by(Community.name)
    )
    part = _part(query, select(staff.c.community_id))
    return Part([(row[0], row[1]) for row in part.rows], part.total)


def _changes(user, org: Organisation) -> Part:
    public = PartnershipChange.state.in_(IN_FORCE_STATES) & PartnershipChange.application_id.in_(
        select(QualityLabel.application_id)
    )
    visible = change_visible_filter(user, PartnershipChange, Application, Partner)
    where = (PartnershipChange.organisation_id == org.id, or_(visible, public))
    query = (
        select(PartnershipChange, case((visible, True), else_=False))
        .where(*where)
        .options(joinedload(PartnershipChange.application).joinedload(Application.label))
        .order_by(PartnershipChange.created_at.desc(), PartnershipChange.id.desc())
    )
    part = _part(query, select(PartnershipChange.id).where(*where))
    return Part([tuple(row) for row in part.rows], part.total)


def profile_of(user, org: Organisation) -> Profile:
    """What ``org`` takes part in, as ``user`` may see it; a fixed number of queries."""
    return Profile(
        organisation=org,
        chains=_applications(user, org, (VALUE_CHAIN,), registry=True),
        support=_applications(user, org, MEASURE_WORKFLOWS, registry=False),
        communities=_communities(org),
        changes=_changes(user, org),
    )
