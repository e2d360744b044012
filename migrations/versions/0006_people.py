"""people: languages, email outbox and email preferences

Revision ID: 0006_people
Revises: 0005_dashboards
Create Date: 2026-11-22 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_people'
down_revision = '0005_dashboards'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
