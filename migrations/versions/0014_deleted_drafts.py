"""deleted drafts: what a lead deleted before ever submitting it

Revision ID: 0014_deleted_drafts
Revises: 0013_speed
Create Date: 2026-12-05 03:00:00.000000

A new table only: no existing row changes. A draft never submitted has no history rows, so
deleting it touches no hash chain; this table keeps what it was, who deleted it and when.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0014_deleted_drafts'
down_revision = '0013_speed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'deleted_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('call_id', sa.Integer(), nullable=False),
        sa.Column('lead_organisation_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('deleted_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name='fk_deleted_drafts_call_id_calls'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name='fk_deleted_drafts_created_by_id_users'),
        sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'],
                                name='fk_deleted_drafts_deleted_by_id_users'),
        sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'],
                                name='fk_deleted_drafts_lead_organisation_id_organisations'),
        sa.PrimaryKeyConstraint('id', name='pk_deleted_drafts'),
    )
    for column in ('application_id', 'call_id', 'lead_organisation_id'):
        op.create_index(f'ix_deleted_drafts_{column}', 'deleted_drafts', [column])


def downgrade():
    for column in ('application_id', 'call_id', 'lead_organisation_id'):
        op.drop_index(f'ix_deleted_drafts_{column}', table_name='deleted_drafts')
    op.drop_table('deleted_drafts')
