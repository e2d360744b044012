"""Reading applications in bulk: lists with filters, and the counts dashboards show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.applications.access import visible_filter
from tracker.applications.models import Application, HistoryEntry, Partner
from tracker.database import contains, count_rows
from tracker.extensions import db
from tracker.pagination import PageRequest
from tracker.reviews.models import Review


@dataclass(frozen=True)
class ApplicationFilters:
    call_id: int | None = None
    state: str | None = None
    q: str | None = None  # words of the title


def _filtered(user, filters: ApplicationFilters):
    query = select(Application).where(visible_filter(user, Application, Partner))
    if filters.call_id is not None:
        query = query.where(Application.call_id == filters.call_id)
    if filters.state:
        query = query.where(Application.state == filters.state)
    if filters.q:
        query = query.where(Application.title.ilike(contains(filters.q.strip()), escape="\\"))
    return query


def list_applications(
    user, filters: ApplicationFilters, paging: PageRequest
) -> tuple[list[Application], int]:
    """One page of what ``user`` may see, newest change first, and the total; a fixed number of queries."""
    query = _filtered(user, filters)
    total = count_rows(query)
    items = db.session.scalars(
        query.options(joinedload(Application.lead_organisation), joinedload(Application.call))
        .order_by(Application.updated_at.desc(), Application.id.desc())
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(items), total


def counts_by_state(user, call_id: int | None = None) -> dict[str, int]:
    """How many applications ``user`` may see are in each state."""
    query = (
        select(Application.state, func.count())
        .where(visible_filter(user, Application, Partner))
        .group_by(Application.state)
    )
    if call_id is not None:
        query = query.where(Application.call_id == call_id)
    return dict(db.session.execute(query).all())


def history_of(app: Application) -> list[HistoryEntry]:
    """Oldest first, with the actors."""
    return list(
        db.session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.application_id == app.id)
            .options(joinedload(HistoryEntry.actor))
            .order_by(HistoryEntry.seq)
        ).all()
    )


def reviews_of(app: Application) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.application_id == app.id)
            .options(joinedload(Review.reviewer))
            .order_by(Review.id)
        ).all()
    )
