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


def newest(id_column, time_column) -> tuple:
    """The newest row's id and its ``time_column`` (SQLite may give a rolled-back row's id to the
    next one, so the id alone does not say a row is new), as scalar subqueries: index lookups.

    No LIMIT: with a bound one, PostgreSQL planned the statement again on every run (a generic
    plan cannot know the limit, so it never looked cheaper than a fresh one)."""
    last_id = select(func.max(id_column)).scalar_subquery()
    return last_id, select(time_column).where(id_column == last_id).scalar_subquery()


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


# PostgreSQL keeps a plan for a statement psycopg has prepared (on its sixth run on a
# connection), but psycopg forgets every prepared statement on ROLLBACK, in case it undid DDL
# (and sends DEALLOCATE ALL). Every request that only read ended that way, when its session
# closed: no plan outlived its request, and each request planned its statements afresh. A
# transaction that wrote nothing now ends with COMMIT instead, which undoes nothing either,
# and the connection keeps its plans (about 2-5 ms a request, and the server's planning CPU).
WROTE = "tracker_wrote"
#: statements a PostgreSQL connection keeps prepared (psycopg's default, 100, is fewer than the
#: app's distinct statements: the least used were deallocated and prepared again, in turns)
PREPARED_MAX = 1000


def planner_options(config) -> None:
    """PostgreSQL: the app's connections plan with ``PG_RANDOM_PAGE_COST`` (1.1 unless set;
    empty leaves the server's), given at connection (libpq's ``options``: no extra round trip).

    The server's default, 4, prices a page read out of order as a spinning disk's seek. With
    it, the lists' partners find their 600 organisations by walking the whole organisations
    index in order (a merge join: 3.4 ms at 100,000 applications) rather than by 600 lookups
    (1.6 ms). 1.1 is PostgreSQL's advice for SSDs and for data held in memory."""
    cost = str(config.get("PG_RANDOM_PAGE_COST") or "").strip()
    if not cost or not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        return
    try:
        value = float(cost)
    except ValueError:
        raise RuntimeError(f"PG_RANDOM_PAGE_COST must be a number, not {cost!r}") from None
    engine = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(engine.get("connect_args") or {})
    given = connect_args.get("options", "")
    connect_args["options"] = f"{given} -c random_page_cost={value}".strip()
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine | {"connect_args": connect_args}


@event.listens_for(Engine, "connect")
def _keep_more_plans(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("psycopg"):
        dbapi_connection.prepared_max = PREPARED_MAX


@event.listens_for(Engine, "begin")
def _nothing_written_yet(conn) -> None:
    conn.info[WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if not conn.info.get(WROTE) and _may_write(statement, context):
        conn.info[WROTE] = True


def _may_write(statement: str, context) -> bool:
    """Whether a statement may change data: any DML, and any SQL not known to be a query."""
    compiled = getattr(context, "compiled", None)
    if compiled is not None and not getattr(context, "is_text", False):
        return bool(context.isinsert or context.isupdate or context.isdelete or context.isddl)
    return statement.lstrip()[:6].upper() != "SELECT"


def end_request_transaction(exc: BaseException | None) -> None:
    """At the end of a request (before the session is removed, which rolls back): commit the
    open transaction if it wrote nothing and holds nothing unwritten (see ``WROTE``)."""
    if exc is not None or not db.session.registry.has():
        return
    session = db.session()
    if not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        return
    if session.connection().info.get(WROTE, True):
        return
    # what the request read stays readable once the session is gone, as after the removal's
    # rollback (a streamed answer reads on from its own session: current_user, say)
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    except Exception:  # the connection died meanwhile: the removal's rollback cleans up
        session.rollback()
    finally:
        session.expire_on_commit = expiring
