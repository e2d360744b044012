"""Helpers of the notice tests: what the outbox and the notices hold, side by side."""

from __future__ import annotations

from sqlalchemy import delete, select

from tracker.database import commit
from tracker.extensions import db
from tracker.mail.models import OutboxEmail
from tracker.notifications.models import Notice


def forget_all() -> None:
    db.session.execute(delete(Notice))
    db.session.execute(delete(OutboxEmail))
    commit()


def emailed() -> list[tuple]:
    """(person, kind, about, subject, language) of every email in the outbox."""
    rows = db.session.execute(
        select(OutboxEmail.user_id, OutboxEmail.kind, OutboxEmail.object_type,
               OutboxEmail.object_id, OutboxEmail.subject, OutboxEmail.language)
    ).all()  # fmt: skip
    return sorted(tuple(r) for r in rows)


def noticed() -> list[tuple]:
    """The same of every notice."""
    rows = db.session.execute(
        select(Notice.user_id, Notice.kind, Notice.object_type, Notice.object_id,
               Notice.subject, Notice.language)
    ).all()  # fmt: skip
    return sorted(tuple(r) for r in rows)


def notices_of(user, kind=None) -> list[Notice]:
    query = select(Notice).where(Notice.user_id == user.id).order_by(Notice.id)
    if kind is not None:
        query = query.where(Notice.kind == kind)
    return list(db.session.scalars(query))


def add_notices(user, n: int, *, subject="Notice %d", read=False) -> list[Notice]:
    """``n`` notices for ``user``, one minute apart (the last the newest, a minute ago), straight in the table:
    for lists and counts, where how they came does not matter."""
    import datetime as dt

    from tracker.columns import utcnow

    start = utcnow() - dt.timedelta(minutes=n + 1)  # older than what happens next
    notices = [
        Notice(
            user_id=user.id, kind="label_granted", language="en", subject=subject % i,
            text=f"Text {i}.", path="/applications", object_type="application", object_id=1,
            created_at=start + dt.timedelta(minutes=i), read_at=utcnow() if read else None,
        )
        for i in range(1, n + 1)
    ]  # fmt: skip
    db.session.add_all(notices)
    commit()
    return notices
