"""Reading partnership changes in bulk: lists, a change's history, an application's timeline of
changes, what waits for someone, the figures the dashboards show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.applications.models import Application, Partner
from tracker.changes.access import visible_filter
from tracker.changes.models import (
    OPEN_STATES,
    WORKFLOW,
    ChangeHistory,
    PartnershipChange,
    Shortfall,
)
from tracker.database import count_rows
from tracker.extensions import db
from tracker.firing import history_rows
from tracker.pagination import PageRequest
from workflows.definitions.partnership_change import KINDS


@dataclass(frozen=True)
class ChangeFilters:
    application_id: int | None = None
    state: str | None = None
    kind: str | None = None


def changes_query(user, filters: ChangeFilters):
    query = select(PartnershipChange).where(
        visible_filter(user, PartnershipChange, Application, Partner)
    )
    if filters.application_id is not None:
        query = query.where(PartnershipChange.application_id == filters.application_id)
    if filters.state:
        query = query.where(PartnershipChange.state == filters.state)
    if filters.kind:
        query = query.where(PartnershipChange.kind == filters.kind)
    return query


def list_changes(
    user, filters: ChangeFilters, paging: PageRequest
) -> tuple[list[PartnershipChange], int]:
    """One page of what ``user`` may see, newest first, and the total."""
    query = changes_query(user, filters)
    rows = db.session.scalars(
        query.options(
            joinedload(PartnershipChange.application).joinedload(Application.lead_organisation),
            # each open change's answer warns by the chain's firms against its call's minimum
            joinedload(PartnershipChange.application).joinedload(Application.call),
            joinedload(PartnershipChange.application).selectinload(Application.partners),
            joinedload(PartnershipChange.requested_by),
        )
        .order_by(PartnershipChange.created_at.desc(), PartnershipChange.id.desc())
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), count_rows(query)


def history_of(change: PartnershipChange) -> list[ChangeHistory]:
    """Oldest first, with the actors."""
    return history_rows(ChangeHistory, change)


@dataclass(frozen=True)
class TimelineItem:
    """One step of a change, as an application's page shows it beside its own history."""

    at: dt.datetime
    change: PartnershipChange
    entry: ChangeHistory | None  # None: the request itself


def timeline_of(app: Application) -> list[TimelineItem]:
    """Every change of ``app`` and every step of each, oldest first, read from the changes' own
    history (the application's history holds only its own states, so durations stay right).
    Two queries."""
    changes = db.session.scalars(
        select(PartnershipChange)
        .where(PartnershipChange.application_id == app.id)
        .options(
            selectinload(PartnershipChange.history).joinedload(ChangeHistory.actor),
            joinedload(PartnershipChange.requested_by),
        )
    ).all()
    items = [TimelineItem(c.created_at, c, None) for c in changes]
    items += [TimelineItem(h.at, c, h) for c in changes for h in c.history]
    return sorted(items, key=lambda i: (i.at, i.change.id, i.entry.seq if i.entry else 0))


def awaiting(user, limit: int = 50) -> list[PartnershipChange]:
    """The open changes whose next move is ``user``'s: to answer (counterpart) or to
    acknowledge (officer). A coarse SQL filter; the options say what is really theirs."""
    query = select(PartnershipChange).where(
        PartnershipChange.state.in_(OPEN_STATES),
        visible_filter(user, PartnershipChange, Application, Partner),
    )
    rows = db.session.scalars(
        query.options(
            # what the change's options ask: its chain's partners, state and lead
            joinedload(PartnershipChange.application).selectinload(Application.partners),
        )
        .order_by(PartnershipChange.state_entered_at, PartnershipChange.id)
        .limit(limit)
    ).all()
    return [
        c for c in rows if any(c.state in WORKFLOW.states_awaiting(r) for r in c.roles_of(user))
    ]


def shortfalls(user, limit: int = 100) -> list[Shortfall]:
    """The open shortfalls ``user`` is told about: every one for officers, their own chains' for
    the staff of a lead partner."""
    query = select(Shortfall).where(Shortfall.resolved_at.is_(None))
    if not user.has_role("officer"):
        if not (user.has_role("applicant") and user.organisation_id):
            return []
        query = query.where(
            Shortfall.application_id.in_(
                select(Application.id).where(
                    Application.lead_organisation_id == user.organisation_id
                )
            )
        )
    return list(
        db.session.scalars(
            query.options(joinedload(Shortfall.application))
            .order_by(Shortfall.deadline.is_(None), Shortfall.deadline, Shortfall.since)
            .limit(limit)
        ).all()
    )


@dataclass(frozen=True)
class ChangeFigures:
    """What the dashboards show of partnership changes: how many of each kind are in each state,
    and how many chains are below their call's minimum (how many of them past their deadline)."""

    by_kind_state: dict[tuple[str, str], int] = field(default_factory=dict)
    below_minimum: int = 0
    overdue: int = 0

    def count(self, kind: str, state: str) -> int:
        return self.by_kind_state.get((kind, state), 0)

    @property
    def kinds(self) -> list[str]:
        return list(KINDS)

    @property
    def states(self) -> list[str]:
        return [s.name for s in WORKFLOW.states]


def change_figures(today: dt.date) -> ChangeFigures:
    """One query: the changes grouped on the (kind, state) index, and the open shortfalls
    counted beside them (as a row of their own, kind '')."""
    s = Shortfall
    changes = select(PartnershipChange.kind, PartnershipChange.state, func.count()).group_by(
        PartnershipChange.kind, PartnershipChange.state
    )
    short = select(
        literal(""), cast(func.count(s.deadline).filter(s.deadline < today), String), func.count()
    ).where(s.resolved_at.is_(None))
    rows = db.session.execute(changes.union_all(short)).all()
    counts = {(k, st): n for k, st, n in rows if k}
    below, overdue = next((n, int(st)) for k, st, n in rows if not k)
    return ChangeFigures(counts, below, overdue)
