"""communities: AFIL Strategic Communities, their members, proposals and proposal history

Revision ID: 0003_communities
Revises: 0002_phase_2
Create Date: 2026-11-22 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_communities'
down_revision = '0002_phase_2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('communities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_communities_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_communities')),
    sa.UniqueConstraint('name', name=op.f('uq_communities_name'))
    )
    op.create_table('community_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('member', 'coordinator')", name=op.f('ck_community_members_role_known')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_community_members_added_by_id_users')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_community_members_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_community_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_members')),
    sa.UniqueConstraint('community_id', 'user_id', name=op.f('uq_community_members_community_id_user_id'))
    )
    with op.batch_alter_table('community_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_members_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_members_user_id'), ['user_id'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('workflow', sa.String(length=50), nullable=False),
    sa.Column('state', sa.String(length=50), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('state_entered_at', sa.DateTime(), nullable=False),
    sa.Column('board_review_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('act_reference', sa.String(length=200), nullable=True),
    sa.Column('follow_up_application_id', sa.Integer(), nullable=True),
    sa.Column('follow_up_call_id', sa.Integer(), nullable=True),
    sa.Column('follow_up_reference', sa.String(length=200), nullable=True),
    sa.CheckConstraint("state NOT IN ('endorsed', 'follow_up', 'completed') OR length(coalesce(act_reference, '')) > 0", name=op.f('ck_proposals_endorsed_has_act')),
    sa.CheckConstraint("state NOT IN ('follow_up', 'completed') OR follow_up_application_id IS NOT NULL OR follow_up_call_id IS NOT NULL OR length(coalesce(follow_up_reference, '')) > 0", name=op.f('ck_proposals_follow_up_is_linked')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_proposals_version_positive')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_proposals_community_id_communities')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proposals_created_by_id_users')),
    sa.ForeignKeyConstraint(['follow_up_application_id'], ['applications.id'], name=op.f('fk_proposals_follow_up_application_id_applications')),
    sa.ForeignKeyConstraint(['follow_up_call_id'], ['calls.id'], name=op.f('fk_proposals_follow_up_call_id_calls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_community_id'), ['community_id'], unique=False)
        batch_op.create_index('ix_proposals_community_state', ['community_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_follow_up_application_id'), ['follow_up_application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_follow_up_call_id'), ['follow_up_call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_state'), ['state'], unique=False)

    op.create_table('proposal_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('trigger', sa.String(length=50), nullable=False),
    sa.Column('from_state', sa.String(length=50), nullable=False),
    sa.Column('to_state', sa.String(length=50), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('seconds_in_from_state', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_proposal_history_actor_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_history_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_history')),
    sa.UniqueConstraint('proposal_id', 'seq', name=op.f('uq_proposal_history_proposal_id_seq'))
    )
    with op.batch_alter_table('proposal_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_history_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_history_proposal_id'))

    op.drop_table('proposal_history')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_state'))
        batch_op.drop_index(batch_op.f('ix_proposals_follow_up_call_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_follow_up_application_id'))
        batch_op.drop_index('ix_proposals_community_state')
        batch_op.drop_index(batch_op.f('ix_proposals_community_id'))

    op.drop_table('proposals')
    with op.batch_alter_table('community_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_community_members_community_id'))

    op.drop_table('community_members')
    op.drop_table('communities')
