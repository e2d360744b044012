"""search: full-text indexes of applications (title, concept note) and organisations (name)

Revision ID: 0021_search
Revises: 0020_bulk_decisions
Create Date: 2026-12-05 05:40:00

No column, no row changes. SQLite: an FTS5 table per indexed table (external content: the text
stays where it is) with the triggers that keep it in step, filled from the existing rows.
PostgreSQL: a GIN index on an expression of the same columns, built over the existing rows.
The DDL is ``tracker.search.models``'s, the same the models create.
"""

from alembic import op

from tracker.search.models import INDEXES, pg_expression_index, sqlite_ddl, sqlite_rebuild


# revision identifiers, used by Alembic.
revision = '0021_search'
down_revision = '0020_bulk_decisions'
branch_labels = None
depends_on = None


def upgrade():
    dialect = op.get_bind().dialect.name
    for name in INDEXES:
        if dialect == "sqlite":
            for statement in sqlite_ddl(name):
                op.execute(statement)
            op.execute(sqlite_rebuild(name))  # the rows already there
        elif dialect == "postgresql":
            op.execute(pg_expression_index(name))  # 0027 stores the applications' words


def downgrade():
    dialect = op.get_bind().dialect.name
    for name, (table, _columns) in INDEXES.items():
        if dialect == "sqlite":
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {name}")
        elif dialect == "postgresql":
            op.execute(f"DROP INDEX IF EXISTS ix_{name}")
