"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tracker.extensions import db

pytestmark = pytest.mark.fresh_database  # the migrations build the schema themselves


def test_migrations_produce_the_models_schema(empty_database):
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
        )
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
