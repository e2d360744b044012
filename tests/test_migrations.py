"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tracker.extensions import db

pytestmark = pytest.mark.fresh_database  # the migrations build the schema themselves


def _for_this_database(dialect: str):
    """Alembic's filter: an index the models create on another database only (``ddl_if``) is
    not missing here."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
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
    assert set(inspect(db.engine).get_table_names()) == set(db.metadata.tables) | {
        "alembic_version"
    }


def test_migrations_go_down_and_up_again(empty_database):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert "applications" in inspect(db.engine).get_table_names()
