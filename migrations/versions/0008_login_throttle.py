"""login throttle: failed logins counted in the database every worker shares

Revision ID: 0008_login_throttle
Revises: 0007_people
Create Date: 2026-12-05 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_login_throttle'
down_revision = '0007_people'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('next_allowed', sa.Double(), nullable=False),
    sa.Column('updated', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )


def downgrade():
    op.drop_table('login_throttle')
