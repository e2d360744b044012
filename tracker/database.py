"""The one place a request's work is committed, with every way two writers can collide mapped
to a clear conflict. Operations flush, never commit; views call ``commit()`` once."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from tracker.errors import Conflict
from tracker.extensions import db
from workflows.i18n import N_

STALE = N_("Someone else changed this application meanwhile. Reload it and try again.")


@contextmanager
def conflicts_as_409():
    """Turn lost races (stale version, duplicate row, busy database) into a rolled-back Conflict."""
    try:
        yield
    except StaleDataError as err:
        db.session.rollback()
        raise Conflict(STALE, code="stale_version") from err
    except IntegrityError as err:
        db.session.rollback()
        raise Conflict(
            "This was recorded by someone else at the same moment, or already exists.",
            code="duplicate",
        ) from err
    except OperationalError as err:
        db.session.rollback()
        if "locked" in str(err.orig).lower() or "could not serialize" in str(err.orig).lower():
            raise Conflict(
                "The database was busy with a simultaneous change. Reload and try again.",
                code="busy",
            ) from err
        raise


def contains(text: str) -> str:
    """A LIKE pattern (use with ``escape="\\"``) matching ``text`` literally, anywhere."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def count_rows(query) -> int:
    """How many rows ``query`` (a select, maybe ordered and paged later) yields."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def flush() -> None:
    with conflicts_as_409():
        db.session.flush()


def commit() -> None:
    with conflicts_as_409():
        db.session.commit()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, let readers and a writer work together, wait for locks."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
