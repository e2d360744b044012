"""dashboards: tallies and indexes for figures that stay fast at 100,000 applications

Revision ID: 0005_dashboards
Revises: 0004_audit
Create Date: 2026-11-22 03:00:00.000000

Tables of counts kept by the app as things happen (tracker.dashboards), the calls' own service
times, the applications' S3 ecosystem and the index overdue applications are found by. An
existing database gets its tallies computed here, by the same statements as
``tracker.dashboards.tallies.rebuild`` (written out: a migration must not change with the code).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_dashboards'
down_revision = '0004_audit'
branch_labels = None
depends_on = None

DAY = 86400
# tracker.dashboards.tallies.BUCKETS when this revision was written
BUCKETS = (
    3600, DAY, 2 * DAY, 3 * DAY, 5 * DAY, 7 * DAY, 10 * DAY, 14 * DAY, 21 * DAY, 30 * DAY,
    45 * DAY, 60 * DAY, 75 * DAY, 90 * DAY, 120 * DAY, 150 * DAY, 180 * DAY, 270 * DAY,
    365 * DAY, 545 * DAY, 730 * DAY, 1095 * DAY,
)


# the workflows' states when this revision was written: not terminal, and of positive outcome
IN_PROGRESS = {
    'value_chain': ('draft', 'submitted', 'integration_requested', 'under_evaluation',
                    'evaluated', 'label_granted', 'support_active'),
    'support_application': ('draft', 'submitted', 'under_evaluation', 'scored', 'granted',
                            'waitlisted', 'in_implementation'),
    'hub_eoi': ('draft', 'submitted', 'eligible', 'selected'),
}
POSITIVE = {
    'value_chain': ('label_granted', 'support_active', 'closed'),
    'support_application': ('granted', 'completed'),
    'hub_eoi': ('selected', 'agreement_signed'),
}


def _flag(states: dict) -> str:
    terms = " OR ".join(
        f"(a.workflow = '{wf}' AND a.state IN ({', '.join(repr(s) for s in names)}))"
        for wf, names in states.items()
    )
    return f"CASE WHEN {terms} THEN true ELSE false END"


def _bucket(column: str) -> str:
    whens = " ".join(f"WHEN {column} < {b} THEN {i}" for i, b in enumerate(BUCKETS))
    return f"CASE {whens} ELSE {len(BUCKETS)} END"


def upgrade():
    op.add_column('applications', sa.Column('s3_ecosystem', sa.String(length=50), nullable=True))
    op.create_index(
        'ix_applications_call_state_entered', 'applications',
        ['call_id', 'state', 'state_entered_at'], unique=False,
    )
    op.create_index(
        'ix_reviews_reviewer_submitted', 'reviews', ['reviewer_id', 'submitted_at'], unique=False,
    )
    op.create_table('tally_applications',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=50), nullable=False),
    sa.Column('submitted', sa.Boolean(), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('thematic_area', sa.String(length=50), nullable=False),
    sa.Column('s3_ecosystem', sa.String(length=50), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_tally_applications_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', 'state', 'submitted', 'province', 'thematic_area', 's3_ecosystem', name=op.f('pk_tally_applications'))
    )
    op.create_table('tally_breakdowns',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=50), nullable=False),
    sa.Column('in_progress', sa.Boolean(), nullable=False),
    sa.Column('positive', sa.Boolean(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.CheckConstraint("dimension IN ('state', 'province', 'thematic_area', 's3_ecosystem')", name=op.f('ck_tally_breakdowns_dimension_known')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_tally_breakdowns_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', 'dimension', 'value', 'in_progress', 'positive', name=op.f('pk_tally_breakdowns'))
    )
    op.create_table('tally_organisations',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_tally_organisations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_tally_organisations'))
    )
    op.create_table('tally_proposals',
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=50), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_tally_proposals_community_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('community_id', 'state', name=op.f('pk_tally_proposals'))
    )
    op.create_table('tally_durations',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=50), nullable=False),
    sa.Column('bucket', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("kind IN ('application', 'proposal')", name=op.f('ck_tally_durations_kind_known')),
    sa.PrimaryKeyConstraint('kind', 'scope_id', 'state', 'bucket', name=op.f('pk_tally_durations'))
    )
    op.create_table('service_times',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=50), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.CheckConstraint('days >= 1 AND days <= 3650', name=op.f('ck_service_times_days_sane')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_service_times_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', 'state', name=op.f('pk_service_times'))
    )
    _fill_tallies()


def _fill_tallies():
    op.execute(
        "INSERT INTO tally_applications "
        "(call_id, state, submitted, province, thematic_area, s3_ecosystem, n) "
        "SELECT a.call_id, a.state, "
        "CASE WHEN a.submitted_at IS NOT NULL THEN true ELSE false END, "
        "coalesce(o.province, ''), coalesce(a.thematic_area, ''), coalesce(a.s3_ecosystem, ''), "
        "count(*) FROM applications a JOIN organisations o ON o.id = a.lead_organisation_id "
        "GROUP BY 1, 2, 3, 4, 5, 6"
    )
    for name, value in (
        ('state', 'a.state'),
        ('province', "coalesce(o.province, '')"),
        ('thematic_area', "coalesce(a.thematic_area, '')"),
        ('s3_ecosystem', "coalesce(a.s3_ecosystem, '')"),
    ):
        op.execute(
            "INSERT INTO tally_breakdowns (call_id, dimension, value, in_progress, positive, n) "
            f"SELECT a.call_id, '{name}', {value}, {_flag(IN_PROGRESS)}, {_flag(POSITIVE)}, "
            "count(*) FROM applications a JOIN organisations o ON o.id = a.lead_organisation_id "
            "WHERE a.submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5"
        )
    op.execute(
        "INSERT INTO tally_organisations (organisation_id, n) "
        "SELECT p.organisation_id, count(*) FROM partners p "
        "JOIN applications a ON a.id = p.application_id WHERE a.workflow = 'value_chain' "
        "AND a.state IN ('label_granted', 'support_active', 'closed') GROUP BY p.organisation_id"
    )
    op.execute(
        "INSERT INTO tally_proposals (community_id, state, n) "
        "SELECT community_id, state, count(*) FROM proposals GROUP BY community_id, state"
    )
    for kind, history, subject, key, scope in (
        ('application', 'history', 'applications', 'application_id', 'call_id'),
        ('proposal', 'proposal_history', 'proposals', 'proposal_id', 'community_id'),
    ):
        bucket = _bucket('h.seconds_in_from_state')
        op.execute(
            "INSERT INTO tally_durations (kind, scope_id, state, bucket, n, seconds) "
            f"SELECT '{kind}', s.{scope}, h.from_state, {bucket}, count(*), "
            f"sum(h.seconds_in_from_state) FROM {history} h JOIN {subject} s ON s.id = h.{key} "
            f"GROUP BY s.{scope}, h.from_state, {bucket}"
        )


def downgrade():
    op.drop_table('service_times')
    op.drop_table('tally_durations')
    op.drop_table('tally_proposals')
    op.drop_table('tally_breakdowns')
    op.drop_table('tally_organisations')
    op.drop_table('tally_applications')
    op.drop_index('ix_reviews_reviewer_submitted', table_name='reviews')
    op.drop_index('ix_applications_call_state_entered', table_name='applications')
    # not a batch rebuild: other tables reference applications with ON DELETE CASCADE
    op.execute('ALTER TABLE applications DROP COLUMN s3_ecosystem')
