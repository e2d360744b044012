"""audit: hash-chained history, uploaded documents

Adds the hash chain to both history tables (prev_hash, hash) and its head to their subjects
(history_head), seals every existing row (so an existing database upgrades intact, and
``flask audit verify`` passes right after), makes history append-only with triggers, and adds
the signed project agreements uploaded as PDFs.

Revision ID: 0004_audit
Revises: 0003_communities
Create Date: 2026-11-22 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from tracker.audit.chain import CHAINS as ALL_CHAINS, seal_pending
from tracker.audit.triggers import drop_trigger_ddl, trigger_ddl

#: the histories this revision chains (later revisions add theirs: 0019_changes)
CHAINS = tuple(spec for spec in ALL_CHAINS if spec.kind in ('application', 'proposal'))


# revision identifiers, used by Alembic.
revision = '0004_audit'
down_revision = '0003_communities'
branch_labels = None
depends_on = None


def upgrade():
    for spec in CHAINS:
        op.add_column(spec.history, sa.Column('prev_hash', sa.String(length=64), nullable=True))
        op.add_column(spec.history, sa.Column('hash', sa.String(length=64), nullable=True))
        op.add_column(spec.subjects, sa.Column('history_head', sa.String(length=64), nullable=True))

    op.create_table('agreement_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('size > 0', name=op.f('ck_agreement_documents_size_positive')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_agreement_documents_sha256_hex')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_agreement_documents_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_agreement_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_documents'))
    )
    op.create_index(op.f('ix_agreement_documents_application_id'), 'agreement_documents', ['application_id'], unique=False)

    bind = op.get_bind()
    seal_pending(bind, CHAINS)  # in batches of subjects; the existing rows get their chains
    for spec in CHAINS:
        for statement in trigger_ddl(spec.history, bind.dialect.name):
            op.execute(statement)


def downgrade():
    bind = op.get_bind()
    for spec in CHAINS:
        for statement in drop_trigger_ddl(spec.history, bind.dialect.name):
            op.execute(statement)
    if bind.dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS history_append_only()')
    op.drop_index(op.f('ix_agreement_documents_application_id'), table_name='agreement_documents')
    op.drop_table('agreement_documents')
    for spec in CHAINS:
        op.drop_column(spec.subjects, 'history_head')
        op.drop_column(spec.history, 'hash')
        op.drop_column(spec.history, 'prev_hash')
