"""Browser sessions that the server can end: a row of ``user_sessions`` per login.

Flask's session is a signed cookie: the server cannot take one back, so a cookie copied before a
logout would stay good for as long as it is signed. Here the cookie carries, in Flask-Login's
``_user_id``, a random secret naming one row of ``user_sessions`` (only its SHA-256 is stored,
so a leaked database opens no session). ``load`` (Flask-Login's user loader) lets a request in
only while that row exists, its person is active, it was used within ``SESSION_IDLE_HOURS`` and
began within ``SESSION_MAX_DAYS``. Ending a session deletes its row: logout ends that one, a
password change every other one of that person (the changing browser gets a new secret), a reset
or a deactivation all of them. A remember-me cookie, were one set, would carry the same secret
(``User.get_id``) and obey the same rules.

A table rather than a per-user "generation" counter: a logout then ends only the browser that
logged out (the person's other browsers stay in), the account page can say where one is logged
in, and a session ends on its own when unused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app, request
from sqlalchemy import delete, select, update

from tracker.auth.models import User, UserSession, person_of
from tracker.columns import utcnow
from tracker.database import commit, flush
from tracker.extensions import db

#: last_seen_at is written at most this often (not on every request)
SEEN_EVERY = dt.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(user: User) -> str:
    """A new session for ``user`` (in the current transaction); its secret is set on ``user``
    for Flask-Login's ``login_user`` to put in the cookie, and returned."""
    secret = secrets.token_urlsafe(32)
    agent = (request.headers.get("User-Agent") or "")[:200] if request else ""
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(secret), user_agent=agent or None))
    flush()
    user.session_token = secret
    return secret


def end(secret: str | None) -> None:
    """End the session ``secret`` names (logging out)."""
    if secret:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _hash(secret)))


def end_all(user: User, *, keep: str | None = None) -> int:
    """End every session of ``user`` but ``keep``'s; how many ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        query = query.where(UserSession.token_hash != _hash(keep))
    return db.session.execute(query).rowcount


def sessions_of(user: User) -> list[UserSession]:
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def is_current(row: UserSession, user: User) -> bool:
    return bool(user.session_token) and row.token_hash == _hash(user.session_token)


def load(secret: str) -> User | None:
    """The person whose live session ``secret`` names, or None (Flask-Login's user loader).

    Its use is recorded at most once a minute, committed at once: the session is read before
    anything else in the request's session, and a page that only reads commits nothing else."""
    if not secret or len(secret) > 100:
        return None
    config = current_app.config
    now = utcnow()
    idle_since = now - dt.timedelta(hours=config["SESSION_IDLE_HOURS"])
    born_after = now - dt.timedelta(days=config["SESSION_MAX_DAYS"])
    table = UserSession.__table__
    row = person_of(
        table,
        table.c.last_seen_at,
        _hash(secret),
        table.c.last_seen_at > idle_since,
        table.c.created_at > born_after,
    )
    if row is None:
        return None
    user = row[0]
    if now - row.last_use > SEEN_EVERY:
        db.session.execute(update(table).where(table.c.id == row.id).values(last_seen_at=now))
        commit()  # expires the person: read again on first use, as before
    if not user.active:
        return None
    user.session_token = secret
    return user
