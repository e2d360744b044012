"""integration: dated integration requests, their replies and documents, concept-note versions

Revision ID: 0017_integration
Revises: 0016_reviews
Create Date: 2026-12-05 03:00:00.000000

Hand-written. Three new tables and one column; every existing row is kept:

- ``calls.integration_reply_days`` (default 30: Law 241/1990 art. 2 c. 7 suspends the procedure
  once for at most 30 days unless the call sets its own rule). A call whose officer had set a
  service time for ``integration_requested`` (the applicants' answer, as it was then) takes it as
  its reply period; the ``service_times`` row stays (no longer read for that state);
- each application waiting in ``integration_requested`` gets its open request from its latest
  ``request_integration`` history row: the comment is the question, and it must be answered by
  the day of the request (in Rome) plus the call's reply period;
- a submitted application in a state where its concept note cannot be edited still holds what
  it said at its last (re)submission: that is kept as its version (round = the number of its
  submissions). Drafts and applications open for an integration may have been edited since, so
  nothing is guessed for them.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_integration'
down_revision = '0016_reviews'
branch_labels = None
depends_on = None

ROME = ZoneInfo('Europe/Rome')
CHECK = ('ck_calls_integration_reply_days_range', 'integration_reply_days BETWEEN 1 AND 365')
#: as the workflows stood at this revision: the triggers that hand an application to the
#: evaluators, and the states in which its concept note can be edited
SUBMISSIONS = ('submit', 'resubmit')
EDITABLE = ('draft', 'integration_requested')
CONTENT_KEYS = ('challenges', 'needs', 'objectives', 'actions', 'investments')


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def _aware(value):
    if isinstance(value, str):  # SQLite hands back text
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def upgrade():
    if _sqlite():
        op.execute(
            "ALTER TABLE calls ADD COLUMN integration_reply_days INTEGER DEFAULT '30' NOT NULL "
            f"CONSTRAINT {CHECK[0]} CHECK ({CHECK[1]})"
        )
    else:
        op.add_column('calls', sa.Column('integration_reply_days', sa.Integer(),
                                         server_default='30', nullable=False))
        op.create_check_constraint(op.f(CHECK[0]), 'calls', CHECK[1])

    op.create_table('integration_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('reply_by', sa.Date(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by', sa.String(length=50), nullable=True),
    sa.CheckConstraint('number >= 1', name=op.f('ck_integration_requests_number_positive')),
    sa.CheckConstraint('(closed_at IS NULL) = (closed_by IS NULL)',
                       name=op.f('ck_integration_requests_closed_with_its_trigger')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_integration_requests_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'], name=op.f('fk_integration_requests_replied_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_integration_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integration_requests')),
    sa.UniqueConstraint('application_id', 'number', name=op.f('uq_integration_requests_application_id_number'))
    )
    op.create_index(op.f('ix_integration_requests_application_id'), 'integration_requests', ['application_id'], unique=False)

    op.create_table('integration_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('size > 0', name=op.f('ck_integration_documents_size_positive')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_integration_documents_sha256_hex')),
    sa.ForeignKeyConstraint(['request_id'], ['integration_requests.id'], name=op.f('fk_integration_documents_request_id_integration_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_integration_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integration_documents'))
    )
    op.create_index(op.f('ix_integration_documents_request_id'), 'integration_documents', ['request_id'], unique=False)

    op.create_table('concept_note_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=50), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('thematic_area', sa.String(length=50), nullable=True),
    sa.Column('s3_ecosystem', sa.String(length=50), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.CheckConstraint('round >= 1', name=op.f('ck_concept_note_versions_round_positive')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_concept_note_versions_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['taken_by_id'], ['users.id'], name=op.f('fk_concept_note_versions_taken_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concept_note_versions')),
    sa.UniqueConstraint('application_id', 'round', name=op.f('uq_concept_note_versions_application_id_round'))
    )
    op.create_index(op.f('ix_concept_note_versions_application_id'), 'concept_note_versions', ['application_id'], unique=False)

    bind = op.get_bind()
    _reply_periods(bind)
    _open_requests(bind)
    _versions(bind)


def _reply_periods(bind) -> None:
    rows = bind.execute(sa.text(
        "SELECT call_id, days FROM service_times WHERE state = 'integration_requested'"
    )).all()
    for call_id, days in rows:
        bind.execute(sa.text('UPDATE calls SET integration_reply_days = :days WHERE id = :id'),
                     {'days': max(1, min(365, days)), 'id': call_id})


def _open_requests(bind) -> None:
    waiting = bind.execute(sa.text(
        "SELECT a.id, c.integration_reply_days FROM applications a JOIN calls c ON c.id = a.call_id "
        "WHERE a.state = 'integration_requested' ORDER BY a.id"
    )).all()
    for app_id, days in waiting:
        asked = bind.execute(sa.text(
            "SELECT at, actor_id, comment FROM history WHERE application_id = :id "
            "AND trigger = 'request_integration' ORDER BY seq"
        ), {'id': app_id}).all()
        if not asked:
            continue  # never asked through the workflow: nothing to take the question from
        at, actor_id, comment = asked[-1]
        at = _aware(at)
        bind.execute(sa.text(
            'INSERT INTO integration_requests (application_id, number, question, requested_at, '
            'requested_by_id, reply_by, reply) VALUES (:app, :number, :question, :at, :actor, '
            ":reply_by, '')"
        ), {'app': app_id, 'number': len(asked), 'question': comment or '',
            'at': at.astimezone(dt.UTC).replace(tzinfo=None), 'actor': actor_id,
            'reply_by': at.astimezone(ROME).date() + dt.timedelta(days=days)})


def _versions(bind) -> None:
    apps = bind.execute(sa.text(
        'SELECT id, title, thematic_area, s3_ecosystem, challenges, needs, objectives, actions, '
        'investments FROM applications WHERE submitted_at IS NOT NULL AND state NOT IN '
        "('draft', 'integration_requested') ORDER BY id"
    )).all()
    insert = sa.text(
        'INSERT INTO concept_note_versions (application_id, round, trigger, taken_at, '
        'taken_by_id, title, thematic_area, s3_ecosystem, content) VALUES (:app, :round, '
        ':trigger, :at, :actor, :title, :area, :s3, :content)'
    ).bindparams(sa.bindparam('content', type_=sa.JSON()))
    for app_id, title, area, s3, *texts in apps:
        submissions = bind.execute(sa.text(
            'SELECT trigger, at, actor_id FROM history WHERE application_id = :id '
            'AND trigger IN :triggers ORDER BY seq'
        ).bindparams(sa.bindparam('triggers', expanding=True)),
            {'id': app_id, 'triggers': list(SUBMISSIONS)}).all()
        if not submissions:
            continue
        trigger, at, actor_id = submissions[-1]
        bind.execute(insert, {
            'app': app_id, 'round': len(submissions), 'trigger': trigger,
            'at': _aware(at).astimezone(dt.UTC).replace(tzinfo=None), 'actor': actor_id,
            'title': title, 'area': area, 's3': s3,
            'content': {k: v or '' for k, v in zip(CONTENT_KEYS, texts)},
        })


def downgrade():
    op.drop_index(op.f('ix_concept_note_versions_application_id'), table_name='concept_note_versions')
    op.drop_table('concept_note_versions')
    op.drop_index(op.f('ix_integration_documents_request_id'), table_name='integration_documents')
    op.drop_table('integration_documents')
    op.drop_index(op.f('ix_integration_requests_application_id'), table_name='integration_requests')
    op.drop_table('integration_requests')
    if _sqlite():
        op.execute('ALTER TABLE calls DROP COLUMN integration_reply_days')
        return
    op.drop_constraint(op.f(CHECK[0]), 'calls', type_='check')
    op.drop_column('calls', 'integration_reply_days')
