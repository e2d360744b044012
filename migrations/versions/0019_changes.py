"""changes: partnership changes of value chains, their hash-chained history, chains below the minimum

Revision ID: 0019_changes
Revises: 0018_measures
Create Date: 2026-12-05 02:31:58.870035

Three new tables, nothing else changed: every existing row stays as it is. ``change_history`` is
append-only like the other histories (the same triggers as 0004_audit) and hash-chained
(``tracker.audit.chain.CHAINS``), so ``audit verify`` covers it from the start.
"""
from alembic import op
import sqlalchemy as sa

import tracker.columns
from tracker.audit.triggers import drop_trigger_ddl, trigger_ddl


# revision identifiers, used by Alembic.
revision = '0019_changes'
down_revision = '0018_measures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partnership_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('workflow', sa.String(length=50), nullable=False),
    sa.Column('state', sa.String(length=50), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('commitments', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('updated_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('state_entered_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('in_force_at', tracker.columns.UTCDateTime(), nullable=True),
    sa.Column('history_head', sa.String(length=64), nullable=True),
    sa.CheckConstraint("kind IN ('join', 'leave', 'change_lead')", name=op.f('ck_partnership_changes_kind_known')),
    sa.CheckConstraint("state NOT IN ('in_force') OR in_force_at IS NOT NULL", name=op.f('ck_partnership_changes_in_force_has_time')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_partnership_changes_version_positive')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_partnership_changes_application_id_applications')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_partnership_changes_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_partnership_changes_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_changes'))
    )
    with op.batch_alter_table('partnership_changes', schema=None) as batch_op:
        batch_op.create_index('ix_partnership_changes_application', ['application_id', 'created_at'], unique=False)
        batch_op.create_index('ix_partnership_changes_kind_state', ['kind', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_changes_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_changes_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_changes_state'), ['state'], unique=False)
        batch_op.create_index('uq_partnership_changes_open', ['application_id', 'organisation_id'], unique=True, sqlite_where=sa.text("state IN ('requested', 'accepted')"), postgresql_where=sa.text("state IN ('requested', 'accepted')"))

    op.create_table('chain_shortfalls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=True),
    sa.Column('firms', sa.Integer(), nullable=False),
    sa.Column('required', sa.Integer(), nullable=False),
    sa.Column('since', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('deadline_reason', sa.Text(), nullable=True),
    sa.Column('deadline_set_by_id', sa.Integer(), nullable=True),
    sa.Column('deadline_set_at', tracker.columns.UTCDateTime(), nullable=True),
    sa.Column('resolved_at', tracker.columns.UTCDateTime(), nullable=True),
    sa.CheckConstraint('deadline IS NULL OR (deadline_set_by_id IS NOT NULL AND deadline_set_at IS NOT NULL)', name=op.f('ck_chain_shortfalls_deadline_recorded')),
    sa.CheckConstraint('firms < required', name=op.f('ck_chain_shortfalls_below_minimum')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_chain_shortfalls_application_id_applications')),
    sa.ForeignKeyConstraint(['change_id'], ['partnership_changes.id'], name=op.f('fk_chain_shortfalls_change_id_partnership_changes')),
    sa.ForeignKeyConstraint(['deadline_set_by_id'], ['users.id'], name=op.f('fk_chain_shortfalls_deadline_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chain_shortfalls'))
    )
    with op.batch_alter_table('chain_shortfalls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chain_shortfalls_application_id'), ['application_id'], unique=False)
        batch_op.create_index('uq_chain_shortfalls_open', ['application_id'], unique=True, sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))

    op.create_table('change_history',
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('trigger', sa.String(length=50), nullable=False),
    sa.Column('from_state', sa.String(length=50), nullable=False),
    sa.Column('to_state', sa.String(length=50), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('seconds_in_from_state', sa.Integer(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=True),
    sa.Column('hash', sa.String(length=64), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_change_history_actor_id_users')),
    sa.ForeignKeyConstraint(['change_id'], ['partnership_changes.id'], name=op.f('fk_change_history_change_id_partnership_changes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_history')),
    sa.UniqueConstraint('change_id', 'seq', name=op.f('uq_change_history_change_id_seq'))
    )
    with op.batch_alter_table('change_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_history_change_id'), ['change_id'], unique=False)

    for statement in trigger_ddl('change_history', op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in drop_trigger_ddl('change_history', op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table('change_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_history_change_id'))

    op.drop_table('change_history')
    with op.batch_alter_table('chain_shortfalls', schema=None) as batch_op:
        batch_op.drop_index('uq_chain_shortfalls_open', sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_chain_shortfalls_application_id'))

    op.drop_table('chain_shortfalls')
    with op.batch_alter_table('partnership_changes', schema=None) as batch_op:
        batch_op.drop_index('uq_partnership_changes_open', sqlite_where=sa.text("state IN ('requested', 'accepted')"), postgresql_where=sa.text("state IN ('requested', 'accepted')"))
        batch_op.drop_index(batch_op.f('ix_partnership_changes_state'))
        batch_op.drop_index(batch_op.f('ix_partnership_changes_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_partnership_changes_organisation_id'))
        batch_op.drop_index('ix_partnership_changes_kind_state')
        batch_op.drop_index('ix_partnership_changes_application')

    op.drop_table('partnership_changes')
