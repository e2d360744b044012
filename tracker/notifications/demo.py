"""A few recent notices for the demo's people: the demo replays years of invented history with
email muted (``tracker.mail.operations.muted``), so nobody would have any notice; a handful of
the newest decisions, told as their emails would have told them, make the demo look alive.

The newest ``ENTRIES`` state changes that send email are told again, and the newest ``OWN`` of
the applications of each demo applicant's organisation (the lead's value chain is the demo's first
stop), each notice dated when its change happened; each person keeps their ``KEPT`` newest, of
which the ``UNREAD`` newest are unread. Their emails are not kept: the outbox stays empty, as
nothing is news."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from sqlalchemy import delete, func, select, update

from tracker.columns import utcnow
from tracker.extensions import db
from tracker.firing import WorkflowSubject
from tracker.mail.kinds import EVENTS
from tracker.mail.models import OutboxEmail
from tracker.mail.operations import queue
from tracker.notifications.models import Notice

ENTRIES = 30
OWN = 3
KEPT = 5
UNREAD = 2


def _subjects() -> list[type]:
    """The mapped workflow subjects (applications, proposals, changes...), each with its history."""
    found, todo = [], list(WorkflowSubject.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if hasattr(cls, "__table__") and hasattr(cls, "history_model"):
            found.append(cls)
    return found


def _newest_entries() -> list[tuple]:
    """(entry, subject) of the newest ``ENTRIES`` state changes that send email, newest first."""
    found = []
    for subject_cls in _subjects():
        history = subject_cls.history_model
        key = getattr(history, history.subject_key)
        rows = db.session.execute(
            select(history, subject_cls)
            .join(subject_cls, subject_cls.id == key)
            .order_by(history.at.desc(), history.id.desc())
            .limit(ENTRIES * 4)
        ).all()
        found += [(e, s) for e, s in rows if (s.workflow, e.trigger) in EVENTS]
    found.sort(key=lambda pair: (pair[0].at, pair[0].id), reverse=True)
    return found[:ENTRIES]


def _demo_applicants_entries() -> list[tuple]:
    """(entry, application) of the newest ``OWN`` state changes that send email of the
    applications of each demo account's organisation."""
    from tracker.applications.models import Application, HistoryEntry, Partner
    from tracker.auth.models import User
    from tracker.demo import DEMO_ACCOUNTS

    organisations = select(User.organisation_id).where(
        User.email.in_([email for email, _ in DEMO_ACCOUNTS]), User.organisation_id.is_not(None)
    )
    found = []
    for organisation_id in db.session.scalars(organisations.distinct()):
        rows = db.session.execute(
            select(HistoryEntry, Application)
            .join(Application, Application.id == HistoryEntry.application_id)
            .join(Partner, Partner.application_id == Application.id)
            .where(Partner.organisation_id == organisation_id)
            .order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())
            .limit(OWN * 4)
        ).all()
        found += [(e, a) for e, a in rows if (a.workflow, e.trigger) in EVENTS][:OWN]
    return found


def recent_notices() -> str:
    """Tell the newest changes again as notices (no email); the demo's summary line."""
    entries = {(type(e), e.id): (e, s) for e, s in _newest_entries() + _demo_applicants_entries()}
    told = sorted(entries.values(), key=lambda pair: (pair[0].at, pair[0].id))
    for entry, subject in told:  # oldest first: ids follow the dates
        before = db.session.scalar(select(func.max(Notice.id))) or 0
        for kind in EVENTS[subject.workflow, entry.trigger]:
            emails = queue(kind, subject, actor=entry.actor, entry=entry)
            db.session.execute(
                delete(OutboxEmail).where(OutboxEmail.id.in_([e.id for e in emails]))
            )
        db.session.execute(update(Notice).where(Notice.id > before).values(created_at=entry.at))
    _keep_a_few()
    total = db.session.scalar(select(func.count(Notice.id)))
    unread = db.session.scalar(select(func.count(Notice.id)).where(Notice.read_at.is_(None)))
    return f"Notices: {total} recent notices for {_people()} people, {unread} unread."


def _people() -> int:
    return db.session.scalar(select(func.count(func.distinct(Notice.user_id))))


def _keep_a_few() -> None:
    """Each person's ``KEPT`` newest notices, the older of them read a while after they came."""
    rows = db.session.execute(
        select(Notice.id, Notice.user_id, Notice.created_at).order_by(
            Notice.user_id, Notice.created_at.desc(), Notice.id.desc()
        )
    ).all()
    dropped, read = [], []
    for _, notices in groupby(rows, key=lambda r: r.user_id):
        for rank, row in enumerate(notices):
            if rank >= KEPT:
                dropped.append(row.id)
            elif rank >= UNREAD:
                read.append((row.id, row.created_at))
    if dropped:
        db.session.execute(delete(Notice).where(Notice.id.in_(dropped)))
    now = utcnow()
    for notice_id, created_at in read:
        read_at = min(created_at + dt.timedelta(hours=3), now)
        db.session.execute(update(Notice).where(Notice.id == notice_id).values(read_at=read_at))
