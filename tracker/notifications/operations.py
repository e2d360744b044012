"""Writing, reading and marking notices. Every statement is one per request, whatever the count:
notices are written with one INSERT and marked read with one conditional UPDATE."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, insert, select, update

from tracker.auth.models import User
from tracker.columns import utcnow
from tracker.database import count_rows
from tracker.errors import NotFound
from tracker.extensions import db
from tracker.notifications.models import Notice
from tracker.pagination import PageRequest
from workflows.i18n import N_

#: a notice's text is short: what happened, a comment's first lines at most
TEXT_LIMIT = 600
#: the header shows "99+" past this: counting stops there, so the count stays a small query
COUNT_CAP = 99

_BLANK_RUNS = re.compile(r"\n{3,}")


def notice_text(text: str) -> str:
    """An email's words of what happened as a notice keeps them: each line's spaces closed up,
    at most one blank line between paragraphs, cut at ``TEXT_LIMIT``."""
    lines = (" ".join(line.split()) for line in text.strip().splitlines())
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def site_path(link: str) -> str:
    """The path on this site of an email's absolute link (built from TRACKER_BASE_URL): a notice
    links within the app, whatever host serves it."""
    base = urlsplit(current_app.config["TRACKER_BASE_URL"]).path.rstrip("/")
    parts = urlsplit(link)
    path = parts.path
    if base and path.startswith(base + "/"):
        path = path[len(base) :]
    return path + (f"?{parts.query}" if parts.query else "")


def post_notices(emails: Iterable, texts: Mapping[tuple[str, str], str]) -> None:
    """A notice for the reader of each email just queued, with one INSERT, in the email's
    transaction: the email's subject and link, and ``texts[email.kind, email.language]``."""
    now = utcnow()
    rows = [
        {
            "user_id": e.user_id, "kind": e.kind, "language": e.language, "subject": e.subject,
            "text": texts.get((e.kind, e.language), ""), "path": site_path(e.link),
            "object_type": e.object_type, "object_id": e.object_id, "created_at": now,
        }
        for e in emails
    ]  # fmt: skip
    if rows:
        # into the table (Core's executemany), not through the ORM's bulk insert: nothing is
        # loaded back, and the ORM's per-row bookkeeping is not paid
        db.session.execute(insert(Notice.__table__), rows)


# --- reading ---------------------------------------------------------------------------------------


def _of(user: User, unread_only: bool = False):
    query = select(Notice).where(Notice.user_id == user.id)
    return query.where(Notice.read_at.is_(None)) if unread_only else query


def notices_of(user: User, paging: PageRequest, unread_only: bool = False) -> tuple[list, int]:
    """One page of ``user``'s notices, newest first, and how many there are in all."""
    query = _of(user, unread_only)
    total = count_rows(query)
    rows = db.session.scalars(
        query.order_by(Notice.created_at.desc(), Notice.id.desc())
        .offset(paging.offset)
        .limit(paging.per_page)
    )
    return list(rows), total


def unread_count(user: User, cap: int | None = COUNT_CAP) -> int:
    """How many notices ``user`` has not read, counted up to ``cap`` + 1 (past it the header
    says "99+"): one query on the index of unread notices, however many there are."""
    unread = _of(user, unread_only=True).with_only_columns(Notice.id)
    if cap is not None:
        unread = unread.limit(cap + 1)
    return db.session.scalar(select(func.count()).select_from(unread.subquery()))


def get_notice(notice_id: int, user: User) -> Notice:
    """``user``'s notice ``notice_id``; 404 for anyone else's, as for one that does not exist:
    nobody learns that another person's notice exists."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != user.id:
        raise NotFound(N_("No notice %(id)s.", id=notice_id))
    return notice


# --- marking read ----------------------------------------------------------------------------------


def mark_read(user: User, notice_id: int) -> Notice:
    """Mark ``user``'s notice read: once, the first reading is the one kept (404 for anyone
    else's)."""
    notice = get_notice(notice_id, user)
    db.session.execute(
        update(Notice)
        .where(Notice.id == notice.id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="evaluate")  # the loaded notice says it too
    )
    return notice


def mark_all_read(user: User, up_to: int | None = None) -> int:
    """Mark ``user``'s unread notices read, those up to notice ``up_to`` only when given (the
    newest one the page showed: a notice arriving meanwhile stays unread). How many it marked."""
    query = update(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None))
    if up_to is not None:
        query = query.where(Notice.id <= up_to)
    result = db.session.execute(
        query.values(read_at=utcnow()).execution_options(synchronize_session="evaluate")
    )
    return result.rowcount
