"""bulk decisions: what a person decided on several applications at once, for its result page

Revision ID: 0020_bulk_decisions
Revises: 0019_changes
Create Date: 2026-12-05 05:40:00

One new table, nothing else changed: every existing row stays as it is.
"""
from alembic import op
import sqlalchemy as sa

import tracker.columns


# revision identifiers, used by Alembic.
revision = '0020_bulk_decisions'
down_revision = '0019_changes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bulk_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=50), nullable=False),
    sa.Column('workflow', sa.String(length=50), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('created_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_bulk_decisions_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_decisions'))
    )
    with op.batch_alter_table('bulk_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulk_decisions_actor_id'), ['actor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('bulk_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulk_decisions_actor_id'))

    op.drop_table('bulk_decisions')
