"""Reading agreements: the list, with their parties and the applications that joined them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.agreements.models import Agreement
from tracker.database import count_rows
from tracker.extensions import db
from tracker.pagination import PageRequest


def list_agreements(paging: PageRequest) -> tuple[list[Agreement], int]:
    """Newest first."""
    query = select(Agreement)
    rows = db.session.scalars(
        query.options(selectinload(Agreement.parties), selectinload(Agreement.signatures))
        .order_by(Agreement.concluded_on.desc(), Agreement.id.desc())
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), count_rows(query)
