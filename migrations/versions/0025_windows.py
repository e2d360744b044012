"""windows: a call's windows and the version of the rules each application is evaluated under

Revision ID: 0025_windows
Revises: 0024_annexes
Create Date: 2026-12-05 05:20:00.000000

- ``call_windows``: each call gets a first window carrying its current opening day, deadline,
  threshold, illustrative flags and the thematic areas every application could name until now
  (DGR 5899/2022's five); its act is the call's ``act_reference`` (first 100 characters);
- ``criteria.window_id``: every criterion joins its call's first window; a key is unique within
  its window (no longer within the call);
- ``applications.window_id``: every application joins its call's first window;
  ``applications.ateco_section`` (the partnership's sector) starts empty;
- ``application_thematic_areas``: an application's ``thematic_area`` becomes the first (and
  only) of its areas;
- ``deadline_extensions.act_number`` / ``act_date``: the act that decided an extension, empty
  for the extensions already recorded.

Every existing row is kept. The tallies need no recount: an application with one area is counted
under it as before.
"""
import json

from alembic import op
import sqlalchemy as sa

import tracker.columns


# revision identifiers, used by Alembic.
revision = '0025_windows'
down_revision = '0024_annexes'
branch_labels = None
depends_on = None

#: the areas an application could name before windows (tracker.reference.DGR_5899_AREAS)
FIRST_AREAS = ["sustainability", "innovation", "human_capital", "internationalisation", "credit"]
APP_FK = 'fk_applications_window_id_call_windows'


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def upgrade():
    op.create_table('call_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('score_threshold', tracker.columns.Hundredths(), nullable=False),
    sa.Column('thematic_areas', sa.JSON(), nullable=False),
    sa.Column('act_number', sa.String(length=100), server_default='', nullable=False),
    sa.Column('act_date', sa.Date(), nullable=True),
    sa.Column('criteria_illustrative', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('opens_at_illustrative', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', tracker.columns.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('number >= 1', name=op.f('ck_call_windows_number_positive')),
    sa.CheckConstraint('deadline >= opens_at',
                       name=op.f('ck_call_windows_window_deadline_after_opening')),
    sa.CheckConstraint('score_threshold >= 0',
                       name=op.f('ck_call_windows_window_threshold_not_negative')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_windows_call_id_calls'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                            name=op.f('fk_call_windows_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_windows')),
    sa.UniqueConstraint('call_id', 'number', name=op.f('uq_call_windows_call_id_number'))
    )
    with op.batch_alter_table('call_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_windows_call_id'), ['call_id'], unique=False)

    conn = op.get_bind()
    # one first window per call, carrying what the call holds today
    conn.execute(
        sa.text(
            "INSERT INTO call_windows (call_id, number, opens_at, deadline, score_threshold, "
            "thematic_areas, act_number, act_date, criteria_illustrative, opens_at_illustrative, "
            "created_at, created_by_id) "
            "SELECT id, 1, opens_at, deadline, score_threshold, :areas, "
            "substr(act_reference, 1, 100), NULL, criteria_illustrative, opens_at_illustrative, "
            "created_at, created_by_id FROM calls"
        ),
        {"areas": json.dumps(FIRST_AREAS)},
    )
    first_window = "(SELECT w.id FROM call_windows w WHERE w.call_id = {t}.call_id AND w.number = 1)"

    # criteria: each joins its call's first window; keys unique within a window
    op.add_column('criteria', sa.Column('window_id', sa.Integer(), nullable=True))
    op.execute(f"UPDATE criteria SET window_id = {first_window.format(t='criteria')}")
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.alter_column('window_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_criteria_call_id_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_criteria_window_id_key'),
                                          ['window_id', 'key'])
        batch_op.create_foreign_key(batch_op.f('fk_criteria_window_id_call_windows'),
                                    'call_windows', ['window_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_criteria_window_id'), ['window_id'], unique=False)

    # the act of an extension, none recorded for those already there
    op.add_column('deadline_extensions', sa.Column('act_number', sa.String(length=100),
                                                   server_default='', nullable=False))
    op.add_column('deadline_extensions', sa.Column('act_date', sa.Date(), nullable=True))

    # applications: their window (without rebuilding the table), their sector
    if _sqlite():
        op.execute(f'ALTER TABLE applications ADD COLUMN window_id INTEGER '
                   f'CONSTRAINT {APP_FK} REFERENCES call_windows (id)')
    else:
        op.add_column('applications', sa.Column('window_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(APP_FK), 'applications', 'call_windows', ['window_id'], ['id'])
    op.add_column('applications', sa.Column('ateco_section', sa.String(length=1), nullable=True))
    op.create_index(op.f('ix_applications_window_id'), 'applications', ['window_id'],
                    unique=False)
    op.execute(f"UPDATE applications SET window_id = {first_window.format(t='applications')}")

    # an application's thematic areas: its one area becomes the first of the list
    op.create_table('application_thematic_areas',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=50), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                            name=op.f('fk_application_thematic_areas_application_id_applications'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('application_id', 'area', name=op.f('pk_application_thematic_areas'))
    )
    with op.batch_alter_table('application_thematic_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_thematic_areas_area'), ['area'],
                              unique=False)
    op.execute(
        "INSERT INTO application_thematic_areas (application_id, area, position) "
        "SELECT id, thematic_area, 0 FROM applications WHERE thematic_area IS NOT NULL "
        "AND thematic_area <> ''"
    )


def downgrade():
    # back to one area (the first, still in applications.thematic_area) and one set of criteria
    # per call: the criteria of later windows are dropped with them
    op.drop_table('application_thematic_areas')
    op.drop_index(op.f('ix_applications_window_id'), table_name='applications')
    if _sqlite():  # no rebuild: with foreign keys on, it would cascade into the histories
        op.execute('ALTER TABLE applications DROP COLUMN ateco_section')
        op.execute('ALTER TABLE applications DROP COLUMN window_id')
    else:
        op.drop_column('applications', 'ateco_section')
        op.drop_constraint(op.f(APP_FK), 'applications', type_='foreignkey')
        op.drop_column('applications', 'window_id')
    op.drop_column('deadline_extensions', 'act_date')
    op.drop_column('deadline_extensions', 'act_number')
    op.execute("DELETE FROM criteria WHERE window_id NOT IN "
               "(SELECT id FROM call_windows WHERE number = 1)")
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_window_id'))
        batch_op.drop_constraint(batch_op.f('fk_criteria_window_id_call_windows'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_criteria_window_id_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_criteria_call_id_key'),
                                          ['call_id', 'key'])
        batch_op.drop_column('window_id')
    # the calls keep the current window's deadline and threshold, which they held all along
    with op.batch_alter_table('call_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_windows_call_id'))
    op.drop_table('call_windows')
