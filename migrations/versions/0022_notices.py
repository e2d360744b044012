"""notices: what the emails say, kept in the app for each person, read or unread

Revision ID: 0022_notices
Revises: 0021_search
Create Date: 2026-12-05 05:30:00

One new table, nothing else changed: every existing row stays as it is. Notices start with this
revision (the emails already in the outbox get none: their notice text was never written). Two
indexes: a person's notices newest first, and a partial one holding only the unread rows, which
the header counts on every page.
"""

from alembic import op
import sqlalchemy as sa

import tracker.columns


# revision identifiers, used by Alembic.
revision = '0022_notices'
down_revision = '0021_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.columns.UTCDateTime(), nullable=False),
        sa.Column("read_at", tracker.columns.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index("ix_notices_user_created", ["user_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_notices_unread",
            ["user_id"],
            unique=False,
            sqlite_where=sa.text("read_at IS NULL"),
            postgresql_where=sa.text("read_at IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_notices_unread",
            sqlite_where=sa.text("read_at IS NULL"),
            postgresql_where=sa.text("read_at IS NULL"),
        )
        batch_op.drop_index("ix_notices_user_created")

    op.drop_table("notices")
