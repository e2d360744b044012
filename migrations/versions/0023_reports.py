"""reports: monitoring reports of value chains and funded projects, their hash-chained history,
the call's interval between reports

Revision ID: 0023_reports
Revises: 0022_notices
Create Date: 2026-12-05 05:30:00

Two new tables and one new column with a default: every existing row stays as it is, and every
existing call reports yearly (``report_interval_months`` 12). ``report_history`` is append-only
like the other histories (the same triggers as 0004_audit) and hash-chained
(``tracker.audit.chain.CHAINS``). Projects already in implementation file their final report
like any other before they complete (no report is invented for them).
"""
from alembic import op
import sqlalchemy as sa

import tracker.columns
from tracker.audit.triggers import drop_trigger_ddl, trigger_ddl


# revision identifiers, used by Alembic.
revision = '0023_reports'
down_revision = '0022_notices'
branch_labels = None
depends_on = None


def upgrade():
    # a plain ADD COLUMN (as 0011, 0012): SQLite's batch copy would drop a referenced table
    op.add_column('calls', sa.Column('report_interval_months', sa.Integer(), nullable=False,
                                     server_default='12'))

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('workflow', sa.String(length=50), nullable=False),
    sa.Column('state', sa.String(length=50), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('partners', sa.Integer(), nullable=True),
    sa.Column('firms', sa.Integer(), nullable=True),
    sa.Column('smes', sa.Integer(), nullable=True),
    sa.Column('investments', tracker.columns.Hundredths(), nullable=True),
    sa.Column('employment', sa.Integer(), nullable=True),
    sa.Column('projects_started', sa.Integer(), nullable=True),
    sa.Column('spend', tracker.columns.Hundredths(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('updated_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('state_entered_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', tracker.columns.UTCDateTime(), nullable=True),
    sa.Column('accepted_at', tracker.columns.UTCDateTime(), nullable=True),
    sa.Column('history_head', sa.String(length=64), nullable=True),
    sa.CheckConstraint("kind IN ('periodic', 'progress', 'final')", name=op.f('ck_reports_kind_known')),
    sa.CheckConstraint('period >= 1', name=op.f('ck_reports_period_positive')),
    sa.CheckConstraint('spend IS NULL OR spend >= 0', name=op.f('ck_reports_spend_not_negative')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_reports_version_positive')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_reports_application_id_applications')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reports_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('application_id', 'kind', 'period', name=op.f('uq_reports_application_id_kind_period'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_application_id'), ['application_id'], unique=False)
        batch_op.create_index('ix_reports_kind_state', ['kind', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_state'), ['state'], unique=False)

    op.create_table('report_history',
    sa.Column('report_id', sa.Integer(), nullable=False),
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
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_report_history_actor_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_history_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_history')),
    sa.UniqueConstraint('report_id', 'seq', name=op.f('uq_report_history_report_id_seq'))
    )
    with op.batch_alter_table('report_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_history_report_id'), ['report_id'], unique=False)

    for statement in trigger_ddl('report_history', op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in drop_trigger_ddl('report_history', op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table('report_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_history_report_id'))

    op.drop_table('report_history')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_state'))
        batch_op.drop_index('ix_reports_kind_state')
        batch_op.drop_index(batch_op.f('ix_reports_application_id'))

    op.drop_table('reports')
    op.drop_column('calls', 'report_interval_months')  # plainly, as 0012 (no batch copy)
