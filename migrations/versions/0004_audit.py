"""audit: hash-chained history, uploaded documents

Revision ID: 0004_audit
Revises: 0003_communities
Create Date: 2026-11-22 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_audit'
down_revision = '0003_communities'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
