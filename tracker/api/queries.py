"""Reads the API needs besides the domain queries (tracker.applications.queries, the registry):
each loads what its answer shows eagerly, so a request costs a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.applications.models import Application, Partner
from tracker.calls.models import Call
from tracker.database import count_rows
from tracker.extensions import db
from tracker.pagination import PageRequest


def calls_page(paging: PageRequest) -> tuple[list[Call], int]:
    """Calls, the latest deadline first, with what ``CallOut`` shows."""
    query = select(Call)
    rows = db.session.scalars(
        query.options(
            selectinload(Call.criteria), selectinload(Call.extensions), selectinload(Call.committee)
        )
        .order_by(Call.deadline.desc(), Call.id.desc())
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), count_rows(query)


def load_for_answers(apps: list[Application]) -> None:
    """Load what ``ApplicationOut`` shows of a page of applications in a fixed number of
    queries, however long the page."""
    if not apps:
        return
    db.session.scalars(
        select(Application)
        .where(Application.id.in_([a.id for a in apps]))
        .options(
            joinedload(Application.call),
            joinedload(Application.lead_organisation),
            selectinload(Application.partners).joinedload(Partner.organisation),
            selectinload(Application.reviews),
            selectinload(Application.label),
        )
        .execution_options(populate_existing=True)
    ).unique().all()
