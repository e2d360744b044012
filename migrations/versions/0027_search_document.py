"""search_document: PostgreSQL stores the words of each application (title, concept note)

Revision ID: 0027_search_document
Revises: 0026_indexes
Create Date: 2026-12-05 08:30:00

PostgreSQL only: ``applications.search_document``, a tsvector column generated from the title
and the concept note (the very expression ``0021_search`` indexed), filled for every existing
row as the column is added; the GIN index ``ix_applications_search`` moves from the expression
to the column. A list walking its order (latest change first) tests each row's words by reading
the column instead of parsing the text again. SQLite: nothing (its FTS5 table already answers
for a row). No row changes; the DDL is ``tracker.search.models``'s, the same the models create.
"""

from alembic import op

from tracker.search.models import PG_STORED, INDEXES, pg_ddl, pg_expression_index


# revision identifiers, used by Alembic.
revision = '0027_search_document'
down_revision = '0026_indexes'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in PG_STORED:
        op.execute(f"DROP INDEX IF EXISTS ix_{name}")
        for statement in pg_ddl(name):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, column in PG_STORED.items():
        table = INDEXES[name][0]
        op.execute(f"DROP INDEX IF EXISTS ix_{name}")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
        op.execute(pg_expression_index(name))
