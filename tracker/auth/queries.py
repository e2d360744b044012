"""Reading users."""

from __future__ import annotations

from sqlalchemy import select

from tracker.auth.models import User
from tracker.extensions import db


def existing_emails(emails: list[str]) -> set[str]:
    return set(db.session.scalars(select(User.email).where(User.email.in_(emails))).all())
