"""History rows are append-only: the ORM refuses to change or delete one, and the database
refuses it too (triggers on SQLite and PostgreSQL), so only someone bypassing both - with the
database's owner rights - can; the hash chain then shows it (``flask audit verify``).

A row written without a hash (a bulk load) may be sealed once: that UPDATE alone is allowed.
Emptying a table with TRUNCATE (the tests' cleanup) does not fire row triggers.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.audit.chain import CHAINS
from tracker.audit.triggers import trigger_ddl
from tracker.extensions import db
from tracker.firing import HistoryRecord


class HistoryImmutableError(RuntimeError):
    """Raised when code tries to update or delete a history row."""


@event.listens_for(Session, "before_flush")
def _history_is_append_only(session: Session, flush_context, instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, HistoryRecord):
            raise HistoryImmutableError(
                f"History rows cannot be deleted ({type(obj).__name__} {obj.id}): "
                "a subject with history is never deleted either."
            )
    for obj in session.dirty:
        if isinstance(obj, HistoryRecord) and session.is_modified(obj, include_collections=False):
            raise HistoryImmutableError(
                f"History rows cannot be changed ({type(obj).__name__} {obj.id})."
            )


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_history_changes(state) -> None:
    """``session.execute(update(HistoryEntry)...)`` skips the flush: refuse it here."""
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if issubclass(mapper.class_, HistoryRecord):
            raise HistoryImmutableError(
                f"History rows cannot be changed or deleted ({mapper.class_.__name__})."
            )


# --- the database's own refusal (tracker.audit.triggers) -------------------------------------


@event.listens_for(db.metadata, "after_create")
def _create_triggers(metadata, connection, tables=(), **kw) -> None:
    """``create_all`` (tests, fresh databases) creates the triggers with the history tables."""
    created = {t.name for t in tables}
    for spec in CHAINS:
        if spec.history in created:
            for statement in trigger_ddl(spec.history, connection.dialect.name):
                connection.exec_driver_sql(statement)
