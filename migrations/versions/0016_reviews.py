"""reviews: independent reviews, their revisions, and conflict-of-interest declarations

Revision ID: 0016_reviews
Revises: 0015_afil
Create Date: 2026-12-05 02:40:00.000000

Hand-written. Every row is kept:

- ``reviews.updated_at`` (when the current version was written) starts as each review's
  ``submitted_at``; ``review_revisions`` holds the versions an author replaces from now on;
- ``conflict_declarations``: a committee member declares, before acting on an application,
  whether they have a conflict of interest. The members who had already reviewed an application,
  or fired one of the committee's triggers on it, acted as members without conflict before the
  rule: for each of them a "no conflict" declaration is recorded, dated at their first such act
  and marked ``migrated`` (pages and API say so). A member whose organisation is a partner is
  left out: that conflict is known from the partnership.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_reviews'
down_revision = '0015_afil'
branch_labels = None
depends_on = None

#: the triggers committee members fired before declarations existed (every workflow's: value
#: chains, support measures, the HUB); frozen here as they were at this revision
COMMITTEE_TRIGGERS = ('admit', 'declare_inadmissible', 'request_integration',
                      'close_evaluation', 'declare_eligible', 'declare_ineligible')


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def upgrade():
    if _sqlite():
        # SQLite adds a NOT NULL column only with a default; every row gets its own value below
        op.execute("ALTER TABLE reviews ADD COLUMN updated_at DATETIME NOT NULL "
                   "DEFAULT '1970-01-01 00:00:00'")
        op.execute('UPDATE reviews SET updated_at = submitted_at')
    else:
        op.add_column('reviews', sa.Column('updated_at', sa.DateTime(), nullable=True))
        op.execute('UPDATE reviews SET updated_at = submitted_at')
        op.alter_column('reviews', 'updated_at', nullable=False)

    op.create_table('review_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('revised_at', sa.DateTime(), nullable=False),
    sa.Column('revised_by_id', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('recommendation', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.CheckConstraint('total >= 0', name=op.f('ck_review_revisions_total_not_negative')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'],
                            name=op.f('fk_review_revisions_review_id_reviews'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revised_by_id'], ['users.id'],
                            name=op.f('fk_review_revisions_revised_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_revisions'))
    )
    op.create_index(op.f('ix_review_revisions_review_id'), 'review_revisions', ['review_id'],
                    unique=False)

    op.create_table('conflict_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(), nullable=False),
    sa.Column('migrated', sa.Boolean(), nullable=False),
    sa.CheckConstraint('NOT conflict OR length(reason) > 0',
                       name=op.f('ck_conflict_declarations_conflict_has_reason')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                            name=op.f('fk_conflict_declarations_application_id_applications'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'],
                            name=op.f('fk_conflict_declarations_member_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_declarations')),
    sa.UniqueConstraint('application_id', 'member_id',
                        name=op.f('uq_conflict_declarations_application_id_member_id'))
    )
    op.create_index(op.f('ix_conflict_declarations_application_id'), 'conflict_declarations',
                    ['application_id'], unique=False)
    op.create_index(op.f('ix_conflict_declarations_member_id'), 'conflict_declarations',
                    ['member_id'], unique=False)
    _declare_for_those_who_acted()


def _declare_for_those_who_acted():
    """A migrated "no conflict" declaration for each member who reviewed or acted, at their
    first act on the application."""
    conn = op.get_bind()
    triggers = ', '.join(f"'{t}'" for t in COMMITTEE_TRIGGERS)
    acts = conn.execute(sa.text(
        "SELECT r.application_id, r.reviewer_id, r.submitted_at FROM reviews r "
        "UNION ALL "
        f"SELECT h.application_id, h.actor_id, h.at FROM history h "
        f"WHERE h.actor_id IS NOT NULL AND h.trigger IN ({triggers})"
    )).all()
    members = {(row[0], row[1]) for row in conn.execute(sa.text(
        "SELECT a.id, c.user_id FROM applications a "
        "JOIN committee_members c ON c.call_id = a.call_id "
        "WHERE NOT EXISTS (SELECT 1 FROM partners p JOIN users u "
        "ON u.organisation_id = p.organisation_id "
        "WHERE p.application_id = a.id AND u.id = c.user_id)"
    ))}
    first: dict = {}
    for application_id, user_id, at in acts:
        key = (application_id, user_id)
        if key in members and (key not in first or at < first[key]):
            first[key] = at
    if not first:
        return
    conn.execute(
        sa.text("INSERT INTO conflict_declarations (application_id, member_id, conflict, reason, "
                "declared_at, migrated) VALUES (:app, :member, :no, '', :at, :yes)"),
        [{'app': app, 'member': member, 'no': False, 'at': at, 'yes': True}
         for (app, member), at in sorted(first.items())],
    )


def downgrade():
    op.drop_index(op.f('ix_conflict_declarations_member_id'), table_name='conflict_declarations')
    op.drop_index(op.f('ix_conflict_declarations_application_id'),
                  table_name='conflict_declarations')
    op.drop_table('conflict_declarations')
    op.drop_index(op.f('ix_review_revisions_review_id'), table_name='review_revisions')
    op.drop_table('review_revisions')
    if _sqlite():
        op.execute('ALTER TABLE reviews DROP COLUMN updated_at')
    else:
        op.drop_column('reviews', 'updated_at')
