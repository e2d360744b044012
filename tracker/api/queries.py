"""Reads the API needs besides the domain queries (tracker.applications.queries, the registry):
each loads what its answer shows eagerly, so a request costs a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.applications.models import Application, HistoryEntry
from tracker.calls.models import Call
from tracker.database import contains
from tracker.errors import NotFound
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.pagination import PageRequest
from tracker.reviews.models import Review


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def organisations_page(q: str | None, paging: PageRequest) -> tuple[list[Organisation], int]:
    """Organisations by name, optionally those whose name or VAT number contains ``q``."""
    query = select(Organisation)
    if q:
        vat = q.upper().removeprefix("IT").replace(" ", "")
        query = query.where(
            or_(
                Organisation.name.ilike(contains(q), escape="\\"),
                Organisation.vat_number.like(contains(vat), escape="\\"),
            )
        )
    rows = db.session.scalars(
        query.order_by(Organisation.name, Organisation.id)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), _count(query)


def get_organisation(organisation_id: int) -> Organisation:
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"No organisation {organisation_id}.")
    return org


def calls_page(paging: PageRequest) -> tuple[list[Call], int]:
    """Calls, the latest deadline first, with what ``Call.as_dict`` shows."""
    query = select(Call)
    rows = db.session.scalars(
        query.options(
            selectinload(Call.criteria), selectinload(Call.extensions), selectinload(Call.committee)
        )
        .order_by(Call.deadline.desc(), Call.id.desc())
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), _count(query)


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
