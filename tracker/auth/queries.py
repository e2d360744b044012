"""Reading users."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.extensions import db


def existing_emails(emails: list[str]) -> set[str]:
    return set(db.session.scalars(select(User.email).where(User.email.in_(emails))).all())


def people_page(q: str, paging) -> tuple[list[User], int]:
    """People whose name or e-mail contains ``q``, by name, one page, and how many in all."""
    query = select(User)
    if q:
        pattern = (
            "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        query = query.where(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(
        query.options(selectinload(User.organisation))
        .order_by(func.lower(User.name), User.id)
        .offset(paging.offset)
        .limit(paging.per_page)
    )
    return list(items), total
