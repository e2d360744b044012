"""lead_firm: a call may admit only a firm as lead partner

Revision ID: 0011_lead_firm
Revises: 0010_verification
Create Date: 2026-12-05 03:00:00.000000

One column, ``calls.lead_must_be_firm`` (condition ``lead_is_firm`` of the value-chain
workflow). Every existing call keeps its rules: it migrates with the flag off, so no application
already submitted or admitted is refused afterwards by a rule its call never stated.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_lead_firm'
down_revision = '0010_verification'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('calls', sa.Column('lead_must_be_firm', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade():
    # native DROP COLUMN on SQLite (>= 3.35), as 0010
    op.drop_column('calls', 'lead_must_be_firm')
