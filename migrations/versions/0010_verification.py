"""verification: who declared an organisation's facts, and who verified them

Revision ID: 0010_verification
Revises: 0009_accounts
Create Date: 2026-12-06 10:00:00.000000

Hand-written, like 0002: every column is added with ALTER TABLE ... ADD COLUMN, its foreign key
and CHECK constraint travelling with it on SQLite (adding a table constraint there means
rebuilding ``organisations``, which users, partners and applications point at). Every row is
kept. The organisations already registered were entered before declared facts had to be
verified: they migrate as verified at their registration time, by nobody in particular
(``verified_by_id`` NULL). Province codes are checked by the application from now on; rows with
a code outside the list keep it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_verification'
down_revision = '0009_accounts'
branch_labels = None
depends_on = None

CHECK = ('ck_organisations_verifier_has_time',
         'verified_by_id IS NULL OR verified_at IS NOT NULL')
#: (column, SQL type, a user it names: its foreign key's name)
COLUMNS = [
    ('declared_by_id', 'INTEGER', 'fk_organisations_declared_by_id_users'),
    ('verified_at', 'DATETIME', None),
    ('verified_by_id', 'INTEGER', 'fk_organisations_verified_by_id_users'),
    ('verification_note', 'VARCHAR(500)', None),
]
INDEX = 'ix_organisations_declared_by_id'


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def upgrade():
    if _sqlite():
        for column, type_, fk in COLUMNS:
            ddl = f'ALTER TABLE organisations ADD COLUMN {column} {type_}'
            if fk:
                ddl += f' CONSTRAINT {fk} REFERENCES users (id)'
            if column == 'verified_by_id':
                ddl += f' CONSTRAINT {CHECK[0]} CHECK ({CHECK[1]})'
            op.execute(ddl)
    else:
        op.add_column('organisations', sa.Column('declared_by_id', sa.Integer(), nullable=True))
        op.add_column('organisations', sa.Column('verified_at', sa.DateTime(), nullable=True))
        op.add_column('organisations', sa.Column('verified_by_id', sa.Integer(), nullable=True))
        op.add_column('organisations',
                      sa.Column('verification_note', sa.String(length=500), nullable=True))
        for column, _type, fk in COLUMNS:
            if fk:
                op.create_foreign_key(op.f(fk), 'organisations', 'users', [column], ['id'])
        op.create_check_constraint(op.f(CHECK[0]), 'organisations', CHECK[1])
    op.create_index(INDEX, 'organisations', ['declared_by_id'], unique=False)
    # entered before the rule: verified as they stand
    op.execute('UPDATE organisations SET verified_at = created_at')


def downgrade():
    op.drop_index(INDEX, table_name='organisations')
    if _sqlite():
        # native DROP COLUMN (SQLite >= 3.35); verified_by_id first: its CHECK names verified_at
        for column in ('verified_by_id', 'declared_by_id', 'verification_note', 'verified_at'):
            op.execute(f'ALTER TABLE organisations DROP COLUMN {column}')
        return
    op.drop_constraint(op.f(CHECK[0]), 'organisations', type_='check')
    for column, _type, fk in reversed(COLUMNS):
        if fk:
            op.drop_constraint(op.f(fk), 'organisations', type_='foreignkey')
        op.drop_column('organisations', column)
