"""indexes: the registry's valid labels and who has waited longest in a state

Revision ID: 0026_indexes
Revises: 0025_windows
Create Date: 2026-12-05 09:00:00.000000

Two indexes (no table is rebuilt, no row changes), found by ``make bench`` on PostgreSQL:

- ``ix_quality_labels_valid``, the valid labels by decree (partial: ``revoked_at IS NULL``).
  PostgreSQL does not take ``revoked_at IS NULL`` as an equality that would let it read
  ``ix_quality_labels_registry`` in decree order, so each page of the registry sorted every
  valid label (138 ms at 100,000 applications);
- ``ix_applications_state_entered`` (state, time entered, call, id): the applications that have
  waited longest in a state, of any of several calls, read in order from the index alone (the
  officers' oldest overdue, the committees' queue), where they were all fetched and sorted.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0026_indexes"
down_revision = "0025_windows"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_quality_labels_valid",
        "quality_labels",
        ["decree_date", "code"],
        unique=False,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.create_index(
        "ix_applications_state_entered",
        "applications",
        ["state", "state_entered_at", "call_id", "id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_applications_state_entered", table_name="applications")
    op.drop_index("ix_quality_labels_valid", table_name="quality_labels")
