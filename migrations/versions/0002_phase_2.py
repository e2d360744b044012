"""phase 2: support measures - committed budget, score before and after the label bonus, grants

Revision ID: 0002_phase_2
Revises: 0001_phase_1
Create Date: 2026-11-23 09:00:00

Hand-written. Every new column is added with ALTER TABLE ... ADD COLUMN, and its CHECK
constraints travel with it: on SQLite as column constraints in the same statement, because adding
a table constraint there means rebuilding the table, and dropping the old ``calls`` or
``applications`` table with foreign keys enforced would cascade into criteria, partners,
history and reviews. On PostgreSQL the same constraints are added by name afterwards.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_phase_2'
down_revision = '0001_phase_1'
branch_labels = None
depends_on = None

#: (table, column, nullable, server default, [(constraint name, condition)])
COLUMNS = [
    ('calls', 'committed', False, '0', [
        ('ck_calls_committed_within_budget',
         'committed >= 0 AND (budget IS NULL OR committed <= budget)'),
    ]),
    ('applications', 'base_score', True, None, []),
    ('applications', 'label_bonus_applied', True, None, [
        ('ck_applications_bonus_not_negative',
         'label_bonus_applied IS NULL OR label_bonus_applied >= 0'),
    ]),
    ('applications', 'granted_amount', True, None, [
        ('ck_applications_granted_within_request',
         'granted_amount IS NULL OR (granted_amount > 0 AND requested_amount IS NOT NULL '
         'AND granted_amount <= requested_amount)'),
        ('ck_applications_grant_has_amount',
         "workflow <> 'support_application' OR granted_amount IS NOT NULL "
         "OR state NOT IN ('granted', 'in_implementation', 'completed')"),
    ]),
]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def upgrade():
    sqlite = _sqlite()
    for table, column, nullable, default, checks in COLUMNS:
        if sqlite:
            ddl = f'ALTER TABLE {table} ADD COLUMN {column} BIGINT'
            if not nullable:
                ddl += f' NOT NULL DEFAULT {default}'
            for name, condition in checks:
                ddl += f' CONSTRAINT {name} CHECK ({condition})'
            op.execute(ddl)
            continue
        op.add_column(table, sa.Column(
            column, sa.BigInteger(), nullable=nullable,
            server_default=sa.text(default) if default is not None else None,
        ))
        for name, condition in checks:
            op.create_check_constraint(op.f(name), table, condition)


def downgrade():
    sqlite = _sqlite()
    for table, column, _nullable, _default, checks in reversed(COLUMNS):
        if sqlite:
            # native DROP COLUMN (SQLite >= 3.35): the column's own constraints go with it
            op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
            continue
        for name, _condition in checks:
            op.drop_constraint(op.f(name), table, type_='check')
        op.drop_column(table, column)
