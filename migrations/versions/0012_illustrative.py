"""illustrative: what stands in for a fact the public record does not give

Revision ID: 0012_illustrative
Revises: 0011_lead_firm
Create Date: 2026-12-05 03:05:00.000000

``calls.criteria_illustrative``: the call's criteria stand in for ones its act does not publish;
``calls.opens_at_illustrative``: its opening day stands in for one the record does not give;
``quality_labels.decree_illustrative``: the label's decree number and date stand in for ones the
record does not give. Pages, the API and the downloads mark them "illustrative". Every existing
row keeps its data and migrates as not illustrative (real installations record real acts).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_illustrative'
down_revision = '0011_lead_firm'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('calls', sa.Column('criteria_illustrative', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column('calls', sa.Column('opens_at_illustrative', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column('quality_labels', sa.Column('decree_illustrative', sa.Boolean(),
                                              nullable=False, server_default=sa.false()))


def downgrade():
    op.drop_column('quality_labels', 'decree_illustrative')
    op.drop_column('calls', 'opens_at_illustrative')
    op.drop_column('calls', 'criteria_illustrative')
