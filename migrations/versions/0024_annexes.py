"""annexes: the annexes a call asks for and the files applications upload; the agreement is
signed only by its uploaded PDF

Revision ID: 0024_annexes
Revises: 0023_reports
Create Date: 2026-12-05 05:40:00.000000

Two new tables. Every existing row stays. One correction of data: the signed project agreement
now counts only with its PDF uploaded (issue 14), so an application that still can be edited
(a value chain's draft, or one answering an integration request) and says it is signed without
any uploaded agreement is no longer recorded as signed: its lead uploads the PDF before
submitting, as the page says. Applications past their submission keep their record: the Region
accepted them under the rule of the day, and their page says no PDF was uploaded.
"""
from alembic import op
import sqlalchemy as sa

import tracker.columns


# revision identifiers, used by Alembic.
revision = '0024_annexes'
down_revision = '0023_reports'
branch_labels = None
depends_on = None

#: the states in which the lead could still upload the PDF (value_chain, the only workflow whose
#: submission checks the agreement), frozen as they were when this migration was written
EDITABLE = ("draft", "integration_requested")


def upgrade():
    op.create_table('call_annexes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('formats', sa.String(length=100), nullable=False),
    sa.Column('max_bytes', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('illustrative', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('max_bytes > 0', name=op.f('ck_call_annexes_max_bytes_positive')),
    sa.CheckConstraint("formats <> ''", name=op.f('ck_call_annexes_formats_named')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_annexes_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_call_annexes_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_annexes')),
    sa.UniqueConstraint('call_id', 'name', name=op.f('uq_call_annexes_call_id_name'))
    )
    op.create_index(op.f('ix_call_annexes_call_id'), 'call_annexes', ['call_id'], unique=False)

    op.create_table('annex_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('annex_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.CheckConstraint('size > 0', name=op.f('ck_annex_documents_size_positive')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_annex_documents_sha256_hex')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_annex_documents_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['annex_id'], ['call_annexes.id'], name=op.f('fk_annex_documents_annex_id_call_annexes')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_annex_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annex_documents'))
    )
    op.create_index(op.f('ix_annex_documents_application_id'), 'annex_documents', ['application_id'], unique=False)
    op.create_index(op.f('ix_annex_documents_annex_id'), 'annex_documents', ['annex_id'], unique=False)

    # signed without its PDF, and still editable: no longer signed (see the module's docstring)
    op.execute(
        sa.text(
            "UPDATE applications SET agreement_signed_at = NULL, agreement_signed_by_id = NULL "
            "WHERE agreement_signed_at IS NOT NULL AND workflow = 'value_chain' "
            "AND state IN :editable AND NOT EXISTS (SELECT 1 FROM agreement_documents d "
            "WHERE d.application_id = applications.id)"
        ).bindparams(sa.bindparam("editable", EDITABLE, expanding=True))
    )


def downgrade():
    # the cleared records are not restored: nothing says they were signed but the lead's click
    op.drop_index(op.f('ix_annex_documents_annex_id'), table_name='annex_documents')
    op.drop_index(op.f('ix_annex_documents_application_id'), table_name='annex_documents')
    op.drop_table('annex_documents')
    op.drop_index(op.f('ix_call_annexes_call_id'), table_name='call_annexes')
    op.drop_table('call_annexes')
