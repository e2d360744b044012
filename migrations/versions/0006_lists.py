"""lists: indexes for filtered, sorted, paginated lists and exports

Revision ID: 0006_lists
Revises: 0005_dashboards
Create Date: 2026-11-22 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_lists'
down_revision = '0005_dashboards'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
