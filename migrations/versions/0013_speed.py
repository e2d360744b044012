"""speed: a state's list sorted by score reads an index

Revision ID: 0013_speed
Revises: 0012_illustrative
Create Date: 2026-12-05 03:00:00.000000

One index (no table is rebuilt, no row changes): the applications of a state by score, read
backwards (score descending, the unscored last, then the id), with ``submitted_at`` so that
what officers may see is read from the index alone. Before it a list sorted by score sorted
every application of the state on each request. SQLite keeps NULLs first in an ascending
index; PostgreSQL keeps them last unless told (hence its own index, NULLS FIRST).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_speed'
down_revision = '0012_illustrative'
branch_labels = None
depends_on = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if _postgresql():
        op.create_index(
            "ix_applications_state_score_pg",
            "applications",
            ["state", sa.column("score").nulls_first(), "id", "submitted_at"],
            unique=False,
        )
    else:
        op.create_index(
            "ix_applications_state_score",
            "applications",
            ["state", "score", "id", "submitted_at"],
            unique=False,
        )


def downgrade():
    if _postgresql():
        op.drop_index("ix_applications_state_score_pg", table_name="applications")
    else:
        op.drop_index("ix_applications_state_score", table_name="applications")
