"""speed: a state's list sorted by score reads an index

Revision ID: 0011_speed
Revises: 0010_verification
Create Date: 2026-12-05 03:00:00.000000

One index (no table is rebuilt, no row changes): the applications of a state by score, read
backwards (score descending, the unscored last, then the id), with ``submitted_at`` so that
what officers may see is read from the index alone. Before it a list sorted by score sorted
every application of the state on each request.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0011_speed"
down_revision = "0010_verification"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_applications_state_score",
        "applications",
        ["state", "score", "id", "submitted_at"],
        unique=False,
        # PostgreSQL keeps NULLs last in an ascending index; read backwards they would come first
        postgresql_ops={"score": "NULLS FIRST"},
    )


def downgrade():
    op.drop_index("ix_applications_state_score", table_name="applications")
