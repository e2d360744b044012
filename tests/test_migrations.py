"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tracker.extensions import db
from tracker.search.models import INDEXES, PG_STORED, SEARCH_TABLES

pytestmark = pytest.mark.fresh_database  # the migrations build the schema themselves


def _for_this_database(dialect: str):
    """Alembic's filter: an index the models create on another database only (``ddl_if``) is
    not missing here."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        # the full-text indexes (tracker.search.models) are DDL the tables' events create:
        # FTS5 tables on SQLite, expression indexes on PostgreSQL, which no model describes
        # (and PostgreSQL's stored column of the applications' words)
        if name in SEARCH_TABLES or name in {f"ix_{index}" for index in INDEXES}:
            return False
        if name in PG_STORED.values():
            return False
        condition = getattr(obj, "_ddl_if", None)
        return reflected or condition is None or condition.dialect in (None, dialect)

    return include


def test_migrations_produce_the_models_schema(empty_database):
    upgrade()
    with db.engine.connect() as conn:
        options = {
            "compare_type": True,
            "include_object": _for_this_database(conn.dialect.name),
        }
        diff = compare_metadata(MigrationContext.configure(conn, opts=options), db.metadata)
    assert diff == []
    search = SEARCH_TABLES if conn.dialect.name == "sqlite" else set()
    assert (
        set(inspect(db.engine).get_table_names())
        == set(db.metadata.tables) | {"alembic_version"} | search
    )


def test_migrations_go_down_and_up_again(empty_database):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert "applications" in inspect(db.engine).get_table_names()
