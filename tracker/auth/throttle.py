"""The login throttle: failed logins counted in the database, before the password is checked.

Each login attempt first reserves its place with one atomic statement per key (the account it
names, the client's address, or a device that logged in to that account before): the attempt is
counted as a failure at once and sets the delay before the next one, or it is refused because the
key's delay has not run out. Only then is the password checked; a success gives the count back.
So parallel guesses cannot slip through between a check and a count, and every gunicorn worker
and every instance on the same database sees one count.

Delays grow (after a few free failures: 1 s, 2 s, 4 s... up to a maximum, 15 minutes by default)
instead of a hard lock: a guesser is slowed to a few tries an hour, while the person who owns the
account, on a
device where they logged in before (a signed cookie), is counted on that device's key and not
on the account's, so nobody can lock another person out at will (OWASP's "device cookies").
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from tracker.auth.models import LoginThrottle
from tracker.database import commit
from tracker.extensions import db

#: doublings of the delay written out (2**12 s > any sensible maximum)
_STEPS = 13


@dataclass(frozen=True)
class Refusal:
    key: str
    retry_after: int


def _delay_after(failures, free: int, first: int, maximum: int):
    """SQL: the seconds to wait after ``failures`` failures: none before ``free`` of them, then
    ``first``, doubling with each further failure up to ``maximum``."""
    whens = [(failures < free, 0)]
    whens += [(failures == free + k, min(first * 2**k, maximum)) for k in range(_STEPS)]
    return sa.case(*whens, else_=maximum)


def reserve(key: str, free: int) -> Refusal | None:
    """Count an attempt on ``key`` as a failure before it is checked, or refuse it (None: go
    ahead). Commits at once, before the password is checked: the count stays whatever the
    request does next (nothing else is in the request's session yet)."""
    config = current_app.config
    delays = free, int(config["LOGIN_FIRST_DELAY_SECONDS"]), int(config["LOGIN_MAX_DELAY_SECONDS"])
    now = time.time()
    forgotten = now - float(config["LOGIN_FORGET_AFTER_SECONDS"])
    table = LoginThrottle.__table__
    insert = (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert(table)
    failures = sa.case((table.c.updated < forgotten, 1), else_=table.c.failures + 1)
    statement = (
        insert.values(
            key=key,
            failures=1,
            next_allowed=now + _delay_after(sa.literal(1), *delays),
            updated=now,
        )
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": failures,
                "next_allowed": now + _delay_after(failures, *delays),
                "updated": now,
            },
            where=sa.or_(table.c.next_allowed <= now, table.c.updated < forgotten),
        )
        .returning(table.c.failures)
    )
    counted = db.session.execute(statement).first() is not None
    next_allowed = db.session.scalar(sa.select(table.c.next_allowed).where(table.c.key == key))
    commit()
    if counted:
        return None
    return Refusal(key, max(1, int(next_allowed - now + 0.999)))


def forgive(key: str, *, everything: bool) -> None:
    """A successful login: the key's failures are forgotten (``everything``: the account or the
    device), or only the one this attempt counted is given back (the address, which a guesser
    with one account of their own must not be able to clear)."""
    table = LoginThrottle.__table__
    if everything:
        db.session.execute(table.delete().where(table.c.key == key))
    else:
        given_back = sa.case((table.c.failures > 0, table.c.failures - 1), else_=0)
        db.session.execute(table.update().where(table.c.key == key).values(failures=given_back))
    commit()
